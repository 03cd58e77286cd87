#!/usr/bin/env node
// The libraries are npm workspaces (package.json "workspaces"): `@tenderflow/domain` is
// libs/domain/src, linked into node_modules by npm, so tsc, jest, ts-node and the Temporal
// workflow bundler resolve it like any package. tsc does not rewrite those imports, so the compiled
// tree gets the same links to its compiled copies: dist/node_modules/@tenderflow/domain ->
// ../../libs/domain/src. Node looks in dist/node_modules before the top-level node_modules.
// Relative links, so `COPY dist` in the Dockerfile keeps them working.
const { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = join(__dirname, '..');
const outDir = join(root, process.argv[2] ?? 'dist');
const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const ws of workspaces) {
  const { name } = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'));
  const link = join(outDir, 'node_modules', name);
  const target = join(outDir, ws);
  if (!existsSync(target)) throw new Error(`${target} is missing: compile before linking`);
  mkdirSync(dirname(link), { recursive: true });
  if (existsSync(link) || isLink(link)) rmSync(link, { recursive: true, force: true });
  symlinkSync(relative(dirname(link), target), link, 'dir');
}

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
