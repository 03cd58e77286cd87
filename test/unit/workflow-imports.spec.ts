import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The import rules for workflow code live in eslint.config.mjs (`npm run lint`, part of `npm test`).
 * This spec only proves that the config keeps forbidding what STYLE.md forbids: it lints sample
 * sources as if they were workflow code, and the light libs/domain modules, with the repository's
 * own config (in a child process: ESLint loads its config as an ES module).
 */
const ROOT = join(__dirname, '..', '..');

type Finding = { line: number; ruleId: string | null };

function lint(samples: { filePath: string; code: string }[]): Finding[][] {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      const out = [];
      for (const s of ${JSON.stringify(samples)}) {
        const [r] = await eslint.lintText(s.code, { filePath: s.filePath });
        out.push(r.messages.map((m) => ({ line: m.line, ruleId: m.ruleId })));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

// One import a line; `true` marks the lines the config must reject. Relative paths as seen from workflows/tender/.
const UP = '../../';
const WORKFLOW_SAMPLE: [string, boolean][] = [
  [`import { readFileSync } from 'node:fs';`, true],
  [`import { join } from 'path';`, true],
  [`import { DataSource } from 'typeorm';`, true],
  [`import { Client } from '@temporalio/client';`, true],
  [`import { Injectable } from '@nestjs/common';`, true],
  [`import { AppModule } from '${UP}apps/api/src/app.module';`, true],
  [`import { approverMayDecideSql } from '${UP}libs/db/src/directory';`, true],
  [`export { approverMayDecideSql as sql } from '${UP}libs/db/src/directory';`, true],
  [`import { createActivities } from '${UP}activities';`, true],
  [`import { addBusinessDays } from '${UP}libs/domain/src/calendar';`, true],
  [`import { STATUTORY } from '${UP}libs/domain/src';`, true],
  [`import { addBusinessDays as add } from '@tenderflow/domain/calendar';`, true],
  [`import { STATUTORY as S } from '@tenderflow/domain';`, true],
  [`import type { createActivities as CreateActivities } from '${UP}activities';`, false],
  [`import type { Holiday } from '${UP}libs/domain/src/calendar';`, false],
  [`import type { STATUTORY as T } from '@tenderflow/domain';`, false],
  [`import { isoDate } from '${UP}libs/domain/src/dates';`, false],
  [`import { isoDate as d } from '@tenderflow/domain/dates';`, false],
  [`import { proxyActivities } from '@temporalio/workflow';`, false],
  [`import { acts } from '../shared/activities';`, false],
];

const DOMAIN_SAMPLE: [string, boolean][] = [
  [`import { isHoliday } from './calendar';`, true],
  [`import Holidays from 'date-holidays';`, true],
  [`import { format } from './format';`, false],
];

const flagged = (findings: Finding[]) =>
  [...new Set(findings.filter((f) => f.ruleId === RESTRICTED).map((f) => f.line))].sort((a, b) => a - b);
const expected = (sample: [string, boolean][]) => sample.flatMap(([, bad], i) => (bad ? [i + 1] : []));

describe('workflow import rules (eslint.config.mjs)', () => {
  let results: Finding[][];
  beforeAll(() => {
    results = lint([
      { filePath: 'workflows/tender/tender.workflow.ts', code: WORKFLOW_SAMPLE.map(([l]) => l).join('\n') },
      { filePath: 'libs/domain/src/dates.ts', code: DOMAIN_SAMPLE.map(([l]) => l).join('\n') },
    ]);
  }, 120_000);

  it('rejects in workflow code exactly the Node built-ins, apps/, libs/db, clients, and value imports of activities and the calendar', () => {
    expect(flagged(results[0])).toEqual(expected(WORKFLOW_SAMPLE));
  });

  it('keeps the light libs/domain modules to each other', () => {
    expect(flagged(results[1])).toEqual(expected(DOMAIN_SAMPLE));
  });
});

const WORKFLOWS = join(ROOT, 'workflows');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Every relative import of a source file (not specs), resolved to a path under the repository. */
function relativeImports(dir: string): { file: string; target: string }[] {
  return files(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*from\s+'(\.[^']+)'/gm)].map((m) => ({
      file: relative(ROOT, file),
      target: relative(ROOT, join(file, '..', m[1])),
    })),
  );
}

describe('the layering of workflows and activities (issue 12)', () => {
  it('activities/ import nothing from workflows/ (shared types live in libs/temporal-common)', () => {
    expect(relativeImports(join(ROOT, 'activities')).filter((i) => i.target.startsWith('workflows/'))).toEqual([]);
  });

  it('no two workflow folders import each other', () => {
    const folder = (p: string) => p.split('/')[1];
    const edges = new Set(
      relativeImports(WORKFLOWS)
        .filter((i) => i.target.startsWith('workflows/') && folder(i.file) !== folder(i.target))
        .map((i) => `${folder(i.file)}->${folder(i.target)}`),
    );
    const cycles = [...edges].filter((e) => edges.has(e.split('->').reverse().join('->')));
    expect(edges.size).toBeGreaterThan(0);
    expect(cycles).toEqual([]);
  });

  // 400 lines at 190 columns; the same code wrapped at 120 columns runs about a fifth longer.
  it('no workflow source file is longer than 480 lines', () => {
    const long = files(WORKFLOWS)
      .map((f) => ({ file: relative(WORKFLOWS, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 480);
    expect(long).toEqual([]);
  });
});
