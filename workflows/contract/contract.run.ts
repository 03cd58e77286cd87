/**
 * The run kernel of one contract's follow-up: its state, the plan and its milestones, the commit
 * that ends every change, and the timers (reminders, due dates, escalations, the contract's end,
 * the end of the contract year). The commands are contract.commands.ts.
 */
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MilestoneRef } from '@tenderflow/activities/activity-types';
import type { Actor, IsoDate } from '@tenderflow/domain/types';
import type {
  ContractOutcome,
  ContractStartInput,
  ContractState,
  Milestone,
} from '@tenderflow/temporal-common/contract-types';
import type { PersonRef } from '@tenderflow/temporal-common/tender-types';
import { DURABLE_WRITE_OPTIONS, type CommitActivities, type RecordActivities } from '../shared/activities';
import { CommandKeys } from '../shared/command-auth';
import { StepRecorder } from '../shared/recorder';
import { TakesTurns } from '../shared/turns';
import {
  addMonths,
  dueInstant,
  initialPlan,
  planningHorizon,
  recurringMilestones,
  reminderInstant,
  reprocurementAfterDecline,
  resolvePolicy,
  stockholmDate,
  type PlannedMilestone,
} from './milestone-plan';

/** Recurring milestones on a rolling horizon (planningHorizon) rather than to the end at once. */
const ROLLING_PLAN_PATCH = 'contract-rolling-plan';
import { publishContract } from './contract.visibility';

/** Durable writes: retried until they succeed (idempotent by workflow ID and seq/key/version). */
const { commitStep, appendAudit } = proxyActivities<CommitActivities & Pick<RecordActivities, 'appendAudit'>>(
  DURABLE_WRITE_OPTIONS,
);

const DAY_MS = 86_400_000;

export class ContractRun extends TakesTurns {
  readonly state: ContractState;
  committed: ContractState;
  /** Audit events, notifications and the read model of each step: written in one place (shared/recorder.ts). */
  readonly recorder: StepRecorder<ContractState>;
  lastNextDeadline: string | null | undefined;
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
          ...(input.documentationRecord ? { documentationRecord: input.documentationRecord } : {}),
          ...(c.sanctions?.length
            ? {
                sanctions: {
                  declared: c.sanctions,
                  ...(input.sanctionDelegation ? { delegation: input.sanctionDelegation } : {}),
                },
              }
            : {}),
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
    this.recorder = new StepRecorder<ContractState>(
      () => ({
        tenderId: this.state.tenderId,
        workflowId: this.state.workflowId,
        organization: this.state.organization,
      }),
      { commitStep, appendAudit, snapshot: (state) => ({ kind: 'contract', state }) },
      // In the state: the seq of audit events and notifications goes on across continue-as-new.
      this.state.counters,
    );
  }

  // --- plumbing ---------------------------------------------------------------------------------

  today(): string {
    return stockholmDate(Date.now());
  }

  event(type: string, actor: Actor | (PersonRef & { org?: string }) | null, payload: unknown, reason?: string): void {
    this.recorder.event(type, actor, payload, reason);
  }

  /** A notification for the outbox (StepRecorder.message). */
  message(...args: Parameters<StepRecorder<ContractState>['message']>): void {
    this.recorder.message(...args);
  }

  /** One change: the committed state, search attributes and summary, then the record (shared/recorder.ts). */
  async commit(): Promise<void> {
    this.state.version += 1;
    this.committed = snapshot(this.state);
    publishContract(this, false);
    await this.recorder.record(this.committed);
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
      ...(p.control ? { control: p.control } : {}),
      ...(p.sanctionFor ? { sanctionFor: p.sanctionFor } : {}),
    };
    s.milestones.push(m);
    return m;
  }

  milestoneRef(m: Milestone): MilestoneRef {
    return { contractId: this.state.id, supplier: this.state.supplier, id: m.id, title: m.title, owner: m.owner };
  }

  ownerRecipients(m: Milestone): string[] {
    const s = this.state;
    if (m.kind === 'sanction_decision')
      return [`role:approver@${s.organization}`, `role:procurement_officer@${s.organization}`];
    return m.owner === 'using_unit'
      ? [`role:contract_manager@${s.organization}`]
      : [`user:${this.input.registeredBy.sub}`, `role:procurement_officer@${s.organization}`];
  }

  // --- the plan and its timers ------------------------------------------------------------------

  plan(): void {
    const s = this.state;
    const c = this.input.contract;
    // A rolling horizon (milestone-plan.ts planningHorizon); contracts registered before planned to the end.
    if (patched(ROLLING_PLAN_PATCH)) s.plannedUntil = planningHorizon(s.startDate, s.cycle, s.endDate);
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
        ...(this.input.controls?.length ? { controls: this.input.controls } : {}),
      },
      s.policy,
      s.plannedUntil,
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

  /**
   * Moves the rolling horizon on to this contract year's (planningHorizon), planning the recurring
   * milestones that fall in between; false when there is nothing to plan (or the plan reached the end).
   */
  extendPlan(): boolean {
    const s = this.state;
    if (s.plannedUntil === undefined || s.status !== 'active') return false;
    const until = planningHorizon(s.startDate, s.cycle, s.endDate);
    if (until <= s.plannedUntil) return false;
    const from = s.plannedUntil;
    const added = this.recurring(from, until).map((p) => this.add(p));
    s.plannedUntil = until;
    this.event('milestones.planned', null, {
      from,
      until,
      added: added.map((m) => ({ id: m.id, kind: m.kind, dueDate: m.dueDate })),
    });
    return true;
  }

  /** The recurring milestones due in (after, until]. */
  recurring(after: IsoDate, until: IsoDate) {
    const s = this.state;
    return recurringMilestones(
      {
        startDate: s.startDate,
        criticality: s.criticality,
        labourConditionsRequired: this.input.labourConditionsRequired,
        sustainabilityCriteria: this.input.sustainabilityCriteria.length > 0,
        ...(this.input.followUpPlan ? { followUpPlan: this.input.followUpPlan } : {}),
        ...(this.input.controls?.length ? { controls: this.input.controls } : {}),
      },
      s.policy,
      after,
      until,
    );
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
        this.message(
          'reminder',
          this.ownerRecipients(m),
          `${s.id}: ${m.title} is due ${m.dueDate}`,
          `${m.id} "${m.title}" of the contract with ${s.supplier} is due ${m.dueDate} (${m.basis}).`,
          {
            topic: 'milestone_due',
            milestone: this.milestoneRef(m),
            deadline: milestoneDeadline(m),
          },
        );
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
      {
        topic: 'milestone_overdue',
        milestone: this.milestoneRef(m),
        deadline: milestoneDeadline(m),
        escalation: m.escalations,
      },
    );
  }

  /** The end date has passed: an option not decided on lapses, and the re-procurement is due by the final end. */
  contractEnded(): void {
    const s = this.state;
    s.status = 'ended';
    s.endedAt = this.now();
    for (const m of this.open().filter((x) => x.kind === 'extension_decision')) {
      m.status = 'lapsed';
      this.event(
        'milestone.lapsed',
        null,
        { id: m.id },
        'the contract ended before the extension was decided; the option lapsed',
      );
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
}

export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function milestoneDeadline(m: Milestone) {
  return { kind: m.kind, lastDay: m.dueDate, at: m.dueAt, basis: m.basis };
}
