#!/usr/bin/env node
// Installs the npm dependencies when they are missing or older than the lock file, so that
// `npm start` and `npm test` work on a fresh clone. Plain Node: it runs before anything is installed.
const { existsSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('[setup] installing npm dependencies (npm ci)\n');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// The web console (console/, React + Vite) keeps its own dependencies (its build tools and
// jest's Babel want different @babel/core majors): installed the same way.
const consoleDir = join(root, 'console');
const consoleMarker = join(consoleDir, 'node_modules', '.package-lock.json');
const consoleLock = join(consoleDir, 'package-lock.json');
if (
  existsSync(consoleLock) &&
  (!existsSync(consoleMarker) || statSync(consoleMarker).mtimeMs < statSync(consoleLock).mtimeMs)
) {
  // `npm ci`, like the root: exactly the lock's versions, and the tracked lock is never rewritten (the
  // lock lists vite's optional Windows-only dependency napi-windows-process-start-time, which the
  // registry serves; before it did, `npm install` had to be used and added it on every fresh clone).
  process.stderr.write("[setup] installing the console's npm dependencies (npm ci --prefix console)\n");
  execSync('npm ci --prefix console --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
