import { WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { toReleasePackage } from '../../apps/api/src/ocds/ocds.mapper';
import type { Actor } from '@tenderflow/domain/types';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { workflowCodeForTests } from '../../test/support/shared-workflow-bundle';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import type { RespondToInvitationPayload } from '@tenderflow/temporal-common/tender-types';
import {
  actors,
  cmd,
  contract,
  contractState,
  Harness,
  needsAnalysis,
  openingTenders,
  passDeadline,
  proposal,
  readModel,
  startHarness,
  startTender,
  stopFollowUp,
  waitFor,
  signed,
} from '../../test/support/tender-harness';
import { answerAfterClose, getInvitationStateQuery, respondToInvitationUpdate } from './coordination.messages';

const partner = (org: string, sub: string, name: string): Actor => ({ sub, name, org, roles: ['partner'] });
const ann = partner('KOMMA', 'ann', 'Ann Kommun A');
const ben = partner('KOMMB', 'ben', 'Ben Kommun B');
const cecilia = partner('KOMMC', 'cecilia', 'Cecilia Kommun C');

describe('joint procurement: one coordination child per invited body', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'coordination');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('three bodies: one joins, one declines, one stays silent; late and repeated answers are refused; the joined body buys under the contract', async () => {
    // Two bodies invited when the tender is created, the third while preparing it.
    const handle = await startTender(h, {
      invitedBodies: [
        { organization: 'KOMMA', name: 'Kommun A', contactEmail: 'upphandling@kommuna.se' },
        { organization: 'KOMMB', name: 'Kommun B', contactEmail: 'upphandling@kommunb.se' },
      ],
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      ...needsAnalysis,
      invitedBodies: [{ organization: 'KOMMC', name: 'Kommun C', contactEmail: 'upphandling@kommunc.se' }],
    });
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('coordination');
    const response = s.deadlines.find((d) => d.kind === 'coordination_response')!;
    expect(response.days).toBe(14);

    const child = (org: string): WorkflowHandle => env.client.workflow.getHandle(coordinationWorkflowId(s.id, org));
    const answer = (org: string, actor: Actor, payload: Partial<RespondToInvitationPayload>) =>
      signed(child(org), respondToInvitationUpdate, {
        actor,
        payload: { organization: org, ...payload } as RespondToInvitationPayload,
      });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: { cause?: unknown }) => e.cause,
      );

    for (const org of ['KOMMA', 'KOMMB', 'KOMMC']) {
      const c = await child(org).query(getInvitationStateQuery);
      expect(c).toMatchObject({ status: 'invited', response: { lastDay: response.lastDay } });
      // Policy: the reminder 3 days before the 14-day deadline.
      expect(c.reminder?.basis).toContain('reminder 3 days before');
      expect(h.records.notes.get(child(org).workflowId)!.map((n) => n.kind)).toEqual(['invitation']);
    }

    // Only a partner of that body answers for it.
    expect(await refusal(answer('KOMMB', ann, { answer: 'decline', reason: 'x' }))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'own_body_only' }],
    });
    expect(await refusal(answer('KOMMA', { ...actors.anna, org: 'KOMMA' }, { answer: 'join' }))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'role' }],
    });
    // Join needs the mandate and the estimated volume; decline needs a reason.
    expect(await refusal(answer('KOMMA', ann, { answer: 'join', estimatedVolume: '25 %' }))).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'mandate_required' }],
    });
    expect(await refusal(answer('KOMMA', ann, { answer: 'join', mandateReference: 'KS 2026/88' }))).toMatchObject({
      type: 'BadRequest',
      details: [{ field: 'estimatedVolume' }],
    });
    expect(await refusal(answer('KOMMB', ben, { answer: 'decline' }))).toMatchObject({
      type: 'BadRequest',
      details: [{ field: 'reason' }],
    });

    await answer('KOMMA', ann, {
      answer: 'join',
      estimatedVolume: '25 % of the volume',
      mandateReference: 'KS 2026/88',
    });
    // The tender records the outcome it reads from the chain, in a step after the body's answer.
    s = await waitFor(
      handle,
      (x) => x.participants.find((b) => b.organization === 'KOMMA')?.status !== 'invited',
      'KOMMA recorded',
    );
    expect(s.participants.find((b) => b.organization === 'KOMMA')).toMatchObject({
      status: 'joined',
      mandateReference: 'KS 2026/88',
      answeredBy: { sub: 'ann' },
    });
    // A second answer, while the invitation is still open, is refused by the body's workflow.
    const twice = await refusal(answer('KOMMA', ann, { answer: 'decline', reason: 'Changed our mind' }));
    expect(twice).toMatchObject({ type: 'Conflict', details: [{ rule: 'already_answered' }] });
    expect((twice as Error).message).toMatch(/KOMMA has already answered: joined by Ann Kommun A/);

    await answer('KOMMB', ben, { answer: 'decline', reason: 'Our own agreement runs until 2029' });
    s = await waitFor(
      handle,
      (x) => x.participants.find((b) => b.organization === 'KOMMB')?.status !== 'invited',
      'KOMMB recorded',
    );
    expect(s.phase).toBe('coordination'); // KOMMC has not answered
    // The reason is content: the tender's state keeps its ref, the read model the text.
    expect(s.participants.find((b) => b.organization === 'KOMMB')).toMatchObject({
      status: 'declined',
      textRef: expect.stringMatching(/^content\/decline:KOMMB@\d+$/),
    });
    expect(s.participants.find((b) => b.organization === 'KOMMB')).not.toHaveProperty('declineReason');
    expect(readModel.read(handle.workflowId)!.participants.find((b) => b.organization === 'KOMMB')).toMatchObject({
      status: 'declined',
      declineReason: 'Our own agreement runs until 2029',
    });

    // The reminder goes to the silent body only; at the deadline it is recorded as not joined.
    s = await passDeadline(h, handle, 'coordination_response');
    s = await waitFor(handle, (x) => x.phase === 'documents', 'documents');
    expect(h.records.notes.get(child('KOMMC').workflowId)!.map((n) => n.kind)).toEqual(['invitation', 'reminder']);
    expect(h.records.notes.get(child('KOMMA').workflowId)!.map((n) => n.kind)).toEqual(['invitation']);
    expect(s.participants.map((b) => [b.organization, b.status])).toEqual([
      ['KOMMA', 'joined'],
      ['KOMMB', 'declined'],
      ['KOMMC', 'not_joined'],
    ]);
    expect(s.timeline.find((t) => t.phase === 'coordination')!.leftAt).toBeDefined();
    // Each child has closed with its outcome. (Read by describe and query, not result(): the
    // time-skipping client's result() lets the server skip ahead while the tender idles.)
    for (const [org, status] of [
      ['KOMMA', 'joined'],
      ['KOMMB', 'declined'],
      ['KOMMC', 'not_joined'],
    ]) {
      expect((await child(org).describe()).status.name).toBe('COMPLETED');
      expect((await child(org).query(getInvitationStateQuery)).outcome?.status).toBe(status);
    }

    // After the deadline the body's workflow has closed: the answer does not get in, and the
    // tender's record gives the reason the API answers with.
    await expect(
      answer('KOMMC', cecilia, { answer: 'join', estimatedVolume: '10 %', mandateReference: 'late' }),
    ).rejects.toThrow(/completed|not found/i);
    const c = s.participants.find((b) => b.organization === 'KOMMC')!;
    expect(answerAfterClose(c, response.lastDay)).toMatchObject({
      type: 'RuleViolation',
      rule: 'response_deadline_passed',
      reason: expect.stringContaining(response.lastDay),
    });
    expect(answerAfterClose(s.participants[0], response.lastDay)).toMatchObject({
      type: 'Conflict',
      rule: 'already_answered',
    });

    // Audit: each child wrote to the tender's chain under its own workflow ID.
    expect(h.records.audit.get(child('KOMMC').workflowId)!.map((e) => e.type)).toEqual([
      'invitation.sent',
      'notification.queued',
      'invitation.reminded',
      'notification.queued',
      'invitation.expired',
    ]);
    expect(
      h.records.audit.get(child('KOMMA').workflowId)!.find((e) => e.type === 'invitation.answered')!.actor,
    ).toEqual({ sub: 'ann', name: ann.name, org: 'KOMMA' });

    // The rest of the procurement; the joined body is a buyer of the contract and of the public export.
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-J' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva] });
    await cmd(handle, 'publish', actors.anna, {});
    s = await passDeadline(h, handle, 'tender_deadline');
    await cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'None' });
    await cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    s = await passDeadline(h, handle, 'standstill');
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    const k = await contractState(h, s);
    expect(k.buyers).toEqual([
      { organization: 'HSN', name: 'HSN', role: 'lead' },
      {
        organization: 'KOMMA',
        name: 'Kommun A',
        role: 'participant',
        estimatedVolume: '25 % of the volume',
        mandateReference: 'KS 2026/88',
      },
    ]);
    const ocds = toReleasePackage(s, {
      prefix: 'ocds-test',
      publisherName: 'Tenderflow',
      publishedDate: s.createdAt,
      baseUrl: 'http://x',
    });
    const buyers = ocds.releases[0].parties.filter((p) => p.roles.includes('buyer')).map((p) => p.name);
    expect(buyers).toEqual(['HSN', 'Kommun A']);

    // Histories stay small.
    for (const wid of [handle.workflowId, ...['KOMMA', 'KOMMB', 'KOMMC'].map((o) => child(o).workflowId)]) {
      const history = await env.client.workflow.getHandle(wid).fetchHistory();
      expect(history.events!.length).toBeLessThan(2_000);
    }
    // Versioning: a child's history replays against the current code.
    await Worker.runReplayHistory(
      workflowCodeForTests(),
      await child('KOMMC').fetchHistory(),
      child('KOMMC').workflowId,
    );
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it("invitations added in preparation are checked: a code, not the tender's own organisation, not twice", async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMMA', name: 'Kommun A', contactEmail: 'a@a.se' }],
    });
    const bad = (bodies: unknown) =>
      cmd(handle, 'completeNeedsAnalysis', actors.anna, { ...needsAnalysis, invitedBodies: bodies as never }).then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: { cause?: unknown }) => e.cause,
      );
    expect(await bad([{ organization: 'HSN', name: 'Self', contactEmail: 's@s.se' }])).toMatchObject({
      type: 'BadRequest',
    });
    expect(await bad([{ organization: 'KOMMA', name: 'Again', contactEmail: 'a@a.se' }])).toMatchObject({
      type: 'Conflict',
      details: [{ rule: 'already_invited' }],
    });
    expect(await bad([{ organization: 'kommun b', name: 'B', contactEmail: 'b@b.se' }])).toMatchObject({
      type: 'BadRequest',
    });
  });

  it('a tender cancelled during coordination withdraws the open invitations', async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMMA', name: 'Kommun A', contactEmail: 'a@a.se' }],
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(handle, 'requestCancellation', actors.anna, { reason: 'Budget withdrawn' });
    await cmd(handle, 'decideGate', actors.cia, { gate: 'cancellation', decision: 'approve' });
    expect((await handle.result()).phase).toBe('cancelled');
    const notice = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'cancellation_notice')!;
    expect(notice.recipients).toContain('email:a@a.se');
    await expect(env.client.workflow.getHandle(coordinationWorkflowId(s.id, 'KOMMA')).result()).rejects.toThrow(
      /cancel/i,
    );
  });

  it('a start straight in Temporal with an input of the wrong shape fails at once, naming the field, not task after task', async () => {
    const tender = await startTender(h, {});
    const tenderId = tender.workflowId.replace(/^tender-/, '');
    const forged = await h.env.client.workflow.start('coordinationWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: coordinationWorkflowId(tenderId, 'KOMMX'),
      args: [{ tenderId, tenderWorkflowId: tender.workflowId, title: 'x' }],
    });
    const failure = await forged.result().then(
      () => undefined,
      (e: WorkflowFailedError) => e,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failure!.cause).toMatchObject({
      type: 'InvalidInput',
      message: 'Not a coordination input: invitingOrganization: not an organisation code',
    });
    // One workflow task, then the failure: no retrying task in its history.
    const events = (await forged.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  });
});
