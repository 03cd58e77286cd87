import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '@tenderflow/domain/types';
import type { RecordRulingPayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

/** The review's id comes from the path (`reviewId` of RecordRulingPayload). */
export class RecordRulingDto implements Omit<RecordRulingPayload, 'reviewId'> {
  @ApiProperty({
    enum: REVIEW_OUTCOMES,
    description:
      'rejected: the contract may follow after 10 days; correction: back to evaluation; redo: back to documents',
  })
  @IsIn(REVIEW_OUTCOMES)
  outcome!: ReviewOutcome;

  @ApiProperty({ example: '2026-11-20' })
  @IsIsoDate()
  rulingDate!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}
