import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RecordedPersonDto } from './list-questions.query';

/** What the OpenAPI document says GET /tenders/{id}/scores and GET /tenders/{id}/ranking answer (scores.view.ts). */

export class ScoreLineDto {
  @ApiProperty({ example: 'K4' })
  criterionId!: string;

  @ApiProperty({ example: 4 })
  score!: number;

  @ApiPropertyOptional()
  note?: string;
}

export class ScoreSheetViewDto {
  @ApiProperty()
  supplier!: string;

  @ApiPropertyOptional()
  lot?: string;

  @ApiProperty({ type: RecordedPersonDto })
  evaluator!: RecordedPersonDto;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: [ScoreLineDto] })
  scores!: ScoreLineDto[];
}

export class ConsensusViewDto {
  @ApiProperty()
  supplier!: string;

  @ApiPropertyOptional()
  lot?: string;

  @ApiProperty({ type: [ScoreLineDto] })
  scores!: ScoreLineDto[];

  @ApiPropertyOptional({ description: 'Why these are the scores' })
  reason?: string;

  @ApiProperty({ type: RecordedPersonDto })
  decidedBy!: RecordedPersonDto;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class ScoresDto {
  @ApiProperty({
    type: [ScoreSheetViewDto],
    description:
      "The evaluators' own sheets: all of them for the tender's procurement officers and administrators; for anyone else their own and those of tenders whose consensus is recorded",
  })
  sheets!: ScoreSheetViewDto[];

  @ApiProperty({ type: [ConsensusViewDto] })
  consensus!: ConsensusViewDto[];
}

export class RankedTenderDto {
  @ApiProperty()
  tenderer!: string;

  @ApiProperty({ example: 1 })
  rank!: number;

  @ApiProperty()
  priceSek!: number;

  @ApiPropertyOptional({ description: 'weighted: the price points' })
  pricePoints?: number;

  @ApiPropertyOptional({ description: 'weighted: the quality points' })
  qualityPoints?: number;

  @ApiPropertyOptional({ description: 'weighted: the total' })
  total?: number;

  @ApiPropertyOptional({ description: 'value deduction: the price less the deductions' })
  comparisonPriceSek?: number;

  @ApiPropertyOptional()
  tied?: boolean;
}

export class TieDto {
  @ApiProperty({ type: [String] })
  tenderers!: string[];

  @ApiProperty({ enum: ['lower_price', 'higher_quality', 'lots'] })
  decidedBy!: string;

  @ApiProperty({ description: 'Left to lots: the model names no winner' })
  undecided!: boolean;
}

export class RankingDto {
  @ApiProperty({ type: [RankedTenderDto] })
  ranked!: RankedTenderDto[];

  @ApiPropertyOptional()
  winner?: string;

  @ApiPropertyOptional({ type: TieDto })
  tie?: TieDto;
}

export class ModelCriterionDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  maxScore!: number;

  @ApiPropertyOptional()
  weight?: number;

  @ApiPropertyOptional()
  maxDeductionSek?: number;
}

export class EvaluationModelDto {
  @ApiProperty({ enum: ['lowest_price', 'weighted', 'value_deduction'] })
  kind!: string;

  @ApiPropertyOptional({ description: 'weighted: what the criteria leave of 100' })
  priceWeight?: number;

  @ApiPropertyOptional({ type: [ModelCriterionDto] })
  criteria?: ModelCriterionDto[];

  @ApiProperty({ enum: ['lower_price', 'higher_quality', 'lots'] })
  tieBreak!: string;
}

export class MissingForRankingDto {
  @ApiProperty()
  supplier!: string;

  @ApiProperty({ description: 'The opening recorded no price for the lot' })
  price!: boolean;

  @ApiProperty({ description: 'No consensus is recorded' })
  consensus!: boolean;
}

export class PriceToWinDto {
  @ApiProperty()
  tenderer!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The highest whole-SEK price that would have won; null: none',
  })
  priceSek!: number | null;
}

export class QualityToWinDto {
  @ApiProperty()
  tenderer!: string;

  @ApiProperty()
  gap!: number;

  @ApiProperty({ enum: ['points', 'SEK'] })
  unit!: string;
}

export class WeightShiftDto {
  @ApiProperty({ description: "'price' or a criterion's id" })
  criterion!: string;

  @ApiProperty({ example: 10 })
  delta!: number;

  @ApiPropertyOptional()
  winner?: string;

  @ApiProperty({ type: [String] })
  order!: string[];
}

export class SimulationDto {
  @ApiProperty({ type: [PriceToWinDto] })
  pricesToWin!: PriceToWinDto[];

  @ApiProperty({ type: [QualityToWinDto] })
  qualityToWin!: QualityToWinDto[];

  @ApiProperty({ type: [WeightShiftDto] })
  weights!: WeightShiftDto[];
}

export class LotRankingDto {
  @ApiPropertyOptional({ description: 'None: the procurement has no lots' })
  lot?: string;

  @ApiProperty({ type: EvaluationModelDto })
  model!: EvaluationModelDto;

  @ApiProperty({ type: [MissingForRankingDto], description: 'What the ranking waits for' })
  missing!: MissingForRankingDto[];

  @ApiPropertyOptional({ type: RankingDto })
  ranking?: RankingDto;

  @ApiPropertyOptional({ type: SimulationDto, description: 'What would change the winner' })
  simulation?: SimulationDto;
}

export class RankingsDto {
  @ApiProperty({ type: [LotRankingDto] })
  lots!: LotRankingDto[];
}
