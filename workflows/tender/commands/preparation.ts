/**
 * Commands of preparation: the needs analysis, the gates (decision to procure, documents, award,
 * cancellation) and their decisions, the procurement documents, and a request to cancel.
 */
import { patched } from '@temporalio/workflow';
import type { Actor } from '@tenderflow/domain/types';
import { GATE_DECISIONS } from '@tenderflow/domain/types';
import { awardedByDecisionToProcure } from '@tenderflow/domain/procedures';
import type { CommandPayloads } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, firstRefusal, nonEmpty, refuse } from '../../shared/refusals';
import type { Register } from '../tender.commands';
import { checkInvitedBodies, checkNeedsAnalysis } from '../tender.checks';
import { awaitsAnotherApproval, checkGroupCoordination, documentsPolicyVerdict, needsAnalysisPolicyVerdict, secondDecisionVerdict } from '../tender.policy';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';
import { award } from './award';
import { enterCoordination } from './coordination';

export function registerPreparationCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('completeNeedsAnalysis', {
    check: (p) =>
      firstRefusal(
        () => (s.pendingGates.some((g) => g.gate === 'decision_to_procure') ? refuse('Conflict', 'The decision to procure is already requested.', { rule: 'gate_pending' }) : ALLOWED),
        () => checkNeedsAnalysis(p, s),
        () => needsAnalysisPolicyVerdict(p, s, run.policy),
        () => checkInvitedBodies(p.invitedBodies, s),
      ),
    apply: async (p, actor) => {
      // Policy groupCoordinationCheck: what the group already buys in the category, shown to the
      // approver; refused without a reason to procure separately. New commands: patched.
      const group = run.policy.groupCoordinationCheck && patched('policy-group-coordination') ? await checkGroupCoordination(s, p, run.now()) : undefined;
      if (group) s.groupCoordination = group;
      for (const b of p.invitedBodies ?? []) {
        s.participants.push({ organization: b.organization, name: b.name, contactEmail: b.contactEmail, status: 'invited' });
      }
      // Its free texts are content (DESIGN 5): the state keeps the facts later steps read.
      const { need, marketAnalysis, risks, lotJustification, separateProcurementReason, ...facts } = p;
      const textRef = run.content('needs-analysis', { need, marketAnalysis, risks, lotJustification, separateProcurementReason });
      s.needsAnalysis = { ...(textRef ? { ...facts, textRef } : p), completedBy: person(actor), completedAt: run.now() };
      s.lots = (p.lots ?? []).map((l) => ({ title: l.title, estimatedValueSek: l.estimatedValueSek }));
      delete s.changesRequested;
      run.requestGate('decision_to_procure', actor);
    },
  });
  register('decideGate', {
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
    apply: (p, actor) => decideGate(run, p, actor),
  });
  register('registerDocuments', {
    check: (p) =>
      firstRefusal(
        () => (s.pendingGates.some((g) => g.gate === 'documents_approval') ? refuse('Conflict', 'The documents are already awaiting approval.', { rule: 'gate_pending' }) : ALLOWED),
        () => (s.documents?.approved ? refuse('Conflict', 'The documents are approved; publish them.', { rule: 'already_approved' }) : ALLOWED),
        () =>
          Array.isArray(p.documents) && p.documents.length > 0 && p.documents.every((d) => nonEmpty(d?.title) && nonEmpty(d?.reference))
            ? ALLOWED
            : refuse('BadRequest', 'documents: at least one { title, reference }.', { field: 'documents' }),
        () => documentsPolicyVerdict(p, s, run.policy),
      ),
    apply: (p, actor) => {
      const textRef = run.content('documents', { items: p.documents });
      s.documents = {
        ...(textRef ? { items: [], itemCount: p.documents.length, textRef } : { items: p.documents }),
        ...(p.followUpPlan?.length ? { followUpPlan: p.followUpPlan } : {}),
        registeredBy: person(actor),
        registeredAt: run.now(),
        approved: false,
      };
      delete s.changesRequested;
      run.requestGate('documents_approval', actor);
    },
  });
  register('requestCancellation', {
    check: (p) => {
      if (!nonEmpty(p.reason)) return refuse('BadRequest', 'A cancellation needs a reason.', { field: 'reason' });
      if (s.pendingGates.some((g) => g.gate === 'cancellation')) return refuse('Conflict', 'A cancellation is already pending.', { rule: 'gate_pending' });
      return ALLOWED;
    },
    apply: (p, actor) => run.requestGate('cancellation', actor, p.reason),
  });
}

export async function decideGate(run: TenderRun, p: CommandPayloads['decideGate'], actor: Actor): Promise<void> {
  const s = run.state;
  const pending = s.pendingGates.find((g) => g.gate === p.gate)!;
  // Policy dualApprovalFromSek: the first of two approvals is recorded and the gate stays pending.
  if (awaitsAnotherApproval(pending, p) && patched('policy-dual-approval')) {
    pending.approvals = [...(pending.approvals ?? []), { by: person(actor), at: run.now(), ...(p.comment ? { comment: p.comment } : {}) }];
    run.event('gate.approval_recorded', actor, { gate: p.gate, approvals: pending.approvals.length, required: pending.approvalsRequired }, p.comment);
    run.message(
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
    at: run.now(),
    ...(pending.approvals?.length && p.decision === 'approve' ? { approvedBy: [...pending.approvals.map((a) => a.by), person(actor)] } : {}),
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
