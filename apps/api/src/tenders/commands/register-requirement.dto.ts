import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FOLLOW_UP_OWNERS } from '@tenderflow/domain/policy';
import {
  FOLLOW_UP_FREQUENCIES,
  FOLLOW_UP_METHODS,
  REQUIREMENT_KINDS,
  REQUIREMENT_LIMITS,
  SUSTAINABILITY_CRITERION_ID,
  type FollowUpFrequency,
  type FollowUpMethod,
  type RequirementFollowUp,
  type RequirementKind,
  type RequirementScoring,
} from '@tenderflow/domain/requirements';
import type { RegisterRequirementPayload, WithdrawRequirementPayload } from '@tenderflow/temporal-common/tender-types';
import { RecordedPersonDto } from '../list-questions.query';

/** How a requirement will be followed up while the contract runs (a contract condition must say). */
export class RequirementFollowUpDto implements RequirementFollowUp {
  @ApiProperty({ enum: FOLLOW_UP_METHODS, example: 'document' })
  @IsIn(FOLLOW_UP_METHODS)
  method!: FollowUpMethod;

  @ApiProperty({ enum: FOLLOW_UP_FREQUENCIES, example: 'yearly' })
  @IsIn(FOLLOW_UP_FREQUENCIES)
  frequency!: FollowUpFrequency;

  @ApiProperty({
    enum: FOLLOW_UP_OWNERS,
    description: 'Who checks: the procurement unit or the unit using the contract',
  })
  @IsIn(FOLLOW_UP_OWNERS)
  owner!: (typeof FOLLOW_UP_OWNERS)[number];

  @ApiProperty({ example: 'Certificate of ISO 14001 from an accredited body', maxLength: REQUIREMENT_LIMITS.evidence })
  @IsString()
  @Length(1, REQUIREMENT_LIMITS.evidence)
  evidence!: string;
}

/** How an award criterion is scored: its scale, and a weight (weighted model) or a value in SEK (value deduction). */
export class RequirementScoringDto implements RequirementScoring {
  @ApiProperty({ example: 5, minimum: 1, maximum: 100, description: 'The top of the scoring scale (0–maxScore)' })
  @IsInt()
  @Min(1)
  @Max(100)
  maxScore!: number;

  @ApiPropertyOptional({ example: 25, description: 'Weighted model: the share of 100 (the price takes the rest)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight?: number;

  @ApiPropertyOptional({
    example: 100_000,
    description: 'Value deduction: the most a full score takes off the price, SEK',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxDeductionSek?: number;
}

/** One requirement of the register (issue 30): registered in the documents phase, before the documents' approval. */
export class RegisterRequirementDto implements RegisterRequirementPayload {
  @ApiProperty({
    enum: REQUIREMENT_KINDS,
    description:
      'supplier_requirement (on the supplier: qualification), object_requirement (on what is bought), ' +
      'award_criterion (scored in the evaluation), contract_condition (a special contract condition, followed up)',
  })
  @IsIn(REQUIREMENT_KINDS)
  kind!: RequirementKind;

  @ApiProperty({ example: 'The supplier holds a valid ISO 14001 certificate.', maxLength: REQUIREMENT_LIMITS.text })
  @IsString()
  @Length(1, REQUIREMENT_LIMITS.text)
  text!: string;

  @ApiProperty({ example: 'Administrativa föreskrifter 4.2', maxLength: REQUIREMENT_LIMITS.reference })
  @IsString()
  @Length(1, REQUIREMENT_LIMITS.reference)
  reference!: string;

  @ApiPropertyOptional({ description: "The lot it belongs to, by the lot's title; none: the whole procurement" })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  lot?: string;

  @ApiPropertyOptional({
    example: '10137:2',
    description: "Upphandlingsmyndigheten's sustainability criterion it uses: its number, and the level after a colon",
  })
  @IsOptional()
  @IsString()
  @Matches(SUSTAINABILITY_CRITERION_ID, {
    message: 'sustainabilityCriterionId must be a criterion number such as 10137 or 10137:2',
  })
  sustainabilityCriterionId?: string;

  @ApiPropertyOptional({ type: RequirementFollowUpDto, description: 'Required for a contract condition' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequirementFollowUpDto)
  followUp?: RequirementFollowUpDto;

  @ApiPropertyOptional({
    type: RequirementScoringDto,
    description: 'Required for an award criterion, refused otherwise',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequirementScoringDto)
  scoring?: RequirementScoringDto;
}

export class WithdrawRequirementDto implements Omit<WithdrawRequirementPayload, 'requirementId'> {
  @ApiProperty({ example: 'Replaced by K4 after the market dialogue', maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/** Who withdrew a requirement, and when. */
export class RequirementWithdrawalDto {
  @ApiProperty({ type: RecordedPersonDto })
  by!: RecordedPersonDto;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** A requirement of the register with its texts (the tender's state carries the rest, not the texts). */
export class RequirementWithTextsDto {
  @ApiProperty({ example: 'K1', description: 'K<n>: the n-th requirement registered' })
  id!: string;

  @ApiProperty({ enum: REQUIREMENT_KINDS })
  kind!: RequirementKind;

  @ApiProperty()
  text!: string;

  @ApiProperty()
  reference!: string;

  @ApiPropertyOptional()
  lot?: string;

  @ApiPropertyOptional()
  sustainabilityCriterionId?: string;

  @ApiPropertyOptional({ type: RequirementFollowUpDto })
  followUp?: RequirementFollowUpDto;

  @ApiPropertyOptional({ type: RequirementScoringDto })
  scoring?: RequirementScoringDto;

  @ApiProperty({ type: RecordedPersonDto, description: 'Who registered it' })
  registeredBy!: RecordedPersonDto;

  @ApiProperty({ format: 'date-time' })
  registeredAt!: string;

  @ApiPropertyOptional({ type: RequirementWithdrawalDto, description: 'Withdrawn before the documents were approved' })
  withdrawn?: RequirementWithdrawalDto;

  @ApiPropertyOptional()
  withdrawalReason?: string;
}

export class RequirementsDto {
  @ApiProperty({
    type: [RequirementWithTextsDto],
    description: 'In registration order (K1, K2, …), withdrawn ones included',
  })
  items!: RequirementWithTextsDto[];
}
