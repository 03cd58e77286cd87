import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { CONTRACT_ID, MilestoneIdParam, PathPattern } from '../common/params';
import { CompleteMilestoneDto } from './complete-milestone.dto';
import { RegisterChangeDto } from './register-change.dto';
import { IsIn, IsOptional } from 'class-validator';
import { followUpReport, type FollowUpReport } from '@tenderflow/domain/follow-up-report';
import { stockholmDate } from '@tenderflow/domain/dates';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import { IsIsoDate } from '../common/params';
import { renderDecisionDocumentPdf } from '../reports/decision-document.pdf';
import { wantsPdf } from '../reports/reports.controller';

export class FollowUpReportQuery {
  @ApiPropertyOptional({
    format: 'date',
    example: '2027-09-15',
    description: 'The day the report is as of (default: today)',
  })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: ['json', 'pdf'],
    description: 'Default: json, or pdf when the Accept header asks for application/pdf',
  })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}
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
  // Approvers: for a sanction decision, which the workflow gives them (and no other milestone).
  @Roles('contract_manager', 'procurement_officer', 'approver')
  @ApiOperation({
    summary:
      'Complete a milestone: outcome ok or deviation (a corrective action follows; a major or critical one on a contract with sanctions puts them to a decision), a note; the extension decision says extend or not; a sanction decision (an approver) imposes a declared sanction or refrains',
  })
  @ApiParam({ name: 'mid', example: 'M3' })
  @ApiOkResponse({ description: "The contract's state after the completion" })
  @ApiBadRequestResponse({ description: 'Malformed body or path' })
  @ApiForbiddenResponse({
    description:
      "Not a contract manager (using unit's milestones) or procurement officer; a body the contract covers acting on the lead's milestones; a sanction decision: not an approver with the authority the delegation order (or the policy's approval limit) gives, or the one who recorded the deviation",
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

  @Post('changes')
  @HttpCode(200)
  @Roles('procurement_officer')
  @ApiOperation({
    summary:
      'Register a change to the contract under 17 kap. 9–14 §§ LOU: checked against what the paragraph allows (value limits, review clause, succession, substantial change); ' +
      'an allowed change under 11 or 12 § above the threshold plans the notice 17 kap. 16 § makes due',
  })
  @ApiOkResponse({
    description: "The contract's state with the change (its value, or its supplier after a succession)",
  })
  @ApiBadRequestResponse({ description: 'Malformed body, or a field the ground needs missing' })
  @ApiForbiddenResponse({ description: "Not a procurement officer of the contract's organisation" })
  @ApiNotFoundResponse({ description: 'No such contract (another organisation’s contract answers the same)' })
  @ApiConflictResponse({ description: 'The contract has ended' })
  @ApiUnprocessableEntityResponse({
    description:
      'Not allowed without a new procurement (17 kap. 8 § LOU): the rule and the paragraph are named, e.g. change_above_low_value (9 §), change_above_half (11–12 §§), substantial_change (14 §)',
  })
  @ApiIdempotencyKey()
  change(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', ContractIdParam) id: string,
    @Body() dto: RegisterChangeDto,
  ): Promise<ContractState> {
    return this.contracts.change(actor, id, dto, ctx);
  }

  @Get('follow-up-report')
  @ApiOperation({
    summary:
      "The contract's follow-up report as of a date (issue 31): the register's controls planned, done, with deviations and overdue; each deviation with " +
      'its severity and corrective action; the changes under 17 kap. LOU with their notices; the extensions. JSON, or a PDF in Swedish',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({ description: 'The report, with the SHA-256 of its canonical JSON' })
  @ApiBadRequestResponse({ description: 'asOf is not a date YYYY-MM-DD, or format is neither json nor pdf' })
  @ApiNotFoundResponse({ description: 'No such contract (another organisation’s contract answers the same)' })
  async report(
    @CurrentActor() actor: Actor,
    @Param('id', ContractIdParam) id: string,
    @Query() q: FollowUpReportQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<(FollowUpReport & { sha256: string }) | StreamableFile> {
    const c = await this.contracts.get(actor, id);
    const first = c.changes?.[0];
    const signedSek = first ? first.valueAfterSek - first.valueChangeSek : c.valueSek;
    const report = followUpReport(c, q.asOf ?? stockholmDate(Date.now()), signedSek);
    const sha256 = documentSha256(report);
    if (!wantsPdf(q, accept)) return { ...report, sha256 };
    const pdf = await renderDecisionDocumentPdf({
      heading: report.heading,
      tenderId: c.tenderId,
      title: c.title,
      organization: c.organization,
      about: [`Avtal ${c.id} med ${c.supplier}`, `Per den ${report.asOf}`],
      text: report.text,
      sha256,
      verified: true,
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="uppfoljningsrapport-${id}-${report.asOf}.pdf"`,
    });
  }
}
