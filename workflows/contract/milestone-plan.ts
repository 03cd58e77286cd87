/**
 * The follow-up plan of a contract (ARCHITECTURE §3 follow_up), as pure functions of the contract's dates,
 * the needs analysis and the policy. Deterministic: no clock, no I/O, no time-zone database, so the
 * contract workflow can call it directly and a replay computes the same plan.
 *
 * Dates are Swedish calendar dates (YYYY-MM-DD). Due instants are the end of the day in Stockholm;
 * the offset follows the EU summer-time rule (last Sunday of March 01:00 UTC to last Sunday of
 * October 01:00 UTC, in force since 1996), checked in the spec against the rules library's
 * tz-database version.
 */
import type { FollowUpPlanItem } from '@tenderflow/domain/policy';
import { FREQUENCY_MONTHS, type FollowUpMethod } from '@tenderflow/domain/requirements';
import type { Criticality, IsoDate } from '@tenderflow/domain/types';
import {
  DEFAULT_FOLLOW_UP_POLICY,
  type ContractControl,
  type FollowUpPolicy,
  type Milestone,
  type MilestoneKind,
  type OwnerSide,
} from '@tenderflow/temporal-common/contract-types';

export interface PlannedMilestone {
  kind: MilestoneKind;
  title: string;
  owner: OwnerSide;
  dueDate: IsoDate;
  basis: string;
  correctiveFor?: string;
  control?: Milestone['control'];
  sanctionFor?: Milestone['sanctionFor'];
}

/** What the plan depends on. */
export interface PlanContract {
  signedAt: IsoDate;
  startDate: IsoDate;
  endDate: IsoDate;
  /** Option months not yet used (all of them at registration). */
  optionMonthsRemaining: number;
  criticality: Criticality;
  labourConditionsRequired: boolean;
  sustainabilityCriteria: boolean;
  obligations: { kind: 'post_award_notice' | 'documentation'; lastDay: IsoDate; basis: string }[];
  /** The follow-up plan registered with the documents: each line recurs every `everyMonths` from the start. */
  followUpPlan?: readonly FollowUpPlanItem[];
  /** The register's controls: a one-off at the start-up meeting, a recurring one every FREQUENCY_MONTHS from the start. */
  controls?: readonly ContractControl[];
}

const METHOD_WORDS: Readonly<Record<FollowUpMethod, string>> = {
  self_declaration: "supplier's self-declaration",
  document: 'document',
  sample: 'sample',
  audit: 'audit',
  statistics: 'statistics',
};

/** A control's milestone: what is checked and how, and where the check comes from. */
function controlMilestone(control: ContractControl, dueDate: IsoDate, title: string, when: string): PlannedMilestone {
  const criterion = control.criterionId ? `; Upphandlingsmyndigheten's criterion ${control.criterionId}` : '';
  return {
    kind: 'control',
    title,
    owner: control.owner,
    dueDate,
    basis: `requirements register ${control.requirementId} (${control.kind.replace(/_/g, ' ')}${control.lot ? `, lot ${control.lot}` : ''}): ${METHOD_WORDS[control.method]}, ${control.frequency.replace(/_/g, ' ')}${criterion}; ${when}`,
    control: {
      requirementId: control.requirementId,
      method: control.method,
      ...(control.criterionId ? { criterionId: control.criterionId } : {}),
    },
  };
}

export function resolvePolicy(p: Partial<FollowUpPolicy> | undefined): FollowUpPolicy {
  const out = { ...DEFAULT_FOLLOW_UP_POLICY };
  for (const [k, v] of Object.entries(p ?? {}) as [keyof FollowUpPolicy, unknown][]) {
    if (Number.isInteger(v) && (v as number) >= 0 && k in out) out[k] = v as number;
  }
  return out;
}

/** Who owns each kind of milestone (the policy's split between procurement and the using unit). */
export const OWNERS: Readonly<
  Record<Exclude<MilestoneKind, 'corrective_action' | 'planned_follow_up' | 'control'>, OwnerSide>
> = {
  startup_meeting: 'procurement',
  periodic_review: 'using_unit',
  labour_conditions_check: 'procurement',
  sustainability_check: 'procurement',
  extension_decision: 'procurement',
  reprocurement_start: 'procurement',
  post_award_notice: 'procurement',
  documentation: 'procurement',
  modification_notice: 'procurement',
  sanction_decision: 'procurement',
};

export function reviewIntervalMonths(criticality: Criticality, policy: FollowUpPolicy): number {
  return criticality === 'high' || criticality === 'critical'
    ? policy.reviewIntervalMonthsHigh
    : policy.reviewIntervalMonths;
}

/**
 * The plan at registration: one-off duties, recurring checks up to `until` (the current end, or the
 * rolling horizon before it: planningHorizon), the decisions before the end.
 */
export function initialPlan(c: PlanContract, policy: FollowUpPolicy, until: IsoDate = c.endDate): PlannedMilestone[] {
  const plan: PlannedMilestone[] = [];
  for (const o of c.obligations) {
    plan.push({
      kind: o.kind,
      title:
        o.kind === 'post_award_notice'
          ? 'Post-award notice (efterannons)'
          : 'Procurement documentation and individual report',
      owner: OWNERS[o.kind],
      dueDate: o.lastDay,
      basis: o.basis,
    });
  }
  plan.push({
    kind: 'startup_meeting',
    title: 'Start-up meeting with the supplier',
    owner: OWNERS.startup_meeting,
    dueDate: addDays(c.startDate, policy.startupMeetingDays),
    basis: `policy: within ${policy.startupMeetingDays} days of the contract start (${c.startDate})`,
  });
  // A one-off control is made by the start-up meeting, where the supplier shows what it promised.
  for (const control of (c.controls ?? []).filter((x) => FREQUENCY_MONTHS[x.frequency] === undefined)) {
    plan.push(
      controlMilestone(
        control,
        addDays(c.startDate, policy.startupMeetingDays),
        `Control: ${control.requirementId} (${METHOD_WORDS[control.method]})`,
        `once, by the start-up meeting (start ${c.startDate} + ${policy.startupMeetingDays} days)`,
      ),
    );
  }
  plan.push(...recurringMilestones(c, policy, null, until < c.endDate ? until : c.endDate));
  const decision = extensionDecision(c.endDate, c.optionMonthsRemaining, policy);
  if (decision) plan.push(decision);
  plan.push(reprocurementStart(addMonths(c.endDate, c.optionMonthsRemaining), c.optionMonthsRemaining === 0, policy));
  return sortPlan(plan);
}

/**
 * Recurring milestones anchored at the contract start (start + k × interval), due after `after`
 * (exclusive; null: from the start) and no later than `until`. Extending the contract calls this
 * with (old end, new end], so the plan grows without repeating or shifting what was planned.
 */
export function recurringMilestones(
  c: Pick<
    PlanContract,
    'startDate' | 'criticality' | 'labourConditionsRequired' | 'sustainabilityCriteria' | 'followUpPlan' | 'controls'
  >,
  policy: FollowUpPolicy,
  after: IsoDate | null,
  until: IsoDate,
): PlannedMilestone[] {
  const series: {
    kind: MilestoneKind;
    owner: OwnerSide;
    months: number;
    title: (n: number, due: IsoDate) => string;
    basis: string;
    control?: ContractControl;
  }[] = [];
  const review = reviewIntervalMonths(c.criticality, policy);
  series.push({
    kind: 'periodic_review',
    owner: OWNERS.periodic_review,
    months: review,
    title: (n) => `Periodic review ${n}`,
    basis: `policy: every ${review} months (supply criticality ${c.criticality})`,
  });
  if (c.labourConditionsRequired) {
    series.push({
      kind: 'labour_conditions_check',
      owner: OWNERS.labour_conditions_check,
      months: policy.labourConditionsCheckMonths,
      title: (_n, due) => `Labour-conditions check ${due.slice(0, 4)}`,
      basis: `policy: every ${policy.labourConditionsCheckMonths} months, labour conditions required (17 kap. 2 § LOU)`,
    });
  }
  if (c.sustainabilityCriteria) {
    series.push({
      kind: 'sustainability_check',
      owner: OWNERS.sustainability_check,
      months: policy.sustainabilityCheckMonths,
      title: (_n, due) => `Sustainability check ${due.slice(0, 4)}`,
      basis: `policy: every ${policy.sustainabilityCheckMonths} months, sustainability criteria were set`,
    });
  }
  for (const item of c.followUpPlan ?? []) {
    series.push({
      kind: 'planned_follow_up',
      owner: item.owner ?? 'using_unit',
      months: item.everyMonths,
      title: (n) => `Follow-up ${n}: ${item.what}`,
      basis: `follow-up plan: ${item.what} (how: ${item.how}; by: ${item.byWhom}), every ${item.everyMonths} months`,
    });
  }
  for (const control of c.controls ?? []) {
    const months = FREQUENCY_MONTHS[control.frequency];
    if (months === undefined) continue;
    series.push({
      kind: 'control',
      owner: control.owner,
      months,
      title: (n) => `Control ${n}: ${control.requirementId} (${METHOD_WORDS[control.method]})`,
      basis: '',
      control,
    });
  }
  const plan: PlannedMilestone[] = [];
  for (const s of series) {
    if (s.months <= 0) continue;
    for (let n = 1; ; n++) {
      const due = addMonths(c.startDate, n * s.months);
      if (due > until) break;
      if (after !== null && due <= after) continue;
      if (s.control) {
        plan.push(controlMilestone(s.control, due, s.title(n, due), `start ${c.startDate} + ${n * s.months} months`));
        continue;
      }
      plan.push({
        kind: s.kind,
        title: s.title(n, due),
        owner: s.owner,
        dueDate: due,
        basis: `${s.basis}; start ${c.startDate} + ${n * s.months} months`,
      });
    }
  }
  return sortPlan(plan);
}

/**
 * How far recurring milestones are planned in contract year `cycle` (0 until the first anniversary
 * of the start): to the end of the next contract year, so that at least a year of checks is always
 * planned, and never past the current end. A 10-year contract thus holds two years of recurring
 * milestones at a time, not ten (ARCHITECTURE §5: state and steps bounded whatever the contract's length).
 */
export function planningHorizon(startDate: IsoDate, cycle: number, endDate: IsoDate): IsoDate {
  const horizon = addMonths(startDate, 12 * (cycle + 2));
  return horizon < endDate ? horizon : endDate;
}

/** Decide on the next option before the current end; none when no option remains. */
export function extensionDecision(
  endDate: IsoDate,
  optionMonthsRemaining: number,
  policy: FollowUpPolicy,
): PlannedMilestone | null {
  if (optionMonthsRemaining <= 0) return null;
  return {
    kind: 'extension_decision',
    title: `Extension decision (ends ${endDate}; ${optionMonthsRemaining} option months remain)`,
    owner: OWNERS.extension_decision,
    dueDate: addMonths(endDate, -policy.extensionDecisionMonthsBeforeEnd),
    basis: `policy: ${policy.extensionDecisionMonthsBeforeEnd} months before the current end ${endDate}`,
  };
}

/**
 * Start the re-procurement before the final end. While options remain, the final end is not known
 * and the plan assumes the latest possible one (every option used); when an extension is declined,
 * `reprocurementAfterDecline` moves it to the now-final end, at the earliest the day of the decision.
 */
export function reprocurementStart(finalEnd: IsoDate, final: boolean, policy: FollowUpPolicy): PlannedMilestone {
  return {
    kind: 'reprocurement_start',
    title: 'Re-procurement start',
    owner: OWNERS.reprocurement_start,
    dueDate: addMonths(finalEnd, -policy.reprocurementMonthsBeforeEnd),
    basis: `policy: ${policy.reprocurementMonthsBeforeEnd} months before the ${final ? 'final' : 'latest possible'} end ${finalEnd}`,
  };
}

export function reprocurementAfterDecline(
  finalEnd: IsoDate,
  decidedOn: IsoDate,
  policy: FollowUpPolicy,
): { dueDate: IsoDate; basis: string } {
  const planned = addMonths(finalEnd, -policy.reprocurementMonthsBeforeEnd);
  return planned >= decidedOn
    ? {
        dueDate: planned,
        basis: `policy: ${policy.reprocurementMonthsBeforeEnd} months before the final end ${finalEnd} (extension declined)`,
      }
    : {
        dueDate: decidedOn,
        basis: `policy: ${policy.reprocurementMonthsBeforeEnd} months before the final end ${finalEnd} had passed when the extension was declined: due at once`,
      };
}

export function correctiveAction(
  of: Pick<Milestone, 'id' | 'title' | 'owner'>,
  decidedOn: IsoDate,
  policy: FollowUpPolicy,
  dueDate?: IsoDate,
): PlannedMilestone {
  return {
    kind: 'corrective_action',
    title: `Corrective action after ${of.id} (${of.title})`,
    owner: of.owner,
    dueDate: dueDate ?? addDays(decidedOn, policy.correctiveActionDays),
    basis: dueDate
      ? `the supplier corrects the deviation in ${of.id} by ${dueDate}, as set when it was recorded on ${decidedOn}`
      : `policy: a deviation in ${of.id} is corrected within ${policy.correctiveActionDays} days`,
    correctiveFor: of.id,
  };
}

/**
 * The notice of a change made under 17 kap. 11 or 12 § LOU (17 kap. 16 §), due the policy's days
 * after the change: LOU sets no time limit of its own.
 */
export function modificationNotice(
  changeId: string,
  paragraph: string,
  decidedOn: IsoDate,
  policy: FollowUpPolicy,
): PlannedMilestone {
  const days = policy.modificationNoticeDays ?? DEFAULT_FOLLOW_UP_POLICY.modificationNoticeDays;
  return {
    kind: 'modification_notice',
    title: `Notice of change ${changeId} (17 kap. 16 § LOU)`,
    owner: OWNERS.modification_notice,
    dueDate: addDays(decidedOn, days),
    basis: `policy: the notice of change ${changeId} under ${paragraph} within ${days} days (LOU sets no time limit)`,
  };
}

/**
 * The decision on a sanction the contract declares, after a major or critical deviation in `of`:
 * due the policy's days after the deviation was recorded, taken by whoever the delegation order's
 * `contract_sanction` items (or the policy's approvers) name.
 */
export function sanctionDecision(
  of: Pick<Milestone, 'id' | 'title'>,
  severity: NonNullable<Milestone['sanctionFor']>['severity'],
  recordedBy: NonNullable<Milestone['sanctionFor']>['recordedBy'],
  decidedOn: IsoDate,
  policy: FollowUpPolicy,
): PlannedMilestone {
  const days = policy.sanctionDecisionDays ?? DEFAULT_FOLLOW_UP_POLICY.sanctionDecisionDays;
  return {
    kind: 'sanction_decision',
    title: `Sanction decision after ${of.id} (${of.title})`,
    owner: OWNERS.sanction_decision,
    dueDate: addDays(decidedOn, days),
    basis: `policy: a ${severity} deviation in ${of.id} on a contract with sanctions is decided on within ${days} days`,
    sanctionFor: { milestoneId: of.id, severity, recordedBy },
  };
}

/** The default months of the next extension: what is left of the option in turn (options are used in order). */
export function nextOptionMonths(options: { months: number }[], optionMonthsRemaining: number): number {
  const total = options.reduce((a, o) => a + o.months, 0);
  let used = total - optionMonthsRemaining;
  for (const o of options) {
    if (used < o.months) return Math.min(o.months - used, optionMonthsRemaining);
    used -= o.months;
  }
  return optionMonthsRemaining;
}

function sortPlan(plan: PlannedMilestone[]): PlannedMilestone[] {
  return plan
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.dueDate < b.m.dueDate ? -1 : a.m.dueDate > b.m.dueDate ? 1 : a.i - b.i))
    .map((x) => x.m);
}

// --- dates ------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function utc(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function iso(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return iso(utc(date) + n * DAY_MS);
}

/** `date` + n months; a day missing in the target month becomes its last day (lag 1930:173 1 §). */
export function addMonths(date: IsoDate, n: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return iso(Date.UTC(year, month, Math.min(d, last)));
}

/** 01:00 UTC on the last Sunday of the month (the EU's summer-time switch). */
function lastSundayOneUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/** Stockholm's offset from UTC in minutes at an instant: 120 in summer time, else 60. */
export function stockholmOffsetMinutes(instantMs: number): number {
  const year = new Date(instantMs).getUTCFullYear();
  return instantMs >= lastSundayOneUtc(year, 2) && instantMs < lastSundayOneUtc(year, 9) ? 120 : 60;
}

/** The instant of a wall-clock time in Stockholm on `date`, UTC ISO. */
export function stockholmInstant(date: IsoDate, hh: number, mm: number, ss: number): string {
  const wall = utc(date) + ((hh * 60 + mm) * 60 + ss) * 1000;
  const offset = stockholmOffsetMinutes(wall - stockholmOffsetMinutes(wall - 60 * 60_000) * 60_000);
  return new Date(wall - offset * 60_000).toISOString();
}

/** A milestone is due until the end of its day in Sweden. */
export function dueInstant(date: IsoDate): string {
  return stockholmInstant(date, 23, 59, 59);
}

/** Reminders go out at 08:00 Swedish time, `days` before the due date. */
export function reminderInstant(dueDate: IsoDate, days: number): string {
  return stockholmInstant(addDays(dueDate, -days), 8, 0, 0);
}

/** The Swedish calendar date at an instant. */
export function stockholmDate(instantMs: number): IsoDate {
  return iso(instantMs + stockholmOffsetMinutes(instantMs) * 60_000);
}
