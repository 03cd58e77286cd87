import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Workflow code must stay deterministic and bundleable (STYLE.md): no Node built-ins, nothing from
 * apps/ or libs/db, activities by `import type` only, and from libs/domain only the vocabulary and
 * canonical JSON (its calendar loads a holiday library). Checked on the source, for every non-spec
 * file in workflows/.
 */
const ROOT = join(__dirname, '..', '..', 'workflows');
const DOMAIN = join(__dirname, '..', '..', 'libs', 'domain', 'src');
/** libs/domain modules workflow code may import: none of them imports calendar.ts. */

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

const imports = files(ROOT).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({
    file: relative(ROOT, file),
    typeOnly: Boolean(m[1]),
    from: m[2],
  })),
);

/**
 * The libs/domain modules workflow code may import: pure arithmetic and the vocabulary, no holiday
 * calendar (calendar.ts loads one) and no I/O. They may import only each other.
 */
const DETERMINISTIC_DOMAIN = ['types', 'format', 'dates', 'checks', 'time-limits', 'contract-rules', 'text', 'canonical-json', 'accelerated', 'procedures', 'violations', 'thresholds', 'errors', 'policy'];

describe('workflow code imports', () => {
  it('finds the workflow sources', () => {
    expect(imports.length).toBeGreaterThan(10);
  });

  it.each([
    ['Node built-ins', (i: (typeof imports)[number]) => i.from.startsWith('node:') || ['fs', 'path', 'crypto', 'os', 'http', 'child_process'].includes(i.from)],
    ['apps/', (i: (typeof imports)[number]) => i.from.includes('/apps/')],
    ['libs/db', (i: (typeof imports)[number]) => i.from.includes('libs/db')],
    ['activities (other than import type)', (i: (typeof imports)[number]) => i.from.includes('/activities/') && !i.typeOnly],
    ['libs/domain beyond its deterministic modules', (i: (typeof imports)[number]) => i.from.includes('libs/domain') && !DETERMINISTIC_DOMAIN.some((m) => i.from.endsWith(`libs/domain/src/${m}`)) && !i.typeOnly],
    ['database or HTTP clients', (i: (typeof imports)[number]) => ['typeorm', 'pg', '@temporalio/client', '@nestjs/common', 'express'].includes(i.from)],
  ])('has no import of %s', (_what, bad) => {
    expect(imports.filter(bad)).toEqual([]);
  });

  it.each(DETERMINISTIC_DOMAIN)('keeps libs/domain/src/%s deterministic: it imports only the other deterministic modules', (m) => {
    const source = readFileSync(join(__dirname, '..', '..', 'libs', 'domain', 'src', `${m}.ts`), 'utf8');
    const from = [...source.matchAll(/^(?:import|export)\s[^'"]*from\s+'([^']+)'/gm)].map((x) => x[1]);
    expect(from.filter((f) => !DETERMINISTIC_DOMAIN.some((d) => f === `./${d}`))).toEqual([]);
  });
});

/** Every relative import of a source file (not specs), resolved to a path under the repository. */
function relativeImports(dir: string): { file: string; target: string }[] {
  return files(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*from\s+'(\.[^']+)'/gm)].map((m) => ({
      file: relative(REPO, file),
      target: relative(REPO, join(file, '..', m[1])),
    })),
  );
}
const REPO = join(__dirname, '..', '..');

describe('the layering of workflows and activities (issue 12)', () => {
  it('activities/ import nothing from workflows/ (shared types live in libs/temporal-common)', () => {
    expect(relativeImports(join(REPO, 'activities')).filter((i) => i.target.startsWith('workflows/'))).toEqual([]);
  });

  it('no two workflow folders import each other', () => {
    const folder = (p: string) => p.split('/')[1];
    const edges = new Set(
      relativeImports(ROOT)
        .filter((i) => i.target.startsWith('workflows/') && folder(i.file) !== folder(i.target))
        .map((i) => `${folder(i.file)}->${folder(i.target)}`),
    );
    const cycles = [...edges].filter((e) => edges.has(e.split('->').reverse().join('->')));
    expect(edges.size).toBeGreaterThan(0);
    expect(cycles).toEqual([]);
  });

  it('no workflow source file is longer than 400 lines', () => {
    const long = files(ROOT)
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
