import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const APPROVAL_STATUSES = ['pending', 'decided', 'escalated'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export class ApprovalsQuery {
  @ApiPropertyOptional({
    enum: APPROVAL_STATUSES,
    default: 'pending',
    description:
      'escalated: pending gates no one in the directory could decide (category managers of the category, administrators)',
  })
  @IsOptional()
  @IsIn(APPROVAL_STATUSES)
  status?: ApprovalStatus;
}
