import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Workflow code must stay deterministic and bundleable (STYLE.md): no Node built-ins, nothing from
 * apps/ or libs/db, activities by `import type` only, and from libs/domain only the vocabulary and
 * canonical JSON (its calendar loads a holiday library). Checked on the source, for every non-spec
 * file in workflows/.
 */
const ROOT = join(__dirname, '..', '..', 'workflows');
/** Modules of libs/domain that import nothing at all, so workflows may call them (checked below). */
const DETERMINISTIC_DOMAIN = ['libs/domain/src/types', 'libs/domain/src/text', 'libs/domain/src/canonical-json', 'libs/domain/src/policy'];

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
    ['libs/domain beyond its dependency-free modules', (i: (typeof imports)[number]) => i.from.includes('libs/domain') && !DETERMINISTIC_DOMAIN.some((m) => i.from.endsWith(m)) && !i.typeOnly],
    ['database or HTTP clients', (i: (typeof imports)[number]) => ['typeorm', 'pg', '@temporalio/client', '@nestjs/common', 'express'].includes(i.from)],
  ])('has no import of %s', (_what, bad) => {
    expect(imports.filter(bad)).toEqual([]);
  });

  it.each(DETERMINISTIC_DOMAIN)('%s, which workflows may call, imports nothing', (m) => {
    const source = readFileSync(join(__dirname, '..', '..', `${m}.ts`), 'utf8');
    expect(source.match(/^import\s.*$/gm) ?? []).toEqual([]);
  });
});
