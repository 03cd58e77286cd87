import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import type { PublishPayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

export class PublishDto implements PublishPayload {
  @ApiPropertyOptional({ default: 'outbox', description: 'The registered advertising database the notice goes to' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  advertisingDatabase?: string;

  @ApiPropertyOptional({ example: '2026/S 123-456789' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  noticeReference?: string;

  @ApiPropertyOptional({
    example: '2026-09-30',
    description: 'A later last day for tenders than the legal minimum (never earlier)',
  })
  @IsOptional()
  @IsIsoDate()
  deadline?: string;

  @ApiPropertyOptional({
    example: '2026-09-15',
    description: 'Restricted and similar: a later last day for requests to participate',
  })
  @IsOptional()
  @IsIsoDate()
  requestDeadline?: string;

  @ApiPropertyOptional({ description: "Default: the tender's setting at start" })
  @IsOptional()
  @IsBoolean()
  electronicSubmission?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'A prior information notice shortens the minimum (EU regime); needs priorInformationNoticeSentAt',
  })
  @IsOptional()
  @IsBoolean()
  priorInformationNotice?: boolean;

  @ApiPropertyOptional({
    example: '2026-03-02',
    description:
      'The day the prior information notice was sent for publication: 35 days to 12 months before today (11 kap. 5 § andra stycket 2 p. LOU)',
  })
  @IsOptional()
  @IsIsoDate()
  priorInformationNoticeSentAt?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Urgency shortens the minimum (11 kap. 10 § LOU); needs urgencyJustification',
  })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Why the urgency can be shown (11 kap. 10 § LOU); required when urgent',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  urgencyJustification?: string;

  @ApiPropertyOptional({
    default: true,
    description:
      'false: the procurement documents cannot be made available electronically; the minimum tender period is five days longer',
  })
  @IsOptional()
  @IsBoolean()
  documentsAvailableElectronically?: boolean;
}
