/**
 * Over HTTP on Temporal's time-skipping server: moves the server's clock past a tender's running
 * deadline and waits until the tender has acted on it (its phase is `next`). The API dates its
 * command signatures in workflow time from then on: the server's clock has moved ahead.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { eventually, type E2eSystem } from './e2e-system';

export async function passDeadline(
  env: TestWorkflowEnvironment,
  sys: E2eSystem,
  state: (id: string) => Promise<TenderState>,
  id: string,
  kind: string,
  next: string,
  timeoutMs = 15_000,
): Promise<TenderState> {
  const s = await state(id);
  const d = s.deadlines.find((x) => x.kind === kind);
  if (!d) throw new Error(`no running ${kind}: ${s.deadlines.map((x) => x.kind).join(', ')}`);
  await env.sleep(Math.max(1, Date.parse(d.at) - (await env.currentTimeMs()) + 60_000));
  const ahead = (await env.currentTimeMs()) - Date.now();
  sys.app.get(CommandSigner).useClock(() => Date.now() + ahead);
  return eventually(async () => {
    const x = await state(id);
    return x.phase === next ? x : undefined;
  }, timeoutMs);
}
