/**
 * The bench's questions phase: what the n-th supplier question of 5 000 characters adds to the
 * tender's history (bytes and events), for n = 1, 10, 100, 1 000, and the size of the Update's
 * answer, under Temporal's time-skipping test server with the workflow specs' harness (real
 * deadline activities, capturing fakes of the writing ones: the history is the one the real ones
 * make). Flat is the goal: a step carries what it changed, never the whole tender (ARCHITECTURE §5).
 */
import { Client, Connection } from '@temporalio/client';
import { COMMAND_UPDATES } from '@tenderflow/workflows/tender/tender.messages';
import { historyBytes, runHistories } from '../support/run-histories';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { actors, driveTo, signed, startHarness, startTender, type TenderHandle } from '../support/tender-harness';

export interface QuestionCost {
  n: number;
  /** History bytes the n-th question added (its Update, its commit activity, its workflow tasks). */
  bytes: number;
  events: number;
  /** The Update's answer as JSON. */
  answerBytes: number;
  /** The commit activity's input (the step) as JSON. */
  stepBytes: number;
  /** The run the question landed in (1 = the tender's first run). */
  run: number;
}

export interface QuestionsResult {
  questionChars: number;
  total: number;
  costs: QuestionCost[];
  runs: { events: number; bytes: number }[];
  wallMs: number;
}

const text = (n: number) =>
  `Fråga ${n}: ${'Hur ska kravet på leveranstid tolkas för delområde 3, och gäller det även reservdelar? '.repeat(60)}`.slice(
    0,
    5000,
  );

export async function benchQuestions(total = 1_000, at: number[] = [1, 10, 100, 1_000]): Promise<QuestionsResult> {
  const env = await createTimeSkippingEnv();
  const h = await startHarness(env, 'bench-questions');
  // Histories of 4 MiB come as one message from the test server: a connection that takes them.
  const connection = await Connection.connect({
    address: env.connection.options.address,
    channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
  });
  const client = new Client({ connection, namespace: env.client.options.namespace });
  const history = async (handle: TenderHandle) => {
    const runId = (await client.workflow.getHandle(handle.workflowId).describe()).runId;
    const events = (await client.workflow.getHandle(handle.workflowId, runId).fetchHistory()).events ?? [];
    return { runId, events };
  };
  try {
    const handle = await startTender(h);
    await driveTo(h, handle, 'published');
    const costs: QuestionCost[] = [];
    const runIds: string[] = [(await history(handle)).runId];
    const started = Date.now();
    for (let n = 1; n <= total; n++) {
      const measured = at.includes(n);
      const before = measured ? await history(handle) : undefined;
      const steps = h.records.steps.length;
      const answer = await signed(handle, COMMAND_UPDATES.askQuestion, {
        actor: actors.anna,
        payload: { question: text(n), askedBy: `Leverantör ${n} AB` },
      });
      const now = (await client.workflow.getHandle(handle.workflowId).describe()).runId;
      if (!runIds.includes(now)) runIds.push(now);
      if (!before) continue;
      // Let the main loop's own task (a re-armed timer, a continue-as-new) land before counting.
      await new Promise((r) => setTimeout(r, 300));
      const after = await history(handle);
      const added = after.runId === before.runId ? after.events.slice(before.events.length) : after.events;
      const step = h.records.steps.slice(steps).find((s) => s.workflowId === handle.workflowId);
      costs.push({
        n,
        bytes: historyBytes(added),
        events: added.length,
        answerBytes: JSON.stringify(answer).length,
        stepBytes: step ? JSON.stringify(step).length : 0,
        run: runIds.indexOf(after.runId) + 1,
      });
    }
    const wallMs = Date.now() - started;
    const runs = (await runHistories(env.address, env.client.options.namespace, handle.workflowId))
      .reverse()
      .map(({ events, bytes }) => ({ events, bytes }));
    return { questionChars: 5_000, total, costs, runs, wallMs };
  } finally {
    await connection.close();
    await h.stop();
    await env.teardown();
  }
}

if (require.main === module) {
  void (async () => {
    const { DefaultLogger, Runtime } = await import('@temporalio/worker');
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const r = await benchQuestions(Number(process.env.BENCH_QUESTIONS ?? 1_000));
    process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
  })();
}
