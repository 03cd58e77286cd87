/**
 * The gates of a tender, by subject (ARCHITECTURE §3 and §4): where each is decided, who may decide
 * it (an approver of the tender's organisation within their limit, four eyes, no evaluator), how many
 * approvals the organisation's delegation order asks for, and the shape of a decision. Pure and
 * deterministic: the API's guard and the workflow's validators ask the same functions. The command
 * that decides a gate is commands/gates.ts; a gate is asked for by commands/gate-request.ts.
 */
import { requiredApprovals, type PolicyRules } from '@tenderflow/domain/policy';
import { BEFORE_CONTRACT } from '@tenderflow/domain/phases';
import { GATE_DECISIONS, type Actor, type Gate, type Phase } from '@tenderflow/domain/types';
import type { DelegationItem } from '@tenderflow/domain/delegation';
import { authorityFits } from '@tenderflow/domain/delegation-authority';
import type {
  CommandPayloads,
  GateEligibility,
  PendingDelegation,
  PendingGate,
  TenderState,
} from '@tenderflow/temporal-common/tender-types';
import type { GateAuthority } from '@tenderflow/temporal-common/tender-payloads';
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
 * Every gate needs an approver of the tender's organisation who did not ask for the decision and is
 * not an evaluator of this tender. A gate that goes by the delegation order the tender pinned
 * (issue 29) needs the authority its item gives — the item's function, a further delegate it allows,
 * or a substitute of an absent holder — which the API reads from the directory and passes in
 * `authority`; a token's approval limit can then only lower it. Otherwise the token's approval limit
 * must cover the tender's value.
 */
export function mayDecideGate(actor: Actor, tender: GateView, gate: Gate, authority?: GateAuthority): Verdict {
  if (!hasRole(actor, 'approver')) {
    return refuse('Forbidden', 'Only an approver may decide a gate.', { rule: 'role' });
  }
  if (actor.org !== tender.organization) {
    return refuse('Forbidden', `The tender belongs to ${tender.organization}; you approve for ${actor.org}.`, {
      rule: 'organization',
    });
  }
  const pending = tender.pendingGates.find((g) => g.gate === gate);
  const delegated = pending?.delegation;
  if (delegated) {
    const byOrder = delegatedVerdict(actor, tender, delegated, authority);
    if (!byOrder.allowed) return byOrder;
  } else {
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
  }
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

/** The delegation order's rule for a gate that goes by it: the item's authority, a token's limit only lowering it. */
function delegatedVerdict(
  actor: Actor,
  tender: Pick<GateView, 'estimatedValueSek'>,
  d: PendingDelegation,
  authority: GateAuthority | undefined,
): Verdict {
  const paragraph = `delegationsordning version ${d.version}, punkt ${d.item.id}`;
  if (d.board) {
    return refuse(
      'Forbidden',
      `No item of the delegation order (version ${d.version}) covers ${tender.estimatedValueSek} SEK: the board decides this.`,
      { rule: 'delegation_board', paragraph: `delegationsordning version ${d.version}` },
    );
  }
  if (typeof actor.approvalLimitSek === 'number' && actor.approvalLimitSek < tender.estimatedValueSek) {
    return refuse(
      'Forbidden',
      `Your token's approval limit (${actor.approvalLimitSek} SEK) is below the tender's value (${tender.estimatedValueSek} SEK); it may lower what the delegation order grants, never raise it.`,
      { rule: 'approval_limit', paragraph },
    );
  }
  if (!authority || !authorityFits(authority, d.item)) {
    return refuse(
      'Forbidden',
      `Under item ${d.item.id} of the delegation order (version ${d.version}) this decision belongs to ${describeItem(d.item)}; you hold none of that today.`,
      { rule: 'delegation_order', paragraph },
    );
  }
  return ALLOWED;
}

/** Who an item gives a decision to, in words. */
function describeItem(item: DelegationItem): string {
  const further =
    item.furtherDelegation?.allowed && item.furtherDelegation.to?.length
      ? `, or by further delegation ${item.furtherDelegation.to.join(', ')}`
      : '';
  const standIn = 'function' in item.substitute ? item.substitute.function : `the nearest superior of ${item.delegate}`;
  return `${item.delegate}${further} (substitute during absence: ${standIn})`;
}

/** A pending gate under the delegation order, in words, for the inbox and the messages. */
export function describeDelegation(d: PendingDelegation): string {
  if (d.board) return `the board: no item of the delegation order (version ${d.version}) covers the value`;
  const passed = d.passedOver?.length
    ? `; escalated past item ${d.passedOver.join(', ')}, where nobody eligible was present`
    : '';
  const limit = d.limitSek !== undefined ? ` up to ${d.limitSek} SEK` : '';
  return `item ${d.item.id} of the delegation order (version ${d.version}): ${describeItem(d.item)}${limit}${passed}`;
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
  const flags = p.gate === 'award_decision' && p.decision === 'approve' ? (s.evaluation?.redFlags ?? []) : [];
  if (flags.length > 0 && !(nonEmpty(p.justification) && p.justification.length <= 5000)) {
    return refuse(
      'RuleViolation',
      `Red flags are raised on this award (${flags.map((f) => f.code).join(', ')}): approving it takes a written justification.`,
      { rule: 'red_flag_justification', field: 'justification' },
    );
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
  const who = g.delegation ? describeDelegation(g.delegation) : describeEligibility(eligibility);
  return { eligibility, mayDecide: `${who}${dual}` };
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
