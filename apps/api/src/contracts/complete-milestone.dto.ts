import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_SUPPLIERS_ASKED,
  SUPPLIER_ANSWERS,
  type DirectAwardDocumentation,
  type SupplierAnswer,
  type SupplierAsked,
} from '@tenderflow/domain/direct-award';
import {
  DEVIATION_SEVERITIES,
  MILESTONE_OUTCOMES,
  type CompleteMilestonePayload,
  type DeviationSeverity,
  type MilestoneOutcome,
} from '@tenderflow/temporal-common/contract-types';
import {
  SANCTION_DECISIONS,
  SANCTION_KINDS,
  type SanctionDecision,
  type SanctionDecisionKind,
  type SanctionKind,
} from '@tenderflow/domain/contract-sanctions';
import { IsIsoDate } from '../common/params';

/** The decision on a sanction the contract declares (issue 31). */
export class SanctionDecisionDto implements SanctionDecision {
  @ApiProperty({
    enum: SANCTION_DECISIONS,
    description: 'impose a declared sanction, or refrain (the reason in the note)',
  })
  @IsIn(SANCTION_DECISIONS)
  decision!: SanctionDecisionKind;

  @ApiPropertyOptional({
    enum: SANCTION_KINDS,
    description: 'impose: one the contract declares (422 sanction_not_declared)',
  })
  @IsOptional()
  @IsIn(SANCTION_KINDS)
  kind?: SanctionKind;

  @ApiPropertyOptional({
    example: 50_000,
    description:
      "impose a penalty or price reduction: whole SEK, within the clause's maximum (422 sanction_amount_limit); a termination has none",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  amountSek?: number;
}

export class SupplierAskedDto implements SupplierAsked {
  @ApiProperty({ example: 'Fönsterputs AB' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiPropertyOptional({ example: '556000-0001' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  orgNumber?: string;

  @ApiProperty({ enum: SUPPLIER_ANSWERS, description: 'tendered, declined, or no_answer' })
  @IsIn(SUPPLIER_ANSWERS)
  answer!: SupplierAnswer;

  @ApiPropertyOptional({ example: 610_000, description: 'What it offered, whole SEK excl. VAT; only when it tendered' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  priceSek?: number;
}

export class DirectAwardWinnerDto {
  @ApiProperty({
    example: 'Fönsterputs AB',
    description: "One of the suppliers asked that tendered: the contract's supplier",
  })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ example: '556000-0001' })
  @IsString()
  @Length(1, 32)
  orgNumber!: string;
}

/** A direct award's documentation (19 a kap. 11 § LOU); the authority is taken from the organisation register. */
export class DirectAwardDocumentationDto implements Omit<DirectAwardDocumentation, 'authority'> {
  @ApiProperty({
    example: 'Prisförfrågan till tre leverantörer och annons på regionens webbplats',
    maxLength: 2000,
    description: 'How competition was used',
  })
  @IsString()
  @Length(1, 2000)
  competition!: string;

  @ApiProperty({ type: [SupplierAskedDto], description: 'Every supplier asked, with its answer' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SUPPLIERS_ASKED)
  @ValidateNested({ each: true })
  @Type(() => SupplierAskedDto)
  suppliersAsked!: SupplierAskedDto[];

  @ApiProperty({ type: DirectAwardWinnerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DirectAwardWinnerDto)
  winner!: DirectAwardWinnerDto;

  @ApiProperty({
    example: 'Lägsta pris bland tre jämförbara anbud',
    maxLength: 2000,
    description: 'The main reason for the award',
  })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

/** The milestone comes from the path (`milestoneId` of CompleteMilestonePayload). */
export class CompleteMilestoneDto implements Omit<CompleteMilestonePayload, 'milestoneId'> {
  @ApiProperty({
    enum: MILESTONE_OUTCOMES,
    description: 'deviation creates a corrective-action milestone due in 30 days',
  })
  @IsIn(MILESTONE_OUTCOMES)
  outcome!: MilestoneOutcome;

  @ApiProperty({ example: 'Delivery times within the agreed levels; next review in three months', maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  note!: string;

  @ApiPropertyOptional({
    example: 'DNR-2027-311',
    description: 'Where it is filed or published (post-award notice, documentation)',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;

  @ApiPropertyOptional({
    enum: DEVIATION_SEVERITIES,
    description: "A deviation only: how grave it is; required for a control's deviation (400 severity)",
  })
  @IsOptional()
  @IsIn(DEVIATION_SEVERITIES)
  severity?: DeviationSeverity;

  @ApiPropertyOptional({
    format: 'date',
    example: '2027-05-15',
    description:
      "A deviation only: the day the supplier's corrective action is due, after today and within 365 days " +
      "(422 corrective_due_date); default: the policy's days (30) after today",
  })
  @IsOptional()
  @IsIsoDate()
  correctiveDueDate?: string;

  @ApiPropertyOptional({ description: 'Extension decision only: use an option (true) or let the contract end (false)' })
  @IsOptional()
  @IsBoolean()
  extend?: boolean;

  @ApiPropertyOptional({
    description: 'Extension decision with extend: months within the remaining options (default: the next option)',
    minimum: 1,
    maximum: 120,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  months?: number;

  @ApiPropertyOptional({
    type: DirectAwardDocumentationDto,
    description:
      'The documentation milestone of a direct award above 100 000 SEK (19 a kap. 11 § LOU; tenders from rule set LOU-2026.3): required there ' +
      "(422 direct_award_documentation_required), refused elsewhere. The winner must be the contract's supplier and have tendered; the authority's name " +
      'and organisation number come from the organisation register (422 authority_org_number_missing without one)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DirectAwardDocumentationDto)
  directAwardDocumentation?: DirectAwardDocumentationDto;

  @ApiPropertyOptional({
    type: SanctionDecisionDto,
    description:
      'A sanction decision only (required there, with outcome ok): taken by an approver of the organisation who did not record the deviation, ' +
      "under the delegation order's contract_sanction items the tender pinned (403 delegation_order, delegation_board) or, without them, " +
      'within their approval limit (403 approval_limit). A termination ends the contract that day',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SanctionDecisionDto)
  sanction?: SanctionDecisionDto;
}
