/**
 * One tender, from needs analysis to the end of follow-up, as one durable workflow (DESIGN 3).
 *
 * - Commands are Updates. A validator refuses what it can see is wrong (authority, phase, payload,
 *   state) before anything is written to history; the handler runs the same checks again under the
 *   tender's lock, then does what needs the rules library (deadlines come from an activity) and may
 *   still refuse (e.g. a requested deadline earlier than the legal minimum) before it changes
 *   anything. Every refusal is an ApplicationFailure whose type the API maps to 400/403/409/422.
 * - Deadlines are timers in one loop that re-arms whenever the state changes, so an extension moves
 *   the timer; nothing sleeps a fixed time.
 * - Every change ends in one commit: audit events (deterministic seq), notifications, the read-model
 *   snapshot (version + 1), search attributes and the readable summary.
 *
 * - Joint procurement: each invited body is a child workflow (coordination.workflow.ts) that owns
 *   its invitation, reminder and response deadline; the tender leaves coordination when every
 *   child has reported an outcome (by signal, or as its result).
 * - Follow-up: registering the contract starts the child `contract-<id>` (contract.workflow.ts),
 *   which owns the milestones, including the post-award notice and documentation; the tender
 *   completes when it ends.
 *
 * Versioning: the coordination children and the contract child replaced in-tender handling
 * (respondToInvitation, completeObligation, completeFollowUp, the coordination reminder timer)
 * before the first release, so they are not behind `patched()`: no running tender has the old
 * shape. From the first release on, any change to the order of commands, timers, children or
 * activities goes through `patched('<id>')` and keeps the old branch until no running tender can
 * reach it (then `deprecatePatch`).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DURABLE_WRITE_OPTIONS, STALL_AWARE_WRITE_OPTIONS, type RecordActivities } from '../shared/activities';
import { PERMANENT_DB_ERROR } from '../../libs/temporal-common/src/errors';
import { TakesTurns } from '../shared/turns';
import { CommandKeys, handleKeyRotation } from '../shared/command-auth';
import type { CommandKey } from '../shared/command-signature';
import { contractIdForTender, contractWorkflowId, coordinationWorkflowId } from '../../libs/temporal-common/src/ids';
import type { contractWorkflow } from '../contract/contract.workflow';
import type { ContractOutcome, ContractStartInput } from '../contract/contract.messages';
import { invitationOutcomeSignal, type CoordinationInput, type InvitationOutcome } from '../coordination/coordination.messages';
import type { coordinationWorkflow } from '../coordination/coordination.workflow';
import type { AuditEventInput, NotificationAbout, NotificationInput } from '../../activities/activity-types';
import type { ComputedDeadline, DeadlineActivities, DeadlineRequest } from '../../activities/deadline.activities';
import type { TenderActivities } from '../../activities/tender.activities';
import { deadlineHorizonProblem, MAX_DEADLINE_YEARS_AHEAD } from '../../libs/domain/src/text';
import type { DirectAwardActivities } from '../../activities/direct-award.activities';
import { checkContractRegistration, type ContractRuleViolation } from '../../libs/domain/src/contract-rules';
import { isIsoDate, stockholmDate } from '../../libs/domain/src/dates';
import { tenderRules, type PolicyRules } from '../../libs/domain/src/policy';
import { CRITICALITIES, GATE_DECISIONS, isAnnex2, SUSTAINABILITY_LEVELS } from '../../libs/domain/src/types';
import type { Actor, Gate, Phase } from '../../libs/domain/src/types';
import {
  answerDays,
  checkExtensionAfterChange,
  checkPriorInformationNotice,
  checkUrgency,
  DIRECT_AWARD_DOCUMENTATION_SEK,
  directAwardNoticeRequired,
} from '../../libs/domain/src/accelerated';
import { stockholmDateOf } from '../../libs/domain/src/dates';
import { awardNoticeBasis } from '../../libs/domain/src/procedures';
import { checkDeadlineChange, checkMinimumTimeLimit, validateNeedsAnalysis } from '../../libs/domain/src/checks';
import { answerForcesExtension } from '../../libs/domain/src/time-limits';
import type { RuleViolation } from '../../libs/domain/src/violations';
import {
  SA_CATEGORY,
  SA_ESTIMATED_VALUE_SEK,
  SA_NEXT_DEADLINE,
  SA_ORGANIZATION,
  SA_PROCEDURE_TYPE,
  SA_TENDER_ID,
  SA_TENDER_PHASE,
  SA_TENDER_STALLED,
} from '../../libs/temporal-common/src/search-attributes';
import {
  ALLOWED,
  describeEligibility,
  commandInputVerdict,
  firstRefusal,
  gateEligibility,
  nonEmpty,
  toFailure,
  mayIssueCommand,
  phaseAllows,
  refuse,
  type Refusal,
  type Verdict,
} from './authority';
import {
  COMMAND_UPDATES,
  getStateQuery,
  REFUSAL_STATUS,
  type CommandInput,
  type CommandName,
  type CommandPayloads,
  type Deadline,
  type PersonRef,
  type TenderStartInput,
  type TenderState,
} from './tender.messages';
import {
  approvalsRequiredFor,
  awaitsAnotherApproval,
  checkGroupCoordination,
  contractPolicyVerdict,
  documentsPolicyVerdict,
  needsAnalysisPolicyVerdict,
  pendingEligibility,
  secondDecisionVerdict,
} from './tender.policy';

// --- activities -------------------------------------------------------------------------------

const { appendAudit, notify, recordTenderSnapshot } = proxyActivities<
  RecordActivities & Pick<TenderActivities, 'recordTenderSnapshot'>
>(STALL_AWARE_WRITE_OPTIONS);

/** The direct-award ledger (a transaction under a lock): retried until it answers. */
const { registerDirectAwardContract } = proxyActivities<DirectAwardActivities>(DURABLE_WRITE_OPTIONS);

/** Pure computation: a bad request will not get better by retrying. */
const deadlineActivities = proxyActivities<DeadlineActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['DeadlineInputError', 'DomainInputError', 'InvalidDateError', 'RangeError'],
  },
});

// --- constants ----------------------------------------------------------------------------------

/**
 * The contract registration checks (libs/domain contract-rules, and the direct-award ledger) came
 * after tenders had registered contracts: a handler replaying an older registration skips them.
 */
const CONTRACT_CHECKS_PATCH = 'contract-registration-checks';
/**
 * Rule set LOU-2026.2: a direct award over 700 000 SEK gets a post-award notice milestone
 * (19 a kap. 13–14 §§ LOU), one more activity call when the contract is registered.
 */
const PATCH_DIRECT_AWARD_NOTICE = 'lou-2026-2-direct-award-notice';

// --- the workflow -------------------------------------------------------------------------------

export async function tenderWorkflow(input: TenderStartInput): Promise<TenderState> {
  const run = new TenderRun(input);
  // Reads see the last committed state, never one half-way through a transition that awaits an activity.
  setHandler(getStateQuery, () => run.committed);
  run.registerCommands();
  handleKeyRotation(run.keys, (key, actor) => run.exclusive(() => run.recordKeyAdded(key, actor)));

  publishState(run.state);
  run.event('tender.created', input.createdBy, { input }, undefined);
  await run.persist();

  // Deadlines as timers: wait for the earliest one or for any change (which may have moved it).
  while (!isFinal(run.state.phase)) {
    const next = earliest(run.state.deadlines);
    if (next && Date.parse(next.at) <= Date.now()) {
      await run.exclusive(() => run.fire(next.kind));
      continue;
    }
    const seen = run.state.version;
    const changed = () => run.state.version !== seen || isFinal(run.state.phase);
    if (next) {
      await condition(changed, Math.max(1, Date.parse(next.at) - Date.now()));
    } else {
      await condition(changed);
    }
  }
  await condition(allHandlersFinished);
  await run.settled();
  await run.withdrawInvitations();
  return run.state;
}

type CommandSpec<N extends CommandName> = {
  /** State and rule checks beyond authority and phase; run by the validator and again by the handler. */
  check?: (p: CommandPayloads[N], actor: Actor) => Verdict;
  /**
   * Checks newer than some recorded histories: the validator runs them (validators never replay);
   * `apply` runs them again itself, behind a patch, so that an older history replays unchanged.
   */
  validate?: (p: CommandPayloads[N], actor: Actor) => Verdict;
  /** Does the command. May refuse (throw a refusal) only before it changes anything. */
  apply: (p: CommandPayloads[N], actor: Actor, input: CommandInput<CommandPayloads[N]>) => Promise<void> | void;
  /** The audit event type; default 'command.accepted'. */
  eventType?: string;
};

class TenderRun extends TakesTurns {
  readonly state: TenderState;
  committed: TenderState;
  private seq = 0;
  private notificationSeq = 0;
  private audit: AuditEventInput[] = [];
  private outbox: NotificationInput[] = [];
  /** The coordination children run in this scope, so that a tender that ends withdraws them. */
  private invitations?: CancellationScope;
  private invitationResults: Promise<unknown>[] = [];
  /** The organisation's policy pinned at creation (its defaults when the input has none): the tender runs under it to the end. */
  private readonly policy: PolicyRules;
  /** Whose signatures commands must carry (shared/command-auth.ts); passed on to the children. */
  readonly keys: CommandKeys;

  constructor(readonly input: TenderStartInput) {
    super();
    this.keys = new CommandKeys(input.commandKeys);
    this.policy = tenderRules(input.policy);
    this.state = {
      id: input.id,
      workflowId: workflowInfo().workflowId,
      title: input.title,
      organization: input.organization,
      category: input.category,
      contractType: input.contractType,
      estimatedValueSek: input.estimatedValueSek,
      regime: input.regime,
      procedure: input.procedure,
      frameworkAgreement: input.frameworkAgreement,
      ruleSet: input.ruleSet,
      threshold: input.threshold,
      ...(input.procedureDescription ? { procedureDescription: input.procedureDescription } : {}),
      ...(input.policyVersion !== undefined ? { policyVersion: input.policyVersion } : {}),
      policy: this.policy,
      ...(input.categoryInfo ? { categoryInfo: input.categoryInfo } : {}),
      phase: 'needs_analysis',
      deadlines: [],
      pastDeadlines: [],
      pendingGates: [],
      participants: input.invitedBodies.map((b) => ({
        organization: b.organization,
        name: b.name,
        contactEmail: b.contactEmail,
        status: 'invited' as const,
      })),
      ...(input.previousTenderId ? { previousTenderId: input.previousTenderId } : {}),
      lots: [],
      candidates: [],
      questions: [],
      tendersReceived: [],
      evaluators: [],
      reviews: [],
      obligations: [],
      gateDecisions: [],
      commands: [],
      timeline: [{ phase: 'needs_analysis', enteredAt: input.createdAt }],
      createdBy: person(input.createdBy),
      createdAt: input.createdAt,
      version: 1,
    };
    this.committed = snapshot(this.state);
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /**
   * A tender that ends (cancelled) withdraws the invitations still running, and waits for them to
   * close: explicit, rather than relying on the parent-close policy alone.
   */
  async withdrawInvitations(): Promise<void> {
    if (!this.invitations) return;
    this.invitations.cancel();
    await Promise.allSettled(this.invitationResults);
  }


  /** A signed rotation added a command key: the chain says which, and who asked. */
  async recordKeyAdded(key: CommandKey, actor: Actor): Promise<void> {
    this.event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey }, undefined);
    await this.commit();
  }

  event(type: string, actor: Actor | PersonRef | null | undefined, payload: unknown, reason: string | undefined): void {
    this.audit.push({
      tenderId: this.state.id,
      workflowId: this.state.workflowId,
      seq: ++this.seq,
      type,
      actor: actor ? { sub: actor.sub, name: actor.name, org: 'org' in actor ? actor.org : this.state.organization } : null,
      at: this.now(),
      ...(reason !== undefined ? { reason } : {}),
      payload,
    });
  }

  message(kind: NotificationInput['kind'], recipients: string[], subject: string, body: string, about?: NotificationAbout): void {
    const key = `${this.state.workflowId}:${kind}:${++this.notificationSeq}`;
    const unique = recipients.filter((r, i) => recipients.indexOf(r) === i);
    const { title, organization, category, estimatedValueSek } = this.state;
    this.outbox.push({ key, tenderId: this.state.id, kind, recipients: unique, subject, body, ...(about ? { about } : {}), tender: { title, organization, category, estimatedValueSek } });
    this.event('notification.queued', null, { key, kind, recipients: unique, subject }, undefined);
  }

  /** Writes what this change produced: audit first, then notifications, then the read model. */
  async persist(): Promise<void> {
    const events = this.audit.splice(0);
    const messages = this.outbox.splice(0);
    if (events.length > 0) await this.durably('appendAudit', () => appendAudit(events));
    for (const m of messages) await this.durably('notify', () => notify(m));
    await this.durably('recordTenderSnapshot', () => recordTenderSnapshot(this.state));
  }

  /**
   * A durable write that keeps failing (PostgreSQL down) does not block silently: after the
   * activity's own retries the tender is marked stalled where operators look (GET /tenders/{id},
   * the TenderStalled search attribute, the summary in the Temporal UI), and the write is retried
   * with a growing pause until it succeeds. A permanent error is thrown for the caller to refuse.
   */
  private async durably(activity: string, write: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        if (this.state.stalled) {
          delete this.state.stalled;
          delete this.committed.stalled;
          publishState(this.state);
        }
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isPermanentWriteError(err)) throw err;
        const stalled = { since: this.state.stalled?.since ?? this.now(), activity, error: messageOf(err).slice(0, 500) };
        this.state.stalled = stalled;
        this.committed.stalled = stalled;
        publishState(this.state);
        await sleep(Math.min(60_000 * 2 ** attempt, 600_000));
      }
    }
  }

  async commit(): Promise<void> {
    this.state.version += 1;
    for (const g of this.state.pendingGates) Object.assign(g, pendingEligibility(this.state, g));
    publishState(this.state);
    this.committed = snapshot(this.state);
    await this.persist();
  }

  enter(to: Phase, actor: Actor | null, reason?: string): void {
    const from = this.state.phase;
    if (from === to) return;
    const at = this.now();
    const current = this.state.timeline[this.state.timeline.length - 1];
    if (current && !current.leftAt) current.leftAt = at;
    this.state.timeline.push({ phase: to, enteredAt: at });
    this.state.phase = to;
    if (to !== 'published') delete this.state.stage;
    this.event('phase.changed', actor, { from, to }, reason);
  }

  setDeadline(d: ComputedDeadline): void {
    this.closeDeadline(d.kind, 'superseded');
    const deadline: Deadline = { ...d, setAt: this.now() };
    this.state.deadlines.push(deadline);
    this.event('deadline.set', null, deadline, undefined);
  }

  closeDeadline(kind: string, outcome: 'passed' | 'met' | 'superseded' | 'dropped'): Deadline | undefined {
    const i = this.state.deadlines.findIndex((d) => d.kind === kind);
    if (i < 0) return undefined;
    const [d] = this.state.deadlines.splice(i, 1);
    this.state.pastDeadlines.push({ ...d, outcome, closedAt: this.now() });
    return d;
  }

  closeAllDeadlines(outcome: 'met' | 'dropped', keep: string[] = []): void {
    for (const d of [...this.state.deadlines]) if (!keep.includes(d.kind)) this.closeDeadline(d.kind, outcome);
  }

  running(kind: string): Deadline | undefined {
    return this.state.deadlines.find((d) => d.kind === kind);
  }

  lastPast(kind: string): Deadline | undefined {
    return [...this.state.pastDeadlines].reverse().find((d) => d.kind === kind);
  }

  async compute(req: DeadlineRequest): Promise<ComputedDeadline> {
    try {
      return await deadlineActivities.computeDeadline(req);
    } catch (err) {
      throw asRefusal(err);
    }
  }

  async computeOptional(req: DeadlineRequest): Promise<ComputedDeadline | null> {
    try {
      return await deadlineActivities.computeOptionalDeadline(req);
    } catch (err) {
      throw asRefusal(err);
    }
  }

  // --- commands ---------------------------------------------------------------------------------

  private verdict<N extends CommandName>(name: N, spec: CommandSpec<N>, input: CommandInput<CommandPayloads[N]>): Verdict {
    const envelope = commandInputVerdict(input);
    if (!envelope.allowed) return envelope;
    const payload = input.payload as CommandPayloads[N] | undefined;
    const steps: Array<() => Verdict> = [
      () => mayIssueCommand(input.actor, this.state, name, payload),
      () => phaseAllows(this.state, name, payload),
      () => (payload && typeof payload === 'object' ? ALLOWED : refuse('BadRequest', 'The payload is missing.', { field: 'payload' })),
      () => (spec.check ? spec.check(payload as CommandPayloads[N], input.actor) : ALLOWED),
    ];
    for (const step of steps) {
      const v = step();
      if (!v.allowed) return v;
    }
    return ALLOWED;
  }

  private register<N extends CommandName>(name: N, spec: CommandSpec<N>): void {
    type Input = CommandInput<CommandPayloads[N]>;
    const update = COMMAND_UPDATES[name] as unknown as Parameters<typeof setHandler>[0];
    const handler = (input: Input): Promise<TenderState> =>
      this.exclusive(async () => {
        const first = this.verdict(name, spec, input);
        if (!first.allowed) return this.refused(name, input, first);
        const marks = { seq: this.seq, notes: this.notificationSeq, audit: this.audit.length, outbox: this.outbox.length };
        const reason = reasonOf(input);
        this.event(spec.eventType ?? 'command.accepted', input.actor, { command: name, payload: input.payload }, reason);
        this.state.commands.push({ command: name, actor: actorRef(input.actor), at: this.now(), ...(reason ? { reason } : {}), payload: input.payload });
        try {
          await spec.apply(input.payload, input.actor, input);
        } catch (err) {
          if (err instanceof ApplicationFailure && err.type && err.type in REFUSAL_STATUS) {
            // Refused after a look at the rules library, before anything changed: undo the record.
            this.seq = marks.seq;
            this.notificationSeq = marks.notes;
            this.audit.length = marks.audit;
            this.outbox.length = marks.outbox;
            this.state.commands.pop();
            const details = (err.details?.[0] ?? {}) as Omit<Refusal, 'allowed' | 'type' | 'reason'>;
            return this.refused(name, input, refuse(err.type as Refusal['type'], err.message, details));
          }
          throw err;
        }
        const before = this.committed;
        try {
          await this.commit();
        } catch (err) {
          if (!isPermanentWriteError(err)) throw err;
          // PostgreSQL refused the step for good: the command is refused and the tender goes on
          // from its last committed state, taking further commands.
          this.restore(before, marks);
          return this.refused(name, input, refuse('BadRequest', `The command could not be stored: ${messageOf(err).slice(0, 300)}`, { rule: 'unstorable' }));
        }
        return this.committed;
      });
    const validator = (input: Input): void => {
      this.keys.assertSigned(input);
      const v = firstRefusal(
        () => this.verdict(name, spec, input),
        () => (spec.validate ? spec.validate(input.payload, input.actor) : ALLOWED),
      );
      if (!v.allowed) throw toFailure(v);
    };
    setHandler(update, handler as never, { validator: validator as never });
  }

  /** Back to the last committed state after a step PostgreSQL refused for good. */
  private restore(committed: TenderState, marks: { seq: number; notes: number }): void {
    for (const key of Object.keys(this.state)) delete (this.state as unknown as Record<string, unknown>)[key];
    Object.assign(this.state, snapshot(committed));
    this.committed = committed;
    this.seq = marks.seq;
    this.notificationSeq = marks.notes;
    this.audit.length = 0;
    this.outbox.length = 0;
    publishState(this.state);
  }

  /**
   * A refusal found by the handler. The API's command gateway records every refusal once, in the
   * chain or in the security log (DESIGN 4); before that, the workflow wrote handler refusals
   * itself too, and they were in the chain twice.
   */
  private async refused(name: CommandName, input: CommandInput<unknown>, v: Refusal): Promise<never> {
    if (!patched('refusals-recorded-by-api')) {
      this.event('command.refused', input?.actor ?? null, { command: name, payload: input?.payload, type: v.type, rule: v.rule }, v.reason);
      const events = this.audit.splice(0);
      if (events.length > 0) await appendAudit(events);
    }
    throw toFailure(v);
  }

  registerCommands(): void {
    const s = this.state;
    const officer = (): PersonRef => s.createdBy;

    this.register('completeNeedsAnalysis', {
      check: (p) => firstRefusal(
        () => (s.pendingGates.some((g) => g.gate === 'decision_to_procure')
          ? refuse('Conflict', 'The decision to procure is already requested.', { rule: 'gate_pending' })
          : ALLOWED),
        () => checkNeedsAnalysis(p, s),
        () => needsAnalysisPolicyVerdict(p, s, this.policy),
        () => checkInvitedBodies(p.invitedBodies, s),
      ),
      apply: async (p, actor) => {
        // Policy groupCoordinationCheck: what the group already buys in the category, shown to the
        // approver; refused without a reason to procure separately. New commands: patched.
        const group = this.policy.groupCoordinationCheck && patched('policy-group-coordination')
          ? await checkGroupCoordination(s, p, this.now())
          : undefined;
        if (group) s.groupCoordination = group;
        for (const b of p.invitedBodies ?? []) {
          s.participants.push({ organization: b.organization, name: b.name, contactEmail: b.contactEmail, status: 'invited' });
        }
        s.needsAnalysis = { ...p, completedBy: person(actor), completedAt: this.now() };
        s.lots = (p.lots ?? []).map((l) => ({ title: l.title, estimatedValueSek: l.estimatedValueSek }));
        delete s.changesRequested;
        this.requestGate('decision_to_procure', actor);
      },
    });

    this.register('decideGate', {
      eventType: 'gate.decided',
      check: (p, actor) => {
        if (!(GATE_DECISIONS as readonly string[]).includes(p.decision)) {
          return refuse('BadRequest', `decision must be one of ${GATE_DECISIONS.join(', ')}.`, { field: 'decision' });
        }
        if (p.decision !== 'approve' && !nonEmpty(p.comment)) {
          return refuse('BadRequest', `A ${p.decision} decision needs a comment.`, { field: 'comment' });
        }
        if (p.noticeChannel !== undefined && p.noticeChannel !== 'electronic' && p.noticeChannel !== 'other') {
          return refuse('BadRequest', "noticeChannel must be 'electronic' or 'other'.", { field: 'noticeChannel' });
        }
        if (p.gate !== 'cancellation' && s.pendingGates.some((g) => g.gate === 'cancellation')) {
          return refuse('Conflict', 'A cancellation is pending; it is decided first.', { rule: 'cancellation_pending' });
        }
        return secondDecisionVerdict(p, s, actor);
      },
      apply: (p, actor) => this.decideGate(p, actor),
    });

    this.register('registerDocuments', {
      check: (p) => firstRefusal(
        () => (s.pendingGates.some((g) => g.gate === 'documents_approval')
          ? refuse('Conflict', 'The documents are already awaiting approval.', { rule: 'gate_pending' })
          : ALLOWED),
        () => (s.documents?.approved ? refuse('Conflict', 'The documents are approved; publish them.', { rule: 'already_approved' }) : ALLOWED),
        () => (Array.isArray(p.documents) && p.documents.length > 0 && p.documents.every((d) => nonEmpty(d?.title) && nonEmpty(d?.reference))
          ? ALLOWED
          : refuse('BadRequest', 'documents: at least one { title, reference }.', { field: 'documents' })),
        () => documentsPolicyVerdict(p, s, this.policy),
      ),
      apply: (p, actor) => {
        s.documents = {
          items: p.documents,
          ...(p.followUpPlan?.length ? { followUpPlan: p.followUpPlan } : {}),
          registeredBy: person(actor),
          registeredAt: this.now(),
          approved: false,
        };
        delete s.changesRequested;
        this.requestGate('documents_approval', actor);
      },
    });

    this.register('publish', {
      check: (p) => firstRefusal(
        () => (s.documents?.approved ? ALLOWED : refuse('Conflict', 'The documents are not approved.', { rule: 'documents_not_approved' })),
        () => optionalDate(p.deadline, 'deadline'),
        () => optionalDate(p.requestDeadline, 'requestDeadline'),
        () => optionalDate(p.priorInformationNoticeSentAt, 'priorInformationNoticeSentAt'),
        () => fromViolations(checkUrgency({ urgent: p.urgent, justification: p.urgencyJustification })),
        () => fromViolations(
          checkPriorInformationNotice({ pin: p.priorInformationNotice, pinSentDate: p.priorInformationNoticeSentAt, noticeSentDate: stockholmDateOf(Date.now()) }),
        ),
      ),
      apply: (p, actor) => this.publish(p, actor),
    });

    this.register('selectCandidates', {
      check: (p) => firstRefusal(
        () => (s.stage === 'selection' ? ALLOWED : refuse('Conflict', `Candidates are selected after the request period (now: ${s.stage}).`, { rule: 'stage' })),
        () => (Array.isArray(p.candidates) && p.candidates.every((c) => nonEmpty(c?.supplier))
          ? ALLOWED
          : refuse('BadRequest', 'candidates: [{ supplier, orgNumber? }].', { field: 'candidates' })),
        () => (p.agreedTenderPeriodDays === undefined || (Number.isInteger(p.agreedTenderPeriodDays) && p.agreedTenderPeriodDays >= 1)
          ? ALLOWED
          : refuse('BadRequest', 'agreedTenderPeriodDays: a whole number of days, at least 1 (11 kap. 7 § LOU).', { field: 'agreedTenderPeriodDays' })),
        () => optionalDate(p.deadline, 'deadline'),
      ),
      apply: (p, actor) => this.selectCandidates(p, actor),
    });

    this.register('extendDeadline', {
      check: (p) => {
        if (!isIsoDate(p.deadline)) return refuse('BadRequest', 'deadline: a date YYYY-MM-DD.', { field: 'deadline' });
        if (!nonEmpty(p.reason)) return refuse('BadRequest', 'An extension needs a reason.', { field: 'reason' });
        const horizon = checkHorizon(p.deadline, 'deadline', this.now());
        if (!horizon.allowed) return horizon;
        const current = this.running(s.stage === 'requests' ? 'request_deadline' : 'tender_deadline');
        if (!current) return refuse('Conflict', 'No period is running that could be extended.', { rule: 'no_running_period' });
        const change = fromViolations(checkDeadlineChange({ current: current.lastDay, proposed: p.deadline }));
        if (!change.allowed) return change;
        if (p.significantChange === true) {
          return fromViolations(
            checkExtensionAfterChange({ changeDate: stockholmDateOf(Date.now()), current: current.lastDay, proposed: p.deadline, urgent: s.publication?.urgent ?? false }),
          );
        }
        return ALLOWED;
      },
      apply: async (p, actor) => {
        const kind = s.stage === 'requests' ? 'request_deadline' : 'tender_deadline';
        const current = this.running(kind)!;
        const basis = p.significantChange
          ? `extended after a significant change to the procurement documents (11 kap. 8 § 2 p. LOU): ${p.reason}`
          : `extended by the contracting authority: ${p.reason}`;
        const next = await this.compute({ kind, rule: 'fixed', lastDay: p.deadline, basis });
        if (kind === 'tender_deadline') await this.setTenderDeadline(next);
        else this.setDeadline(next);
        this.recordExtension(current.lastDay, p.deadline, p.reason, actor, false);
      },
    });

    this.register('askQuestion', {
      check: (p) => {
        if (!nonEmpty(p.question)) return refuse('BadRequest', 'question: the text.', { field: 'question' });
        if (s.stage === 'selection') return refuse('Conflict', 'No period is running: candidates are being selected.', { rule: 'stage' });
        if (s.stage === 'tendering') {
          const cutoff = this.running('question_cutoff');
          if (!cutoff || Date.now() > Date.parse(cutoff.at)) {
            const day = (cutoff ?? this.lastPast('question_cutoff'))?.lastDay;
            return refuse('RuleViolation', `Questions closed${day ? ` on ${day}` : ''}.`, { rule: 'question_cutoff' });
          }
        }
        return ALLOWED;
      },
      apply: (p, actor) => {
        s.questions.push({
          id: `Q${s.questions.length + 1}`,
          question: p.question,
          ...(p.askedBy !== undefined ? { askedBy: p.askedBy } : {}),
          receivedAt: this.now(),
          registeredBy: person(actor),
        });
      },
    });

    this.register('answerQuestion', {
      check: (p) => {
        const q = s.questions.find((x) => x.id === p.questionId);
        if (!q) return refuse('BadRequest', `No question ${p.questionId}.`, { field: 'questionId' });
        if (q.answer !== undefined) return refuse('Conflict', `${p.questionId} is already answered.`, { rule: 'already_answered' });
        if (!nonEmpty(p.answer)) return refuse('BadRequest', 'answer: the text.', { field: 'answer' });
        const date = optionalDate(p.extendTo, 'extendTo');
        return date.allowed && p.extendTo !== undefined ? checkHorizon(p.extendTo, 'extendTo', this.now()) : date;
      },
      apply: (p, actor) => this.answerQuestion(p, actor),
    });

    this.register('appointEvaluators', {
      check: (p) => {
        if (!Array.isArray(p.evaluators) || p.evaluators.length === 0 || !p.evaluators.every((e) => nonEmpty(e?.sub) && nonEmpty(e?.name))) {
          return refuse('BadRequest', 'evaluators: [{ sub, name }].', { field: 'evaluators' });
        }
        for (const e of p.evaluators) {
          const known = s.evaluators.find((x) => x.sub === e.sub);
          if (known?.status === 'removed') {
            return refuse('RuleViolation', `${e.name} declared a conflict of interest and cannot take part.`, {
              rule: 'conflict_of_interest',
              paragraph: '4 kap. 4 § LOU',
              field: 'evaluators',
            });
          }
          if (known) return refuse('Conflict', `${e.name} is already an evaluator.`, { rule: 'already_appointed' });
        }
        return ALLOWED;
      },
      apply: (p, actor) => {
        for (const e of p.evaluators) {
          s.evaluators.push({ sub: e.sub, name: e.name, appointedBy: person(actor), appointedAt: this.now(), status: 'appointed' });
        }
      },
    });

    this.register('recordOpening', {
      check: (p) => {
        const openers = Array.isArray(p.openers) ? p.openers.filter(nonEmpty) : [];
        if (new Set(openers).size < 2) {
          return refuse('RuleViolation', 'At least two distinct people appointed by the authority open the tenders.', {
            rule: 'two_openers',
            paragraph: '12 kap. 10 § LOU',
            field: 'openers',
          });
        }
        if (!Array.isArray(p.tenders) || !p.tenders.every((t) => nonEmpty(t?.supplier) && !Number.isNaN(Date.parse(t?.receivedAt)))) {
          return refuse('BadRequest', 'tenders: [{ supplier, orgNumber?, receivedAt, lots? }].', { field: 'tenders' });
        }
        return ALLOWED;
      },
      apply: (p, actor) => this.recordOpening(p, actor),
    });

    this.register('declareConflict', {
      check: (p) => {
        if (typeof p.hasConflict !== 'boolean') return refuse('BadRequest', 'hasConflict: true or false.', { field: 'hasConflict' });
        if (p.hasConflict && !nonEmpty(p.statement)) return refuse('BadRequest', 'A declared conflict needs a statement.', { field: 'statement' });
        return ALLOWED;
      },
      apply: (p, actor) => {
        const e = s.evaluators.find((x) => x.sub === actor.sub)!;
        e.declaration = { hasConflict: p.hasConflict, statement: p.statement ?? '', at: this.now() };
        e.status = p.hasConflict ? 'removed' : 'declared';
        if (p.hasConflict) {
          this.message(
            'other',
            [`user:${e.appointedBy.sub}`, `user:${officer().sub}`],
            `${s.id}: ${e.name} declared a conflict of interest`,
            `${e.name} declared a conflict of interest in ${s.title} and is removed from the evaluation (4 kap. 4 § LOU). Appoint a replacement if needed.`,
            { topic: 'conflict_declared', evaluator: person(e) },
          );
        }
      },
    });

    this.register('submitEvaluation', {
      check: (p) => {
        if (!Array.isArray(p.proposals) || p.proposals.length === 0 || !p.proposals.every((x) => nonEmpty(x?.supplier) && nonEmpty(x?.reasons))) {
          return refuse('BadRequest', 'proposals: [{ lot?, supplier, score?, reasons }].', { field: 'proposals' });
        }
        const active = s.evaluators.filter((e) => e.status !== 'removed');
        if (active.length === 0) {
          return refuse('RuleViolation', 'No evaluator without a conflict of interest is appointed.', { rule: 'evaluators_required', paragraph: '4 kap. 4 § LOU' });
        }
        const missing = active.filter((e) => e.status === 'appointed');
        if (missing.length > 0) {
          return refuse('RuleViolation', `Conflict-of-interest declarations are missing from ${missing.map((e) => e.name).join(', ')}.`, {
            rule: 'conflict_declarations_required',
            paragraph: '4 kap. 4 § LOU',
          });
        }
        const tenderers = s.tendersReceived.filter((t) => !t.late).map((t) => t.supplier);
        const stranger = p.proposals.find((x) => !tenderers.includes(x.supplier));
        if (stranger) {
          return refuse('RuleViolation', `${stranger.supplier} did not submit a valid tender.`, { rule: 'supplier_not_a_tenderer', field: 'proposals' });
        }
        const lotTitles = s.lots.map((l) => l.title);
        const badLot = p.proposals.find((x) => x.lot !== undefined && !lotTitles.includes(x.lot));
        if (badLot) return refuse('BadRequest', `No lot ${badLot.lot}.`, { field: 'proposals' });
        return ALLOWED;
      },
      apply: (p, actor) => {
        s.evaluation = { proposals: p.proposals, ...(p.summary ? { summary: p.summary } : {}), submittedBy: person(actor), submittedAt: this.now() };
        delete s.changesRequested;
        this.enter('award_decision', actor);
        this.requestGate('award_decision', actor);
      },
    });

    this.register('fileReview', {
      check: (p) => {
        if (!nonEmpty(p.applicant) || !nonEmpty(p.court)) return refuse('BadRequest', 'applicant and court are required.', { field: 'applicant' });
        if (p.id !== undefined && s.reviews.some((r) => r.id === p.id)) return refuse('Conflict', `Review ${p.id} is already filed.`);
        return ALLOWED;
      },
      apply: (p, actor) => {
        s.reviews.push({
          id: p.id ?? `R${s.reviews.length + 1}`,
          applicant: p.applicant,
          court: p.court,
          ...(p.reference ? { reference: p.reference } : {}),
          filedAt: this.now(),
          filedBy: person(actor),
          status: 'pending',
        });
        // 20 kap. 10 § LOU: no contract until the court has decided; the standstill timer is
        // replaced by the review hold, computed when the ruling is in.
        this.closeDeadline('standstill', 'superseded');
        this.closeDeadline('review_hold', 'superseded');
        this.enter('under_review', actor, `review application by ${p.applicant}`);
      },
    });

    this.register('recordRuling', {
      check: (p) => {
        const r = s.reviews.find((x) => x.id === p.reviewId);
        if (!r) return refuse('BadRequest', `No review ${p.reviewId}.`, { field: 'reviewId' });
        if (r.status !== 'pending') return refuse('Conflict', `Review ${p.reviewId} is already decided.`);
        if (!['rejected', 'correction', 'redo'].includes(p.outcome)) {
          return refuse('BadRequest', "outcome: 'rejected', 'correction' or 'redo'.", { field: 'outcome' });
        }
        if (!isIsoDate(p.rulingDate)) return refuse('BadRequest', 'rulingDate: a date YYYY-MM-DD.', { field: 'rulingDate' });
        return ALLOWED;
      },
      apply: (p, actor) => this.recordRuling(p, actor),
    });

    this.register('registerContract', {
      check: (p) => firstRefusal(() => checkContract(p, s), () => contractPolicyVerdict(p, s, this.policy)),
      validate: (p) => this.contractRules(p),
      apply: (p, actor) => this.registerContract(p, actor),
    });

    this.register('requestCancellation', {
      check: (p) => {
        if (!nonEmpty(p.reason)) return refuse('BadRequest', 'A cancellation needs a reason.', { field: 'reason' });
        if (s.pendingGates.some((g) => g.gate === 'cancellation')) return refuse('Conflict', 'A cancellation is already pending.', { rule: 'gate_pending' });
        return ALLOWED;
      },
      apply: (p, actor) => this.requestGate('cancellation', actor, p.reason),
    });

    // A coordination child reports its body's outcome (before its answering update returns).
    setHandler(invitationOutcomeSignal, (o) => {
      void this.exclusive(() => this.recordInvitation(o));
    });
  }

  // --- gates ------------------------------------------------------------------------------------

  requestGate(gate: Gate, actor: Actor, reason?: string): void {
    const eligibility = gateEligibility(this.state, actor.sub);
    const since = this.now();
    this.state.pendingGates.push({
      gate,
      requestedBy: person(actor),
      since,
      mayDecide: describeEligibility(eligibility),
      eligibility,
      ...(reason ? { reason } : {}),
      ...approvalsRequiredFor(this.state, this.policy),
    });
    this.event('gate.requested', actor, { gate }, reason);
    this.message(
      'gate_request',
      [`role:approver@${this.state.organization}`],
      `${this.state.id}: ${gate} awaits your decision`,
      `${person(actor).name} asks for the ${gate} decision on "${this.state.title}" (${this.state.estimatedValueSek} SEK)` +
        `${reason ? `: ${reason}` : ''}. May decide: ${describeEligibility(eligibility)}.`,
      { topic: 'gate_request', gate, since, requestedBy: person(actor), ...(reason ? { reason } : {}), eligibility },
    );
  }

  async decideGate(p: CommandPayloads['decideGate'], actor: Actor): Promise<void> {
    const s = this.state;
    const pending = s.pendingGates.find((g) => g.gate === p.gate)!;
    // Policy dualApprovalFromSek: the first of two approvals is recorded and the gate stays pending.
    if (awaitsAnotherApproval(pending, p) && patched('policy-dual-approval')) {
      pending.approvals = [...(pending.approvals ?? []), { by: person(actor), at: this.now(), ...(p.comment ? { comment: p.comment } : {}) }];
      this.event('gate.approval_recorded', actor, { gate: p.gate, approvals: pending.approvals.length, required: pending.approvalsRequired }, p.comment);
      this.message(
        'gate_request',
        [`role:approver@${s.organization}`],
        `${s.id}: ${p.gate} needs a second approver`,
        `${actor.name} has approved ${p.gate} on "${s.title}" (${s.estimatedValueSek} SEK); the organisation's delegation order needs a second, different approver.`,
      );
      return;
    }
    s.pendingGates = s.pendingGates.filter((g) => g !== pending);
    s.gateDecisions.push({
      gate: p.gate,
      decision: p.decision,
      ...(p.comment ? { comment: p.comment } : {}),
      requestedBy: pending.requestedBy,
      decidedBy: person(actor),
      ...(typeof actor.approvalLimitSek === 'number' ? { approvalLimitSek: actor.approvalLimitSek } : {}),
      at: this.now(),
      ...(pending.approvals?.length && p.decision === 'approve' ? { approvedBy: [...pending.approvals.map((a) => a.by), person(actor)] } : {}),
    });

    if (p.gate === 'cancellation') {
      // The other way round: approve cancels; reject (or request_changes) lets the tender go on
      // where it was, timers untouched.
      if (p.decision === 'approve') await this.end('cancelled', pending.reason ?? p.comment ?? 'cancelled', actor);
      return;
    }
    if (p.decision === 'reject') {
      await this.end('cancelled', `${p.gate} rejected: ${p.comment}`, actor);
      return;
    }
    if (p.decision === 'request_changes') {
      s.changesRequested = { gate: p.gate, comment: p.comment!, by: person(actor), at: this.now() };
      if (p.gate === 'documents_approval' && s.documents) s.documents.approved = false;
      if (p.gate === 'award_decision') {
        delete s.evaluation;
        this.enter('evaluation', actor, p.comment);
      }
      this.message('other', [`user:${pending.requestedBy.sub}`], `${s.id}: changes requested (${p.gate})`, p.comment!, {
        topic: 'changes_requested',
        gate: p.gate,
        comment: p.comment!,
        by: person(actor),
      });
      return;
    }
    // approve
    switch (p.gate) {
      case 'decision_to_procure':
        if (s.regime === 'direct') this.enter('contract', actor, 'direct award');
        else if (s.participants.length > 0) await this.enterCoordination(actor);
        else this.enter('documents', actor);
        return;
      case 'documents_approval':
        s.documents!.approved = true;
        return;
      case 'award_decision':
        await this.award(p.noticeChannel ?? 'electronic', actor);
        return;
    }
  }

  async award(noticeChannel: 'electronic' | 'other', actor: Actor): Promise<void> {
    const s = this.state;
    const winners = s.evaluation!.proposals;
    const withStandstill = s.regime !== 'direct' && (s.regime !== 'framework_call_off' || this.input.callOffStandstill !== false);
    const standstill = withStandstill
      ? await this.compute({ kind: 'standstill', rule: 'standstill', from: this.now(), params: { notice: noticeChannel } })
      : null;
    s.award = { decidedBy: person(actor), decidedAt: this.now(), winners, noticeChannel, standstillDays: standstill?.days ?? null };
    const lines = winners.map((w) => `- ${w.lot ? `${w.lot}: ` : ''}${w.supplier}${w.score !== undefined ? ` (score ${w.score})` : ''}. Reasons: ${w.reasons}`);
    const standstillText = standstill
      ? `Standstill (avtalsspärr): ${standstill.days} days, the contract is not signed before the end of ${standstill.lastDay} (20 kap. 1 § LOU).`
      : 'No standstill applies to this award.';
    this.message(
      'award_notice',
      this.tendererRecipients(),
      `${s.id}: award decision (tilldelningsbeslut)`,
      [`Award decision for "${s.title}" (${awardNoticeBasis(s.regime)}).`, 'Awarded:', ...lines, standstillText].join('\n'),
    );
    if (standstill) {
      this.setDeadline(standstill);
      this.enter('standstill', actor);
    } else {
      this.enter('contract', actor, 'no standstill');
    }
  }

  /** Ends the tender cancelled or unsuccessful: timers stop, tenderers hear of it, documentation is due. */
  async end(phase: 'cancelled' | 'unsuccessful', reason: string, actor: Actor | null): Promise<void> {
    const s = this.state;
    const documentation = await this.compute({ kind: 'documentation', rule: 'documentation', from: this.now(), params: { regime: s.regime } });
    this.closeAllDeadlines('dropped');
    s.pendingGates = [];
    s.outcome = { phase, reason, at: this.now(), by: actor ? person(actor) : null };
    s.obligations.push({ obligation: 'documentation', status: 'open', dueDay: documentation.lastDay, basis: documentation.basis });
    this.setDeadline(documentation);
    this.message(
      'cancellation_notice',
      [...this.tendererRecipients(), ...s.participants.filter((b) => b.status === 'joined' || b.status === 'invited').map(bodyAddress), `user:${s.createdBy.sub}`],
      `${s.id}: the procurement is ${phase === 'cancelled' ? 'cancelled (avbruten)' : 'unsuccessful'}`,
      `"${s.title}" ends ${phase}. Reason: ${reason}. Documentation is due by ${documentation.lastDay} (${documentation.basis}).`,
      { topic: 'tender_ended', outcome: phase, reason, deadline: deadlineRef(documentation) },
    );
    this.enter(phase, actor, reason);
  }

  tendererRecipients(): string[] {
    const s = this.state;
    const from = s.tendersReceived.length > 0 ? s.tendersReceived : s.candidates;
    return from.map((t) => `supplier:${t.orgNumber ?? t.supplier}`);
  }

  // --- phases -----------------------------------------------------------------------------------

  /**
   * One child per invited body: it sends the invitation, the reminder and keeps the deadline. The
   * tender shows the response deadline and waits for every child's outcome.
   */
  async enterCoordination(actor: Actor): Promise<void> {
    const s = this.state;
    const days = this.policy.coordinationResponseDays;
    const response = await this.compute({
      kind: 'coordination_response',
      rule: 'period',
      from: this.now(),
      params: { days },
      basis: `policy: invited bodies answer within ${days} days`,
    });
    const reminderDays = Math.max(0, days - this.policy.coordinationReminderDays);
    const reminder = await this.compute({
      kind: 'coordination_reminder',
      rule: 'period',
      from: this.now(),
      params: { days: reminderDays },
      basis: `policy: reminder ${this.policy.coordinationReminderDays} days before the response deadline`,
    });
    this.enter('coordination', actor);
    this.setDeadline(response);
    const deadline = (d: ComputedDeadline) => ({ at: d.at, lastDay: d.lastDay, basis: d.basis });
    for (const b of s.participants.filter((x) => x.status === 'invited')) {
      const workflowId = coordinationWorkflowId(s.id, b.organization);
      const input: CoordinationInput = {
        tenderId: s.id,
        tenderWorkflowId: s.workflowId,
        title: s.title,
        invitingOrganization: s.organization,
        body: { organization: b.organization, name: b.name, contactEmail: b.contactEmail ?? '' },
        response: deadline(response),
        ...(reminder.lastDay < response.lastDay ? { reminder: deadline(reminder) } : {}),
        invitedBy: person(actor),
        invitedAt: this.now(),
        commandKeys: this.keys.all(),
      };
      // REQUEST_CANCEL: a tender that ends (cancelled) withdraws the invitations still open.
      this.invitations ??= new CancellationScope();
      const child = await this.invitations.run(() =>
        startChild<typeof coordinationWorkflow>('coordinationWorkflow', {
          workflowId,
          args: [input],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        }),
      );
      b.workflowId = workflowId;
      this.event('coordination.invited', actor, { organization: b.organization, workflowId, respondBy: response.lastDay }, undefined);
      // The signal normally comes first; the result settles a child that could not signal.
      const settled = child.result().then(
        (o) => this.exclusive(() => this.recordInvitation(o)),
        (err: unknown) =>
          isFinal(s.phase)
            ? undefined
            : this.exclusive(() =>
                this.recordInvitation({ tenderId: s.id, organization: b.organization, status: 'not_joined', at: this.now(), reason: `invitation workflow ended: ${messageOf(err)}` }),
              ),
      );
      this.invitationResults.push(settled);
    }
  }

  /** A body's outcome, from its child: recorded once; the last one ends coordination. */
  async recordInvitation(o: InvitationOutcome): Promise<void> {
    const s = this.state;
    const b = s.participants.find((x) => x.organization === o.organization);
    if (!b || b.status !== 'invited') return;
    b.status = o.status;
    if (o.answeredBy) {
      b.answeredAt = o.at;
      b.answeredBy = person(o.answeredBy);
      s.commands.push({ command: 'respondToInvitation', actor: actorRef({ ...o.answeredBy, roles: ['partner'] }), at: o.at, ...(o.reason ? { reason: o.reason } : {}), payload: o });
    }
    if (o.estimatedVolume !== undefined) b.estimatedVolume = o.estimatedVolume;
    if (o.mandateReference !== undefined) b.mandateReference = o.mandateReference;
    if (o.status === 'declined' && o.reason) b.declineReason = o.reason;
    this.event(`invitation.${o.status}`, o.answeredBy ?? null, o, o.reason);
    if (s.phase === 'coordination' && s.participants.every((x) => x.status !== 'invited')) this.leaveCoordination(o.answeredBy ?? null);
    await this.commit();
  }

  leaveCoordination(actor: (PersonRef & { org: string }) | null): void {
    const s = this.state;
    const answered = s.participants.filter((b) => b.status === 'joined' || b.status === 'declined').length;
    this.closeDeadline('coordination_response', 'met');
    const reason = `every invited body has answered or its deadline has passed (${answered} of ${s.participants.length} answered; joined: ${
      s.participants.filter((b) => b.status === 'joined').map((b) => b.organization).join(', ') || 'none'
    })`;
    this.enter('documents', actor ? { ...actor, roles: ['partner'] } : null, reason);
  }

  async publish(p: CommandPayloads['publish'], actor: Actor): Promise<void> {
    const s = this.state;
    const electronic = p.electronicSubmission ?? this.input.electronicSubmission;
    const params = {
      regime: s.regime,
      procedure: s.procedure,
      electronic,
      // The validator has checked the PIN's date (11 kap. 5 § andra stycket 2 p. LOU).
      pin: p.priorInformationNotice ?? false,
      urgent: p.urgent ?? false,
      reasonableDays: this.policy.reasonableTenderDays,
      annex2: isAnnex2(s.contractType),
      documentsNotElectronic: p.documentsAvailableElectronically === false,
    };
    const sentAt = this.now();
    const request = await this.computeOptional({ kind: 'request_deadline', rule: 'request_deadline', from: sentAt, params });
    let tender: ComputedDeadline | null = null;
    let requestDeadline: ComputedDeadline | null = request;
    if (request) {
      if (p.requestDeadline) {
        requestDeadline = await this.laterThanMinimum(request, p.requestDeadline, 'requestDeadline');
      }
    } else {
      const minimum = await this.compute({ kind: 'tender_deadline', rule: 'tender_deadline', from: sentAt, params });
      tender = p.deadline ? await this.laterThanMinimum(minimum, p.deadline, 'deadline') : minimum;
      s.tenderPeriod = { minimum: { lastDay: minimum.lastDay, basis: minimum.basis }, extensions: [] };
    }
    const database = p.advertisingDatabase ?? 'outbox';
    s.publication = {
      sentAt,
      advertisingDatabase: database,
      ...(p.noticeReference ? { noticeReference: p.noticeReference } : {}),
      electronicSubmission: electronic,
      priorInformationNotice: params.pin,
      ...(p.priorInformationNoticeSentAt ? { priorInformationNoticeSentAt: p.priorInformationNoticeSentAt } : {}),
      urgent: params.urgent,
      ...(p.urgencyJustification ? { urgencyJustification: p.urgencyJustification } : {}),
      ...(p.documentsAvailableElectronically === false ? { documentsAvailableElectronically: false } : {}),
    };
    this.enter('published', actor);
    if (requestDeadline) {
      s.stage = 'requests';
      this.setDeadline(requestDeadline);
    } else {
      s.stage = 'tendering';
      await this.setTenderDeadline(tender!);
    }
    const last = (requestDeadline ?? tender)!;
    this.message(
      'publication',
      [`adverts:${database}`],
      `${s.id}: ${s.title}`,
      `Contract notice: "${s.title}" (${s.regime}/${s.procedure}). ${requestDeadline ? 'Requests to participate' : 'Tenders'} by ${last.lastDay}.`,
    );
  }

  /** A requested last day, accepted only when it is not earlier than the rule's minimum. */
  async laterThanMinimum(minimum: ComputedDeadline, requested: string, field: string): Promise<ComputedDeadline> {
    const verdict = firstRefusal(
      () => checkHorizon(requested, field, this.now()),
      () => fromViolations(checkMinimumTimeLimit({ requested, minimum, field })),
    );
    if (!verdict.allowed) throw toFailure(verdict);
    if (requested === minimum.lastDay) return minimum;
    return this.compute({ kind: minimum.kind, rule: 'fixed', lastDay: requested, basis: `later than the minimum ${minimum.lastDay} (${minimum.basis})` });
  }

  /** The tender deadline and what hangs on it: the question cut-off (P) and the latest answer day (L). */
  async setTenderDeadline(deadline: ComputedDeadline): Promise<void> {
    const cutoff = await this.compute({
      kind: 'question_cutoff',
      rule: 'question_cutoff',
      from: deadline.lastDay,
      params: { policyDays: this.policy.questionCutoffDays },
    });
    const latest = await this.compute({
      kind: 'latest_answer',
      rule: 'latest_answer',
      from: deadline.lastDay,
      params: { urgent: this.state.publication?.urgent ?? false },
    });
    this.setDeadline(deadline);
    this.setDeadline(cutoff);
    this.setDeadline(latest);
  }

  recordExtension(from: string, to: string, reason: string, actor: Actor | null, forced: boolean): void {
    const s = this.state;
    s.tenderPeriod ??= { extensions: [] };
    s.tenderPeriod.extensions.push({ from, to, reason, by: actor ? person(actor) : null, at: this.now(), forced });
    this.message(
      'publication',
      [`adverts:${s.publication?.advertisingDatabase ?? 'outbox'}`, ...this.tendererRecipients()],
      `${s.id}: deadline extended to ${to}`,
      `The deadline of "${s.title}" is extended from ${from} to ${to}. ${reason}`,
    );
  }

  async selectCandidates(p: CommandPayloads['selectCandidates'], actor: Actor): Promise<void> {
    const s = this.state;
    if (p.candidates.length === 0) {
      s.candidates = [];
      await this.end('unsuccessful', 'no candidates to invite', actor);
      return;
    }
    const minimum = await this.compute({
      kind: 'tender_deadline',
      rule: 'tender_deadline',
      from: this.now(),
      params: {
        regime: s.regime,
        procedure: s.procedure,
        electronic: s.publication?.electronicSubmission ?? true,
        ...(p.agreedTenderPeriodDays !== undefined ? { agreedWithCandidates: p.agreedTenderPeriodDays } : {}),
        reasonableDays: this.policy.reasonableTenderDays,
        annex2: isAnnex2(s.contractType),
        documentsNotElectronic: s.publication?.documentsAvailableElectronically === false,
      },
    });
    const deadline = p.deadline ? await this.laterThanMinimum(minimum, p.deadline, 'deadline') : minimum;
    s.candidates = p.candidates.map((c) => ({ supplier: c.supplier, ...(c.orgNumber ? { orgNumber: c.orgNumber } : {}) }));
    s.tenderPeriod = { minimum: { lastDay: minimum.lastDay, basis: minimum.basis }, extensions: [] };
    s.stage = 'tendering';
    await this.setTenderDeadline(deadline);
    this.message(
      'invitation',
      this.tendererRecipients(),
      `${s.id}: invitation to tender`,
      `You are invited to tender in "${s.title}". Tenders by ${deadline.lastDay}.`,
    );
  }

  async answerQuestion(p: CommandPayloads['answerQuestion'], actor: Actor): Promise<void> {
    const s = this.state;
    const q = s.questions.find((x) => x.id === p.questionId)!;
    const current = this.running('tender_deadline');
    const urgent = s.publication?.urgent ?? false;
    // 12 kap. 11 § LOU: an answer must be out six days (four under urgency) before the deadline; a later one moves it.
    if (s.stage === 'tendering' && current !== undefined && answerForcesExtension(stockholmDateOf(Date.now()), current.lastDay, urgent)) {
      const days = answerDays(urgent);
      const minimum = await this.compute({
        kind: 'tender_deadline',
        rule: 'period',
        from: this.now(),
        params: { days },
        basis: `12 kap. 11 § LOU: answer to ${q.id} sent less than ${days} days before ${current.lastDay}`,
      });
      const target = p.extendTo ? await this.laterThanMinimum(minimum, p.extendTo, 'extendTo') : minimum;
      if (target.lastDay > current.lastDay) {
        await this.setTenderDeadline(target);
        this.recordExtension(current.lastDay, target.lastDay, `answer to ${q.id} later than ${days} days before the deadline (12 kap. 11 § LOU)`, actor, true);
        q.forcedExtension = true;
      }
    }
    q.answer = p.answer;
    q.answeredAt = this.now();
    q.answeredBy = person(actor);
  }

  async recordOpening(p: CommandPayloads['recordOpening'], actor: Actor): Promise<void> {
    const s = this.state;
    const deadline = this.lastPast('tender_deadline');
    const deadlineMs = deadline ? Date.parse(deadline.at) : Number.POSITIVE_INFINITY;
    s.opening = { openers: p.openers.filter((o, i) => p.openers.indexOf(o) === i), recordedBy: person(actor), recordedAt: this.now() };
    s.tendersReceived = p.tenders.map((t) => ({
      supplier: t.supplier,
      ...(t.orgNumber ? { orgNumber: t.orgNumber } : {}),
      receivedAt: t.receivedAt,
      ...(t.lots ? { lots: t.lots } : {}),
      late: Date.parse(t.receivedAt) > deadlineMs,
    }));
    this.closeDeadline('opening_due', 'met');
    if (s.tendersReceived.every((t) => t.late)) {
      await this.end('unsuccessful', 'no tenders received in time', actor);
      return;
    }
    this.enter('evaluation', actor);
  }

  async recordRuling(p: CommandPayloads['recordRuling'], actor: Actor): Promise<void> {
    const s = this.state;
    const review = s.reviews.find((r) => r.id === p.reviewId)!;
    const hold = p.outcome === 'rejected' && s.reviews.every((r) => r === review || r.status !== 'pending')
      ? await this.compute({ kind: 'review_hold', rule: 'review_hold', from: p.rulingDate })
      : null;
    review.status = 'decided';
    review.outcome = p.outcome;
    review.rulingDate = p.rulingDate;
    if (p.comment) review.comment = p.comment;

    if (p.outcome === 'correction') {
      delete s.evaluation;
      delete s.award;
      this.closeAllDeadlines('dropped');
      this.enter('evaluation', actor, `review ${review.id}: correction (rättelse)`);
      return;
    }
    if (p.outcome === 'redo') {
      if (s.documents) s.documents.approved = false;
      for (const key of ['publication', 'tenderPeriod', 'opening', 'evaluation', 'award'] as const) delete s[key];
      s.candidates = [];
      s.questions = [];
      s.tendersReceived = [];
      this.closeAllDeadlines('dropped');
      this.enter('documents', actor, `review ${review.id}: the procurement is to be redone`);
      return;
    }
    if (hold) {
      // Whichever ends later: the extended hold (20 kap. 10 § LOU) or what is left of the standstill.
      const standstill = this.lastPast('standstill');
      const keepStandstill = standstill && Date.parse(standstill.at) > Date.parse(hold.at);
      this.setDeadline(keepStandstill ? { ...standstill, kind: 'review_hold', basis: `${standstill.basis} (still running after the ruling)` } : hold);
    }
  }

  /**
   * The signed contract starts its follow-up: the child contract-<id> with the milestone plan. The
   * statutory duties after signing are computed here (working days, an activity) and become
   * milestones of the contract.
   */
  async registerContract(p: CommandPayloads['registerContract'], actor: Actor): Promise<void> {
    const s = this.state;
    const checked = patched(CONTRACT_CHECKS_PATCH);
    if (checked) {
      const v = this.contractRules(p);
      if (!v.allowed) throw toFailure(v);
    }
    // Post-award notice: 10 kap. 4 § (EU), 19 kap. (national), 19 a kap. 13–14 §§ (a direct award over 700 000 SEK).
    const directNotice = s.regime === 'direct' && patched(PATCH_DIRECT_AWARD_NOTICE) && directAwardNoticeRequired(p.valueSek, p.signedAt);
    const notice = s.regime === 'eu' || s.regime === 'national' || directNotice
      ? await this.compute({ kind: 'post_award_notice', rule: 'post_award_notice', from: p.signedAt, params: { regime: s.regime } })
      : null;
    // Documentation: 12 kap. 14–15 §§ (EU), 19 kap. (national), 19 a kap. 11 § from 100 000 SEK (direct).
    const documentation = s.regime !== 'direct' || p.valueSek >= DIRECT_AWARD_DOCUMENTATION_SEK
      ? await this.compute({ kind: 'documentation', rule: 'documentation', from: p.signedAt, params: { regime: s.regime } })
      : null;
    // The last refusal: the ledger takes the contract's value only if the year's total allows it.
    if (checked && s.regime === 'direct') {
      const ledger = await registerDirectAwardContract({
        tenderId: s.id,
        organization: s.organization,
        category: s.category,
        contractType: s.contractType,
        createdAt: s.createdAt,
        valueSek: p.valueSek,
        registeredBy: actor.sub,
      });
      const [first] = ledger.violations;
      if (first) throw toFailure(refuse('RuleViolation', first.message, { rule: first.rule, paragraph: first.paragraph, field: 'valueSek' }));
    }
    s.contract = { ...p, registeredBy: person(actor), registeredAt: this.now() };
    const contractId = contractIdForTender(s.id);
    const workflowId = contractWorkflowId(contractId);
    const na = s.needsAnalysis;
    const input: ContractStartInput = {
      contractId,
      tenderId: s.id,
      tenderWorkflowId: s.workflowId,
      title: s.title,
      organization: s.organization,
      category: s.category,
      contractType: s.contractType,
      regime: s.regime,
      procedure: s.procedure,
      frameworkAgreement: s.frameworkAgreement,
      estimatedValueSek: s.estimatedValueSek,
      ...(this.input.contractTermMonths !== undefined ? { contractTermMonths: this.input.contractTermMonths } : {}),
      contract: p,
      buyers: [
        { organization: s.organization, name: s.organization, role: 'lead' },
        ...s.participants
          .filter((b) => b.status === 'joined')
          .map((b) => ({
            organization: b.organization,
            name: b.name,
            role: 'participant' as const,
            ...(b.estimatedVolume ? { estimatedVolume: b.estimatedVolume } : {}),
            ...(b.mandateReference ? { mandateReference: b.mandateReference } : {}),
          })),
      ],
      criticality: na?.supplyPreparedness.criticality ?? 'low',
      labourConditionsRequired: na?.laborConditions?.required === true,
      sustainabilityCriteria: na && 'criteria' in na.sustainability ? na.sustainability.criteria : [],
      obligations: [notice, documentation]
        .filter((d): d is ComputedDeadline => d !== null)
        .map((d) => ({ kind: d.kind as 'post_award_notice' | 'documentation', lastDay: d.lastDay, basis: d.basis })),
      ...(this.input.policy?.followUp ? { policy: this.input.policy.followUp } : {}),
      ...(s.documents?.followUpPlan?.length ? { followUpPlan: s.documents.followUpPlan } : {}),
      registeredBy: actorRef(actor),
      registeredAt: this.now(),
      commandKeys: this.keys.all(),
    };
    // ABANDON: years of follow-up must not die with the tender's run (an administrator's terminate
    // or reset of the tender); the tender waits for it anyway.
    const child = await startChild<typeof contractWorkflow>('contractWorkflow', {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    s.followUp = { contractId, workflowId, startedAt: this.now(), status: 'running' };
    this.event('follow_up.started', actor, { contractId, workflowId }, undefined);
    this.enter('follow_up', actor);
    child.result().then(
      (outcome) => this.exclusive(() => this.endFollowUp(outcome, null)),
      (err: unknown) => this.exclusive(() => this.endFollowUp(null, messageOf(err))),
    );
  }

  /**
   * The contract against its award (libs/domain contract-rules): dates, signing after the decision
   * and after any standstill, the value within what was approved and within the approver's limit,
   * a framework agreement's length. The decision that awarded it: the last approved award decision,
   * or for a direct award the decision to procure; its approver's limit is the one recorded with
   * the decision, or, for decisions recorded before limits were, the tender's value (the least the
   * gate let them have).
   */
  contractRules(p: CommandPayloads['registerContract']): Verdict {
    const s = this.state;
    const gate = s.regime === 'direct' ? 'decision_to_procure' : 'award_decision';
    const decision = [...s.gateDecisions].reverse().find((d) => d.gate === gate && d.decision === 'approve');
    const standstill = [...s.pastDeadlines]
      .filter((d) => (d.kind === 'standstill' || d.kind === 'review_hold') && d.outcome === 'passed')
      .sort((a, b) => a.lastDay.localeCompare(b.lastDay))
      .pop();
    const violations = checkContractRegistration({
      contract: p,
      today: stockholmDate(Date.now()),
      frameworkAgreement: s.frameworkAgreement,
      ...(decision
        ? {
            award: {
              gate,
              decidedOn: stockholmDate(decision.at),
              decidedBy: decision.decidedBy.name,
              approvedValueSek: s.estimatedValueSek,
              approverLimitSek: decision.approvalLimitSek ?? s.estimatedValueSek,
            },
          }
        : {}),
      valueTolerancePercent: this.policy.contractValueTolerancePercent,
      standstill: standstill ? { lastDay: standstill.lastDay, basis: standstill.basis } : null,
    });
    return violations.length === 0 ? ALLOWED : contractRefusal(violations[0]);
  }

  /** The contract's follow-up has ended: the tender is complete. */
  async endFollowUp(outcome: ContractOutcome | null, failure: string | null): Promise<void> {
    const s = this.state;
    if (!s.followUp || s.followUp.status !== 'running') return;
    s.followUp.status = outcome ? 'completed' : 'stopped';
    s.followUp.endedAt = this.now();
    if (outcome) {
      s.followUp.outcome = outcome;
      if (outcome.successorTenderId) s.successorTenderId = outcome.successorTenderId;
    }
    if (failure) s.followUp.failure = failure;
    this.event('follow_up.ended', null, { outcome, failure }, failure ?? undefined);
    this.enter('completed', null, outcome ? `contract follow-up completed (contract ended ${outcome.endDate})` : `contract follow-up ended abnormally: ${failure}`);
    await this.commit();
  }

  // --- timers -----------------------------------------------------------------------------------

  async fire(kind: string): Promise<void> {
    const s = this.state;
    const d = this.running(kind);
    if (!d || Date.parse(d.at) > Date.now()) return; // moved or met while this turn waited
    this.closeDeadline(kind, 'passed');
    this.event('timer.fired', null, { kind, lastDay: d.lastDay, at: d.at, basis: d.basis }, undefined);
    switch (kind) {
      // coordination_response: each body's child keeps the deadline and reports its outcome.
      case 'request_deadline':
        s.stage = 'selection';
        break;
      case 'tender_deadline': {
        this.closeDeadline('question_cutoff', 'passed');
        this.closeDeadline('latest_answer', 'passed');
        const due = await this.compute({
          kind: 'opening_due',
          rule: 'period',
          from: d.lastDay,
          params: { days: this.policy.openingDueDays },
          basis: 'policy: open the tenders as soon as possible after the deadline (12 kap. 10 § LOU)',
        });
        this.enter('opening', null, 'tender deadline passed');
        this.setDeadline(due);
        break;
      }
      case 'opening_due':
        this.message('escalation', [`user:${s.createdBy.sub}`, `role:category_manager@${s.organization}#${s.category}`], `${s.id}: the opening is overdue`, `The tenders of "${s.title}" were due to be opened by ${d.lastDay}.`, { topic: 'deadline_overdue', deadline: deadlineRef(d) });
        break;
      case 'standstill':
        if (s.phase === 'standstill') this.enter('contract', null, 'standstill ended');
        break;
      case 'review_hold':
        if (s.phase === 'under_review') this.enter('contract', null, 'review hold ended');
        break;
      case 'post_award_notice':
      case 'documentation': {
        const o = s.obligations.find((x) => x.obligation === kind);
        if (o && o.status === 'open') {
          o.status = 'overdue';
          this.message('escalation', [`user:${s.createdBy.sub}`, `role:category_manager@${s.organization}#${s.category}`], `${s.id}: ${kind} overdue`, `${kind} for "${s.title}" was due ${d.lastDay} (${d.basis}).`, { topic: 'deadline_overdue', deadline: deadlineRef(d) });
        }
        break;
      }
      default:
        break; // question_cutoff, latest_answer: passing is the whole effect
    }
    await this.commit();
  }
}

// --- pure helpers -----------------------------------------------------------------------------

function isFinal(phase: Phase): boolean {
  return phase === 'completed' || phase === 'cancelled' || phase === 'unsuccessful';
}

function earliest(deadlines: Deadline[]): Deadline | undefined {
  return [...deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
}

function person(a: { sub: string; name: string }): PersonRef {
  return { sub: a.sub, name: a.name };
}

function actorRef(a: Actor): { sub: string; name: string; org: string } {
  return { sub: a.sub, name: a.name, org: a.org };
}

function deadlineRef(d: { kind: string; lastDay: string; at?: string; basis: string }) {
  return { kind: d.kind, lastDay: d.lastDay, ...(d.at ? { at: d.at } : {}), basis: d.basis };
}

function bodyAddress(b: { organization: string; contactEmail?: string }): string {
  return b.contactEmail ? `email:${b.contactEmail}` : `org:${b.organization}`;
}

function messageOf(err: unknown): string {
  const e = err as { cause?: { message?: string; name?: string }; message?: string };
  return e?.cause?.message || e?.message || e?.cause?.name || String(err);
}

function isPermanentWriteError(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === PERMANENT_DB_ERROR;
}

function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function reasonOf(input: CommandInput<unknown>): string | undefined {
  const p = input.payload as { reason?: unknown; comment?: unknown; note?: unknown } | undefined;
  const r = input.reason ?? p?.reason ?? p?.comment ?? p?.note;
  return typeof r === 'string' && r.length > 0 ? r : undefined;
}

/** A requested day is neither in the past nor more than two years ahead (a typo must not park a tender). */
function checkHorizon(day: string, field: string, nowIso: string): Verdict {
  const problem = deadlineHorizonProblem(day, nowIso.slice(0, 10));
  if (problem === 'past') return refuse('BadRequest', `${field}: ${day} is in the past.`, { field, rule: 'date_in_past' });
  if (problem === 'too_far') {
    return refuse('BadRequest', `${field}: ${day} is more than ${MAX_DEADLINE_YEARS_AHEAD} years ahead.`, { field, rule: 'date_too_far_ahead' });
  }
  return ALLOWED;
}

/** The first violation of a rules-library check as a refusal (422 with its rule and paragraph). */
function fromViolations(violations: RuleViolation[]): Verdict {
  const [v] = violations;
  if (!v) return ALLOWED;
  return refuse('RuleViolation', v.message, { rule: v.rule, paragraph: v.paragraph, ...(v.field ? { field: v.field } : {}) });
}

function optionalDate(v: unknown, field: string): Verdict {
  return v === undefined || isIsoDate(v) ? ALLOWED : refuse('BadRequest', `${field}: a date YYYY-MM-DD.`, { field });
}

function checkNeedsAnalysis(p: CommandPayloads['completeNeedsAnalysis'], s: TenderState): Verdict {
  const sus = p.sustainability as Record<string, unknown> | undefined;
  if (!sus || typeof sus !== 'object') {
    return refuse('RuleViolation', 'A sustainability assessment is required: criteria and level, or why none apply.', {
      rule: 'sustainability_assessment',
      field: 'sustainability',
    });
  }
  if ('notApplicableReason' in sus) {
    if (!nonEmpty(sus.notApplicableReason)) {
      return refuse('RuleViolation', 'Say why no sustainability criteria apply.', { rule: 'sustainability_assessment', field: 'sustainability.notApplicableReason' });
    }
  } else {
    if (!Array.isArray(sus.criteria) || sus.criteria.length === 0 || !sus.criteria.every(nonEmpty)) {
      return refuse('RuleViolation', 'Sustainability criteria are required (or a reason why none apply).', {
        rule: 'sustainability_assessment',
        field: 'sustainability.criteria',
      });
    }
    if (!(SUSTAINABILITY_LEVELS as readonly unknown[]).includes(sus.level)) {
      return refuse('BadRequest', `sustainability.level: one of ${SUSTAINABILITY_LEVELS.join(', ')}.`, { field: 'sustainability.level' });
    }
  }
  const sp = p.supplyPreparedness;
  if (!sp || typeof sp !== 'object') {
    return refuse('RuleViolation', 'A supply-preparedness assessment is required.', { rule: 'supply_preparedness', field: 'supplyPreparedness' });
  }
  if (!(CRITICALITIES as readonly unknown[]).includes(sp.criticality)) {
    return refuse('BadRequest', `supplyPreparedness.criticality: one of ${CRITICALITIES.join(', ')}.`, { field: 'supplyPreparedness.criticality' });
  }
  if ((sp.criticality === 'high' || sp.criticality === 'critical') && !nonEmpty(sp.measures)) {
    return refuse('RuleViolation', `Supply criticality ${sp.criticality} requires preparedness measures.`, {
      rule: 'supply_preparedness',
      field: 'supplyPreparedness.measures',
    });
  }
  if (p.lots !== undefined) {
    if (!Array.isArray(p.lots) || !p.lots.every((l) => nonEmpty(l?.title) && Number.isInteger(l?.estimatedValueSek) && l.estimatedValueSek >= 0)) {
      return refuse('BadRequest', 'lots: [{ title, estimatedValueSek (whole SEK) }].', { field: 'lots' });
    }
    const sum = p.lots.reduce((a, l) => a + l.estimatedValueSek, 0);
    if (sum > s.estimatedValueSek) {
      return refuse('RuleViolation', `The lots add up to ${sum} SEK, more than the tender's estimated value ${s.estimatedValueSek} SEK.`, {
        rule: 'lot_values',
        paragraph: '5 kap. 12 § LOU',
        field: 'lots',
      });
    }
  }
  if (s.regime === 'eu') {
    const lc = p.laborConditions;
    if (!lc || typeof lc.required !== 'boolean' || !nonEmpty(lc.justification)) {
      return refuse('RuleViolation', 'Above the threshold, assess labour conditions: { required, justification }.', {
        rule: 'labour_conditions',
        paragraph: '17 kap. 2 § LOU',
        field: 'laborConditions',
      });
    }
  }
  return fromViolations(validateNeedsAnalysis({ regime: s.regime, annex2: isAnnex2(s.contractType), lots: p.lots, lotJustification: p.lotJustification }));
}

function checkInvitedBodies(bodies: unknown, s: TenderState): Verdict {
  if (bodies === undefined) return ALLOWED;
  if (!Array.isArray(bodies)) return refuse('BadRequest', 'invitedBodies: [{ organization, name, contactEmail }].', { field: 'invitedBodies' });
  const seen = new Set(s.participants.map((b) => b.organization));
  for (const b of bodies as { organization?: unknown; name?: unknown; contactEmail?: unknown }[]) {
    if (typeof b?.organization !== 'string' || !/^[A-Z0-9_-]{2,32}$/.test(b.organization) || !nonEmpty(b.name) || !nonEmpty(b.contactEmail)) {
      return refuse('BadRequest', 'invitedBodies: [{ organization (code), name, contactEmail }].', { field: 'invitedBodies' });
    }
    if (b.organization === s.organization) {
      return refuse('BadRequest', `${s.organization} runs the tender; it is not invited to it.`, { field: 'invitedBodies' });
    }
    if (seen.has(b.organization)) return refuse('Conflict', `${b.organization} is already invited.`, { rule: 'already_invited', field: 'invitedBodies' });
    seen.add(b.organization);
  }
  return ALLOWED;
}

function checkContract(p: CommandPayloads['registerContract'], s: TenderState): Verdict {
  if (s.pendingGates.some((g) => g.gate === 'cancellation')) {
    return refuse('Conflict', 'A cancellation is pending; it is decided before a contract is registered.', { rule: 'cancellation_pending' });
  }
  if (!nonEmpty(p.supplier)) return refuse('BadRequest', 'supplier is required.', { field: 'supplier' });
  if (!Number.isInteger(p.valueSek) || p.valueSek < 0) return refuse('BadRequest', 'valueSek: whole SEK.', { field: 'valueSek' });
  for (const f of ['startDate', 'endDate', 'signedAt'] as const) {
    if (!isIsoDate(p[f])) return refuse('BadRequest', `${f}: a date YYYY-MM-DD.`, { field: f });
  }
  const options = p.options ?? [];
  if (!Array.isArray(options) || !options.every((o) => Number.isInteger(o?.months) && o.months >= 0)) {
    return refuse('BadRequest', 'options: [{ description, months }].', { field: 'options' });
  }
  if (s.regime !== 'direct') {
    const winners = s.award?.winners.map((w) => w.supplier) ?? [];
    if (!winners.includes(p.supplier)) {
      return refuse('RuleViolation', `${p.supplier} is not the awarded supplier (${winners.join(', ') || 'none'}).`, {
        rule: 'awarded_supplier',
        field: 'supplier',
      });
    }
  }
  return ALLOWED;
}

/** Incoherent dates are a bad request; the other contract rules are procurement rules (422). */
function contractRefusal(v: ContractRuleViolation): Refusal {
  return refuse(v.rule === 'contract_dates' ? 'BadRequest' : 'RuleViolation', v.message, { rule: v.rule, paragraph: v.paragraph, field: v.field });
}

/** A deadline the rules library could not compute from the command's input is the caller's error. */
function asRefusal(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'DeadlineInputError') {
    const details = (err.cause.details?.[0] ?? {}) as { field?: string };
    return toFailure(refuse('BadRequest', err.cause.message, details.field ? { field: details.field } : {}));
  }
  return err;
}

/** Search attributes and the readable summary follow the state so administrators can filter. */
function publishState(state: TenderState): void {
  const next = earliest(state.deadlines);
  upsertSearchAttributes([
    { key: SA_TENDER_ID, value: state.id },
    { key: SA_TENDER_PHASE, value: state.phase },
    { key: SA_ORGANIZATION, value: state.organization },
    { key: SA_CATEGORY, value: state.category },
    { key: SA_PROCEDURE_TYPE, value: state.procedure },
    { key: SA_ESTIMATED_VALUE_SEK, value: state.estimatedValueSek },
    { key: SA_NEXT_DEADLINE, value: next ? new Date(next.at) : null },
    { key: SA_TENDER_STALLED, value: state.stalled ? true : null },
  ]);
  setCurrentDetails(
    [
      state.stalled ? `⚠ STALLED since ${state.stalled.since}: ${state.stalled.activity} keeps failing (${state.stalled.error.slice(0, 120)})` : '',
      `**${state.title}** (${state.id})`,
      `Phase: ${state.phase}${state.stage ? ` (${state.stage})` : ''}`,
      `${state.organization} · ${state.category} · ${state.regime}/${state.procedure} · ${state.estimatedValueSek.toLocaleString('sv-SE')} SEK`,
      next ? `Next deadline: ${next.kind} ${next.lastDay}` : 'No running deadline',
      state.pendingGates.length > 0 ? `Awaiting: ${state.pendingGates.map((g) => g.gate).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

