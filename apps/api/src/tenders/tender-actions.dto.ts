import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GATES, type Gate } from '@tenderflow/domain/types';
import {
  ACTION_PATHS,
  type ActionName,
  type TenderAction,
  type TenderActions,
} from '@tenderflow/workflows/tender/tender.actions';
import { GateAuthorityDto } from '../approvals/gate-authority.dto';

/** The OpenAPI shape of GET /tenders/{id}/actions (tender.actions.ts). */
export class DueDeadlineDto {
  @ApiProperty({ example: 'tender_deadline' })
  kind!: string;

  @ApiProperty({ example: '2027-01-15', description: 'The last day (Swedish calendar date)' })
  lastDay!: string;

  @ApiProperty({ description: 'The end of the last day, Swedish time, as a UTC instant' })
  at!: string;

  @ApiProperty({ description: 'The law or policy it comes from' })
  basis!: string;
}

export class TenderActionDto implements TenderAction {
  @ApiProperty({ enum: Object.keys(ACTION_PATHS) })
  command!: ActionName;

  @ApiProperty({ enum: ['POST'] })
  method!: 'POST';

  @ApiProperty({
    example: '/tenders/HSN-2026-00042/publication',
    description: '`{qid}` and `{rid}` stand for a question’s or a review’s id',
  })
  path!: string;

  @ApiPropertyOptional({ enum: GATES })
  gate?: Gate;

  @ApiPropertyOptional({
    type: GateAuthorityDto,
    description: 'decideGate under the delegation order: the authority the caller decides with today',
  })
  authority?: GateAuthorityDto;

  @ApiPropertyOptional({ description: 'respondToInvitation: the body the caller answers for' })
  organization?: string;

  @ApiPropertyOptional({ type: DueDeadlineDto })
  due?: DueDeadlineDto;
}

export class TenderActionsDto implements TenderActions {
  @ApiProperty({ type: [TenderActionDto] })
  actions!: TenderActionDto[];

  @ApiProperty({ type: DueDeadlineDto, nullable: true })
  nextDeadline!: DueDeadlineDto | null;
}
