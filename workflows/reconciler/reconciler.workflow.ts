/**
 * One pass of the reconciler, started by a Temporal Schedule (libs/temporal-common/src/reconciler.ts)
 * every RECONCILE_INTERVAL_SECONDS: tender runs closed outside the API (terminated, cancelled or
 * reset by an operator) are recorded in their audit chain and the read model. A Schedule rather than
 * a timer in each worker: one pass at a time whatever the number of workers (overlap SKIP), visible
 * and pausable in the Temporal UI.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileReport, ReconcilerActivities } from '@tenderflow/activities/reconciler.activities';

const { reconcileExternalActions } = proxyActivities<ReconcilerActivities>({
  startToCloseTimeout: '2 minutes',
  // The next scheduled pass retries anyway; a few quick attempts ride out a blip.
  retry: { initialInterval: '2 seconds', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function reconcilerWorkflow(): Promise<ReconcileReport> {
  return reconcileExternalActions();
}
