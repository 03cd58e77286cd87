import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { AskQuestionPayload } from '@tenderflow/temporal-common/tender-types';

/** A supplier's question, registered by the procurement officer (the Q&A log). */
export class AskQuestionDto implements AskQuestionPayload {
  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  question!: string;

  @ApiPropertyOptional({ description: 'Who asked (kept out of the published answer)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  askedBy?: string;
}
