import { HttpException, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../../../libs/domain/src/types';
import { tenderWorkflowId } from '../../../../libs/temporal-common/src/ids';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { answerAfterClose, respondToInvitationUpdate } from '../../../../workflows/coordination/coordination.messages';
import { mayRespondForBody, toFailure } from '../../../../workflows/tender/authority';
import {
  COMMAND_UPDATES,
  CommandInput,
  CommandName,
  CommandPayloads,
  getStateQuery,
  RespondToInvitationPayload,
  TenderState,
} from '../../../../workflows/tender/tender.messages';
import { AuditService } from '../audit/audit.service';
import { badRequest, conflict, forbidden, ProblemDetails } from '../common/problem';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';
import { TENDER_ID } from './commands/params';

/** Answers that refuse a well-formed command: not allowed, not now, not by the rules. */
const REFUSALS = new Set([403, 409, 422]);

/**
 * Delivers a tender command to its workflow as a Temporal Update and answers with the new state.
 * Authority is the workflow validator's to decide (DESIGN 4: the guard checks roles first, the
 * workflow checks again and last); a refusal comes back synchronously, is mapped to HTTP in
 * temporal-errors.ts, and is recorded in the audit log here, since a refused Update leaves no
 * trace in the workflow's history.
 */
@Injectable()
export class TenderCommandsService {
  private readonly logger = new Logger(TenderCommandsService.name);

  constructor(
    private readonly temporal: TemporalService,
    private readonly audit: AuditService,
  ) {}

  async execute<N extends CommandName>(actor: Actor, tenderId: string, name: N, payload: CommandPayloads[N], reason?: string): Promise<TenderState> {
    if (!TENDER_ID.test(tenderId)) {
      throw badRequest(`"${tenderId}" is not a tender id`, [{ field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN' }]);
    }
    try {
      // COMMAND_UPDATES[name] is the update for N; TypeScript cannot correlate the indexed union.
      const update = COMMAND_UPDATES[name] as unknown as UpdateDefinition<TenderState, [CommandInput<CommandPayloads[N]>], N>;
      const input: CommandInput<CommandPayloads[N]> = { actor, payload, ...(reason !== undefined ? { reason } : {}) };
      const handle = this.temporal.client.workflow.getHandle(tenderWorkflowId(tenderId));
      return await handle.executeUpdate(update, { args: [input] });
    } catch (err) {
      const mapped = toHttpError(err, `Tender ${tenderId}`);
      if (REFUSALS.has(mapped.getStatus())) await this.recordRefusal(tenderId, actor, name, mapped, payload);
      throw mapped;
    }
  }

  /**
   * A partner's answer goes to its body's coordination workflow (coordination-<tenderId>-<org>),
   * whose validator decides. Partners answer only for their own body (DESIGN 4): that, and whether
   * the body is invited at all, is asked first, so a stranger learns nothing from the workflow. An
   * answer after the body's workflow has closed (its deadline passed) is refused with the reason the
   * tender recorded. The answer is the tender's state, which already shows the outcome: the child
   * signals the tender before its update returns.
   */
  async respondToInvitation(actor: Actor, tenderId: string, payload: RespondToInvitationPayload): Promise<TenderState> {
    if (payload.organization !== actor.org) {
      const refusal = forbidden(`You act for ${actor.org} and may not answer for ${payload.organization}`, { rule: 'own_body_only' });
      if (TENDER_ID.test(tenderId)) await this.recordRefusal(tenderId, actor, 'respondToInvitation', refusal, payload);
      throw refusal;
    }
    if (!TENDER_ID.test(tenderId)) {
      throw badRequest(`"${tenderId}" is not a tender id`, [{ field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN' }]);
    }
    const tender = this.temporal.client.workflow.getHandle(tenderWorkflowId(tenderId));
    try {
      const before = await tender.query(getStateQuery);
      const may = mayRespondForBody(actor, before, payload.organization);
      if (!may.allowed) throw toFailure(may);
      const body = before.participants.find((p) => p.organization === payload.organization)!;
      if (!body.workflowId) {
        throw conflict(`Invitations go out after the decision to procure; the tender is in ${before.phase}`, { rule: 'phase' });
      }
      try {
        await this.temporal.client.workflow.getHandle(body.workflowId).executeUpdate(respondToInvitationUpdate, { args: [{ actor, payload }] });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        const now = await tender.query(getStateQuery);
        const recorded = now.participants.find((p) => p.organization === payload.organization) ?? body;
        const deadline = [...now.pastDeadlines, ...now.deadlines].find((d) => d.kind === 'coordination_response');
        throw toFailure(answerAfterClose(recorded, deadline?.lastDay));
      }
      return await tender.query(getStateQuery);
    } catch (err) {
      const mapped = toHttpError(err, `Tender ${tenderId}`);
      if (REFUSALS.has(mapped.getStatus())) await this.recordRefusal(tenderId, actor, 'respondToInvitation', mapped, payload);
      throw mapped;
    }
  }

  /** The refusal itself is the answer: an audit store that is down must not turn it into a 500. */
  private async recordRefusal(tenderId: string, actor: Actor, name: CommandName | 'respondToInvitation', refusal: HttpException, payload: unknown): Promise<void> {
    const body = refusal.getResponse() as Partial<ProblemDetails>;
    const detail = typeof body === 'object' && body?.detail ? body.detail : refusal.message;
    try {
      await this.audit.recordRefusal(tenderId, actor, name, refusal.getStatus(), detail, payload);
    } catch (err) {
      this.logger.error({ err, tenderId, command: name, actor: actor.sub }, 'Could not record a refused command in the audit log');
    }
  }
}
