import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCardinal, parity } from './lib/cardinal';

/**
 * Parity check of libs/domain/src/red-flags.ts against Cardinal (`ocdscardinal indicators`) on any
 * OCDS data, by hand (the parity test runs the same comparison on its fixtures in `npm test`):
 *
 *   npx ts-node --transpile-only scripts/cardinal-parity.ts file.jsonl…
 *
 * Each file holds OCDS compiled releases, one a line. Cardinal is the pinned build in the tool cache
 * (downloaded from PyPI and built the first time, scripts/lib/cardinal.ts) or CARDINAL_BIN. It
 * prints a summary line per file and every difference; exits 1 on any.
 */
async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: npx ts-node --transpile-only scripts/cardinal-parity.ts file.jsonl…\n');
    process.exit(2);
  }
  const { bin } = await ensureCardinal((line) => process.stderr.write(`${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-parity-'));
  let differ = false;
  try {
    for (const file of files) {
      const report = parity(bin, file, dir);
      for (const note of report.notes) process.stdout.write(`${file}: ${note}\n`);
      if (report.skipped > 0) process.stdout.write(`${file}: ${report.skipped} line(s) not JSON, left out by both\n`);
      process.stdout.write(
        `${file}: ${report.procedures} procedures, ${report.cardinalFlags} flags by Cardinal, ` +
          `${report.ourFlags} by ours, ${report.differences.length ? 'DIFFER' : 'agree'}\n`,
      );
      for (const d of report.differences) process.stdout.write(`  ${d}\n`);
      if (report.differences.length) differ = true;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (differ) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
