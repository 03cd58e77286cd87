/**
 * Asking for a gate's decision (ARCHITECTURE §3 and §4): the pending gate with who may decide it —
 * under the delegation order the tender pinned, the level that covers the value and has somebody
 * present (tender.delegation.ts), else an approver whose limit covers it — and the request to those
 * people. The rules of a gate are tender.gates.ts; deciding one is commands/gates.ts.
 */
import type { Actor, Gate } from '@tenderflow/domain/types';
import { approvalsRequiredFor, describeDelegation, describeEligibility, gateEligibility } from '../tender.gates';
import { delegatedLevel, escalationOf } from '../tender.delegation';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';

export async function requestGate(run: TenderRun, gate: Gate, actor: Actor, reason?: string): Promise<void> {
  const eligibility = gateEligibility(run.state, actor.sub);
  const since = run.now();
  // Under the delegation order the tender pinned (issue 29): the level that covers the value and has
  // somebody present to decide, asked of the directory now; the people it names are told.
  const delegated = await delegatedLevel(run.state, gate, eligibility.excluded, since);
  const mayDecide = delegated ? describeDelegation(delegated.pending) : describeEligibility(eligibility);
  run.state.pendingGates.push({
    gate,
    requestedBy: person(actor),
    since,
    mayDecide,
    eligibility,
    ...(reason ? { reason } : {}),
    ...approvalsRequiredFor(run.state, run.policy),
    ...(delegated ? { delegation: delegated.pending } : {}),
  });
  run.event('gate.requested', actor, { gate }, reason);
  const escalated = delegated && escalationOf(gate, delegated.pending, since);
  if (escalated) run.event('gate.escalated', null, escalated.payload, escalated.reason);
  const recipients = !delegated
    ? [`role:approver@${run.state.organization}`]
    : delegated.deciders.length > 0
      ? delegated.deciders.map((d) => `user:${d}`)
      : [`role:admin@${run.state.organization}`];
  run.message(
    'gate_request',
    recipients,
    `${run.state.id}: ${gate} awaits your decision`,
    `${person(actor).name} asks for the ${gate} decision on "${run.state.title}" (${run.state.estimatedValueSek} SEK)` +
      `${reason ? `: ${reason}` : ''}. May decide: ${mayDecide}.`,
    { topic: 'gate_request', gate, since, requestedBy: person(actor), ...(reason ? { reason } : {}), eligibility },
  );
}
