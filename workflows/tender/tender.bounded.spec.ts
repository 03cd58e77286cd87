import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import { contractIdForTender, contractWorkflowId, coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { runHistories } from '../../test/support/run-histories';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  driveTo,
  Harness,
  needsAnalysis,
  openingTenders,
  passDeadline,
  proposal,
  readModel,
  signed,
  startHarness,
  startTender,
  state,
  today,
  waitFor,
} from '../../test/support/tender-harness';
import { COMMAND_UPDATES } from './tender.messages';
import { HISTORY_BYTES_BUDGET, HISTORY_EVENTS_BUDGET } from './tender.workflow';

const text = (n: number) =>
  `Fråga ${n}: ${'Hur ska kravet på leveranstid tolkas för delområde 3? '.repeat(100)}`.slice(0, 5000);

/**
 * ARCHITECTURE §5, workflow state is control, not content: a tender of any size runs to the end. A step
 * carries only what it changed and an Update answers a version, so neither grows with the tender;
 * texts go to the read model; a long run continues as new and the chain goes on without a gap.
 */
describe('tender workflow: bounded steps and continue-as-new', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-bounded');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('300 questions of 5 000 characters and their answers: flat steps and answers, runs under budget, every question and the chain whole', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'published');
    const stepSizes: number[] = [];
    const answerSizes: number[] = [];
    const n = 300;
    for (let i = 1; i <= n; i++) {
      const before = h.records.steps.length;
      const answer = await signed(handle, COMMAND_UPDATES.askQuestion, {
        actor: actors.anna,
        payload: { question: text(i), askedBy: `Leverantör ${i} AB` },
      });
      answerSizes.push(JSON.stringify(answer).length);
      stepSizes.push(
        ...h.records.steps
          .slice(before)
          .filter((s) => s.workflowId === handle.workflowId)
          .map((s) => JSON.stringify(s).length),
      );
    }
    for (let i = 1; i <= n; i++) {
      await signed(handle, COMMAND_UPDATES.answerQuestion, {
        actor: actors.anna,
        payload: { questionId: `Q${i}`, answer: `Svar ${i}: ${text(i)}`.slice(0, 5000) },
      });
    }

    // A step's input and the Update's answer do not grow with the number of earlier questions.
    expect(stepSizes).toHaveLength(n);
    expect(Math.max(...stepSizes)).toBeLessThan(stepSizes[0] + 1_000);
    expect(Math.max(...answerSizes)).toBeLessThan(120);

    // The tender continued as new; no run grew past its budget (and far from Temporal's limits).
    const runs = await runHistories(env.address, env.client.options.namespace, handle.workflowId);
    expect(runs.length).toBeGreaterThan(1);
    for (const r of runs) {
      expect(r.events).toBeLessThan(HISTORY_EVENTS_BUDGET + 200);
      expect(r.bytes).toBeLessThan(HISTORY_BYTES_BUDGET + 512 * 1024);
    }

    // The chain goes on across runs: one sequence, no gap, no repeat; every question and answer in it.
    const audit = h.records.audit.get(handle.workflowId)!;
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_e, i) => i + 1));
    const asked = audit.filter((e) => (e.payload as { command?: string }).command === 'askQuestion');
    expect(asked).toHaveLength(n);

    // The read model holds the whole tender: every question with its text and answer; the workflow keeps no text.
    const read = readModel.read(handle.workflowId)!;
    expect(read.questions).toHaveLength(n);
    expect(read.questions[n - 1]).toMatchObject({
      id: `Q${n}`,
      question: text(n),
      askedBy: `Leverantör ${n} AB`,
      answer: `Svar ${n}: ${text(n)}`.slice(0, 5000),
    });
    const kept = await state(handle);
    expect(kept.phase).toBe('published');
    expect(kept.questions).toHaveLength(n);
    expect(
      kept.questions.every((q) => q.question === undefined && q.answer === undefined && q.answeredAt !== undefined),
    ).toBe(true);
    expect(read.version).toBe(kept.version);

    // The continued run keeps its deadlines as timers and its commands: the tender still goes on to opening.
    const next = await cmd(handle, 'extendDeadline', actors.anna, {
      deadline: nextYearDay(kept.deadlines.find((d) => d.kind === 'tender_deadline')!.lastDay),
      reason: 'Many questions',
    });
    expect(next.deadlines.find((d) => d.kind === 'tender_deadline')).toBeDefined();
  }, 600_000);

  it("a step's content lives in the read model: the workflow keeps refs, the tender read back has it all, the award notice the reasons", async () => {
    const handle = await startTender(h);
    const na = {
      ...needsAnalysis,
      marketAnalysis: 'Three wholesalers in the Nordic market',
      risks: 'Single-source reagents for haematology',
    };
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, na);
    await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    const documents = Array.from({ length: 200 }, (_v, i) => ({
      title: `Bilaga ${i + 1}`,
      reference: `dms://2026/${i + 1}`,
    }));
    await cmd(handle, 'registerDocuments', actors.anna, { documents });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    const s = await passDeadline(h, handle, 'tender_deadline');
    await cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties to any tenderer' });
    await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties to any tenderer' });
    const reasons = `Best price–quality ratio: ${'criterion met in full; '.repeat(400)}`;
    await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [{ ...proposal, reasons }],
      summary: 'Two valid tenders, both evaluated on every criterion',
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    await cmd(handle, 'fileReview', actors.anna, {
      applicant: 'Nordic Reagents AB',
      court: 'Förvaltningsrätten i Stockholm',
    });
    const ruling = `The court found no breach of the principles. ${'The award decision gives the reasons the law asks for. '.repeat(40)}`;
    await cmd(handle, 'recordRuling', actors.anna, {
      reviewId: 'R1',
      outcome: 'rejected',
      rulingDate: await today(h),
      comment: ruling,
    });

    // The workflow keeps facts and refs, no content.
    const kept = await state(handle);
    const keptText = JSON.stringify(kept);
    for (const content of [
      na.need!,
      na.marketAnalysis,
      na.risks,
      'Bilaga 17',
      'dms://2026/200',
      'criterion met in full',
      'Two valid tenders',
      ruling,
    ]) {
      expect(keptText).not.toContain(content);
    }
    expect(kept.needsAnalysis).toMatchObject({
      supplyPreparedness: { criticality: 'high' },
      lots: na.lots,
      textRef: expect.stringMatching(/^content\/needs-analysis@\d+$/),
    });
    expect(kept.documents).toMatchObject({ items: [], itemCount: 200, approved: true });
    expect(kept.evaluation!.proposals).toEqual([{ supplier: proposal.supplier, score: proposal.score }]);
    expect(kept.award!.winners).toEqual([{ supplier: proposal.supplier, score: proposal.score }]);
    expect(kept.reviews[0]).toMatchObject({
      outcome: 'rejected',
      textRef: expect.stringMatching(/^content\/ruling:R1@\d+$/),
    });
    // The command log keeps who, when and the first 200 characters of why; the chain's event keeps all of it.
    expect(kept.commands.at(-1)).toMatchObject({ command: 'recordRuling', reason: `${ruling.slice(0, 199)}…` });
    const rulingEvent = h.records.audit
      .get(handle.workflowId)!
      .find((e) => (e.payload as { command?: string }).command === 'recordRuling');
    expect(rulingEvent).toMatchObject({ reason: ruling });

    // The read model has the tender whole, as before the content moved.
    const read = readModel.read(handle.workflowId)!;
    expect(read.needsAnalysis).toMatchObject({
      need: na.need,
      marketAnalysis: na.marketAnalysis,
      risks: na.risks,
      supplyPreparedness: na.supplyPreparedness,
    });
    expect(read.needsAnalysis).not.toHaveProperty('textRef');
    expect(read.documents!.items).toEqual(documents);
    expect(read.evaluation).toMatchObject({
      proposals: [{ ...proposal, reasons }],
      summary: 'Two valid tenders, both evaluated on every criterion',
    });
    expect(read.award!.winners).toEqual([{ ...proposal, reasons }]);
    expect(read.reviews[0]).toMatchObject({ id: 'R1', comment: ruling });

    // The award notices still give the winner's reasons (read back from the evaluation's text).
    const notice = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'award_notice')!;
    expect(notice.body).toContain(`Kontraktet tilldelas Acme Lab AB. Skäl: ${reasons}`);
    // Each content went once, with the step that wrote it; no later step carries it again.
    const carrying = h.records.steps.filter(
      (st) => st.workflowId === handle.workflowId && JSON.stringify(st).includes('dms://2026/200'),
    );
    expect(carrying.map((st) => st.texts?.map((t) => t.ref))).toEqual([
      [expect.stringMatching(/^content\/documents@\d+$/)],
    ]);
  });

  it('a failed child start leaves nothing half-done: 409 child_exists, the state and chain as before, the next command commits only itself', async () => {
    const body = { organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' };
    // Two invitations to one body: the second child's id is the first's (the API refuses this body at POST /tenders).
    const handle = await startTender(h, { invitedBodies: [body, body] });
    const before = await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const audited = h.records.audit.get(handle.workflowId)!.length;
    const err = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' }).then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) => e as WorkflowUpdateFailedError,
    );
    expect(err.cause).toMatchObject({ type: 'Conflict', details: [{ rule: 'child_exists' }] });
    const kept = await state(handle);
    expect(kept).toMatchObject({ phase: 'needs_analysis', version: before.version });
    expect(kept.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
    expect(kept.gateDecisions).toEqual([]);
    expect(h.records.audit.get(handle.workflowId)!.length).toBe(audited);

    // The officer's next command commits its own change only: no decision, no phase change rides along.
    await cmd(handle, 'requestCancellation', actors.anna, { reason: 'The need is met by a framework agreement' });
    const events = h.records.audit
      .get(handle.workflowId)!
      .slice(audited)
      .map((e) => e.type);
    expect(events).not.toContain('gate.decided');
    expect(events.filter((t) => t === 'phase.changed')).toEqual([]);
  });
});

describe('tender workflow: a child starts only once the step that decided it is committed', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-children');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  const body = { organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' };
  const approve = { gate: 'decision_to_procure', decision: 'approve' } as const;
  const isRunning = async (workflowId: string) => {
    const d = await env.client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    return d?.status.name === 'RUNNING';
  };

  it('a decision whose step PostgreSQL refuses starts no invitation; the decision taken again invites the body once', async () => {
    const handle = await startTender(h, { invitedBodies: [body] });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const child = coordinationWorkflowId((await state(handle)).id, 'KOMM');
    let refusals = 0;
    h.records.snapshotFault = (s) => {
      if (s.workflowId !== handle.workflowId || s.phase !== 'coordination' || refusals > 0) return undefined;
      refusals += 1;
      return ApplicationFailure.create({
        type: PERMANENT_DB_ERROR,
        message: 'PostgreSQL refused the write (SQLSTATE 22P05)',
        nonRetryable: true,
      });
    };
    try {
      const refused = await cmd(handle, 'decideGate', actors.bo, approve).then(
        () => undefined,
        (e: unknown) => (e as WorkflowUpdateFailedError).cause,
      );
      expect(refused).toMatchObject({ details: [{ rule: 'unstorable' }] });
    } finally {
      h.records.snapshotFault = undefined;
    }
    expect(refusals).toBe(1);
    expect(await isRunning(child)).toBe(false);
    expect(await state(handle)).toMatchObject({ phase: 'needs_analysis', gateDecisions: [] });

    // Before, the orphan held the id and this decision was refused with 409 child_exists.
    const s = await cmd(handle, 'decideGate', actors.bo, approve);
    expect(s.phase).toBe('coordination');
    expect(s.participants).toEqual([
      expect.objectContaining({ organization: 'KOMM', status: 'invited', workflowId: child }),
    ]);
    expect(await isRunning(child)).toBe(true);
    expect(h.records.audit.get(handle.workflowId)!.filter((e) => e.type === 'coordination.invited')).toHaveLength(1);
  });

  it('an invitation whose id a workflow outside the tender holds: the decision stands, the body is not joined, with the reason', async () => {
    const handle = await startTender(h, { invitedBodies: [body] });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const child = coordinationWorkflowId((await state(handle)).id, 'KOMM');
    // Someone who reaches Temporal took the id first (a type no worker has: it just sits there).
    const squatter = await env.client.workflow.start('squatterWorkflow', {
      workflowId: child,
      taskQueue: 'tender-children',
      args: [],
    });
    try {
      await cmd(handle, 'decideGate', actors.bo, approve);
      const s = await waitFor(handle, (x) => x.participants[0]?.status !== 'invited', 'the invitation to be settled');
      expect(s.gateDecisions).toEqual([expect.objectContaining({ gate: 'decision_to_procure', decision: 'approve' })]);
      expect(s.participants[0]).toMatchObject({ status: 'not_joined' });
      expect(s.phase).toBe('documents');
      const outcome = h.records.audit.get(handle.workflowId)!.find((e) => e.type === 'invitation.not_joined');
      expect(outcome?.reason).toMatch(/taken by a workflow this tender did not start/);
    } finally {
      await squatter.terminate('test over');
    }
  });

  it('a follow-up whose id a workflow outside the tender holds: the registration stands, the follow-up ends abnormally with the reason', async () => {
    const handle = await startTender(h);
    const s = await driveTo(h, handle, 'contract');
    const child = contractWorkflowId(contractIdForTender(s.id));
    const squatter = await env.client.workflow.start('squatterWorkflow', {
      workflowId: child,
      taskQueue: 'tender-children',
      args: [],
    });
    try {
      await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
      const done = await waitFor(handle, (x) => x.phase === 'completed', 'the tender to complete');
      expect(done.contract).toBeDefined();
      expect(done.followUp).toMatchObject({
        status: 'stopped',
        failure: expect.stringMatching(/taken by a workflow this tender did not start/),
      });
    } finally {
      await squatter.terminate('test over');
    }
  });
});

function nextYearDay(day: string): string {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}
