#!/usr/bin/env node
// Rewrites relative imports of a workspace library (package.json "workspaces", e.g. libs/domain/src
// as @tenderflow/domain) into its package name: '../../../../libs/domain/src/types' becomes
// '@tenderflow/domain/types', and '.../libs/domain/src' (or /index) '@tenderflow/domain'. Files inside
// the library keep their relative imports. Covers import/export ... from, import(), require() and
// jest.mock(). Plain Node, no dependencies.
//
//   node scripts/codemod-workspace-imports.js [--check] [dir ...]   (default: apps libs activities scripts test)
//
// --check only lists what would change and exits 1 if anything would.
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const dirs = args.filter((a) => a !== '--check');
const roots = (dirs.length ? dirs : ['apps', 'libs', 'activities', 'scripts', 'test']).map((d) => resolve(root, d));

const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packages = workspaces.map((ws) => ({
  dir: resolve(root, ws),
  name: JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')).name,
}));

function* sources(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|js)$/.test(entry) && !entry.endsWith('.d.ts')) yield p;
  }
}

/** The package specifier for a relative specifier from `file`, or undefined if it is not a workspace import. */
function rewrite(file, spec) {
  if (!spec.startsWith('.')) return undefined;
  const target = resolve(dirname(file), spec);
  for (const pkg of packages) {
    if (file.startsWith(pkg.dir + sep)) continue; // inside the library: stays relative
    if (target !== pkg.dir && !target.startsWith(pkg.dir + sep)) continue;
    const sub = relative(pkg.dir, target)
      .split(sep)
      .join('/')
      .replace(/(^|\/)index$/, '');
    return sub ? `${pkg.name}/${sub}` : pkg.name;
  }
  return undefined;
}

const SPECIFIER =
  /(\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]*)\2/gm;
let changedFiles = 0;
let changedImports = 0;
for (const dir of roots) {
  for (const file of sources(dir)) {
    const before = readFileSync(file, 'utf8');
    let n = 0;
    const after = before.replace(SPECIFIER, (whole, lead, quote, spec) => {
      const next = rewrite(file, spec);
      if (!next) return whole;
      n += 1;
      return `${lead}${quote}${next}${quote}`;
    });
    if (!n) continue;
    changedFiles += 1;
    changedImports += n;
    if (check) console.log(`${relative(root, file)}: ${n}`);
    else writeFileSync(file, after);
  }
}
console.log(`${check ? 'would rewrite' : 'rewrote'} ${changedImports} imports in ${changedFiles} files`);
if (check && changedFiles) process.exitCode = 1;
