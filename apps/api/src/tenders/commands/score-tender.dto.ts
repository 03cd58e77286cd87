import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SCORING_LIMITS, type CriterionScore } from '@tenderflow/domain/scoring';
import type { RecordConsensusPayload, ScoreTenderPayload } from '@tenderflow/temporal-common/tender-types';

export class CriterionScoreDto implements CriterionScore {
  @ApiProperty({ example: 'K4', description: 'An award criterion of the register that applies to the lot' })
  @IsString()
  @Length(1, 64)
  criterionId!: string;

  @ApiProperty({
    example: 4,
    minimum: 0,
    maximum: 100,
    description: "The score on the criterion's scale (0 … its maximum; the workflow checks the maximum)",
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score!: number;

  @ApiPropertyOptional({
    maxLength: SCORING_LIMITS.note,
    example: 'Delivery in four working days, as the tender states',
  })
  @IsOptional()
  @IsString()
  @MaxLength(SCORING_LIMITS.note)
  note?: string;
}

/** An evaluator's own scores of one tender for one lot. */
export class ScoreTenderDto implements ScoreTenderPayload {
  @ApiProperty({ example: 'Acme Lab AB', description: 'An admitted tenderer as the opening recorded it' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ example: 'Kemi', description: 'The lot scored (required when the procurement has lots)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  lot?: string;

  @ApiProperty({
    type: [CriterionScoreDto],
    description: 'Every award criterion of the register that applies to the lot, each once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CriterionScoreDto)
  scores!: CriterionScoreDto[];
}

/** The consensus scores of one tender for one lot, with the reason. */
export class RecordConsensusDto extends ScoreTenderDto implements RecordConsensusPayload {
  @ApiProperty({
    maxLength: SCORING_LIMITS.reason,
    example: 'The evaluators met on 2026-11-20 and agreed on these scores',
    description: 'Why these are the scores (how the evaluators agreed)',
  })
  @IsString()
  @Length(1, SCORING_LIMITS.reason)
  reason!: string;
}
