import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowCodeForTests } from '../../test/support/shared-workflow-bundle';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  contractState,
  driveTo,
  Harness,
  needsAnalysis,
  openingTenders,
  passDeadline,
  proposal,
  startHarness,
  startTender,
  state,
  stopFollowUp,
  TenderHandle,
  waitFor,
  signed,
} from '../../test/support/tender-harness';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { getInvitationStateQuery, respondToInvitationUpdate } from '../coordination/coordination.messages';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

describe('tender workflow: main paths', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-main');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('waits in needs_analysis, records its read model and exposes its state by query', async () => {
    const handle = await startTender(h);
    // A year passes without any command: the tender is still waiting for its preparation.
    await env.sleep('365 days');
    const s = await state(handle);
    expect(s.phase).toBe('needs_analysis');
    expect(s.workflowId).toBe(handle.workflowId);
    expect(s.timeline).toEqual([{ phase: 'needs_analysis', enteredAt: '2026-11-25T10:00:00.000Z' }]);
    expect(h.records.snapshots.get(handle.workflowId)!.map((x) => [x.phase, x.version])).toEqual([
      ['needs_analysis', 1],
    ]);
    expect(h.records.audit.get(handle.workflowId)!.map((e) => [e.seq, e.type])).toEqual([[1, 'tender.created']]);
  });

  it('eu open: needs analysis to completed, with every gate, timer and obligation', async () => {
    const handle = await startTender(h);
    let s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    expect(s.pendingGates).toEqual([
      expect.objectContaining({
        gate: 'decision_to_procure',
        requestedBy: { sub: 'anna', name: actors.anna.name },
        eligibility: { role: 'approver', organization: 'HSN', minApprovalLimitSek: 4_000_000, excluded: ['anna'] },
      }),
    ]);
    expect(s.lots).toHaveLength(2);
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve', comment: 'Go' });
    expect(s.phase).toBe('documents');
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    expect(s.documents?.approved).toBe(true);
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    s = await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    expect(s.phase).toBe('published');
    expect(s.stage).toBe('tendering');
    const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    // Open procedure, electronic submission: 30 days (11 kap. 2 och 6 §§ LOU).
    expect(deadline.days).toBe(30);
    expect(deadline.basis).toContain('11 kap. 2 och 6 §§ LOU');
    expect(s.deadlines.map((d) => d.kind).sort()).toEqual(['latest_answer', 'question_cutoff', 'tender_deadline']);
    expect(s.tenderPeriod?.minimum?.lastDay).toBe(deadline.lastDay);

    s = await passDeadline(h, handle, 'tender_deadline');
    expect(s.phase).toBe('opening');
    expect(s.deadlines.map((d) => d.kind)).toEqual(['opening_due']);
    s = await cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
    expect(s.phase).toBe('evaluation');
    expect(s.tendersReceived.map((t) => t.late)).toEqual([false, false]);
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'None' });
    await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'None' });
    s = await cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] });
    expect(s.phase).toBe('award_decision');
    expect(s.pendingGates[0].eligibility.excluded).toEqual(['anna', 'eva', 'erik']);
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(s.phase).toBe('standstill');
    expect(s.award).toMatchObject({ standstillDays: 10, noticeChannel: 'electronic' });
    // One notice to each tenderer (12 kap. 12 § LOU), with the winner, the reasons and the standstill.
    const notices = h.records.notes.get(handle.workflowId)!.filter((n) => n.kind === 'award_notice');
    expect(notices.map((n) => n.recipients)).toEqual([['supplier:556000-0001'], ['supplier:556000-0002']]);
    const notice = notices[0];
    expect(notice.body).toContain(`Kontraktet tilldelas Acme Lab AB. Skäl: ${proposal.reasons}`);
    expect(notice.body).toContain('avtalsspärren på 10 dagar');

    s = await passDeadline(h, handle, 'standstill');
    expect(s.phase).toBe('contract');
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    expect(s.phase).toBe('follow_up');
    expect(s.followUp).toMatchObject({
      contractId: `${s.id}-K1`,
      workflowId: `contract-${s.id}-K1`,
      status: 'running',
    });
    // The statutory duties after signing are milestones of the contract's follow-up, not tender timers.
    expect(s.deadlines).toEqual([]);
    const c = await contractState(h, s);
    expect(
      c.milestones
        .filter((m) => m.kind === 'post_award_notice' || m.kind === 'documentation')
        .map((m) => [m.kind, m.status, m.basis]),
    ).toEqual([
      ['post_award_notice', 'scheduled', expect.stringContaining('10 kap. 4 § LOU')],
      ['documentation', 'scheduled', expect.stringContaining('12 kap. 14–16 §§ LOU')],
    ]);
    const result = await stopFollowUp(h, handle);
    expect(result.phase).toBe('completed');
    expect(result.followUp?.status).toBe('stopped');
    expect(result.timeline.map((t) => t.phase)).toEqual([
      'needs_analysis',
      'documents',
      'published',
      'opening',
      'evaluation',
      'award_decision',
      'standstill',
      'contract',
      'follow_up',
      'completed',
    ]);

    // Audit: one gap-free sequence; every accepted command names its actor; snapshots only grow.
    const audit = h.records.audit.get(handle.workflowId)!;
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
    expect(audit.filter((e) => e.type === 'timer.fired').map((e) => (e.payload as { kind: string }).kind)).toEqual(
      expect.arrayContaining(['tender_deadline', 'standstill']),
    );
    expect(
      audit.filter((e) => e.type === 'command.accepted' || e.type === 'gate.decided').every((e) => e.actor !== null),
    ).toBe(true);
    const versions = h.records.snapshots.get(handle.workflowId)!.map((x) => x.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(result.commands.map((c) => c.command)).toContain('decideGate');
    expect(result.gateDecisions.map((g) => [g.gate, g.decision, g.decidedBy.sub])).toEqual([
      ['decision_to_procure', 'approve', 'bo'],
      ['documents_approval', 'approve', 'bo'],
      ['award_decision', 'approve', 'bo'],
    ]);

    // Versioning: the recorded history replays against the current workflow code.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory(workflowCodeForTests(), history, handle.workflowId);
  });

  /** The statutory duties the last contract's follow-up planned. */
  let duties: string[] = [];

  /** From the end of the tender period to completed: opening, evaluation, award, contract, follow-up. */
  async function fromOpeningToCompleted(handle: TenderHandle, s: TenderState): Promise<TenderState> {
    expect(s.phase).toBe('opening');
    s = await cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
    if (s.evaluators.length === 0) await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva] });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'None' });
    if (s.evaluators.some((e) => e.sub === 'erik'))
      await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'None' });
    await cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] });
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    if (s.phase === 'standstill') s = await passDeadline(h, handle, 'standstill');
    expect(s.phase).toBe('contract');
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    expect(s.phase).toBe('follow_up');
    duties = (await contractState(h, s)).milestones
      .map((m) => m.kind)
      .filter((k) => k === 'post_award_notice' || k === 'documentation');
    const result = await stopFollowUp(h, handle);
    expect(result.phase).toBe('completed');
    return result;
  }

  it('eu restricted: requests to participate, selection, an agreed tender period, then the rest', async () => {
    const handle = await startTender(h, { procedure: 'restricted' });
    let s = await driveTo(h, handle, 'published');
    expect(s.stage).toBe('requests');
    expect(s.deadlines.map((d) => [d.kind, d.days])).toEqual([['request_deadline', 30]]);
    await expect(
      cmd(handle, 'selectCandidates', actors.anna, { candidates: [{ supplier: 'Acme Lab AB' }] }),
    ).rejects.toMatchObject({
      cause: { type: 'Conflict' },
    });
    s = await passDeadline(h, handle, 'request_deadline');
    expect(s.stage).toBe('selection');
    s = await cmd(handle, 'selectCandidates', actors.anna, {
      candidates: [
        { supplier: 'Acme Lab AB', orgNumber: '556000-0001' },
        { supplier: 'Nordic Reagents AB', orgNumber: '556000-0002' },
      ],
      agreedTenderPeriodDays: 20,
    });
    expect(s.stage).toBe('tendering');
    const tender = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(tender.days).toBe(20);
    expect(tender.basis).toContain('11 kap. 7 § LOU');
    expect(h.records.notes.get(handle.workflowId)!.filter((n) => n.kind === 'invitation')[0].recipients).toEqual([
      'supplier:556000-0001',
      'supplier:556000-0002',
    ]);
    s = await passDeadline(h, handle, 'tender_deadline');
    const result = await fromOpeningToCompleted(handle, s);
    expect(result.timeline.map((t) => t.phase)).toContain('standstill');
  });

  it('national (19 kap., one-stage open shape): reasonable time of 15 days, no labour-conditions or lot rule below the threshold', async () => {
    const handle = await startTender(h, {
      regime: 'national',
      procedure: 'open',
      estimatedValueSek: 1_200_000,
      frameworkAgreement: false,
      procedureDescription: 'Ett steg; alla får lämna anbud.',
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Consultancy hours; no material criteria' },
      supplyPreparedness: { criticality: 'low' },
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Förfrågningsunderlag', reference: 'DOC-N' }],
    });
    await cmd(handle, 'decideGate', actors.cia, { gate: 'documents_approval', decision: 'approve' });
    let s = await cmd(handle, 'publish', actors.anna, {});
    const tender = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(tender.days).toBe(15);
    expect(tender.basis).toContain('19 kap. 11 § LOU (skälig tid');
    expect(s.procedureDescription).toBe('Ett steg; alla får lämna anbud.');
    s = await passDeadline(h, handle, 'tender_deadline');
    await fromOpeningToCompleted(handle, s);
    expect(duties).toEqual(['post_award_notice', 'documentation']);
    // The award notice cites the national regime's chapter, not 12 kap. 12 § (19 kap. LOU).
    const award = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'award_notice')!;
    expect(award.body).toContain('Underrättelsen lämnas enligt 19 kap. 19 § LOU.');
    expect(award.body).not.toContain('12 kap. 12 §');
  });

  it('direct award: needs_analysis → decision_to_procure → contract → follow_up, documentation due at ≥ 100 000 SEK', async () => {
    const handle = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 300_000,
      frameworkAgreement: false,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { criteria: ['Ecolabel'], level: 'bas' },
      supplyPreparedness: { criticality: 'medium' },
    });
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('contract');
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Local Supplier AB',
      valueSek: 290_000,
    });
    expect(s.phase).toBe('follow_up');
    const c = await contractState(h, s);
    expect(c.milestones.map((m) => m.kind)).toContain('documentation');
    expect(c.milestones.map((m) => m.kind)).not.toContain('post_award_notice');
    const result = await stopFollowUp(h, handle);
    expect(result.timeline.map((t) => t.phase)).toEqual(['needs_analysis', 'contract', 'follow_up', 'completed']);
  });

  it('direct award below 100 000 SEK: no obligation, follow-up completes at once', async () => {
    const handle = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 80_000,
      frameworkAgreement: false,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Small purchase' },
      supplyPreparedness: { criticality: 'low' },
    });
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Small AB',
      valueSek: 80_000,
    });
    const c = await contractState(h, s);
    expect(c.milestones.map((m) => m.kind).filter((k) => k === 'post_award_notice' || k === 'documentation')).toEqual(
      [],
    );
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it('framework call-off with a voluntary standstill (policy default)', async () => {
    const handle = await startTender(h, {
      regime: 'framework_call_off',
      procedure: 'call_off',
      estimatedValueSek: 900_000,
      frameworkAgreement: false,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Set in the framework' },
      supplyPreparedness: { criticality: 'low' },
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Call-off request', reference: 'FKU-1' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    let s = await cmd(handle, 'publish', actors.anna, {});
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')!.basis).toContain('7 kap. LOU');
    s = await passDeadline(h, handle, 'tender_deadline');
    const result = await fromOpeningToCompleted(handle, s);
    expect(result.timeline.map((t) => t.phase)).toContain('standstill');
    expect(duties).toEqual(['documentation']);
  });

  it('framework call-off without standstill goes from the award decision straight to contract', async () => {
    const handle = await startTender(h, {
      regime: 'framework_call_off',
      procedure: 'call_off',
      estimatedValueSek: 900_000,
      frameworkAgreement: false,
      callOffStandstill: false,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Set in the framework' },
      supplyPreparedness: { criticality: 'low' },
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Call-off request', reference: 'FKU-2' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'publish', actors.anna, {});
    const s = await passDeadline(h, handle, 'tender_deadline');
    const result = await fromOpeningToCompleted(handle, s);
    expect(result.timeline.map((t) => t.phase)).not.toContain('standstill');
    expect(result.award?.standstillDays).toBeNull();
    expect(h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'award_notice')!.body).toContain(
      'Ingen avtalsspärr gäller för tilldelningen (20 kap. 2 § 2 LOU).',
    );
  });

  it('coordination: entered only with invited bodies; one child per body; a partner joins with its mandate', async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' }],
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('coordination');
    expect(s.deadlines.map((d) => [d.kind, d.days])).toEqual([['coordination_response', 14]]);
    const child = env.client.workflow.getHandle(coordinationWorkflowId(s.id, 'KOMM'));
    expect(s.participants[0].workflowId).toBe(child.workflowId);
    expect((await child.query(getInvitationStateQuery)).reminder?.lastDay).toBeDefined();
    expect(h.records.notes.get(child.workflowId)!.find((n) => n.kind === 'invitation')!.recipients).toEqual([
      'email:inkop@kommunen.se',
    ]);
    const answer = (payload: object) =>
      signed(child, respondToInvitationUpdate, {
        actor: actors.pia,
        payload: { organization: 'KOMM', ...payload } as never,
      });
    await expect(answer({ answer: 'join' })).rejects.toMatchObject({ cause: { type: 'RuleViolation' } });
    await answer({ answer: 'join', estimatedVolume: '20 %', mandateReference: 'KS 2026/14' });
    // The child signals the tender before its update returns; the tender takes the outcome from the chain (an activity), so it shows shortly after.
    s = await waitFor(handle, (x) => x.phase !== 'coordination', 'the tender to take the answer');
    expect(s.phase).toBe('documents');
    expect(s.participants[0]).toMatchObject({
      status: 'joined',
      mandateReference: 'KS 2026/14',
      estimatedVolume: '20 %',
      answeredBy: { sub: 'pia', name: actors.pia.name },
    });
    expect(s.deadlines).toEqual([]);
    expect(s.commands.map((c) => c.command)).toContain('respondToInvitation');
  });

  it('coordination: a body that has not answered is reminded by its child and then not joined at the deadline', async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' }],
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const s0 = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    const child = coordinationWorkflowId(s0.id, 'KOMM');
    const s = await passDeadline(h, handle, 'coordination_response');
    const done = await waitFor(handle, (x) => x.phase === 'documents', 'documents');
    const reminders = h.records.notes.get(child)!.filter((n) => n.kind === 'reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].about).toMatchObject({
      topic: 'joint_invitation',
      reminder: true,
      body: { organization: 'KOMM', name: 'Kommunen' },
      deadline: {
        kind: 'coordination_response',
        lastDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        basis: expect.any(String),
      },
    });
    expect(done.participants[0].status).toBe('not_joined');
    expect(s.pastDeadlines.map((d) => d.kind)).toContain('coordination_response');
  });
});
