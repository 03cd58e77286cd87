#!/usr/bin/env node
// Runs every jest project in one process (the e2e project shares one PostgreSQL and one Temporal
// dev server). With JEST_JSON_OUTPUT set, also writes jest's JSON summary there for CI.
const { spawnSync } = require('node:child_process');
const args = ['--runInBand', ...process.argv.slice(2)];
if (process.env.JEST_JSON_OUTPUT) args.push('--json', `--outputFile=${process.env.JEST_JSON_OUTPUT}`);
const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
