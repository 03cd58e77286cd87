import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { checkContractDates, type ContractDates } from '@tenderflow/domain/contract-rules';
import type { Quote } from '@tenderflow/domain/policy';
import {
  MAX_SANCTIONS,
  SANCTION_KINDS,
  type ContractSanction,
  type SanctionKind,
} from '@tenderflow/domain/contract-sanctions';
import type { ContractOption, ContractPayload, Subcontracting } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

/**
 * The contract's dates make sense together (libs/domain checkContractDates, the rule the workflow
 * applies too): a 400 naming the field and the rule `contract_dates` before the workflow is asked.
 */
function CoherentContractDates(): PropertyDecorator {
  const violation = (args: ValidationArguments) =>
    checkContractDates(args.object as ContractDates).find((v) => v.field === args.property);
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'contract_dates',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => violation(args) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          violation(args)?.message ?? 'the contract dates do not fit together',
      },
    });
}

export class ContractOptionDto implements ContractOption {
  @ApiProperty({ example: 'Extension 12 months' })
  @IsString()
  @Length(1, 1000)
  description!: string;

  @ApiProperty({ example: 12 })
  @IsInt()
  @Min(0)
  @Max(600)
  months!: number;
}

/** A quote taken before a direct award (policy directAwardQuotesFromSek). */
export class QuoteDto implements Quote {
  @ApiProperty({ example: 'Fönsterputs AB' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiProperty({ example: 240_000, description: 'Whole SEK' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  amountSek!: number;
}

export class SubcontractorDto {
  @ApiProperty({ example: 'Transport AB' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiPropertyOptional({ example: '556000-0001' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  orgNumber?: string;
}

/** Subcontracting as the supplier stated it (12 kap. 15 § LOU, the individual report). */
export class SubcontractingDto implements Subcontracting {
  @ApiPropertyOptional({
    example: 20,
    description: "The share of the contract's value to be subcontracted, whole per cent 0–100; absent: not stated",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  sharePercent?: number;

  @ApiProperty({
    type: [SubcontractorDto],
    description: 'The subcontractors named; empty with sharePercent 0: no subcontracting',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SubcontractorDto)
  subcontractors!: SubcontractorDto[];
}

/** A sanction the contract reserves against the supplier (issue 31): its kind, its clause and the most it may come to. */
export class ContractSanctionDto implements ContractSanction {
  @ApiProperty({
    enum: SANCTION_KINDS,
    description: 'penalty (vite), price_reduction (prisavdrag) or termination (hävningsrätt)',
  })
  @IsIn(SANCTION_KINDS)
  kind!: SanctionKind;

  @ApiProperty({ example: 'Allmänna villkor 14.2', description: 'Where the contract says it' })
  @IsString()
  @Length(1, 300)
  clauseReference!: string;

  @ApiPropertyOptional({
    example: 200_000,
    description:
      "Penalty and price reduction: the most the clause allows for one deviation, whole SEK, at most the contract's value; a termination has none",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  maxAmountSek?: number;
}

/** The signed contract. */
export class RegisterContractDto implements ContractPayload {
  @ApiProperty({ example: 'Lab AB', description: 'The awarded supplier' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ example: '556000-0000' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  orgNumber?: string;

  @ApiPropertyOptional({ example: 'AVT-2026-17' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;

  @ApiProperty({
    example: 4_000_000,
    description:
      "Whole SEK; at most the approved value (the tender's estimate) plus the organisation's tolerance, and the approver's limit; " +
      "a direct award's also within the year's direct-award total",
  })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  valueSek!: number;

  @ApiProperty({ example: '2027-01-01' })
  @IsIsoDate()
  startDate!: string;

  @ApiProperty({ example: '2028-12-31', description: 'On or after startDate' })
  @IsIsoDate()
  @CoherentContractDates()
  endDate!: string;

  @ApiPropertyOptional({ type: [ContractOptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContractOptionDto)
  options?: ContractOptionDto[];

  @ApiProperty({
    example: '2026-12-01',
    description:
      'Not after endDate; the workflow also refuses (422) a date in the future, before the award decision (or, for a direct award, the ' +
      'decision to procure) and on or before the last day of a standstill',
  })
  @IsIsoDate()
  @CoherentContractDates()
  signedAt!: string;

  @ApiPropertyOptional({
    description: 'Why a framework agreement runs longer than four years (7 kap. 2 § LOU)',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  specialReasons?: string;

  @ApiPropertyOptional({
    type: [QuoteDto],
    description: 'A direct award: the quotes taken (required from policy directAwardQuotesFromSek)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuoteDto)
  quotes?: QuoteDto[];

  @ApiPropertyOptional({
    type: SubcontractingDto,
    description: 'The share subcontracted and the subcontractors, when known; absent: the report says "not recorded"',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubcontractingDto)
  subcontracting?: SubcontractingDto;

  @ApiPropertyOptional({
    type: [ContractSanctionDto],
    description:
      'The sanctions the contract reserves: a major or critical deviation in a control puts them to a decision (delegation order item contract_sanction, or an approver within their limit)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SANCTIONS)
  @ValidateNested({ each: true })
  @Type(() => ContractSanctionDto)
  sanctions?: ContractSanctionDto[];
}
