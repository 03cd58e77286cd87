import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction } from '@temporalio/client';

export const RECONCILER_SCHEDULE_ID = 'tenderflow-reconciler';
/** gRPC status UNIMPLEMENTED. */
const UNIMPLEMENTED = 12;

/**
 * Creates the reconciler's Schedule, or brings an existing one to this interval and task queue.
 * Idempotent: every worker calls it at start-up. False when the server has no Schedules at all
 * (Temporal's time-skipping test server, which some suites run the whole system on).
 */
export async function ensureReconcilerSchedule(
  client: Client,
  taskQueue: string,
  everySeconds: number,
): Promise<boolean> {
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'reconcilerWorkflow',
    workflowId: RECONCILER_SCHEDULE_ID,
    taskQueue,
    workflowRunTimeout: '5 minutes',
  };
  const spec = { intervals: [{ every: everySeconds * 1000 }] };
  try {
    await client.schedule.create({
      scheduleId: RECONCILER_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      state: {
        note: 'Records tender workflows closed outside the API (terminate, cancel, reset) in their audit chain and the read model.',
      },
    });
    return true;
  } catch (err) {
    if ((err as { cause?: { code?: number } }).cause?.code === UNIMPLEMENTED) return false;
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(RECONCILER_SCHEDULE_ID);
    const current = await handle.describe();
    const interval = current.spec.intervals?.[0]?.every;
    const queue = current.action.type === 'startWorkflow' ? current.action.taskQueue : undefined;
    if (interval !== everySeconds * 1000 || queue !== taskQueue)
      await handle.update((prev) => ({ ...prev, spec, action }));
    if (queue !== taskQueue) {
      // A pass started on the old task queue may never be picked up (its workers are gone). With
      // overlap SKIP it would hold the Schedule for its whole run timeout: end it, the next pass redoes its work.
      // (Found through visibility: the dev server does not list a Schedule's running actions.)
      for await (const w of client.workflow.list({
        query: `WorkflowType = 'reconcilerWorkflow' AND ExecutionStatus = 'Running'`,
      })) {
        if (w.taskQueue === taskQueue) continue;
        await client.workflow
          .getHandle(w.workflowId, w.runId)
          .terminate(`the reconciler moved to task queue ${taskQueue}`)
          .catch(() => undefined);
      }
    }
    return true;
  }
}
