/**
 * What one ordinary command costs in workflow history: events and activities, from the history
 * (the same figures `temporal workflow show` lists), for a gate decision, a publication and a
 * question, under Temporal's time-skipping test server with the workflow specs' harness (real
 * deadline activities, capturing fakes of the writing ones: the history is the same as with the
 * real ones).  npx ts-node --transpile-only test/bench/step-cost.ts
 */
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { actors, cmd, needsAnalysis, startHarness, startTender, type TenderHandle } from '../support/tender-harness';

const EventType = temporal.api.enums.v1.EventType;

/** The history once it has stopped growing (the main loop may re-arm its timer after the Update's answer). */
async function settledHistory(handle: TenderHandle): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  let last = -1;
  for (;;) {
    const events = (await handle.fetchHistory()).events ?? [];
    if (events.length === last) return events;
    last = events.length;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function measure(
  handle: TenderHandle,
  name: string,
  run: () => Promise<unknown>,
): Promise<{ command: string; events: number; activities: string[]; types: string[] }> {
  const before = (await settledHistory(handle)).length;
  await run();
  const added = (await settledHistory(handle)).slice(before);
  return {
    command: name,
    events: added.length,
    activities: added
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?'),
    types: added.map((e) => EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, '')),
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await createTimeSkippingEnv();
  const h = await startHarness(env, 'step-cost');
  try {
    const t = await startTender(h);
    const results = [];
    await cmd(t, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    results.push(
      await measure(t, 'decideGate (decision_to_procure)', () =>
        cmd(t, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' }),
      ),
    );
    await cmd(t, 'registerDocuments', actors.anna, { documents: [{ title: 'Tender documents', reference: 'DOC-1' }] });
    await cmd(t, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(t, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    results.push(await measure(t, 'publish', () => cmd(t, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' })));
    results.push(
      await measure(t, 'askQuestion', () =>
        cmd(t, 'askQuestion', actors.anna, { question: 'May lot 1 be offered without lot 2?', askedBy: 'Acme Lab AB' }),
      ),
    );
    const total = (await settledHistory(t)).length;
    for (const r of results) {
      process.stdout.write(
        `${r.command}: ${r.events} events, ${r.activities.length} activities (${r.activities.join(', ')})\n  ${r.types.join(' ')}\n`,
      );
    }
    process.stdout.write(`tender history after publication and one question: ${total} events\n`);
  } finally {
    await h.stop();
    await env.teardown();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
