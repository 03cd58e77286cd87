import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import type { AnswerQuestionPayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

/** The question's id comes from the path (`questionId` of AnswerQuestionPayload). */
export class AnswerQuestionDto implements Omit<AnswerQuestionPayload, 'questionId'> {
  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @Length(1, 10000)
  answer!: string;

  @ApiPropertyOptional({
    example: '2026-10-20',
    description: 'When the answer forces an extension (12 kap. 11 § LOU): a later last day than the forced minimum',
  })
  @IsOptional()
  @IsIsoDate()
  extendTo?: string;
}
