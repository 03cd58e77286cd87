import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  needsAnalysis,
  startHarness,
  startTender,
  state,
  today,
  refusal,
} from '../../test/support/tender-harness';
import type { Actor } from '@tenderflow/domain/types';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The workflow is the last line (ARCHITECTURE §4): Updates can reach it without passing the API's door,
 * so its validators refuse what the door refuses, and nothing of a refused command is written.
 */
describe('tender workflow: hostile commands sent straight to Temporal', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-hostile');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it.each([
    ['a numeric sub', { ...actors.bo, sub: 42 as unknown as string }],
    ['an empty org', { ...actors.bo, org: '' }],
    ['an approval limit of 1e19', { ...actors.bo, approvalLimitSek: 1e19 }],
    ['an approval limit of 1.5', { ...actors.bo, approvalLimitSek: 1.5 }],
    ['a NUL in the name', { ...actors.bo, name: 'Bo\u0000' }],
  ])('refuses an actor with %s before anything else, and writes nothing', async (_what, actor) => {
    const handle = await startTender(h);
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const before = await state(handle);
    const audited = h.records.audit.get(handle.workflowId)!.length;
    const err = await refusal(
      cmd(handle, 'decideGate', actor as Actor, { gate: 'decision_to_procure', decision: 'approve' }),
    );
    expect(err.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'actor', rule: 'actor_claims' }] });
    const after = await state(handle);
    expect(after.version).toBe(before.version);
    expect(after.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
    expect(h.records.audit.get(handle.workflowId)!.length).toBe(audited);
  });

  it.each([
    ['a lone surrogate', 'x \ud800 y', 'lone_surrogate'],
    ['a NUL', 'x\u0000y', 'nul_character'],
    ['a C1 control', 'x\u0085y', 'control_character'],
  ])('refuses %s in a payload field, naming it, and the tender keeps taking commands', async (_what, text, rule) => {
    const handle = await startTender(h);
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const err = await refusal(cmd(handle, 'requestCancellation', actors.anna, { reason: text }, text));
    expect(err.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'reason', rule }] });
    const s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('documents');
  });

  it('refuses nesting deeper than 32 levels', async () => {
    const handle = await startTender(h);
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    const err = await refusal(
      cmd(handle, 'completeNeedsAnalysis', actors.anna, { ...needsAnalysis, lots: deep } as never),
    );
    expect(err.cause).toMatchObject({ type: 'BadRequest', details: [{ rule: 'max_depth' }] });
  });

  it('refuses a publication deadline more than two years ahead, and an extendTo in the past', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'approved');
    const day = await today(h);
    const far = addDays(day, 2 * 366 + 1);
    const err = await refusal(cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop', deadline: far }));
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ field: 'deadline', rule: 'date_too_far_ahead' }],
    });

    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    const s = await cmd(handle, 'askQuestion', actors.anna, { question: 'May we offer an equivalent product?' });
    const past = addDays(day, -1);
    const answer = await refusal(
      cmd(handle, 'answerQuestion', actors.anna, { questionId: s.questions[0].id, answer: 'Yes.', extendTo: past }),
    );
    expect(answer.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ field: 'extendTo', rule: 'date_in_past' }],
    });
    const extension = await refusal(
      cmd(handle, 'extendDeadline', actors.anna, { deadline: addDays(day, 3 * 365), reason: 'typo' }),
    );
    expect(extension.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ field: 'deadline', rule: 'date_too_far_ahead' }],
    });
  });
});

describe('tender workflow: durable writes that fail', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-write-faults');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('a write PostgreSQL refuses for good refuses the command; the tender keeps its state and takes the next command', async () => {
    const handle = await startTender(h);
    const before = await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    let failures = 0;
    h.records.snapshotFault = (s) => {
      if (s.workflowId !== handle.workflowId || failures > 0) return undefined;
      failures += 1;
      return ApplicationFailure.create({
        type: PERMANENT_DB_ERROR,
        message: 'PostgreSQL refused the write (SQLSTATE 22P02)',
        nonRetryable: true,
      });
    };
    const err = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' }).then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) => e as WorkflowUpdateFailedError,
    );
    expect(err.cause).toMatchObject({ type: 'BadRequest', details: [{ rule: 'unstorable' }] });
    const kept = await state(handle);
    expect(kept).toMatchObject({ phase: 'needs_analysis', version: before.version });
    expect(kept.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
    const next = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(next).toMatchObject({ phase: 'documents', version: before.version + 1 });
    h.records.snapshotFault = undefined;
  });

  it('a write that keeps failing shows the tender as stalled until it succeeds; the command then completes once', async () => {
    const handle = await startTender(h);
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    let down = true;
    h.records.snapshotFault = (s) =>
      s.workflowId === handle.workflowId && down ? new Error('connect ECONNREFUSED 127.0.0.1:5432') : undefined;
    const decision = cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    // The activity's own retries take about half a minute of (skipped) time.
    const stalled = await waitForStalled(handle);
    expect(stalled.stalled).toMatchObject({ activity: 'commitStep', error: expect.stringContaining('ECONNREFUSED') });
    const description = await handle.describe();
    expect(description.searchAttributes.TenderStalled).toEqual([true]);
    down = false;
    await h.env.sleep(11 * 60_000);
    const done = await decision;
    expect(done.phase).toBe('documents');
    expect(done.stalled).toBeUndefined();
    expect((await state(handle)).stalled).toBeUndefined();
    h.records.snapshotFault = undefined;
  }, 30_000);

  async function waitForStalled(handle: Awaited<ReturnType<typeof startTender>>) {
    for (let i = 0; i < 40; i++) {
      const s = await state(handle);
      if (s.stalled) return s;
      // Skip the activity's retry back-off on the test server's clock, a little at a time.
      await h.env.sleep(10_000);
    }
    throw new Error('the tender never showed as stalled');
  }
});
