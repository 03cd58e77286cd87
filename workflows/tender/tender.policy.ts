/**
 * The organisation's policy (libs/domain policy.ts) as the tender workflow applies it: the pinned
 * rules' checks as verdicts and the group-wide coordination check at the decision to procure (dual
 * approval at the gates: tender.gates.ts). The rules themselves live in libs/domain; this file only connects them
 * to the tender's state and messages. Deterministic: the one activity is the read-model query.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PolicyActivities } from '@tenderflow/activities/policy.activities';
import {
  checkPolicyFollowUpPlan,
  checkPolicyGroupCoordination,
  checkPolicyLots,
  checkPolicyQuotes,
  checkPolicySustainability,
  followUpPlanProblem,
  type PolicyRules,
  type PolicyViolation,
} from '@tenderflow/domain/policy';
import { ALLOWED, firstRefusal, nonEmpty, refuse, toFailure, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { CommandPayloads, TenderState } from '@tenderflow/temporal-common/tender-types';

/** A read of the read model: retried a little, then the command fails and can be sent again. */
const { findGroupActivity } = proxyActivities<PolicyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** A policy violation as the workflow's refusal (422), its paragraph naming the rule and the pinned version. */
function asVerdict(v: PolicyViolation | null, s: Pick<TenderState, 'policyVersion'>): Verdict {
  if (!v) return ALLOWED;
  return refuse('RuleViolation', v.message, {
    rule: v.rule,
    paragraph: s.policyVersion ? `${v.paragraph} (${s.policyVersion})` : v.paragraph,
    field: v.field,
  });
}

/** Needs analysis: criteria instead of a reason from the policy's value; lots or a reason above its value. */
export function needsAnalysisPolicyVerdict(
  p: CommandPayloads['completeNeedsAnalysis'],
  s: TenderState,
  rules: PolicyRules,
): Verdict {
  return firstRefusal(
    () =>
      asVerdict(
        checkPolicySustainability(rules, s, p.sustainability as { criteria?: unknown; notApplicableReason?: unknown }),
        s,
      ),
    () => asVerdict(checkPolicyLots(rules, s, p), s),
  );
}

/** Documents: a well-formed follow-up plan when one is given (400), and one at all when the policy requires it (422). */
export function documentsPolicyVerdict(
  p: CommandPayloads['registerDocuments'],
  s: TenderState,
  rules: PolicyRules,
): Verdict {
  if (p.followUpPlan !== undefined) {
    const problem = followUpPlanProblem(p.followUpPlan);
    if (problem) return refuse('BadRequest', problem.message, { field: problem.field });
  }
  return asVerdict(checkPolicyFollowUpPlan(rules, p.followUpPlan), s);
}

/** A direct award's contract: the quotes as given (400), and as many as the policy asks for (422). */
export function contractPolicyVerdict(
  p: CommandPayloads['registerContract'],
  s: TenderState,
  rules: PolicyRules,
): Verdict {
  if (p.quotes !== undefined) {
    const ok =
      Array.isArray(p.quotes) &&
      p.quotes.length <= 50 &&
      p.quotes.every((q) => nonEmpty(q?.supplier) && Number.isSafeInteger(q?.amountSek) && q.amountSek >= 0);
    if (!ok)
      return refuse('BadRequest', 'quotes: [{ supplier, amountSek (whole SEK) }], at most 50.', { field: 'quotes' });
  }
  return asVerdict(
    checkPolicyQuotes(rules, {
      regime: s.regime,
      procedure: s.procedure,
      estimatedValueSek: s.estimatedValueSek,
      valueSek: p.valueSek,
      supplier: p.supplier,
      quotes: p.quotes,
    }),
    s,
  );
}

// --- coordinated purchasing across the group -----------------------------------------------------

/**
 * What the group has running in the category (the read model), and the reason to procure
 * separately when it has anything. Refuses (422) before the tender changes when no reason is given.
 */
export async function checkGroupCoordination(
  s: TenderState,
  p: CommandPayloads['completeNeedsAnalysis'],
  checkedAt: string,
): Promise<NonNullable<TenderState['groupCoordination']>> {
  const found = await findGroupActivity({ tenderId: s.id, organization: s.organization, category: s.category });
  const v = asVerdict(checkPolicyGroupCoordination(found, s.category, p.separateProcurementReason), s);
  if (!v.allowed) throw toFailure(v);
  return {
    ...found,
    checkedAt,
    ...(nonEmpty(p.separateProcurementReason) ? { separateProcurementReason: p.separateProcurementReason } : {}),
  };
}
