import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { CONTRACT_ID, MilestoneIdParam, PathPattern } from '../common/params';
import { CompleteMilestoneDto } from './complete-milestone.dto';
import { ContractsService } from './contracts.service';
import { ApiIdempotencyKey, CommandCtx, type CommandContext } from '../common/idempotency';

const ContractIdParam = new PathPattern('id', CONTRACT_ID, 'a contract id such as HSN-2026-00042-K1');

/** Contracts and their follow-up milestones (ARCHITECTURE §3 follow_up, 6). */
@ApiTags('contracts')
@ApiBearerAuth()
@Controller('contracts/:id')
@ApiParam({ name: 'id', example: 'HSN-2026-00042-K1', description: "The contract: its tender's id and -K1" })
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @ApiOperation({
    summary:
      "The contract and its follow-up: dates, extensions, the bodies it covers, the milestone plan and each milestone's state",
  })
  @ApiOkResponse({ description: 'From the follow-up workflow; from the read model once that has closed' })
  @ApiNotFoundResponse({
    description: 'No such contract, or one the caller may not see (another organisation’s contract answers the same)',
  })
  get(@CurrentActor() actor: Actor, @Param('id', ContractIdParam) id: string): Promise<ContractState> {
    return this.contracts.get(actor, id);
  }

  @Get('milestones')
  @ApiOperation({ summary: 'The milestone plan and its state: owner side, due date, reminder, escalations, outcome' })
  @ApiOkResponse({ description: '{ contractId, status, endDate, milestones }' })
  @ApiNotFoundResponse({
    description: 'No such contract, or one the caller may not see (another organisation’s contract answers the same)',
  })
  async milestones(@CurrentActor() actor: Actor, @Param('id', ContractIdParam) id: string) {
    const c = await this.contracts.get(actor, id);
    return { contractId: c.id, status: c.status, endDate: c.endDate, milestones: c.milestones };
  }

  @Post('milestones/:mid/completion')
  @HttpCode(200)
  @Roles('contract_manager', 'procurement_officer')
  @ApiOperation({
    summary:
      'Complete a milestone: outcome ok or deviation (a corrective action follows), a note; the extension decision says extend or not',
  })
  @ApiParam({ name: 'mid', example: 'M3' })
  @ApiOkResponse({ description: "The contract's state after the completion" })
  @ApiBadRequestResponse({ description: 'Malformed body or path' })
  @ApiForbiddenResponse({
    description:
      "Not a contract manager (using unit's milestones) or procurement officer; a body the contract covers acting on the lead's milestones",
  })
  @ApiNotFoundResponse({
    description: 'No such contract or milestone (another organisation’s contract answers the same)',
  })
  @ApiConflictResponse({ description: 'Already done, or the follow-up has ended' })
  @ApiUnprocessableEntityResponse({
    description: 'Refused by a rule (an extension beyond the options; a re-procurement the rules refuse)',
  })
  @ApiIdempotencyKey()
  complete(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', ContractIdParam) id: string,
    @Param('mid', MilestoneIdParam) milestoneId: string,
    @Body() dto: CompleteMilestoneDto,
  ): Promise<ContractState> {
    return this.contracts.complete(actor, id, milestoneId, dto, ctx);
  }
}
