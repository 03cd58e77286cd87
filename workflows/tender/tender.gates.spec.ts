import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import type { Phase } from '@tenderflow/domain/types';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  needsAnalysis,
  passDeadline,
  proposal,
  startHarness,
  startTender,
  state,
  TenderHandle,
  refusal,
} from '../../test/support/tender-harness';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

describe('tender workflow: gates and cancellation', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-gates');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  describe('reject ends the tender cancelled, with the reason', () => {
    it.each(['decision_to_procure', 'documents_approval', 'award_decision'] as const)('%s', async (gate) => {
      const handle = await startTender(h);
      if (gate === 'decision_to_procure') await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      if (gate === 'documents_approval') {
        await driveTo(h, handle, 'documents');
        await cmd(handle, 'registerDocuments', actors.anna, { documents: [{ title: 'Docs', reference: 'D' }] });
      }
      if (gate === 'award_decision') await driveTo(h, handle, 'award_decision');
      const s = await cmd(handle, 'decideGate', actors.bo, { gate, decision: 'reject', comment: 'Budget withdrawn' });
      expect(s.phase).toBe('cancelled');
      expect(s.outcome).toMatchObject({ phase: 'cancelled', by: { sub: 'bo' } });
      expect(s.outcome!.reason).toContain('Budget withdrawn');
      expect(s.pendingGates).toEqual([]);
      expect(s.deadlines.map((d) => d.kind)).toEqual(['documentation']);
      expect(h.records.notes.get(handle.workflowId)!.some((n) => n.kind === 'cancellation_notice')).toBe(true);
      const audit = h.records.audit.get(handle.workflowId)!;
      expect(
        audit.find(
          (e) =>
            e.type === 'gate.decided' && (e.payload as { payload: { decision: string } }).payload.decision === 'reject',
        ),
      ).toMatchObject({
        actor: { sub: 'bo' },
        reason: 'Budget withdrawn',
      });
      await handle.result();
    });
  });

  describe('request_changes goes back to the phase before, with the comment', () => {
    it('decision_to_procure: needs analysis is redone and requested again', async () => {
      const handle = await startTender(h);
      await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      let s = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'decision_to_procure',
        decision: 'request_changes',
        comment: 'Add a market analysis',
      });
      expect(s.phase).toBe('needs_analysis');
      expect(s.pendingGates).toEqual([]);
      expect(s.changesRequested).toMatchObject({ gate: 'decision_to_procure', comment: 'Add a market analysis' });
      // What the outbox needs to write each message and to find whom it reaches: the gate's eligibility, the requester, the comment.
      const notes = h.records.notes.get(handle.workflowId)!;
      expect(notes.find((n) => n.kind === 'gate_request')!.about).toEqual({
        topic: 'gate_request',
        gate: 'decision_to_procure',
        since: expect.any(String),
        requestedBy: { sub: actors.anna.sub, name: actors.anna.name },
        eligibility: {
          role: 'approver',
          organization: 'HSN',
          minApprovalLimitSek: expect.any(Number),
          excluded: [actors.anna.sub],
        },
      });
      expect(notes.find((n) => n.about?.topic === 'changes_requested')).toMatchObject({
        recipients: [`user:${actors.anna.sub}`],
        about: { gate: 'decision_to_procure', comment: 'Add a market analysis', by: { sub: actors.bo.sub } },
      });
      s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
        ...needsAnalysis,
        marketAnalysis: 'Three suppliers in Sweden',
      });
      expect(s.changesRequested).toBeUndefined();
      s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
      expect(s.phase).toBe('documents');
    });

    it('documents_approval: documents must be registered again before publication', async () => {
      const handle = await startTender(h);
      await driveTo(h, handle, 'documents');
      await cmd(handle, 'registerDocuments', actors.anna, { documents: [{ title: 'Docs', reference: 'D1' }] });
      let s = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'documents_approval',
        decision: 'request_changes',
        comment: 'Criteria unclear',
      });
      expect(s.phase).toBe('documents');
      expect(s.documents?.approved).toBe(false);
      expect((await refusal(cmd(handle, 'publish', actors.anna, {}))).cause).toMatchObject({ type: 'Conflict' });
      await cmd(handle, 'registerDocuments', actors.anna, { documents: [{ title: 'Docs', reference: 'D2' }] });
      await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
      s = await cmd(handle, 'publish', actors.anna, {});
      expect(s.phase).toBe('published');
    });

    it('award_decision: back to evaluation, the proposal withdrawn', async () => {
      const handle = await startTender(h);
      await driveTo(h, handle, 'award_decision');
      let s = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'award_decision',
        decision: 'request_changes',
        comment: 'Reasons too thin',
      });
      expect(s.phase).toBe('evaluation');
      expect(s.evaluation).toBeUndefined();
      await cmd(handle, 'submitEvaluation', actors.anna, {
        proposals: [{ ...proposal, reasons: 'Detailed reasons per criterion' }],
      });
      s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
      expect(s.phase).toBe('standstill');
    });
  });

  describe('authority at the gates', () => {
    it('a refused update reaches the client as WorkflowUpdateFailedError carrying the ApplicationFailure type', async () => {
      const handle = await startTender(h);
      await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      const err = await refusal(
        cmd(handle, 'decideGate', actors.anna, { gate: 'decision_to_procure', decision: 'approve' }),
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(err.cause).toBeInstanceOf(ApplicationFailure);
      expect(err.cause).toMatchObject({ type: 'Forbidden', nonRetryable: true, details: [{ rule: 'role' }] });
    });

    it('four-eyes: the requester may not decide, even holding the approver role', async () => {
      const handle = await startTender(h);
      const both = {
        ...actors.anna,
        roles: ['procurement_officer' as const, 'approver' as const],
        approvalLimitSek: 50_000_000,
      };
      await cmd(handle, 'completeNeedsAnalysis', both, needsAnalysis);
      const err = await refusal(cmd(handle, 'decideGate', both, { gate: 'decision_to_procure', decision: 'approve' }));
      expect(err.cause).toMatchObject({ type: 'Forbidden', details: [{ rule: 'four_eyes' }] });
      // Validator refusals leave no trace in history: the tender has not changed.
      expect((await state(handle)).version).toBe(2);
    });

    it('approval limit below the value, another organisation, an evaluator: 403; no pending gate: 409; no comment on reject: 400', async () => {
      const handle = await startTender(h);
      await driveTo(h, handle, 'award_decision');
      const decide = (actor: typeof actors.bo, decision: 'approve' | 'reject' = 'approve') =>
        refusal(cmd(handle, 'decideGate', actor, { gate: 'award_decision', decision }));
      expect((await decide({ ...actors.bo, approvalLimitSek: 1_000_000 })).cause).toMatchObject({
        type: 'Forbidden',
        details: [{ rule: 'approval_limit' }],
      });
      expect((await decide({ ...actors.bo, org: 'RS' })).cause).toMatchObject({
        type: 'Forbidden',
        details: [{ rule: 'organization' }],
      });
      const evaluatorApprover = { ...actors.eva, roles: ['approver' as const], approvalLimitSek: 50_000_000 };
      expect((await decide(evaluatorApprover)).cause).toMatchObject({
        type: 'Forbidden',
        details: [{ rule: 'evaluator_excluded' }],
      });
      expect((await decide(actors.bo, 'reject')).cause).toMatchObject({
        type: 'BadRequest',
        details: [{ field: 'comment' }],
      });
      const wrongGate = await refusal(
        cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' }),
      );
      expect(wrongGate.cause).toMatchObject({ type: 'Conflict', details: [{ rule: 'gate_not_pending' }] });
    });
  });

  describe('cancellation', () => {
    async function reach(phase: Phase): Promise<TenderHandle> {
      const invited =
        phase === 'coordination'
          ? { invitedBodies: [{ organization: 'KOMM', name: 'Kommunen', contactEmail: 'k@k.se' }] }
          : {};
      const handle = await startTender(h, invited);
      switch (phase) {
        case 'needs_analysis':
          break;
        case 'coordination':
          await driveTo(h, handle, 'documents');
          break;
        case 'under_review':
          await driveTo(h, handle, 'standstill');
          await cmd(handle, 'fileReview', actors.anna, {
            applicant: 'Nordic Reagents AB',
            court: 'Förvaltningsrätten i Stockholm',
          });
          break;
        default:
          await driveTo(h, handle, phase as Parameters<typeof driveTo>[2]);
      }
      expect((await state(handle)).phase).toBe(phase);
      return handle;
    }

    it.each<Phase>([
      'needs_analysis',
      'coordination',
      'documents',
      'published',
      'opening',
      'evaluation',
      'award_decision',
      'standstill',
      'under_review',
    ])('approved from %s: cancelled, tenderers notified, documentation due in 30 days', async (phase) => {
      const handle = await reach(phase);
      let s = await cmd(handle, 'requestCancellation', actors.anna, { reason: 'The need has disappeared' });
      expect(s.pendingGates.map((g) => [g.gate, g.reason])).toContainEqual([
        'cancellation',
        'The need has disappeared',
      ]);
      expect(s.phase).toBe(phase);
      s = await cmd(handle, 'decideGate', actors.cia, { gate: 'cancellation', decision: 'approve', comment: 'Agreed' });
      expect(s.phase).toBe('cancelled');
      expect(s.outcome).toMatchObject({ reason: 'The need has disappeared', by: { sub: 'cia' } });
      expect(s.deadlines).toEqual([expect.objectContaining({ kind: 'documentation', days: 30 })]);
      const notice = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'cancellation_notice')!;
      expect(notice.body).toContain('The need has disappeared');
      const result = await handle.result();
      expect(result.phase).toBe('cancelled');
    });

    it.each<Phase>(['contract'])('is refused in %s (409)', async (phase) => {
      const handle = await reach(phase);
      const err = await refusal(cmd(handle, 'requestCancellation', actors.anna, { reason: 'Too late' }));
      expect(err.cause).toMatchObject({ type: 'InvalidPhase' });
    });

    it('rejected: the tender goes on where it was, its timers intact, and the deadline still fires', async () => {
      const handle = await reach('published');
      const before = await state(handle);
      await cmd(handle, 'requestCancellation', actors.anna, { reason: 'Maybe not needed' });
      // While it is pending, other gates wait and no contract can be registered.
      let s = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'cancellation',
        decision: 'reject',
        comment: 'The need remains',
      });
      expect(s.phase).toBe('published');
      expect(s.pendingGates).toEqual([]);
      expect(s.deadlines.map(({ kind, at, lastDay }) => ({ kind, at, lastDay }))).toEqual(
        before.deadlines.map(({ kind, at, lastDay }) => ({ kind, at, lastDay })),
      );
      s = await passDeadline(h, handle, 'tender_deadline');
      expect(s.phase).toBe('opening');
    });

    it('while pending, other gates wait (409)', async () => {
      const handle = await reach('award_decision');
      await cmd(handle, 'requestCancellation', actors.anna, { reason: 'Complaint expected' });
      const err = await refusal(cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' }));
      expect(err.cause).toMatchObject({ type: 'Conflict', details: [{ rule: 'cancellation_pending' }] });
      const again = await refusal(cmd(handle, 'requestCancellation', actors.anna, { reason: 'Twice' }));
      expect(again.cause).toMatchObject({ type: 'Conflict' });
      const s: TenderState = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'cancellation',
        decision: 'request_changes',
        comment: 'Wait for it',
      });
      expect(s.phase).toBe('award_decision');
    });
  });
});
