/**
 * The command that decides a gate (tender.gates.ts holds its rules): an approval moves the tender
 * on, a rejection ends it, a request for changes sends it back; a cancellation works the other way
 * round. Under dual approval the first approval is recorded and the gate stays pending.
 */
import { patched } from '@temporalio/workflow';
import type { Actor } from '@tenderflow/domain/types';
import { awardedByDecisionToProcure } from '@tenderflow/domain/procedures';
import type { CommandPayloads, DelegatedDecisionRecord, PendingGate } from '@tenderflow/temporal-common/tender-types';
import type { Register } from '../tender.commands';
import { awaitsAnotherApproval, decisionVerdict } from '../tender.gates';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';
import { award } from './award';
import { enterCoordination } from './coordination';

export function registerGateCommands(run: TenderRun, register: Register): void {
  register('decideGate', {
    eventType: 'gate.decided',
    check: (p, actor) => decisionVerdict(p, run.state, actor),
    apply: (p, actor) => decideGate(run, p, actor),
  });
}

/** The authority a decision under the delegation order was taken with, as the chain and the register keep it. */
function delegationRecord(pending: PendingGate, p: CommandPayloads['decideGate']): DelegatedDecisionRecord | undefined {
  const d = pending.delegation;
  if (!d || !p.authority) return undefined;
  return {
    version: d.version,
    item: d.item.id,
    function: p.authority.function,
    via: p.authority.via,
    ...(p.authority.asSubstituteFor ? { asSubstituteFor: p.authority.asSubstituteFor } : {}),
    ...(d.passedOver ? { passedOver: d.passedOver } : {}),
    reportToBoard: d.item.reportToBoard,
  };
}

/**
 * The limit the decision was taken within (the contract is checked against it): the token's, and
 * under the delegation order the item's, whichever is lower.
 */
function approvalLimitOf(actor: Actor, pending: PendingGate): { approvalLimitSek?: number } {
  const limits = [actor.approvalLimitSek, pending.delegation?.limitSek].filter(
    (l): l is number => typeof l === 'number',
  );
  return limits.length > 0 ? { approvalLimitSek: Math.min(...limits) } : {};
}

export async function decideGate(run: TenderRun, p: CommandPayloads['decideGate'], actor: Actor): Promise<void> {
  const s = run.state;
  const pending = s.pendingGates.find((g) => g.gate === p.gate)!;
  // Policy dualApprovalFromSek: the first of two approvals is recorded and the gate stays pending.
  const delegation = delegationRecord(pending, p);
  // A decision under the delegation order is an event of its own: the register of delegation
  // decisions (GET /organizations/{org}/delegation-decisions) lists exactly these, each traceable.
  if (delegation) {
    run.event(
      'delegation.decided',
      actor,
      {
        gate: p.gate,
        decision: p.decision,
        valueSek: s.estimatedValueSek,
        ...delegation,
        ...(awaitsAnotherApproval(pending, p) ? { firstOf: pending.approvalsRequired } : {}),
      },
      p.comment,
    );
  }
  if (awaitsAnotherApproval(pending, p) && patched('policy-dual-approval')) {
    pending.approvals = [
      ...(pending.approvals ?? []),
      {
        by: person(actor),
        at: run.now(),
        ...(p.comment ? { comment: p.comment } : {}),
        ...(delegation ? { delegation } : {}),
      },
    ];
    run.event(
      'gate.approval_recorded',
      actor,
      { gate: p.gate, approvals: pending.approvals.length, required: pending.approvalsRequired },
      p.comment,
    );
    run.message(
      'gate_request',
      [`role:approver@${s.organization}`],
      `${s.id}: ${p.gate} needs a second approver`,
      `${actor.name} has approved ${p.gate} on "${s.title}" (${s.estimatedValueSek} SEK); the organisation's delegation order needs a second, different approver.`,
    );
    return;
  }
  s.pendingGates = s.pendingGates.filter((g) => g !== pending);
  // An award approved with red flags raised: the flags and the written justification go with the decision.
  const flagged =
    p.gate === 'award_decision' && p.decision === 'approve' && s.evaluation?.redFlags?.length
      ? { redFlags: s.evaluation.redFlags, justification: p.justification! }
      : undefined;
  if (flagged) run.event('award.red_flags_justified', actor, flagged, p.justification);
  s.gateDecisions.push({
    gate: p.gate,
    decision: p.decision,
    ...(p.comment ? { comment: p.comment } : {}),
    requestedBy: pending.requestedBy,
    decidedBy: person(actor),
    ...approvalLimitOf(actor, pending),
    ...(delegation ? { delegation } : {}),
    ...(flagged ?? {}),
    at: run.now(),
    ...(pending.approvals?.length && p.decision === 'approve'
      ? { approvedBy: [...pending.approvals.map((a) => a.by), person(actor)] }
      : {}),
  });

  if (p.gate === 'cancellation') {
    // The other way round: approve cancels; reject (or request_changes) lets the tender go on
    // where it was, timers untouched.
    if (p.decision === 'approve') await run.end('cancelled', pending.reason ?? p.comment ?? 'cancelled', actor);
    return;
  }
  if (p.decision === 'reject') {
    await run.end('cancelled', `${p.gate} rejected: ${p.comment}`, actor);
    return;
  }
  if (p.decision === 'request_changes') {
    s.changesRequested = { gate: p.gate, comment: p.comment!, by: person(actor), at: run.now() };
    if (p.gate === 'documents_approval' && s.documents) s.documents.approved = false;
    if (p.gate === 'award_decision') {
      delete s.evaluation;
      run.enter('evaluation', actor, p.comment);
    }
    run.message('other', [`user:${pending.requestedBy.sub}`], `${s.id}: changes requested (${p.gate})`, p.comment!, {
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
      // A direct award that is neither advertised nor negotiated: this decision is its award. (Until
      // LOU-2026.3 every 'direct' tender was one; an advertised one now runs the tendering path.)
      if (awardedByDecisionToProcure(s.procedure)) run.enter('contract', actor, 'direct award');
      else if (s.participants.length > 0) await enterCoordination(run, actor);
      else run.enter('documents', actor);
      return;
    case 'documents_approval':
      s.documents!.approved = true;
      return;
    case 'award_decision':
      await award(run, p.noticeChannel ?? 'electronic', actor);
      return;
  }
}
