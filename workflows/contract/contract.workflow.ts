/**
 * The follow-up of one signed contract (`contract-<id>`, DESIGN 3 follow_up), a child of its tender.
 *
 * - The plan comes from milestone-plan.ts (pure: the contract's dates, the needs analysis, the
 *   organisation's policy). Each milestone has an owner side, a due date, a reminder before it and,
 *   once overdue, an escalation to the category manager repeated every week until it is done.
 * - `completeMilestone` (Update, validated) records outcome and note. A deviation adds a
 *   corrective-action milestone; the extension decision moves the end (the plan grows) or makes it
 *   final; the re-procurement start opens a new tender in needs_analysis, linked to this one.
 * - Timers: one loop waits for the earliest reminder, due date, escalation, the contract's end or
 *   the end of the contract year, and re-arms on every change.
 * - History stays small for any length of contract: each contract year is one run; the run ends in
 *   continue-as-new with the state carried over (also earlier, should a year be unusually busy).
 * - The follow-up ends when the contract has ended and every milestone is closed; the tender, which
 *   waits for this workflow's result, then completes.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DURABLE_WRITE_OPTIONS, type CommitActivities } from '../shared/activities';
import { TakesTurns } from '../shared/turns';
import { CommandKeys, handleKeyRotation } from '../shared/command-auth';
import type { AuditEventInput, MilestoneRef, NotificationAbout, NotificationInput } from '../../activities/activity-types';
import type { ContractActivities } from '../../activities/contract.activities';
import type { Actor } from '../../libs/domain/src/types';
import { SA_CATEGORY, SA_NEXT_DEADLINE, SA_ORGANIZATION, SA_TENDER_ID } from '../../libs/temporal-common/src/search-attributes';
import { tenderWorkflowId } from '../../libs/temporal-common/src/ids';
import { ALLOWED, commandInputVerdict, firstRefusal, mayCompleteMilestone, nonEmpty, refuse, toFailure, type Verdict } from '../tender/authority';
import type { CommandInput, PersonRef } from '../tender/tender.messages';
import type { tenderWorkflow } from '../tender/tender.workflow';
import {
  completeMilestoneUpdate,
  getContractStateQuery,
  MILESTONE_OUTCOMES,
  type CompleteMilestonePayload,
  type ContractOutcome,
  type ContractStartInput,
  type ContractState,
  type Milestone,
} from './contract.messages';
import {
  addMonths,
  correctiveAction,
  dueInstant,
  extensionDecision,
  initialPlan,
  nextOptionMonths,
  recurringMilestones,
  reminderInstant,
  reprocurementAfterDecline,
  resolvePolicy,
  stockholmDate,
  type PlannedMilestone,
} from './milestone-plan';

/** Durable writes: retried until they succeed (idempotent by workflow ID and seq/key/version). */
const { commitStep } = proxyActivities<CommitActivities>(DURABLE_WRITE_OPTIONS);

/** Allocates the new tender's id and classifies it; a rule that refuses it will not change by retrying. */
const { prepareReprocurement } = proxyActivities<Pick<ContractActivities, 'prepareReprocurement'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, nonRetryableErrorTypes: ['ReprocurementRefused'] },
});

/** Continue-as-new before a run gets near Temporal's comfort zone, whatever the year held. */
const HISTORY_BUDGET = 1_500;
const DAY_MS = 86_400_000;

export async function contractWorkflow(input: ContractStartInput): Promise<ContractOutcome> {
  const run = new ContractRun(input);
  setHandler(getContractStateQuery, () => run.committed);
  setHandler(completeMilestoneUpdate, (i) => run.exclusive(() => run.complete(i)), {
    validator: (i) => {
      run.keys.assertSigned(i);
      const envelope = commandInputVerdict(i);
      if (!envelope.allowed) throw toFailure(envelope);
      const v = run.verdict(i);
      if (!v.allowed) throw toFailure(v);
    },
  });
  handleKeyRotation(run.keys, (key, actor) =>
    run.exclusive(async () => {
      run.event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey });
      await run.commit();
    }),
  );

  run.publish(true);
  if (!input.carried) {
    run.plan();
    await run.commit();
  }

  for (;;) {
    if (run.done()) break;
    const now = Date.now();
    const next = run.nextEvent();
    if (next <= now) {
      await run.exclusive(() => run.tick());
      continue;
    }
    const cycleEnd = run.cycleEnd();
    const info = workflowInfo();
    if (now >= cycleEnd || info.historyLength > HISTORY_BUDGET || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await run.settled();
      if (run.done()) break;
      if (run.nextEvent() <= Date.now()) continue; // something fell due meanwhile: handle it in this run
      run.state.cycle = run.cycleAt(Date.now());
      run.state.runs += 1;
      return continueAsNew<typeof contractWorkflow>({ ...input, commandKeys: run.keys.all(), carried: run.state });
    }
    const seen = run.state.version;
    await condition(() => run.state.version !== seen, Math.max(1, Math.min(next, cycleEnd) - now));
  }
  await condition(allHandlersFinished);
  await run.settled();
  return run.outcome();
}

class ContractRun extends TakesTurns {
  readonly state: ContractState;
  committed: ContractState;
  private audit: AuditEventInput[] = [];
  private outbox: NotificationInput[] = [];
  private lastNextDeadline: string | null | undefined;
  /** Whose signatures commands must carry (shared/command-auth.ts); carried into the next run. */
  readonly keys: CommandKeys;

  constructor(readonly input: ContractStartInput) {
    super();
    this.keys = new CommandKeys(input.commandKeys);
    const c = input.contract;
    const optionMonths = (c.options ?? []).reduce((a, o) => a + o.months, 0);
    this.state = input.carried
      ? { ...input.carried, workflowId: workflowInfo().workflowId }
      : {
          id: input.contractId,
          workflowId: workflowInfo().workflowId,
          tenderId: input.tenderId,
          title: input.title,
          organization: input.organization,
          category: input.category,
          supplier: c.supplier,
          valueSek: c.valueSek,
          signedAt: c.signedAt,
          startDate: c.startDate,
          originalEndDate: c.endDate,
          endDate: c.endDate,
          optionMonthsRemaining: optionMonths,
          latestEndDate: addMonths(c.endDate, optionMonths),
          extensions: [],
          buyers: input.buyers,
          criticality: input.criticality,
          policy: resolvePolicy(input.policy),
          status: 'active',
          milestones: [],
          commands: [],
          cycle: 0,
          runs: 1,
          counters: { audit: 0, notifications: 0, milestones: 0 },
          createdAt: input.registeredAt,
          version: 0,
        };
    if (!input.carried) this.state.cycle = this.cycleAt(Date.now());
    this.committed = snapshot(this.state);
  }

  // --- plumbing ---------------------------------------------------------------------------------


  today(): string {
    return stockholmDate(Date.now());
  }

  event(type: string, actor: Actor | (PersonRef & { org?: string }) | null, payload: unknown, reason?: string): void {
    this.audit.push({
      tenderId: this.state.tenderId,
      workflowId: this.state.workflowId,
      seq: ++this.state.counters.audit,
      type,
      actor: actor ? { sub: actor.sub, name: actor.name, org: actor.org ?? this.state.organization } : null,
      at: this.now(),
      ...(reason ? { reason } : {}),
      payload,
    });
  }

  message(kind: NotificationInput['kind'], recipients: string[], subject: string, body: string, about?: NotificationAbout): void {
    const key = `${this.state.workflowId}:${kind}:${++this.state.counters.notifications}`;
    const unique = recipients.filter((r, i) => recipients.indexOf(r) === i);
    this.outbox.push({ key, tenderId: this.state.tenderId, kind, recipients: unique, subject, body, ...(about ? { about } : {}) });
    this.event('notification.queued', null, { key, kind, recipients: unique, subject });
  }

  /** One change: audit, notifications and the read model, written in one transaction (idempotent). */
  async commit(): Promise<void> {
    this.state.version += 1;
    this.committed = snapshot(this.state);
    this.publish(false);
    const step = { workflowId: this.state.workflowId, events: this.audit.splice(0), notifications: this.outbox.splice(0) };
    await commitStep({ ...step, snapshot: { kind: 'contract', state: this.committed } });
  }

  /** Search attributes (only when they change: each upsert is a history event) and the readable summary. */
  publish(first: boolean): void {
    const s = this.state;
    const next = this.open().sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    const nextAt = next ? next.dueAt : null;
    if (first || nextAt !== this.lastNextDeadline) {
      upsertSearchAttributes([
        ...(first
          ? [
              { key: SA_TENDER_ID, value: s.tenderId },
              { key: SA_ORGANIZATION, value: s.organization },
              { key: SA_CATEGORY, value: s.category },
            ]
          : []),
        { key: SA_NEXT_DEADLINE, value: nextAt ? new Date(nextAt) : null },
      ]);
      this.lastNextDeadline = nextAt;
    }
    const overdue = s.milestones.filter((m) => m.status === 'overdue');
    setCurrentDetails(
      [
        `**${s.title}** — contract ${s.id} with ${s.supplier}`,
        `${s.startDate} – ${s.endDate}${s.optionMonthsRemaining > 0 ? ` (+${s.optionMonthsRemaining} option months)` : ''} · ${s.status} · year ${s.cycle + 1}, run ${s.runs}`,
        next ? `Next: ${next.id} ${next.title}, due ${next.dueDate}` : 'No open milestone',
        overdue.length > 0 ? `Overdue: ${overdue.map((m) => m.id).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }

  done(): boolean {
    return this.state.status === 'completed';
  }

  open(): Milestone[] {
    return this.state.milestones.filter((m) => m.status === 'scheduled' || m.status === 'overdue');
  }

  add(p: PlannedMilestone): Milestone {
    const s = this.state;
    const m: Milestone = {
      id: `M${++s.counters.milestones}`,
      kind: p.kind,
      title: p.title,
      owner: p.owner,
      dueDate: p.dueDate,
      dueAt: dueInstant(p.dueDate),
      remindAt: s.policy.reminderDays > 0 ? reminderInstant(p.dueDate, s.policy.reminderDays) : null,
      basis: p.basis,
      status: 'scheduled',
      escalations: 0,
      ...(p.correctiveFor ? { correctiveFor: p.correctiveFor } : {}),
    };
    s.milestones.push(m);
    return m;
  }

  milestoneRef(m: Milestone): MilestoneRef {
    return { contractId: this.state.id, supplier: this.state.supplier, id: m.id, title: m.title, owner: m.owner };
  }

  ownerRecipients(m: Milestone): string[] {
    const s = this.state;
    return m.owner === 'using_unit'
      ? [`role:contract_manager@${s.organization}`]
      : [`user:${this.input.registeredBy.sub}`, `role:procurement_officer@${s.organization}`];
  }

  // --- the plan and its timers ------------------------------------------------------------------

  plan(): void {
    const s = this.state;
    const c = this.input.contract;
    const planned = initialPlan(
      {
        signedAt: c.signedAt,
        startDate: c.startDate,
        endDate: c.endDate,
        optionMonthsRemaining: s.optionMonthsRemaining,
        criticality: s.criticality,
        labourConditionsRequired: this.input.labourConditionsRequired,
        sustainabilityCriteria: this.input.sustainabilityCriteria.length > 0,
        obligations: this.input.obligations,
        ...(this.input.followUpPlan ? { followUpPlan: this.input.followUpPlan } : {}),
      },
      s.policy,
    );
    for (const p of planned) this.add(p);
    this.event('contract.registered', this.input.registeredBy, {
      contractId: s.id,
      supplier: s.supplier,
      startDate: s.startDate,
      endDate: s.endDate,
      optionMonths: s.optionMonthsRemaining,
      buyers: s.buyers.map((b) => b.organization),
      plan: s.milestones.map((m) => ({ id: m.id, kind: m.kind, dueDate: m.dueDate, owner: m.owner })),
    });
  }

  nextEscalationAt(m: Milestone): number {
    return Date.parse(m.dueAt) + m.escalations * this.state.policy.escalationIntervalDays * DAY_MS;
  }

  /** The earliest instant something is due to happen (reminder, due date, escalation, the contract's end). */
  nextEvent(): number {
    const s = this.state;
    const times: number[] = [];
    for (const m of this.open()) {
      if (m.status === 'scheduled') {
        times.push(Date.parse(m.dueAt));
        if (m.remindAt && !m.remindedAt) times.push(Date.parse(m.remindAt));
      } else {
        times.push(this.nextEscalationAt(m));
      }
    }
    if (s.status === 'active') times.push(Date.parse(dueInstant(s.endDate)));
    return times.length > 0 ? Math.min(...times) : Number.POSITIVE_INFINITY;
  }

  /** The contract year an instant falls in (0 until the first anniversary of the start). */
  cycleAt(ms: number): number {
    let k = 0;
    while (Date.parse(dueInstant(addMonths(this.state.startDate, 12 * (k + 1)))) <= ms) k += 1;
    return k;
  }

  cycleEnd(): number {
    return Date.parse(dueInstant(addMonths(this.state.startDate, 12 * (this.state.cycle + 1))));
  }

  async tick(): Promise<void> {
    const s = this.state;
    const now = Date.now();
    let changed = false;
    for (const m of this.open()) {
      if (m.status === 'scheduled' && now >= Date.parse(m.dueAt)) {
        m.status = 'overdue';
        this.escalate(m);
        changed = true;
      } else if (m.status === 'scheduled' && m.remindAt && !m.remindedAt && now >= Date.parse(m.remindAt)) {
        m.remindedAt = this.now();
        this.event('milestone.reminded', null, { id: m.id, kind: m.kind, dueDate: m.dueDate });
        this.message('reminder', this.ownerRecipients(m), `${s.id}: ${m.title} is due ${m.dueDate}`, `${m.id} "${m.title}" of the contract with ${s.supplier} is due ${m.dueDate} (${m.basis}).`, {
          topic: 'milestone_due',
          milestone: this.milestoneRef(m),
          deadline: milestoneDeadline(m),
        });
        changed = true;
      } else if (m.status === 'overdue' && now >= this.nextEscalationAt(m)) {
        this.escalate(m);
        changed = true;
      }
    }
    if (s.status === 'active' && now >= Date.parse(dueInstant(s.endDate))) {
      this.contractEnded();
      changed = true;
    }
    if (!changed) return;
    this.closeIfDone();
    await this.commit();
  }

  escalate(m: Milestone): void {
    const s = this.state;
    m.escalations += 1;
    m.lastEscalatedAt = this.now();
    const days = Math.round((Date.now() - Date.parse(m.dueAt)) / DAY_MS);
    this.event('milestone.escalated', null, { id: m.id, kind: m.kind, dueDate: m.dueDate, escalation: m.escalations });
    this.message(
      'escalation',
      [`role:category_manager@${s.organization}#${s.category}`, ...this.ownerRecipients(m)],
      `${s.id}: ${m.title} is overdue${m.escalations > 1 ? ` (escalation ${m.escalations})` : ''}`,
      `${m.id} "${m.title}" (owner: ${m.owner === 'using_unit' ? 'the using unit' : 'the procurement department'}) was due ${m.dueDate}` +
        `${days > 0 ? `, ${days} days ago` : ''}. Contract ${s.id} with ${s.supplier}.`,
      { topic: 'milestone_overdue', milestone: this.milestoneRef(m), deadline: milestoneDeadline(m), escalation: m.escalations },
    );
  }

  /** The end date has passed: an option not decided on lapses, and the re-procurement is due by the final end. */
  contractEnded(): void {
    const s = this.state;
    s.status = 'ended';
    s.endedAt = this.now();
    for (const m of this.open().filter((x) => x.kind === 'extension_decision')) {
      m.status = 'lapsed';
      this.event('milestone.lapsed', null, { id: m.id }, 'the contract ended before the extension was decided; the option lapsed');
    }
    if (s.optionMonthsRemaining > 0) this.finalEnd();
    this.event('contract.ended', null, { endDate: s.endDate, extensions: s.extensions.length });
  }

  /** No option remains: the current end is final; an open re-procurement start moves before it. */
  finalEnd(): void {
    const s = this.state;
    s.optionMonthsRemaining = 0;
    s.latestEndDate = s.endDate;
    for (const m of this.open().filter((x) => x.kind === 'reprocurement_start')) {
      const moved = reprocurementAfterDecline(s.endDate, this.today(), s.policy);
      if (moved.dueDate === m.dueDate) continue;
      const from = m.dueDate;
      m.dueDate = moved.dueDate;
      m.dueAt = dueInstant(moved.dueDate);
      m.remindAt = s.policy.reminderDays > 0 ? reminderInstant(moved.dueDate, s.policy.reminderDays) : null;
      m.basis = moved.basis;
      if (Date.now() < Date.parse(m.dueAt)) {
        m.status = 'scheduled';
        m.escalations = 0;
        delete m.lastEscalatedAt;
      }
      delete m.remindedAt;
      this.event('milestone.moved', null, { id: m.id, from, to: m.dueDate }, moved.basis);
    }
  }

  closeIfDone(): void {
    const s = this.state;
    if (s.status === 'ended' && this.open().length === 0) {
      s.status = 'completed';
      s.completedAt = this.now();
      this.event('follow_up.completed', null, { endDate: s.endDate, milestones: s.milestones.length });
    }
  }

  outcome(): ContractOutcome {
    const s = this.state;
    return {
      contractId: s.id,
      endDate: s.endDate,
      extensions: s.extensions,
      ...(s.successorTenderId ? { successorTenderId: s.successorTenderId } : {}),
      milestones: {
        total: s.milestones.length,
        deviations: s.milestones.filter((m) => m.completion?.outcome === 'deviation').length,
        lapsed: s.milestones.filter((m) => m.status === 'lapsed').length,
      },
      completedAt: s.completedAt ?? this.now(),
    };
  }

  // --- completion -------------------------------------------------------------------------------

  verdict(i: CommandInput<CompleteMilestonePayload>): Verdict {
    if (!i || typeof i !== 'object' || !i.payload || typeof i.payload !== 'object') return refuse('BadRequest', 'A command needs { actor, payload }.');
    const { actor, payload: p } = i;
    if (!actor || typeof actor.sub !== 'string' || !Array.isArray(actor.roles)) return refuse('BadRequest', 'The command carries no valid actor.', { field: 'actor' });
    const s = this.state;
    const m = s.milestones.find((x) => x.id === p.milestoneId);
    if (!m) return refuse('NotFound', `Contract ${s.id} has no milestone ${p.milestoneId}.`, { field: 'milestoneId' });
    return firstRefusal(
      () => mayCompleteMilestone(actor, s, m.owner),
      () => (m.status === 'done' || m.status === 'lapsed'
        ? refuse('Conflict', `${m.id} is already ${m.status}${m.completion ? ` (${m.completion.outcome}, by ${m.completion.by.name} on ${m.completion.at.slice(0, 10)})` : ''}.`, {
            rule: 'milestone_closed',
          })
        : ALLOWED),
      () => ((MILESTONE_OUTCOMES as readonly unknown[]).includes(p.outcome) ? ALLOWED : refuse('BadRequest', "outcome: 'ok' or 'deviation'.", { field: 'outcome' })),
      () => (nonEmpty(p.note) ? ALLOWED : refuse('BadRequest', 'note: what was found or done.', { field: 'note' })),
      () => this.checkExtension(m, p),
    );
  }

  checkExtension(m: Milestone, p: CompleteMilestonePayload): Verdict {
    const s = this.state;
    if (m.kind !== 'extension_decision') {
      return p.extend === undefined && p.months === undefined ? ALLOWED : refuse('BadRequest', 'extend and months belong to the extension decision.', { field: 'extend' });
    }
    if (typeof p.extend !== 'boolean') return refuse('BadRequest', 'The extension decision says extend: true (use an option) or false (let the contract end).', { field: 'extend' });
    if (!p.extend) return p.months === undefined ? ALLOWED : refuse('BadRequest', 'months only with extend: true.', { field: 'months' });
    if (s.status !== 'active') return refuse('Conflict', `The contract ended on ${s.endDate}; it can no longer be extended.`, { rule: 'contract_ended' });
    const months = p.months ?? nextOptionMonths(this.input.contract.options ?? [], s.optionMonthsRemaining);
    if (!Number.isInteger(months) || months <= 0 || months > s.optionMonthsRemaining) {
      return refuse('RuleViolation', `An extension stays within the options: at most ${s.optionMonthsRemaining} months remain.`, {
        rule: 'extension_within_options',
        paragraph: 'the contract\'s option terms; 7 kap. 2 § LOU for framework agreements',
        field: 'months',
      });
    }
    return ALLOWED;
  }

  async complete(i: CommandInput<CompleteMilestonePayload>): Promise<ContractState> {
    const v = this.verdict(i);
    if (!v.allowed) throw toFailure(v);
    const s = this.state;
    const { actor, payload: p } = i;
    const m = s.milestones.find((x) => x.id === p.milestoneId)!;
    // Anything that may refuse runs before the state changes.
    const successor = m.kind === 'reprocurement_start' ? await this.startReprocurement(m, actor) : undefined;

    const at = this.now();
    const today = this.today();
    m.status = 'done';
    m.completion = {
      outcome: p.outcome,
      note: p.note,
      by: { sub: actor.sub, name: actor.name },
      at,
      ...(p.reference ? { reference: p.reference } : {}),
    };
    s.commands.push({ command: 'completeMilestone', actor: { sub: actor.sub, name: actor.name, org: actor.org }, at, reason: p.note, payload: p });
    this.event('milestone.completed', actor, { id: m.id, kind: m.kind, outcome: p.outcome, extend: p.extend, months: p.months }, p.note);

    if (m.kind === 'extension_decision') this.decideExtension(m, p, actor);
    if (successor) {
      s.successorTenderId = successor;
      m.completion.successorTenderId = successor;
    }
    if (p.outcome === 'deviation') {
      const c = this.add(correctiveAction(m, today, s.policy));
      m.completion.correctiveActionId = c.id;
      this.event('milestone.planned', actor, { id: c.id, kind: c.kind, dueDate: c.dueDate, correctiveFor: m.id }, p.note);
      this.message(
        'other',
        [...this.ownerRecipients(c), `role:category_manager@${s.organization}#${s.category}`],
        `${s.id}: deviation in ${m.title}`,
        `${actor.name} recorded a deviation in ${m.id} "${m.title}": ${p.note}. Corrective action ${c.id} is due ${c.dueDate}.`,
        {
          topic: 'milestone_deviation',
          milestone: this.milestoneRef(m),
          note: p.note,
          by: { sub: actor.sub, name: actor.name },
          correctiveAction: this.milestoneRef(c),
          deadline: milestoneDeadline(c),
        },
      );
    }
    this.closeIfDone();
    await this.commit();
    return this.committed;
  }

  decideExtension(m: Milestone, p: CompleteMilestonePayload, actor: Actor): void {
    const s = this.state;
    const by = { sub: actor.sub, name: actor.name };
    if (p.extend) {
      const months = p.months ?? nextOptionMonths(this.input.contract.options ?? [], s.optionMonthsRemaining);
      const from = s.endDate;
      const to = addMonths(from, months);
      s.endDate = to;
      s.optionMonthsRemaining -= months;
      s.latestEndDate = addMonths(to, s.optionMonthsRemaining);
      s.extensions.push({ milestoneId: m.id, extend: true, months, from, to, decidedBy: by, at: this.now() });
      m.completion!.extend = true;
      m.completion!.months = months;
      const grown = recurringMilestones(
        {
          startDate: s.startDate,
          criticality: s.criticality,
          labourConditionsRequired: this.input.labourConditionsRequired,
          sustainabilityCriteria: this.input.sustainabilityCriteria.length > 0,
          ...(this.input.followUpPlan ? { followUpPlan: this.input.followUpPlan } : {}),
        },
        s.policy,
        from,
        to,
      );
      const next = extensionDecision(to, s.optionMonthsRemaining, s.policy);
      const added = [...grown, ...(next ? [next] : [])].map((x) => this.add(x));
      this.event('contract.extended', actor, { from, to, months, optionMonthsRemaining: s.optionMonthsRemaining, added: added.map((x) => x.id) }, p.note);
      this.message('other', [`role:procurement_officer@${s.organization}`, `role:contract_manager@${s.organization}`], `${s.id}: extended to ${to}`, `The contract with ${s.supplier} is extended by ${months} months, from ${from} to ${to}. ${p.note}`, {
        topic: 'contract_extended',
        contractId: s.id,
        supplier: s.supplier,
        from,
        to,
        months,
        note: p.note,
      });
      return;
    }
    s.extensions.push({ milestoneId: m.id, extend: false, months: 0, from: s.endDate, to: s.endDate, decidedBy: by, at: this.now() });
    m.completion!.extend = false;
    this.event('contract.extension_declined', actor, { endDate: s.endDate, optionMonthsDeclined: s.optionMonthsRemaining }, p.note);
    this.finalEnd();
    this.message('other', [`role:procurement_officer@${s.organization}`, `role:contract_manager@${s.organization}`], `${s.id}: ends ${s.endDate}`, `No extension: the contract with ${s.supplier} ends ${s.endDate}. Re-procurement is due to start. ${p.note}`, {
      topic: 'contract_ends',
      contractId: s.id,
      supplier: s.supplier,
      endDate: s.endDate,
      note: p.note,
    });
  }

  /** A new tender in needs_analysis, linked to this one; it lives on its own (ABANDON). */
  async startReprocurement(m: Milestone, actor: Actor): Promise<string> {
    const s = this.state;
    let start;
    try {
      start = await prepareReprocurement({
        workflowId: s.workflowId,
        milestoneId: m.id,
        previousTenderId: s.tenderId,
        title: s.title,
        organization: s.organization,
        category: s.category,
        contractType: this.input.contractType,
        estimatedValueSek: this.input.estimatedValueSek,
        frameworkAgreement: this.input.frameworkAgreement,
        ...(this.input.contractTermMonths !== undefined ? { contractTermMonths: this.input.contractTermMonths } : {}),
        extensionOptionMonths: (this.input.contract.options ?? []).reduce((a, o) => a + o.months, 0),
        ...(this.input.regime === 'direct' ? { procedure: 'direct_award' as const } : {}),
        createdBy: actor,
        createdAt: this.now(),
      });
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ReprocurementRefused') {
        throw toFailure(refuse('RuleViolation', `The re-procurement cannot start: ${err.cause.message}`, { rule: 'reprocurement_refused' }));
      }
      throw err;
    }
    await startChild<typeof tenderWorkflow>('tenderWorkflow', {
      workflowId: tenderWorkflowId(start.id),
      args: [{ ...start, commandKeys: this.keys.all() }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    this.event('reprocurement.started', actor, { tenderId: start.id, workflowId: tenderWorkflowId(start.id), milestoneId: m.id });
    return start.id;
  }
}

function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function milestoneDeadline(m: Milestone) {
  return { kind: m.kind, lastDay: m.dueDate, at: m.dueAt, basis: m.basis };
}
