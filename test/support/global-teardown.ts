import type { Stoppable } from '../../scripts/lib/services';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __TENDERFLOW_SERVICES__?: Stoppable[] }).__TENDERFLOW_SERVICES__ ?? [];
  // Taken out of the list as they stop: the e2e and browser projects share one list and both tear down.
  while (started.length > 0) await started.pop()!.stop();
}
