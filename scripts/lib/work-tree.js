// What a command changed in the git work tree: tracked files modified or deleted, and new files git
// does not ignore. Plain Node (scripts/jest.js uses it before anything is compiled).
const { execFileSync } = require('node:child_process');

/** `git status --porcelain` lines as a set, or null outside a git work tree (e.g. an unpacked tarball). */
function snapshot(root) {
  try {
    const out = execFileSync('git', ['status', '--porcelain=v1', '--untracked-files=all'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return new Set(out.split('\n').filter(Boolean));
  } catch {
    return null;
  }
}

/** The entries of `after` that `before` did not have: what changed meanwhile. */
function changedSince(before, after) {
  if (!before || !after) return [];
  return [...after].filter((line) => !before.has(line)).sort();
}

module.exports = { snapshot, changedSince };
