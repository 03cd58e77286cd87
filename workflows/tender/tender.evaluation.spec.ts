import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  driveTo,
  Harness,
  passDeadline,
  proposal,
  startHarness,
  startTender,
  today,
  refusal,
} from '../../test/support/tender-harness';

describe('tender workflow: evaluation and review', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-evaluation');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('a declared conflict removes the evaluator; a replacement declares; only then the result is accepted', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'evaluation');
    let s = await cmd(handle, 'declareConflict', actors.erik, {
      hasConflict: true,
      statement: 'My brother works at Acme Lab AB',
    });
    expect(s.evaluators.find((e) => e.sub === 'erik')).toMatchObject({
      status: 'removed',
      declaration: { hasConflict: true },
    });
    expect(
      h.records.notes.get(handle.workflowId)!.find((n) => n.subject.includes('conflict of interest')),
    ).toBeDefined();

    // Eva has not declared yet.
    let err = await refusal(cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] }));
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'conflict_declarations_required', paragraph: '4 kap. 4 § LOU' }],
    });
    expect(err.cause?.message).toContain(actors.eva.name);
    // Erik cannot declare again, nor be appointed again.
    err = await refusal(
      cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'Changed my mind' }),
    );
    expect(err.cause).toMatchObject({ type: 'Conflict' });
    err = await refusal(cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.erik] }));
    expect(err.cause).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'conflict_of_interest' }] });
    // Someone never appointed may not declare.
    err = await refusal(cmd(handle, 'declareConflict', actors.ella, { hasConflict: false, statement: 'None' }));
    expect(err.cause).toMatchObject({ type: 'Forbidden', details: [{ rule: 'not_an_evaluator' }] });

    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'None' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.ella] });
    err = await refusal(cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] }));
    expect(err.cause?.message).toContain(actors.ella.name);
    await cmd(handle, 'declareConflict', actors.ella, { hasConflict: false, statement: 'None' });
    // Only tenderers can be proposed.
    err = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, { proposals: [{ supplier: 'Stranger AB', reasons: 'x' }] }),
    );
    expect(err.cause).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'supplier_not_a_tenderer' }] });
    s = await cmd(handle, 'submitEvaluation', actors.anna, { proposals: [{ ...proposal, lot: 'Chemistry' }] });
    expect(s.phase).toBe('award_decision');
    // Erik, though removed, stays excluded from the tender's gates.
    expect(s.pendingGates[0].eligibility.excluded).toEqual(expect.arrayContaining(['eva', 'erik', 'ella']));
  });

  it('review rejected: the contract waits for the ruling plus 10 days (20 kap. 10 § LOU)', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'standstill');
    let s = await cmd(handle, 'fileReview', actors.anna, {
      applicant: 'Nordic Reagents AB',
      court: 'Förvaltningsrätten i Stockholm',
      reference: 'FR 1234-27',
    });
    expect(s.phase).toBe('under_review');
    expect(s.deadlines).toEqual([]);
    expect(s.reviews).toEqual([expect.objectContaining({ id: 'R1', status: 'pending' })]);
    // The court takes months; nothing moves meanwhile.
    await env.sleep('90 days');
    let err = await refusal(cmd(handle, 'registerContract', actors.anna, await contract(h, s)));
    expect(err.cause).toMatchObject({ type: 'InvalidPhase' });
    const ruling = await today(h);
    s = await cmd(handle, 'recordRuling', actors.anna, { reviewId: 'R1', outcome: 'rejected', rulingDate: ruling });
    expect(s.phase).toBe('under_review');
    const hold = s.deadlines.find((d) => d.kind === 'review_hold')!;
    expect(hold).toMatchObject({ from: ruling, days: 10 });
    err = await refusal(
      cmd(handle, 'recordRuling', actors.anna, { reviewId: 'R1', outcome: 'rejected', rulingDate: ruling }),
    );
    expect(err.cause).toMatchObject({ type: 'Conflict' });
    s = await passDeadline(h, handle, 'review_hold');
    expect(s.phase).toBe('contract');
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    expect(s.phase).toBe('follow_up');
  });

  it('review with correction (rättelse): back to evaluation, then a new award and standstill', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'standstill');
    await cmd(handle, 'fileReview', actors.anna, {
      applicant: 'Nordic Reagents AB',
      court: 'Förvaltningsrätten i Stockholm',
    });
    let s = await cmd(handle, 'recordRuling', actors.anna, {
      reviewId: 'R1',
      outcome: 'correction',
      rulingDate: await today(h),
      comment: 'Re-evaluate criterion 3',
    });
    expect(s.phase).toBe('evaluation');
    expect(s.evaluation).toBeUndefined();
    expect(s.award).toBeUndefined();
    await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: 'Nordic Reagents AB', reasons: 'After correction' }],
    });
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(s.phase).toBe('standstill');
    expect(s.award!.winners[0].supplier).toBe('Nordic Reagents AB');
  });

  it('review with redo: back to documents, which must be approved and published again', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'standstill');
    await cmd(handle, 'fileReview', actors.anna, {
      applicant: 'Nordic Reagents AB',
      court: 'Förvaltningsrätten i Stockholm',
    });
    let s = await cmd(handle, 'recordRuling', actors.anna, {
      reviewId: 'R1',
      outcome: 'redo',
      rulingDate: await today(h),
    });
    expect(s.phase).toBe('documents');
    expect(s.documents?.approved).toBe(false);
    expect(s.tendersReceived).toEqual([]);
    expect(s.deadlines).toEqual([]);
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Revised documents', reference: 'DOC-2' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    s = await cmd(handle, 'publish', actors.anna, {});
    expect(s.phase).toBe('published');
    expect(s.timeline.map((t) => t.phase).filter((p) => p === 'published')).toHaveLength(2);
  });

  it('a framework agreement longer than four years with options needs special reasons (7 kap. 2 § LOU)', async () => {
    // Declared for 36 + 24 months (with special reasons at its start): the contract stays within that.
    const handle = await startTender(h, { contractTermMonths: 36, extensionOptionMonths: 24 });
    let s = await driveTo(h, handle, 'contract');
    const long = {
      ...(await contract(h, s)),
      endDate: '2030-02-28',
      options: [{ description: '2 years', months: 24 }],
    };
    const err = await refusal(cmd(handle, 'registerContract', actors.anna, long));
    expect(err.cause).toMatchObject({ type: 'RuleViolation', details: [{ paragraph: '7 kap. 2 § LOU' }] });
    const wrongSupplier = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), supplier: 'Nordic Reagents AB' }),
    );
    expect(wrongSupplier.cause).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'awarded_supplier' }] });
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...long,
      specialReasons: 'Investment in analysers written off over six years',
    });
    expect(s.contract?.specialReasons).toBeDefined();
  });
});
