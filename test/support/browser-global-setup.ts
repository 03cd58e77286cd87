import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import globalSetup from './global-setup';

/** Debian's Chromium: Playwright's own browser download cannot be reached here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The browser tests' setup: what the e2e tests start (PostgreSQL, Temporal), Debian's chromium
 * (installed with apt-get when missing, as the other tools are installed when missing), and a
 * fresh build of the console (dist/console), which the API serves at /console/.
 */
export default async function browserGlobalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    process.stderr.write('[setup] installing Debian chromium (apt-get install -y chromium)\n');
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    execSync(
      `${sudo}apt-get install -y --no-install-recommends chromium || (${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends chromium)`,
      {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      },
    );
  }
  execFileSync('node', ['scripts/ensure-deps.js'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  execFileSync('npm', ['run', 'console:build', '--silent'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // In one jest run with the e2e project, its setup has started the services already: share them
  // (and their one teardown) rather than start a second set over the first's list.
  if ((globalThis as { __TENDERFLOW_SERVICES__?: unknown }).__TENDERFLOW_SERVICES__) return;
  await globalSetup();
}
