import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * libs/ is the ground floor: the shared words and rules everything else builds on. It imports
 * nothing from the floors above it (activities/, workflows/, apps/, console/), by package name or by
 * path, in its sources and its specs alike, so that no package cycle can close through it.
 */
const ROOT = join(__dirname, '..', '..');
const ABOVE =
  /(?:from|import|require\()\s*\(?\s*['"](?:@tenderflow\/(?:activities|workflows|api|worker|console)(?:\/|['"])|(?:\.\.\/)+(?:activities|workflows|apps|console)\/)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Each import or require of a file that reaches above libs/, as `file:line: text`. */
export function importsAbove(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => (ABOVE.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('libs/ imports nothing from a higher floor', () => {
  it('no source or spec under libs/ imports activities/, workflows/, apps/ or console/', () => {
    const files = sources(join(ROOT, 'libs')).map((path) => ({
      path: relative(ROOT, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(50);
    expect(importsAbove(files)).toEqual([]);
  });

  it('catches each way of reaching up (so the check above cannot pass by seeing nothing)', () => {
    const found = importsAbove([
      { path: 'a.ts', text: "import type { NotificationAbout } from '@tenderflow/activities/activity-types';" },
      { path: 'b.ts', text: "import { x } from '../../../workflows/tender/tender.run';" },
      { path: 'c.ts', text: "export * from '../../apps/api/src/common/problem';" },
      { path: 'd.ts', text: "const m = require('@tenderflow/workflows');" },
      { path: 'e.ts', text: "import { y } from './tender-types';\nimport { z } from '@tenderflow/domain/types';" },
    ]);
    expect(found.map((f) => f.split(':')[0])).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });
});
