/**
 * Sanctions after a deviation (issue 31): a major or critical deviation on a contract that declares
 * sanctions (vite, prisavdrag, hävningsrätt; libs/domain contract-sanctions.ts) plans a
 * `sanction_decision` milestone. It is decided — impose a declared sanction within its clause, or
 * refrain — by an approver of the contract's organisation who did not record the deviation: under
 * the delegation order's `contract_sanction` items the tender pinned (the decider's authority on the
 * day, which the API reads from the directory, must fit an item whose limit covers the decision's
 * value), or without such items by the policy (an approver whose limit covers it). The decision is
 * in the chain (`contract.sanction_decided`); a termination ends the contract that day.
 */
import {
  SANCTIONABLE_SEVERITIES,
  SANCTION_WORDS,
  sanctionDecisionProblem,
  sanctionDecisionValue,
  type SanctionDecision,
} from '@tenderflow/domain/contract-sanctions';
import { authorityFits, levelsFor } from '@tenderflow/domain/delegation-authority';
import type { Actor } from '@tenderflow/domain/types';
import type {
  CompleteMilestonePayload,
  Milestone,
  MilestoneKind,
  SanctionAuthority,
} from '@tenderflow/temporal-common/contract-types';
import { ALLOWED, firstRefusal, hasRole, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import { milestoneDeadline, type ContractRun } from './contract.run';
import { sanctionDecision } from './milestone-plan';

/** The milestones a termination leaves without purpose: what recurs or waits for a later term. */
const ENDED_BY_TERMINATION: readonly MilestoneKind[] = [
  'periodic_review',
  'labour_conditions_check',
  'sustainability_check',
  'planned_follow_up',
  'control',
  'extension_decision',
];

/** The payload's sanction fields against the milestone: only a sanction decision takes them, and it needs them. */
export function checkSanction(run: ContractRun, m: Milestone, p: CompleteMilestonePayload): Verdict {
  if (m.kind !== 'sanction_decision')
    return p.sanction === undefined
      ? ALLOWED
      : refuse('BadRequest', 'sanction belongs to a sanction decision.', { field: 'sanction' });
  if (p.outcome !== 'ok')
    return refuse('BadRequest', "A sanction decision is completed with outcome 'ok' and the decision in sanction.", {
      field: 'outcome',
    });
  const problem = sanctionDecisionProblem(p.sanction, run.state.sanctions?.declared ?? [], run.state.valueSek);
  return problem
    ? refuse(problem.kind, problem.message, { field: problem.field, ...(problem.rule ? { rule: problem.rule } : {}) })
    : ALLOWED;
}

/**
 * Who may take the sanction decision (run only for a `sanction_decision` milestone, after
 * checkSanction): an approver of the contract's organisation, not the one who recorded the deviation,
 * within the delegation order's items or, without them, within their own approval limit.
 */
export function maySanction(run: ContractRun, m: Milestone, actor: Actor, p: CompleteMilestonePayload): Verdict {
  const s = run.state;
  const decision = p.sanction as SanctionDecision;
  const value = sanctionDecisionValue(decision, s.sanctions?.declared ?? [], s.valueSek);
  return firstRefusal(
    () =>
      hasRole(actor, 'approver')
        ? ALLOWED
        : refuse('Forbidden', 'A sanction is decided by an approver.', { rule: 'role' }),
    () =>
      actor.org === s.organization
        ? ALLOWED
        : refuse('Forbidden', `The contract belongs to ${s.organization}; you act for ${actor.org}.`, {
            rule: 'organization',
          }),
    () =>
      m.sanctionFor?.recordedBy.sub !== actor.sub
        ? ALLOWED
        : refuse('Forbidden', 'You recorded the deviation; another person decides the sanction (four-eyes).', {
            rule: 'four_eyes',
          }),
    () =>
      typeof actor.approvalLimitSek === 'number' && actor.approvalLimitSek < value
        ? refuse(
            'Forbidden',
            `Your approval limit (${actor.approvalLimitSek} SEK) is below the decision's value (${value} SEK).`,
            { rule: 'approval_limit' },
          )
        : ALLOWED,
    () => (authorityFor(run, actor, p, value) ? ALLOWED : authorityRefusal(run, value)),
  );
}

/** The authority the decision is taken under, or undefined when the actor has none for this value. */
function authorityFor(
  run: ContractRun,
  actor: Actor,
  p: CompleteMilestonePayload,
  value: number,
): SanctionAuthority | undefined {
  const delegation = run.state.sanctions?.delegation;
  if (!delegation) {
    return typeof actor.approvalLimitSek === 'number' && actor.approvalLimitSek >= value
      ? { policy: 'approver', approvalLimitSek: actor.approvalLimitSek }
      : undefined;
  }
  const a = p.authority;
  if (!a) return undefined;
  const level = levelsFor(delegation.items, value, run.today()).find((item) => authorityFits(a, item));
  if (!level) return undefined;
  return {
    order: delegation.version,
    item: level.id,
    function: a.function,
    via: a.via,
    ...(a.asSubstituteFor ? { asSubstituteFor: { sub: a.asSubstituteFor.sub, name: a.asSubstituteFor.name } } : {}),
  };
}

function authorityRefusal(run: ContractRun, value: number): Verdict {
  const delegation = run.state.sanctions?.delegation;
  if (!delegation)
    return refuse(
      'Forbidden',
      `Without the delegation order's items for sanctions, the policy's rule applies: an approver whose approval limit covers ${value} SEK.`,
      { rule: 'approval_limit' },
    );
  const paragraph = `delegationsordning version ${delegation.version}`;
  const levels = levelsFor(delegation.items, value, run.today());
  if (levels.length === 0)
    return refuse(
      'Forbidden',
      `No item of the delegation order (version ${delegation.version}) covers a sanction of ${value} SEK: the board decides this.`,
      { rule: 'delegation_board', paragraph },
    );
  return refuse(
    'Forbidden',
    `Under the delegation order (version ${delegation.version}) a sanction of ${value} SEK is decided under item ${levels.map((l) => `${l.id} (${l.delegate})`).join(' or ')}; you hold none of that today.`,
    { rule: 'delegation_order', paragraph },
  );
}

/**
 * After a deviation is recorded in `m`: a major or critical one on a contract with sanctions plans
 * the decision on them, and tells the approvers and the procurement side. Returns its id.
 */
export function planSanctionDecision(
  run: ContractRun,
  m: Milestone,
  p: CompleteMilestonePayload,
  actor: Actor,
): string | undefined {
  const s = run.state;
  if (!s.sanctions?.declared.length || !p.severity || !SANCTIONABLE_SEVERITIES.includes(p.severity)) return undefined;
  const d = run.add(sanctionDecision(m, p.severity, { sub: actor.sub, name: actor.name }, run.today(), s.policy));
  run.event(
    'milestone.planned',
    actor,
    { id: d.id, kind: d.kind, dueDate: d.dueDate, sanctionFor: m.id, severity: p.severity },
    p.note,
  );
  run.message(
    'reminder',
    run.ownerRecipients(d),
    `${s.id}: ${d.title} is due ${d.dueDate}`,
    `${d.id} "${d.title}" of the contract with ${s.supplier} is due ${d.dueDate} (${d.basis}). The contract declares: ${s.sanctions.declared.map((x) => `${SANCTION_WORDS[x.kind]}, ${x.clauseReference}`).join('; ')}.`,
    { topic: 'milestone_due', milestone: run.milestoneRef(d), deadline: milestoneDeadline(d) },
  );
  return d.id;
}

/** Records the decision on `m` (checked by checkSanction and maySanction in this turn); a termination ends the contract today. */
export function decideSanction(run: ContractRun, m: Milestone, p: CompleteMilestonePayload, actor: Actor): void {
  const s = run.state;
  const decision = p.sanction as SanctionDecision;
  const value = sanctionDecisionValue(decision, s.sanctions?.declared ?? [], s.valueSek);
  const authority = authorityFor(run, actor, p, value);
  if (!authority) throw new Error('decideSanction: the verdict allowed a decider without authority');
  const clauses = (s.sanctions?.declared ?? []).filter((x) => x.kind === decision.kind).map((x) => x.clauseReference);
  m.completion!.sanction = {
    decision: decision.decision,
    ...(decision.kind ? { kind: decision.kind } : {}),
    ...(decision.amountSek !== undefined ? { amountSek: decision.amountSek } : {}),
    valueSek: value,
    authority,
  };
  run.event(
    'contract.sanction_decided',
    actor,
    {
      milestoneId: m.id,
      deviationIn: m.sanctionFor?.milestoneId,
      severity: m.sanctionFor?.severity,
      decision: decision.decision,
      ...(decision.kind ? { kind: decision.kind, clauses } : {}),
      ...(decision.amountSek !== undefined ? { amountSek: decision.amountSek } : {}),
      valueSek: value,
      authority,
    },
    p.note,
  );
  if (decision.decision === 'impose' && decision.kind === 'termination') terminate(run, actor, p.note);
}

/** The contract is terminated today: the end moves here, no option remains, and what recurred after it lapses. */
function terminate(run: ContractRun, actor: Actor, note: string): void {
  const s = run.state;
  const today = run.today();
  const from = s.endDate;
  s.terminatedOn = today;
  s.endDate = today;
  for (const m of run.open().filter((x) => ENDED_BY_TERMINATION.includes(x.kind) && x.dueDate > today)) {
    m.status = 'lapsed';
    run.event('milestone.lapsed', actor, { id: m.id }, `the contract was terminated on ${today}`);
  }
  run.finalEnd();
  run.event('contract.terminated', actor, { from, endDate: today }, note);
  run.message(
    'other',
    [`role:procurement_officer@${s.organization}`, `role:contract_manager@${s.organization}`],
    `${s.id}: terminated, ends ${today}`,
    `The contract with ${s.supplier} is terminated as a sanction and ends ${today} (it was to run until ${from}). ${note}`,
    { topic: 'contract_ends', contractId: s.id, supplier: s.supplier, endDate: today, note },
  );
}
