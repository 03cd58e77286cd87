/**
 * Commands of preparation: the needs analysis, the procurement documents, and a request to cancel
 * (each asks for its gate; commands/gates.ts decides them).
 */
import { patched } from '@temporalio/workflow';
import { ALLOWED, firstRefusal, nonEmpty, refuse } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import { registerGateCommands } from './gates';
import { checkInvitedBodies, checkNeedsAnalysis } from '../tender.checks';
import { checkGroupCoordination, documentsPolicyVerdict, needsAnalysisPolicyVerdict } from '../tender.policy';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';
import { requestGate } from './gate-request';

export function registerPreparationCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('completeNeedsAnalysis', {
    check: (p) =>
      firstRefusal(
        () =>
          s.pendingGates.some((g) => g.gate === 'decision_to_procure')
            ? refuse('Conflict', 'The decision to procure is already requested.', { rule: 'gate_pending' })
            : ALLOWED,
        () => checkNeedsAnalysis(p, s),
        () => needsAnalysisPolicyVerdict(p, s, run.policy),
        () => checkInvitedBodies(p.invitedBodies, s),
      ),
    apply: async (p, actor) => {
      // Policy groupCoordinationCheck: what the group already buys in the category, shown to the
      // approver; refused without a reason to procure separately. New commands: patched.
      const group =
        run.policy.groupCoordinationCheck && patched('policy-group-coordination')
          ? await checkGroupCoordination(s, p, run.now())
          : undefined;
      if (group) s.groupCoordination = group;
      for (const b of p.invitedBodies ?? []) {
        s.participants.push({
          organization: b.organization,
          name: b.name,
          contactEmail: b.contactEmail,
          status: 'invited',
        });
      }
      // Its free texts are content (ARCHITECTURE §5): the state keeps the facts later steps read.
      const { need, marketAnalysis, risks, lotJustification, separateProcurementReason, ...facts } = p;
      const textRef = run.content('needs-analysis', {
        need,
        marketAnalysis,
        risks,
        lotJustification,
        separateProcurementReason,
      });
      s.needsAnalysis = {
        ...(textRef ? { ...facts, textRef } : p),
        completedBy: person(actor),
        completedAt: run.now(),
      };
      s.lots = (p.lots ?? []).map((l) => ({ title: l.title, estimatedValueSek: l.estimatedValueSek }));
      delete s.changesRequested;
      await requestGate(run, 'decision_to_procure', actor);
    },
  });
  // Here, between the needs analysis and the documents: Updates buffered in a run's first activation
  // are handed to their handlers in the order the handlers are registered.
  registerGateCommands(run, register);
  register('registerDocuments', {
    check: (p) =>
      firstRefusal(
        () =>
          s.pendingGates.some((g) => g.gate === 'documents_approval')
            ? refuse('Conflict', 'The documents are already awaiting approval.', { rule: 'gate_pending' })
            : ALLOWED,
        () =>
          s.documents?.approved
            ? refuse('Conflict', 'The documents are approved; publish them.', { rule: 'already_approved' })
            : ALLOWED,
        () =>
          Array.isArray(p.documents) &&
          p.documents.length > 0 &&
          p.documents.every((d) => nonEmpty(d?.title) && nonEmpty(d?.reference))
            ? ALLOWED
            : refuse('BadRequest', 'documents: at least one { title, reference }.', { field: 'documents' }),
        () => documentsPolicyVerdict(p, s, run.policy),
      ),
    apply: async (p, actor) => {
      const textRef = run.content('documents', { items: p.documents });
      s.documents = {
        ...(textRef ? { items: [], itemCount: p.documents.length, textRef } : { items: p.documents }),
        ...(p.followUpPlan?.length ? { followUpPlan: p.followUpPlan } : {}),
        registeredBy: person(actor),
        registeredAt: run.now(),
        approved: false,
      };
      delete s.changesRequested;
      await requestGate(run, 'documents_approval', actor);
    },
  });
  register('requestCancellation', {
    check: (p) => {
      if (!nonEmpty(p.reason)) return refuse('BadRequest', 'A cancellation needs a reason.', { field: 'reason' });
      if (s.pendingGates.some((g) => g.gate === 'cancellation'))
        return refuse('Conflict', 'A cancellation is already pending.', { rule: 'gate_pending' });
      return ALLOWED;
    },
    apply: (p, actor) => requestGate(run, 'cancellation', actor, p.reason),
  });
}
