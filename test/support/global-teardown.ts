import type { Stoppable } from '../../scripts/lib/services';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __TENDERFLOW_SERVICES__?: Stoppable[] }).__TENDERFLOW_SERVICES__ ?? [];
  for (const s of started.reverse()) await s.stop();
}
