import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FOLLOW_UP_OWNERS, type FollowUpPlanItem } from '@tenderflow/domain/policy';
import type { ProcurementDocument, RegisterDocumentsPayload } from '@tenderflow/temporal-common/tender-types';

/** A reference to a document kept elsewhere (the system registers references, not files). */
export class ProcurementDocumentDto implements ProcurementDocument {
  @ApiProperty({ example: 'Administrative provisions' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: 'dms://HSN/2026/123' })
  @IsString()
  @Length(1, 500)
  reference!: string;

  @ApiPropertyOptional({ example: '1.2' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  version?: string;
}

/** One line of the follow-up plan: it becomes a recurring milestone of the contract. */
export class FollowUpPlanItemDto implements FollowUpPlanItem {
  @ApiProperty({ example: 'Delivery precision ≥ 98 %', description: 'What is followed up' })
  @IsString()
  @Length(1, 500)
  what!: string;

  @ApiProperty({ example: "Supplier's monthly delivery report, checked against the order system", description: 'How' })
  @IsString()
  @Length(1, 1000)
  how!: string;

  @ApiProperty({ example: 'Laboratory manager', description: 'By whom' })
  @IsString()
  @Length(1, 300)
  byWhom!: string;

  @ApiProperty({ example: 3, description: 'How often, in months' })
  @IsInt()
  @Min(1)
  @Max(60)
  everyMonths!: number;

  @ApiPropertyOptional({
    enum: FOLLOW_UP_OWNERS,
    default: 'using_unit',
    description: 'The side that owns the milestones',
  })
  @IsOptional()
  @IsIn(FOLLOW_UP_OWNERS)
  owner?: (typeof FOLLOW_UP_OWNERS)[number];
}

export class RegisterDocumentsDto implements RegisterDocumentsPayload {
  @ApiProperty({ type: [ProcurementDocumentDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProcurementDocumentDto)
  documents!: ProcurementDocumentDto[];

  @ApiPropertyOptional({
    type: [FollowUpPlanItemDto],
    description:
      "How the contract will be followed up (required by policy followUpPlanRequired); each line seeds the contract's milestones",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FollowUpPlanItemDto)
  followUpPlan?: FollowUpPlanItemDto[];
}
