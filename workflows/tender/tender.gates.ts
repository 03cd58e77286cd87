/**
 * The gates of a tender, by subject (ARCHITECTURE §3 and §4): where each is decided, who may decide
 * it (an approver of the tender's organisation within their limit, four eyes, no evaluator), how many
 * approvals the organisation's delegation order asks for, and the shape of a decision. Pure and
 * deterministic: the API's guard and the workflow's validators ask the same functions. The command
 * that decides a gate is commands/gates.ts; the run kernel asks for a gate (TenderRun.requestGate).
 */
import { requiredApprovals, type PolicyRules } from '@tenderflow/domain/policy';
import { BEFORE_CONTRACT } from '@tenderflow/domain/phases';
import { GATE_DECISIONS, type Actor, type Gate, type Phase } from '@tenderflow/domain/types';
import type {
  CommandPayloads,
  GateEligibility,
  PendingGate,
  TenderState,
} from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, hasRole, nonEmpty, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';

/** The part of a tender its gates depend on. */
type GateView = Pick<TenderState, 'organization' | 'estimatedValueSek' | 'pendingGates' | 'evaluators'>;

/**
 * Where each gate is decided. A cancellation asked for during standstill may still be pending
 * when the standstill ends; it can be decided in `contract` as long as no contract is signed.
 */
export const GATE_PHASES: Readonly<Record<Gate, readonly Phase[]>> = {
  decision_to_procure: ['needs_analysis'],
  documents_approval: ['documents'],
  award_decision: ['award_decision'],
  cancellation: [...BEFORE_CONTRACT, 'contract'],
};

/** Who may decide a gate, as data; `requestedBy` is excluded by the four-eyes rule. */
export function gateEligibility(
  tender: Pick<GateView, 'organization' | 'estimatedValueSek' | 'evaluators'>,
  requestedBySub: string,
): GateEligibility {
  const excluded = [requestedBySub, ...tender.evaluators.map((e) => e.sub)];
  return {
    role: 'approver',
    organization: tender.organization,
    minApprovalLimitSek: tender.estimatedValueSek,
    excluded: excluded.filter((s, i) => excluded.indexOf(s) === i),
  };
}

export function describeEligibility(e: GateEligibility): string {
  return (
    `an approver of ${e.organization} with an approval limit of at least ${e.minApprovalLimitSek} SEK, ` +
    `other than ${e.excluded.join(', ')} (the requester and the tender's evaluators)`
  );
}

/**
 * Every gate needs an approver of the tender's organisation with approvalLimitSek ≥ the tender's
 * value, who did not ask for the decision and is not an evaluator of this tender.
 */
export function mayDecideGate(actor: Actor, tender: GateView, gate: Gate): Verdict {
  if (!hasRole(actor, 'approver')) {
    return refuse('Forbidden', 'Only an approver may decide a gate.', { rule: 'role' });
  }
  if (actor.org !== tender.organization) {
    return refuse('Forbidden', `The tender belongs to ${tender.organization}; you approve for ${actor.org}.`, {
      rule: 'organization',
    });
  }
  const limit = actor.approvalLimitSek ?? 0;
  if (!(limit >= tender.estimatedValueSek)) {
    return refuse(
      'Forbidden',
      `Your approval limit (${limit} SEK) is below the tender's value (${tender.estimatedValueSek} SEK); the decision belongs higher in the delegation order.`,
      {
        rule: 'approval_limit',
      },
    );
  }
  const pending = tender.pendingGates.find((g) => g.gate === gate);
  if (!pending) {
    return refuse('Conflict', `No ${gate} decision is pending.`, { rule: 'gate_not_pending', field: 'gate' });
  }
  if (pending.requestedBy.sub === actor.sub) {
    return refuse('Forbidden', 'You asked for this decision; another person must take it (four-eyes).', {
      rule: 'four_eyes',
    });
  }
  if (tender.evaluators.some((e) => e.sub === actor.sub)) {
    return refuse('Forbidden', 'You are an evaluator of this tender and may not decide its gates.', {
      rule: 'evaluator_excluded',
    });
  }
  return ALLOWED;
}

/**
 * A decision's shape, and the order of gates: a pending cancellation is decided before any other
 * gate; the second approval of a gate comes from another person.
 */
export function decisionVerdict(p: CommandPayloads['decideGate'], s: TenderState, actor: Actor): Verdict {
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
}

// --- dual approval (policy dualApprovalFromSek) --------------------------------------------------

/** How many approvers a gate of this tender needs, recorded on the gate when it is asked for. */
export function approvalsRequiredFor(s: TenderState, rules: PolicyRules): Pick<PendingGate, 'approvalsRequired'> {
  const n = requiredApprovals(rules, s.estimatedValueSek);
  return n > 1 ? { approvalsRequired: n } : {};
}

/** Who may still decide the gate: besides the requester and the evaluators, not whoever has already approved it. */
export function pendingEligibility(
  s: TenderState,
  g: PendingGate,
): { eligibility: GateEligibility; mayDecide: string } {
  const eligibility = gateEligibility(s, g.requestedBy.sub);
  const approved = (g.approvals ?? []).map((a) => a.by.sub).filter((sub) => !eligibility.excluded.includes(sub));
  eligibility.excluded.push(...approved);
  const need = (g.approvalsRequired ?? 1) - (g.approvals?.length ?? 0);
  const dual =
    (g.approvalsRequired ?? 1) > 1
      ? `; two distinct approvers decide (policy dualApprovalFromSek), ${need === 1 && g.approvals?.length ? `${g.approvals[0].by.name} has approved, one more is needed` : 'none has approved yet'}`
      : '';
  return { eligibility, mayDecide: `${describeEligibility(eligibility)}${dual}` };
}

/** Dual approval: the second decision on a gate comes from another person (409 for the same one). */
export function secondDecisionVerdict(p: CommandPayloads['decideGate'], s: TenderState, actor: Actor): Verdict {
  const pending = s.pendingGates.find((g) => g.gate === p.gate);
  const earlier = pending?.approvals?.find((a) => a.by.sub === actor.sub);
  if (!earlier) return ALLOWED;
  return refuse(
    'Conflict',
    `You approved ${p.gate} on ${earlier.at.slice(0, 10)}; at this value the delegation order needs a second, different approver.`,
    {
      rule: 'dual_approval_same_approver',
      paragraph: `inköpspolicy: dualApprovalFromSek${s.policyVersion ? ` (${s.policyVersion})` : ''}`,
    },
  );
}

/** Whether an approval is the first of two: it is recorded, and the gate stays pending. */
export function awaitsAnotherApproval(pending: PendingGate, p: CommandPayloads['decideGate']): boolean {
  return p.decision === 'approve' && (pending.approvals?.length ?? 0) + 1 < (pending.approvalsRequired ?? 1);
}
