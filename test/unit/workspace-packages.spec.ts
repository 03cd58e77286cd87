import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { addDays } from '@tenderflow/domain/dates';

/**
 * libs/domain/src is the npm workspace @tenderflow/domain (package.json "workspaces"): npm links it
 * into node_modules, so the compiler, jest, ts-node and the Temporal workflow bundler all resolve
 * it as a package, and `npm run build` links the compiled copy into dist/node_modules.
 */
const ROOT = join(__dirname, '..', '..');
const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('the workspace package @tenderflow/domain', () => {
  it('is npm’s link to libs/domain/src', () => {
    const link = join(ROOT, 'node_modules', '@tenderflow', 'domain');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../../libs/domain/src');
  });

  it('is the same module as its file path (one copy of each rule)', async () => {
    const byPath = (await import(join(ROOT, 'libs', 'domain', 'src', 'dates'))) as { addDays: unknown };
    expect(addDays).toBe(byPath.addDays);
  });

  it('resolves in the Temporal workflow bundler (webpack)', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../support/fixtures/workspace-probe.workflow'),
      logger: silent,
    });
    expect(code).toContain('libs/domain/src/dates.ts');
    expect(code).not.toContain('date-holidays');
  }, 120_000);
});
