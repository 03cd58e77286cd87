import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedSince, snapshot } from '../../scripts/lib/work-tree';

/**
 * `npm test` leaves the work tree as it found it (scripts/jest.js fails the run otherwise): what the
 * check sees, in a real git repository made for the test.
 */
describe('what a test run changed in the work tree', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'work-tree-'));
    git('init', '-q');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    writeFileSync(join(repo, '.gitignore'), '.data/\n');
    writeFileSync(join(repo, 'lock.json'), '{}\n');
    writeFileSync(join(repo, 'mine.ts'), 'export {};\n');
    git('add', '.');
    git('commit', '-qm', 'start');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('names a rewritten tracked file and a new file, not an ignored one nor what was changed before', () => {
    writeFileSync(join(repo, 'mine.ts'), 'export const mine = 1;\n'); // the developer's own edit, before the run
    const before = snapshot(repo);
    writeFileSync(join(repo, 'lock.json'), '{ "added": true }\n');
    writeFileSync(join(repo, 'screenshot.png'), 'png');
    execFileSync('mkdir', ['-p', join(repo, '.data')]);
    writeFileSync(join(repo, '.data', 'shot.png'), 'png');
    expect(changedSince(before, snapshot(repo))).toEqual([' M lock.json', '?? screenshot.png']);
  });

  it('finds nothing when the run changed nothing, and nothing outside a git work tree', () => {
    const before = snapshot(repo);
    expect(changedSince(before, snapshot(repo))).toEqual([]);
    const plain = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    try {
      expect(snapshot(plain)).toBeNull();
      expect(changedSince(snapshot(plain), snapshot(plain))).toEqual([]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
