import { AssessTenderDto } from './commands/assess-tender.dto';
import { RecordConsensusDto, ScoreTenderDto } from './commands/score-tender.dto';
import { RegisterRequirementDto, WithdrawRequirementDto } from './commands/register-requirement.dto';
import { applyDecorators, Body, Controller, HttpCode, Param, Post, UseGuards, UseInterceptors } from '@nestjs/common';
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
import { GATES } from '@tenderflow/domain/types';
import type { Actor, Gate } from '@tenderflow/domain/types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { AnswerQuestionDto } from './commands/answer-question.dto';
import { AppointEvaluatorsDto } from './commands/appoint-evaluators.dto';
import { AskQuestionDto } from './commands/ask-question.dto';
import { CompleteNeedsAnalysisDto, toNeedsAnalysisPayload } from './commands/complete-needs-analysis.dto';
import { DecideGateDto } from './commands/decide-gate.dto';
import { DeclareConflictDto } from './commands/declare-conflict.dto';
import { ExtendDeadlineDto } from './commands/extend-deadline.dto';
import { FileReviewDto } from './commands/file-review.dto';
import { LOCAL_ID, OrganizationParam, PathOneOf, PathPattern, TenderIdParam } from '../common/params';
import { PublishDto } from './commands/publish.dto';
import { RecordOpeningDto } from './commands/record-opening.dto';
import { RecordRulingDto } from './commands/record-ruling.dto';
import { RegisterContractDto } from './commands/register-contract.dto';
import { RegisterDocumentsDto } from './commands/register-documents.dto';
import { RequestCancellationDto } from './commands/request-cancellation.dto';
import { RespondToInvitationDto } from './commands/respond-to-invitation.dto';
import { SelectCandidatesDto } from './commands/select-candidates.dto';
import { InviteToNegotiateDto, RecordExAnteNoticeDto } from './commands/without-notice.dto';
import { SubmitEvaluationDto } from './commands/submit-evaluation.dto';
import { TenderCommandsService } from './tender-commands.service';
import { ApiIdempotencyKey, CommandCtx, type CommandContext } from '../common/idempotency';
import { TenderAccessGuard, TenderViewInterceptor } from './tender-access';

/** The answers every command can give: the new state, or a problem+json naming why not. */
function Command(
  summary: string,
  forbidden = 'Not allowed for the caller (role, organisation, four-eyes, approval limit)',
) {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam({ name: 'id', example: 'HSN-2026-00042', description: 'The tender id (ORG-YYYY-NNNNN)' }),
    ApiOkResponse({ description: "The tender's state after the command (as GET /tenders/{id})" }),
    ApiBadRequestResponse({ description: 'Malformed body or path; the offending fields are named in `errors`' }),
    ApiForbiddenResponse({ description: forbidden }),
    ApiNotFoundResponse({
      description: 'No such tender, or one the caller may not know of (another organisation’s tender answers the same)',
    }),
    ApiConflictResponse({
      description:
        'Not possible in the current phase, or a conflicting repeat (the tender has ended, a gate is already pending, …)',
    }),
    ApiUnprocessableEntityResponse({
      description: 'Refused by a procurement rule; `rule` names it and `paragraph` cites the law or policy',
    }),
    ApiIdempotencyKey(),
  );
}

const QuestionIdParam = new PathPattern('qid', LOCAL_ID, 'a question id such as Q1');
const RequirementIdParam = new PathPattern('rid', LOCAL_ID, 'a requirement id such as K1');
const ReviewIdParam = new PathPattern('rid', LOCAL_ID, 'a review id such as R1');
const GateParam = new PathOneOf<Gate>('gate', GATES);

/**
 * Every command of a tender (ARCHITECTURE §6), each delivered to the tender workflow as its Update. The
 * roles here are the guard's first look; the workflow's validator decides (ARCHITECTURE §4).
 */
@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders/:id')
@UseGuards(TenderAccessGuard)
@UseInterceptors(TenderViewInterceptor)
export class TenderCommandsController {
  constructor(private readonly commands: TenderCommandsService) {}

  @Post('needs-analysis')
  @Roles('procurement_officer')
  @Command('Complete the needs analysis (assessments, lots) and ask for the decision to procure')
  completeNeedsAnalysis(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: CompleteNeedsAnalysisDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'completeNeedsAnalysis', toNeedsAnalysisPayload(dto), ctx);
  }

  @Post('documents')
  @Roles('procurement_officer')
  @Command('Register the procurement documents and ask for their approval')
  registerDocuments(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RegisterDocumentsDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'registerDocuments', dto, ctx);
  }

  @Post('publication')
  @Roles('procurement_officer')
  @Command('Publish the approved documents; the tender period (or request period) starts')
  publish(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: PublishDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'publish', dto, ctx);
  }

  @Post('negotiation')
  @Roles('procurement_officer')
  @Command(
    'An award without prior notice (negotiated_without_notice, from rule set LOU-2026.3): invite the chosen suppliers to tender and negotiate; ' +
      'no publication and no statutory tender period (6 kap. 12–19 §§, 19 a kap. LOU)',
  )
  inviteToNegotiate(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: InviteToNegotiateDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'inviteToNegotiate', dto, ctx);
  }

  @Post('ex-ante-notice')
  @Roles('procurement_officer')
  @Command(
    'Record a published voluntary ex-ante transparency notice (10 kap. 5 § or 19 a kap. 9 § LOU): the contract waits 10 days after its publication ' +
      '(20 kap. 3 §), which protects it against invalidity (20 kap. 15 § 4); for an award without prior notice or a direct award, before the contract',
  )
  recordExAnteNotice(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RecordExAnteNoticeDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'recordExAnteNotice', dto, ctx);
  }

  @Post('candidates')
  @Roles('procurement_officer')
  @Command('Restricted and similar: select the candidates invited to tender')
  selectCandidates(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: SelectCandidatesDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'selectCandidates', dto, ctx);
  }

  @Post('deadline-extensions')
  @Roles('procurement_officer')
  @Command('Extend the running period (never shorten it)')
  extendDeadline(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: ExtendDeadlineDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'extendDeadline', dto, ctx);
  }

  @Post('questions')
  @Roles('procurement_officer')
  @Command("Register a supplier's question in the Q&A log")
  askQuestion(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: AskQuestionDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'askQuestion', dto, ctx);
  }

  @Post('questions/:qid/answer')
  @Roles('procurement_officer')
  @Command('Answer a question; an answer later than six days before the deadline extends it (12 kap. 11 § LOU)')
  @ApiParam({ name: 'qid', example: 'Q1' })
  answerQuestion(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Param('qid', QuestionIdParam) questionId: string,
    @Body() dto: AnswerQuestionDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'answerQuestion', { ...dto, questionId }, ctx);
  }

  @Post('requirements')
  @Roles('procurement_officer')
  @Command(
    'Register a requirement in the requirements register (documents phase, before the documents go for approval)',
  )
  registerRequirement(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RegisterRequirementDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'registerRequirement', dto, ctx);
  }

  @Post('requirements/:rid/withdrawal')
  @Roles('procurement_officer')
  @Command('Withdraw a requirement from the register, with the reason (it stays in the register and the chain)')
  @ApiParam({ name: 'rid', example: 'K1' })
  withdrawRequirement(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Param('rid', RequirementIdParam) requirementId: string,
    @Body() dto: WithdrawRequirementDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'withdrawRequirement', { ...dto, requirementId }, ctx);
  }

  @Post('assessments')
  @Roles('procurement_officer')
  @Command(
    "Record one tender's assessment: exclusion grounds, qualification, each mandatory requirement met or not, an abnormally low price, admitted or rejected",
  )
  assessTender(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: AssessTenderDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'assessTender', dto, ctx);
  }

  /** Any role: the workflow knows who was appointed and who has declared no conflict. */
  @Post('scores')
  @Command(
    "Score one tender for one lot on the register's award criteria: an evaluator's own scores, after their conflict-of-interest declaration",
    'The caller is not an appointed evaluator who has declared no conflict of interest',
  )
  scoreTender(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: ScoreTenderDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'scoreTender', dto, ctx);
  }

  @Post('consensus')
  @Roles('procurement_officer')
  @Command(
    'Record the consensus scores of one tender for one lot with the reason, once every evaluator taking part has scored it',
  )
  recordConsensus(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RecordConsensusDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'recordConsensus', dto, ctx);
  }

  @Post('evaluators')
  @Roles('procurement_officer')
  @Command('Appoint evaluators; each files a conflict-of-interest declaration before evaluation')
  appointEvaluators(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: AppointEvaluatorsDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'appointEvaluators', dto, ctx);
  }

  @Post('opening')
  @Roles('procurement_officer')
  @Command('Record the opening: two openers and the list of tenders received (12 kap. 10 § LOU)')
  recordOpening(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RecordOpeningDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'recordOpening', dto, ctx);
  }

  /** Any role: the declaration is the caller's own, and the workflow knows who was appointed. */
  @Post('conflict-declarations')
  @Command(
    "File the caller's own conflict-of-interest declaration (jävsdeklaration)",
    'The caller is not an appointed evaluator of this tender',
  )
  declareConflict(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: DeclareConflictDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'declareConflict', dto, ctx);
  }

  @Post('evaluation')
  @Roles('procurement_officer')
  @Command('Submit the evaluation result and ask for the award decision')
  submitEvaluation(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: SubmitEvaluationDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'submitEvaluation', dto, ctx);
  }

  @Post('reviews')
  @Roles('procurement_officer')
  @Command('Record a review application (överprövning); the contract waits for the ruling')
  fileReview(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: FileReviewDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'fileReview', dto, ctx);
  }

  @Post('reviews/:rid/ruling')
  @Roles('procurement_officer')
  @Command("Record the court's ruling on a review")
  @ApiParam({ name: 'rid', example: 'R1' })
  recordRuling(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Param('rid', ReviewIdParam) reviewId: string,
    @Body() dto: RecordRulingDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'recordRuling', { ...dto, reviewId }, ctx);
  }

  @Post('contract')
  @Roles('procurement_officer')
  @Command(
    'Register the signed contract; its follow-up (contract-<id>, GET /contracts/{id}) starts with the milestone plan',
  )
  registerContract(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RegisterContractDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'registerContract', dto, ctx);
  }

  @Post('cancellation')
  @Roles('procurement_officer')
  @Command('Ask an approver to cancel the tender, with a reason')
  requestCancellation(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Body() dto: RequestCancellationDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'requestCancellation', dto, ctx);
  }

  @Post('gates/:gate/decision')
  @Roles('approver')
  @Command(
    'Decide a pending gate: approve, reject or request changes',
    "Not an approver of the tender's organisation with a high enough approval limit, or the requester (four-eyes), or an evaluator",
  )
  @ApiParam({ name: 'gate', enum: GATES })
  decideGate(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Param('gate', GateParam) gate: Gate,
    @Body() dto: DecideGateDto,
  ): Promise<TenderState> {
    return this.commands.execute(actor, id, 'decideGate', { ...dto, gate }, ctx);
  }

  @Post('coordination/:org/response')
  @Roles('partner')
  @Command(
    'Join (estimated volume and mandate) or decline (reason) a joint procurement, for the caller’s own body, before the response deadline',
    'A partner answers only for its own body, and only when invited',
  )
  @ApiParam({ name: 'org', example: 'KOMMUN1', description: "The invited body: the caller's own organisation" })
  respondToInvitation(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('id', TenderIdParam) id: string,
    @Param('org', OrganizationParam) organization: string,
    @Body() dto: RespondToInvitationDto,
  ): Promise<TenderState> {
    return this.commands.respondToInvitation(actor, id, { ...dto, organization }, ctx);
  }
}
