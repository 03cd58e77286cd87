import { Injectable } from '@nestjs/common';
import type { Actor } from '@tenderflow/domain/types';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { answerAfterClose, respondToInvitationUpdate } from '@tenderflow/workflows/coordination/coordination.messages';
import { answersForOwnBody } from '@tenderflow/workflows/shared/authority';
import { toFailure } from '@tenderflow/temporal-common/refusals';
import { mayRespondForBody } from '@tenderflow/workflows/tender/authority';
import { COMMAND_UPDATES, getVersionQuery } from '@tenderflow/workflows/tender/tender.messages';
import {
  CommandAnswer,
  CommandName,
  CommandPayloads,
  RespondToInvitationPayload,
  TenderState,
} from '@tenderflow/temporal-common/tender-types';
import { conflict } from '../common/problem';
import type { CommandContext } from '../common/idempotency';
import { CommandGateway, organizationOfTender } from '../temporal/command-gateway';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';
import { TenderStateReader } from './tender-state.reader';
import { DataSource } from 'typeorm';
import { gateAuthoritiesOf } from '@tenderflow/db/delegation-store';
import { swedishToday } from '../common/today';

/**
 * Delivers a tender command to its workflow as a Temporal Update through the command gateway and
 * answers with the new state. Authority is the workflow validator's to decide (ARCHITECTURE §4: the guard
 * checks roles first, the workflow checks again and last).
 */
@Injectable()
export class TenderCommandsService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly gateway: CommandGateway,
    private readonly reader: TenderStateReader,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The command's Update answers the version it committed (bounded); the tender is then read from the
   * read model, without the questions' texts (GET /tenders/{id}/questions has them), so the answer's
   * size does not grow with the Q&A log.
   */
  async execute<N extends CommandName>(
    actor: Actor,
    tenderId: string,
    name: N,
    payload: CommandPayloads[N],
    ctx: CommandContext,
    reason?: string,
  ): Promise<TenderState> {
    if (name === 'decideGate') payload = (await this.withAuthority(actor, tenderId, payload)) as CommandPayloads[N];
    await this.gateway.send<CommandPayloads[N], CommandAnswer>({
      actor,
      tenderId,
      command: name,
      handle: this.temporal.client.workflow.getHandle(tenderWorkflowId(tenderId)),
      update: COMMAND_UPDATES[name] as unknown as UpdateDefinition<unknown, [never], string>,
      payload,
      reason,
      idempotencyKey: ctx.idempotencyKey,
      what: `Tender ${tenderId}`,
      route: ctx.route,
      mayAct: (a) => a.roles.includes('admin') || a.org === organizationOfTender(tenderId),
    });
    return this.reader.read(tenderId);
  }

  /**
   * A gate that goes by the delegation order (issue 29) is decided with the authority the caller has
   * today under its item: the directory's functions, absences and substitutes, read here and passed
   * in the signed command, which the workflow checks against the item. The caller's own body cannot
   * carry it (the DTO has no such field). Nothing is added for a gate decided by the token's limit, a
   * caller of another organisation, or a gate that is not pending (the workflow then refuses).
   */
  private async withAuthority(
    actor: Actor,
    tenderId: string,
    payload: CommandPayloads[CommandName],
  ): Promise<CommandPayloads['decideGate']> {
    const p = payload as CommandPayloads['decideGate'];
    if (actor.org !== organizationOfTender(tenderId)) return p;
    let state: TenderState;
    try {
      state = await this.reader.read(tenderId);
    } catch {
      return p; // not found: the gateway answers it as it answers any command
    }
    const pending = state.pendingGates ?? [];
    const found = await gateAuthoritiesOf(this.dataSource, actor.sub, state.organization, pending, swedishToday());
    const authority = found.get(p.gate);
    return authority ? { ...p, authority } : p;
  }

  /**
   * A partner's answer goes to its body's coordination workflow (coordination-<tenderId>-<org>),
   * whose validator decides. Partners answer only for their own body (ARCHITECTURE §4): that, and whether
   * the body is invited at all, is asked first, so a stranger learns nothing from the workflow. An
   * answer after the body's workflow has closed (its deadline passed) is refused with the reason the
   * tender recorded. The answer is the tender's state, which already shows the outcome: the child
   * signals the tender before its update returns.
   */
  async respondToInvitation(
    actor: Actor,
    tenderId: string,
    payload: RespondToInvitationPayload,
    ctx: CommandContext,
  ): Promise<TenderState> {
    let invited = false;
    const refusalContext = {
      actor,
      tenderId,
      command: 'respondToInvitation',
      payload,
      route: ctx.route,
      // Only a body the tender invited answers into its chain; anyone else goes to the security log.
      mayAct: (a: Actor) => invited && a.org === payload.organization,
    };
    try {
      const own = answersForOwnBody(actor, payload.organization);
      if (!own.allowed) throw toFailure(own);
      const before = await this.reader.read(tenderId);
      invited = before.participants.some((p) => p.organization === actor.org);
      const may = mayRespondForBody(actor, before, payload.organization);
      if (!may.allowed) throw toFailure(may);
      const body = before.participants.find((p) => p.organization === payload.organization)!;
      if (!body.workflowId) {
        throw conflict(`Invitations go out after the decision to procure; the tender is in ${before.phase}`, {
          rule: 'phase',
        });
      }
      await this.gateway.send({
        ...refusalContext,
        handle: this.temporal.client.workflow.getHandle(body.workflowId),
        update: respondToInvitationUpdate as unknown as UpdateDefinition<unknown, [never], string>,
        idempotencyKey: ctx.idempotencyKey,
        what: `Tender ${tenderId}`,
        // The body's workflow has closed (its deadline passed): refuse with the reason the tender recorded.
        explain: async (err) => {
          if (!(err instanceof WorkflowNotFoundError)) return err;
          const now = await this.reader.read(tenderId);
          const recorded = now.participants.find((p) => p.organization === payload.organization) ?? body;
          const deadline = [...now.pastDeadlines, ...now.deadlines].find((d) => d.kind === 'coordination_response');
          return toFailure(answerAfterClose(recorded, deadline?.lastDay));
        },
      });
      // The child has signalled the tender before its Update returned; the tender then reads the
      // outcome from the chain and commits it in a step of its own. The answer is read from the read
      // model once that step is there (or after 10 s, as it stands).
      const { version } = await this.temporal.client.workflow
        .getHandle(tenderWorkflowId(tenderId))
        .query(getVersionQuery);
      return await this.reader.readUntil(
        tenderId,
        version,
        (s) => s.participants.find((p) => p.organization === payload.organization)?.status !== 'invited',
      );
    } catch (err) {
      const mapped = toHttpError(err, `Tender ${tenderId}`);
      await this.gateway.recordRefusalOnce(refusalContext, mapped);
      throw mapped;
    }
  }
}
