#!/usr/bin/env node
// Runs every jest project in one process (the e2e project shares one PostgreSQL and one Temporal
// dev server). With JEST_JSON_OUTPUT set, also writes jest's JSON summary there for CI.
// Tests leave the work tree as they found it: a tracked file changed or a new file git does not
// ignore fails the run, named. Commands that rewrite tracked files on purpose say so
// (UPDATE_OPENAPI for `npm run openapi`, UPDATE_SCREENSHOTS=1 for `npm run screenshots`,
// UPDATE_RELIABILITY_RESULTS=1 to keep a reliability run's results in test/reliability/results/).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { changedSince, snapshot } = require('./lib/work-tree');

const root = join(__dirname, '..');
const rewrites =
  Boolean(process.env.UPDATE_OPENAPI) ||
  process.env.UPDATE_SCREENSHOTS === '1' ||
  process.env.UPDATE_RELIABILITY_RESULTS === '1';
const before = rewrites ? null : snapshot(root);
// --forceExit: when every suite has finished and the global teardown has stopped the services, the
// run ends. A Temporal worker a failed hook left polling (its server already stopped) would otherwise
// keep the process alive, and CI would wait for it until its own timeout (it did, for 27 minutes).
const args = ['--runInBand', '--forceExit', ...process.argv.slice(2)];
if (process.env.JEST_JSON_OUTPUT) args.push('--json', `--outputFile=${process.env.JEST_JSON_OUTPUT}`);
const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...args], { stdio: 'inherit' });
const changed = changedSince(before, rewrites ? null : snapshot(root));
if (changed.length > 0) {
  process.stderr.write(
    `\nThe tests changed the work tree (they must leave it as they found it):\n${changed.map((l) => `  ${l}`).join('\n')}\n`,
  );
  process.exit(r.status || 1);
}
process.exit(r.status ?? 1);
