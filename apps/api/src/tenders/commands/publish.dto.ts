import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import type { PublishPayload } from '../../../../../workflows/tender/tender.messages';
import { IsIsoDate } from './params';

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

  @ApiPropertyOptional({ example: '2026-09-30', description: 'A later last day for tenders than the legal minimum (never earlier)' })
  @IsOptional()
  @IsIsoDate()
  deadline?: string;

  @ApiPropertyOptional({ example: '2026-09-15', description: 'Restricted and similar: a later last day for requests to participate' })
  @IsOptional()
  @IsIsoDate()
  requestDeadline?: string;

  @ApiPropertyOptional({ description: "Default: the tender's setting at start" })
  @IsOptional()
  @IsBoolean()
  electronicSubmission?: boolean;

  @ApiPropertyOptional({ default: false, description: 'A prior information notice was published (shorter minimum)' })
  @IsOptional()
  @IsBoolean()
  priorInformationNotice?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Urgency (shorter minimum), to be justified in the documentation' })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;
}
