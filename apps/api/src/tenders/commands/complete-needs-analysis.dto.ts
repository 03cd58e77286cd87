import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CRITICALITIES, Criticality, SUSTAINABILITY_LEVELS, SustainabilityLevel } from '@tenderflow/domain/types';
import type { NeedsAnalysisPayload, SustainabilityAssessment } from '@tenderflow/temporal-common/tender-types';
import { InvitedBodyDto } from '../create-tender.dto';

/** The reason form excludes the criteria form: a tender has criteria or says why it has none. */
function NotWithCriteria(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'exclusive',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'give either criteria and level, or notApplicableReason, not both' },
      validator: {
        validate: (_: unknown, args) => {
          const o = args?.object as SustainabilityDto;
          return o.criteria === undefined && o.level === undefined;
        },
      },
    });
}

/** `{ criteria, level }` or `{ notApplicableReason }` (Upphandlingsmyndigheten's levels). */
export class SustainabilityDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['Ecolabelled packaging', 'Fossil-free transport'],
    description: 'With level; or give notApplicableReason',
  })
  @ValidateIf((o: SustainabilityDto) => o.notApplicableReason === undefined || o.criteria !== undefined)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  criteria?: string[];

  @ApiPropertyOptional({ enum: SUSTAINABILITY_LEVELS })
  @ValidateIf((o: SustainabilityDto) => o.notApplicableReason === undefined || o.level !== undefined)
  @IsIn(SUSTAINABILITY_LEVELS)
  level?: SustainabilityLevel;

  @ApiPropertyOptional({
    description: 'Why no sustainability criteria apply (instead of criteria and level)',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotWithCriteria()
  notApplicableReason?: string;
}

export class LaborConditionsDto {
  @ApiProperty({ description: 'Whether labour conditions are required (17 kap. 2 § LOU)' })
  @IsBoolean()
  required!: boolean;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  justification!: string;
}

export class SupplyPreparednessDto {
  @ApiProperty({ enum: CRITICALITIES })
  @IsIn(CRITICALITIES)
  criticality!: Criticality;

  @ApiPropertyOptional({ description: 'Required when criticality is high or critical', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  measures?: string;
}

export class LotDto {
  @ApiProperty({ example: 'Lot 1: reagents' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: 2_500_000, description: 'Whole SEK' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  estimatedValueSek!: number;
}

/** Mirrors NeedsAnalysisPayload; the workflow refuses what the law or policy refuses (422). */
export class CompleteNeedsAnalysisDto {
  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  need?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  marketAnalysis?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  risks?: string;

  @ApiProperty({ type: SustainabilityDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SustainabilityDto)
  sustainability!: SustainabilityDto;

  @ApiPropertyOptional({ type: LaborConditionsDto, description: 'Required above the threshold (17 kap. 2 § LOU)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LaborConditionsDto)
  laborConditions?: LaborConditionsDto;

  @ApiProperty({ type: SupplyPreparednessDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SupplyPreparednessDto)
  supplyPreparedness!: SupplyPreparednessDto;

  @ApiPropertyOptional({
    type: [LotDto],
    description:
      'Above the threshold (not bilaga 2 services): two or more lots, or lotJustification, the reason for not dividing (4 kap. 14 § LOU); one lot is not a division',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LotDto)
  lots?: LotDto[];

  @ApiPropertyOptional({ description: 'Why the contract is not divided into lots', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  lotJustification?: string;

  @ApiPropertyOptional({
    type: [InvitedBodyDto],
    description: 'More public bodies to invite to a joint procurement (coordination follows the decision to procure)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => InvitedBodyDto)
  invitedBodies?: InvitedBodyDto[];

  @ApiPropertyOptional({
    description:
      'Policy groupCoordinationCheck: why this is procured separately although the group already has running tenders or active contracts in the category',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  separateProcurementReason?: string;
}

/** The validated DTO as the workflow's payload, with the sustainability union narrowed. */
export function toNeedsAnalysisPayload(dto: CompleteNeedsAnalysisDto): NeedsAnalysisPayload {
  const { sustainability: s, ...rest } = dto;
  const sustainability: SustainabilityAssessment =
    s.notApplicableReason !== undefined
      ? { notApplicableReason: s.notApplicableReason }
      : { criteria: s.criteria ?? [], level: s.level! };
  return { ...rest, sustainability };
}
