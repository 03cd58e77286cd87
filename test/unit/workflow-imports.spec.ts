import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Workflow code must stay deterministic and bundleable (STYLE.md): no Node built-ins, nothing from
 * apps/ or libs/db, activities by `import type` only, and from libs/domain only its light modules:
 * the vocabulary and the pure checks that do not reach the calendar (which loads a holiday
 * library). Checked on the source, for every non-spec file in workflows/.
 */
const ROOT = join(__dirname, '..', '..', 'workflows');
const DOMAIN = join(__dirname, '..', '..', 'libs', 'domain', 'src');
/** libs/domain modules workflow code may import: none of them imports calendar.ts. */
const LIGHT_DOMAIN = ['types', 'dates', 'accelerated', 'procedures', 'violations', 'thresholds', 'errors'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.includes('test-support') ? [p] : [];
  });
}

const imports = files(ROOT).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({
    file: relative(ROOT, file),
    typeOnly: Boolean(m[1]),
    from: m[2],
  })),
);

describe('workflow code imports', () => {
  it('finds the workflow sources', () => {
    expect(imports.length).toBeGreaterThan(10);
  });

  it.each([
    ['Node built-ins', (i: (typeof imports)[number]) => i.from.startsWith('node:') || ['fs', 'path', 'crypto', 'os', 'http', 'child_process'].includes(i.from)],
    ['apps/', (i: (typeof imports)[number]) => i.from.includes('/apps/')],
    ['libs/db', (i: (typeof imports)[number]) => i.from.includes('libs/db')],
    ['activities (other than import type)', (i: (typeof imports)[number]) => i.from.includes('/activities/') && !i.typeOnly],
    ['libs/domain beyond its light modules', (i: (typeof imports)[number]) => i.from.includes('libs/domain') && !i.typeOnly && !LIGHT_DOMAIN.some((m) => i.from.endsWith(`libs/domain/src/${m}`))],
    ['database or HTTP clients', (i: (typeof imports)[number]) => ['typeorm', 'pg', '@temporalio/client', '@nestjs/common', 'express'].includes(i.from)],
  ])('has no import of %s', (_what, bad) => {
    expect(imports.filter(bad)).toEqual([]);
  });
});

describe('the light libs/domain modules', () => {
  it.each(LIGHT_DOMAIN)('%s imports only light modules (never the calendar and its holiday library)', (m) => {
    const source = readFileSync(join(DOMAIN, `${m}.ts`), 'utf8');
    const from = [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].filter((x) => !x[1]).map((x) => x[2]);
    expect(from.filter((f) => !LIGHT_DOMAIN.some((l) => f === `./${l}`))).toEqual([]);
  });
});
