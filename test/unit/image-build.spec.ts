import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The image (Dockerfile) builds with `tsc -p tsconfig.build.json` from apps, libs, workflows,
 * activities and scripts; it does not copy test/. So nothing that build compiles may import from
 * test/. Checked on the build's own file list, as TypeScript reads it.
 */
const ROOT = join(__dirname, '..', '..');

function buildFiles(): string[] {
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT).fileNames;
}

describe('the image build (tsconfig.build.json)', () => {
  const files = buildFiles();

  it('compiles the application sources and no spec', () => {
    expect(files.some((f) => f.endsWith('apps/api/src/main.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('apps/worker/src/main.ts'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.spec.ts'))).toEqual([]);
  });

  it('imports nothing from test/, which the Dockerfile does not copy', () => {
    const testDir = join(ROOT, 'test') + '/';
    const offenders = files.flatMap((file) => {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      return info.importedFiles
        .filter((i) => i.fileName.startsWith('.') && resolve(dirname(file), i.fileName).startsWith(testDir))
        .map((i) => `${relative(ROOT, file)} imports ${i.fileName}`);
    });
    expect(offenders).toEqual([]);
  });
});
