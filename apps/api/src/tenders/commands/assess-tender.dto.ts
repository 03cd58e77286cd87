import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  ASSESSMENT_LIMITS,
  ASSESSMENT_RESULTS,
  type AbnormallyLowCheck,
  type AssessmentResult,
  type RequirementAnswer,
} from '@tenderflow/domain/assessment';
import { AbnormallyLowTenderDto } from './submit-evaluation.dto';
import type { AssessTenderPayload } from '@tenderflow/temporal-common/tender-types';

export class ExclusionCheckDto {
  @ApiProperty({ description: 'Whether a ground for exclusion was found (the grounds were checked)', example: false })
  @IsBoolean()
  groundFound!: boolean;

  @ApiPropertyOptional({ maxLength: ASSESSMENT_LIMITS.note, example: 'Skatteverket and the criminal record checked' })
  @IsOptional()
  @IsString()
  @MaxLength(ASSESSMENT_LIMITS.note)
  note?: string;
}

export class QualificationCheckDto {
  @ApiProperty({ description: 'Whether the supplier meets the qualification requirements', example: true })
  @IsBoolean()
  met!: boolean;

  @ApiPropertyOptional({ maxLength: ASSESSMENT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(ASSESSMENT_LIMITS.note)
  note?: string;
}

export class RequirementAnswerDto implements RequirementAnswer {
  @ApiProperty({ example: 'K1', description: 'A mandatory requirement of the register that applies to the tender' })
  @IsString()
  @Length(1, 64)
  requirementId!: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  met!: boolean;

  @ApiPropertyOptional({ maxLength: ASSESSMENT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(ASSESSMENT_LIMITS.note)
  note?: string;
}

/** As the evaluation's abnormally low tender, without the supplier (the assessment's own). */
export class AbnormallyLowCheckDto
  extends OmitType(AbnormallyLowTenderDto, ['supplier'] as const)
  implements AbnormallyLowCheck {}

/** One tender's assessment before the evaluation: exclusion, qualification, the mandatory requirements, an abnormally low price, the result. */
export class AssessTenderDto implements AssessTenderPayload {
  @ApiProperty({ example: 'Acme Lab AB', description: 'The tenderer as the opening recorded it' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiProperty({ type: ExclusionCheckDto })
  @ValidateNested()
  @Type(() => ExclusionCheckDto)
  exclusion!: ExclusionCheckDto;

  @ApiProperty({ type: QualificationCheckDto })
  @ValidateNested()
  @Type(() => QualificationCheckDto)
  qualification!: QualificationCheckDto;

  @ApiPropertyOptional({
    type: [RequirementAnswerDto],
    description:
      'Every mandatory requirement of the register that applies to the tender, met or not (none when none applies)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RequirementAnswerDto)
  requirements?: RequirementAnswerDto[];

  @ApiPropertyOptional({ type: [AbnormallyLowCheckDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AbnormallyLowCheckDto)
  abnormallyLow?: AbnormallyLowCheckDto[];

  @ApiProperty({ enum: ASSESSMENT_RESULTS, description: 'admitted to the evaluation, or rejected' })
  @IsIn(ASSESSMENT_RESULTS)
  result!: AssessmentResult;

  @ApiPropertyOptional({
    maxLength: ASSESSMENT_LIMITS.reason,
    description: 'Why the tender is rejected (required then)',
  })
  @IsOptional()
  @IsString()
  @Length(1, ASSESSMENT_LIMITS.reason)
  reason?: string;
}
