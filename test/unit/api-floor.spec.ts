import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * apps/api/src/common/ is the API's own ground floor: the problem answers, the path parameters, the
 * OpenAPI document's patterns. It imports nothing from the API's feature folders (tenders, contracts,
 * organizations, …), only from its own folder and from libs/, so that no feature is needed to
 * understand, or load, what every feature builds on.
 */
const ROOT = join(__dirname, '..', '..');
const FEATURES = [
  'tenders',
  'contracts',
  'organizations',
  'people',
  'reference',
  'reports',
  'audit',
  'approvals',
  'calendar',
  'notifications',
  'ocds',
  'console',
];
const UP = new RegExp(
  String.raw`(?:from|import|require\()\s*\(?\s*['"](?:\.\.\/)+(?:apps\/api\/src\/)?(?:${FEATURES.join('|')})(?:\/|['"])`,
);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Each import or require of a feature folder, as `file:line: text`. */
export function featureImports(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => (UP.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('apps/api/src/common/ imports no feature folder', () => {
  it('no source or spec under common/ imports tenders/, contracts/, organizations/, audit/ or another feature', () => {
    const files = sources(join(ROOT, 'apps', 'api', 'src', 'common')).map((path) => ({
      path: relative(ROOT, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(5);
    expect(featureImports(files)).toEqual([]);
  });

  it('catches each way of reaching a feature (so the check above cannot pass by seeing nothing)', () => {
    const found = featureImports([
      { path: 'a.ts', text: "import { TENDER_ID } from '../tenders/commands/params';" },
      { path: 'b.ts', text: "import type { SecurityLogService } from '../audit/security-log.service';" },
      { path: 'c.ts', text: "export { CATEGORY_CODE } from '../organizations/organization.dto';" },
      { path: 'd.ts', text: "const m = require('../contracts/contracts.service');" },
      {
        path: 'e.ts',
        text: "import { badRequest } from './problem';\nimport { CATEGORY_CODE } from '@tenderflow/domain/policy';\nimport { x } from '../temporal/temporal.service';",
      },
    ]);
    expect(found.map((f) => f.split(':')[0])).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });
});
