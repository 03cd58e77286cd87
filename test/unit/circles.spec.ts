import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import madge from 'madge';

/**
 * No file imports itself round a circle, type-only imports included: a circle is two files that
 * can only be understood together, and the first step of a package cycle. The same answer as
 * `npx madge --circular --extensions ts --ts-config tsconfig.json <folders>`.
 */
const ROOT = join(__dirname, '..', '..');
const FOLDERS = ['apps', 'activities', 'workflows', 'libs', 'scripts', 'test', 'console/src'];

async function circles(
  paths: string[],
  baseDir: string,
  tsConfig?: string,
): Promise<{ files: number; circular: string[][] }> {
  const graph = await madge(paths, {
    baseDir,
    fileExtensions: ['ts', 'tsx'],
    ...(tsConfig ? { tsConfig } : {}),
    excludeRegExp: [/node_modules/, /\/dist\//],
  });
  return { files: Object.keys(graph.obj()).length, circular: graph.circular() };
}

describe('no circular imports', () => {
  it('between the files of the repository', async () => {
    const found = await circles(
      FOLDERS.map((f) => join(ROOT, f)),
      ROOT,
      join(ROOT, 'tsconfig.json'),
    );
    expect(found.files).toBeGreaterThan(400);
    expect(found.circular).toEqual([]);
  }, 120_000);

  it('finds a circle made only of type imports (so the check above cannot pass by seeing nothing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b: B }\n");
      writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a?: A }\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
      expect((await circles([dir], dir)).circular).toEqual([['a.ts', 'b.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
