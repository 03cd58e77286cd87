import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { PersonRef } from '@tenderflow/temporal-common/tender-types';

/** A page's position in the Q&A log: how many questions came before it. */
export const QUESTIONS_CURSOR = /^[0-9]{1,9}$/;

export class ListQuestionsQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page; none for the first page' })
  @IsOptional()
  @IsString()
  @Matches(QUESTIONS_CURSOR, { message: 'cursor must be the nextCursor of the previous page' })
  cursor?: string;
}

/** A person as the tender records them (in an answer: PersonRefDto's input limits are not promised). */
export class RecordedPersonDto implements PersonRef {
  @ApiProperty()
  sub!: string;

  @ApiProperty()
  name!: string;
}

/** A question of the Q&A log with its texts (the tender's state carries the rest of it, not the texts). */
export class QuestionWithTextsDto {
  @ApiProperty({ example: 'Q1', description: 'Q<n>: the n-th question registered' })
  id!: string;

  @ApiProperty({ description: "The supplier's question" })
  question!: string;

  @ApiPropertyOptional({ description: 'Who asked, as registered' })
  askedBy?: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ type: RecordedPersonDto, description: 'Who registered it' })
  registeredBy!: RecordedPersonDto;

  @ApiPropertyOptional({ description: 'The answer, once given' })
  answer?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  answeredAt?: string;

  @ApiPropertyOptional({ type: RecordedPersonDto })
  answeredBy?: RecordedPersonDto;

  @ApiPropertyOptional({
    description: 'The answer came later than six days before the deadline, which was extended (12 kap. 11 § LOU)',
  })
  forcedExtension?: boolean;
}

export class QuestionsPageDto {
  @ApiProperty({ type: [QuestionWithTextsDto], description: 'In registration order (Q1, Q2, …)' })
  items!: QuestionWithTextsDto[];

  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the next page; null on the last page' })
  nextCursor!: string | null;
}
