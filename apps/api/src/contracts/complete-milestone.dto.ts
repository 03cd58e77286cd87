import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MILESTONE_OUTCOMES, type CompleteMilestonePayload, type MilestoneOutcome } from '@tenderflow/workflows/contract/contract.messages';

/** The milestone comes from the path (`milestoneId` of CompleteMilestonePayload). */
export class CompleteMilestoneDto implements Omit<CompleteMilestonePayload, 'milestoneId'> {
  @ApiProperty({ enum: MILESTONE_OUTCOMES, description: 'deviation creates a corrective-action milestone due in 30 days' })
  @IsIn(MILESTONE_OUTCOMES)
  outcome!: MilestoneOutcome;

  @ApiProperty({ example: 'Delivery times within the agreed levels; next review in three months', maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  note!: string;

  @ApiPropertyOptional({ example: 'DNR-2027-311', description: 'Where it is filed or published (post-award notice, documentation)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;

  @ApiPropertyOptional({ description: 'Extension decision only: use an option (true) or let the contract end (false)' })
  @IsOptional()
  @IsBoolean()
  extend?: boolean;

  @ApiPropertyOptional({ description: 'Extension decision with extend: months within the remaining options (default: the next option)', minimum: 1, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  months?: number;
}
