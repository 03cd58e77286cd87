import { bundleWorkflowsOnce } from './shared-workflow-bundle';

/**
 * The workflow code is bundled once for the whole run (every suite's workers load that file).
 *
 * A test that timed out can leave a Temporal client call retrying after its suite tore the test
 * environment down; the retry timer then throws "Channel has been shut down" outside any test,
 * which used to end the whole (in-band) jest run. That one error is reported and ignored; every
 * other uncaught error still ends the run as before.
 */
export default async function workflowsGlobalSetup(): Promise<void> {
  await bundleWorkflowsOnce();
  const marker = Symbol.for('tenderflow.grpcTeardownGuard');
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (registry[marker]) return;
  registry[marker] = true;
  process.on('uncaughtException', (err) => {
    if (err instanceof Error && err.message === 'Channel has been shut down') {
      process.stderr.write(
        `[workflows] ignored a Temporal client retry after its test environment closed: ${err.message}\n`,
      );
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
