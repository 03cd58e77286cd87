import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import type { ExtendDeadlinePayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

export class ExtendDeadlineDto implements ExtendDeadlinePayload {
  @ApiProperty({ example: '2026-10-31', description: 'The new last day; later than the current one (never shortened)' })
  @IsIsoDate()
  deadline!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'The extension follows a significant change to the documents (11 kap. 8 § 2 p. LOU): the new deadline leaves at least six days (four under urgency) after today',
  })
  @IsOptional()
  @IsBoolean()
  significantChange?: boolean;
}
