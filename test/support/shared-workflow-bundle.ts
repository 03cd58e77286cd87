import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_ENV } from '@tenderflow/temporal-common/workflow-bundle';
import { WORKFLOWS_PATH } from './temporal-test-env';

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => process.stderr.write(`${m}\n`),
  error: (m: string) => process.stderr.write(`${m}\n`),
};

/**
 * Bundles the workflow code from the sources once per jest run (global setup) into a throw-away
 * file and names it in WORKFLOW_BUNDLE: every suite's workers, the harness's and the e2e system's,
 * load that file rather than run webpack again (seconds per suite, ~70 suites).
 */
export async function bundleWorkflowsOnce(): Promise<void> {
  const named = process.env[WORKFLOW_BUNDLE_ENV];
  if (named && existsSync(named)) return;
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  const codePath = join(mkdtempSync(join(tmpdir(), 'tenderflow-bundle-')), 'workflow-bundle.js');
  writeFileSync(codePath, code);
  process.env[WORKFLOW_BUNDLE_ENV] = codePath;
  process.stderr.write(`[setup] workflow code bundled once for this run in ${Date.now() - started} ms\n`);
}

/** The run's shared bundle, or the sources when a suite runs without the global setup. */
export function workflowCodeForTests(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const codePath = process.env[WORKFLOW_BUNDLE_ENV];
  return codePath && existsSync(codePath) ? { workflowBundle: { codePath } } : { workflowsPath: WORKFLOWS_PATH };
}
