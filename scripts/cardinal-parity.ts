import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  DEFAULT_RED_FLAG_SETTINGS,
  RedFlagResults,
  RedFlagSettings,
  ReleaseForFlags,
  redFlags,
} from '@tenderflow/domain/red-flags';

/**
 * Parity check of libs/domain/src/red-flags.ts against Cardinal (`ocdscardinal indicators`), the
 * Open Contracting Partnership's reference implementation of the same red flags. Run by hand:
 *
 *   CARDINAL_BIN=/path/to/ocdscardinal npx ts-node --transpile-only scripts/cardinal-parity.ts file.jsonl…
 *
 * Each file holds OCDS compiled releases, one a line. For each file it writes a settings INI that
 * enables exactly the nine indicators redFlags() implements, with DEFAULT_RED_FLAG_SETTINGS (the
 * currency is SEK unless no bid of the file is in SEK, then the first one observed, as Cardinal
 * itself would choose), runs `ocdscardinal indicators --no-meta --settings <ini> <file>` and
 * redFlags() on the same releases, and compares the results group by group, id by id, code by code
 * (numbers within 1e-9). It prints a summary line per file and every difference; exits 1 on any.
 *
 * Cardinal is not on the crates.io registry reachable from CI (it is built from source, from
 * github.com/open-contracting/cardinal-rs), so this is not part of `npm test`.
 */

const CODES = ['R003', 'R018', 'R024', 'R028', 'R030', 'R035', 'R036', 'R038', 'R058'] as const;
const GROUPS = ['OCID', 'Buyer', 'ProcuringEntity', 'Tenderer'] as const;
const TOLERANCE = 1e-9;

type Results = Record<string, Record<string, Record<string, unknown>>>;

/** The releases of a JSONL file: blank lines and lines that are not JSON are left out, as Cardinal does. */
function readReleases(file: string): { releases: unknown[]; skipped: number } {
  const releases: unknown[] = [];
  let skipped = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      releases.push(JSON.parse(line));
    } catch {
      skipped += 1;
    }
  }
  return { releases, skipped };
}

/** The default currency if a bid uses it (or none has one), else the first currency of a bid. */
function currencyFor(releases: unknown[], preferred: string): string {
  let first: string | undefined;
  for (const r of releases as ReleaseForFlags[]) {
    const details = r?.bids?.details;
    for (const b of Array.isArray(details) ? details : []) {
      const currency = (b as { value?: { currency?: unknown } } | null)?.value?.currency;
      if (typeof currency !== 'string') continue;
      if (currency === preferred) return preferred;
      first ??= currency;
    }
  }
  return first ?? preferred;
}

/**
 * Cardinal's settings file for these settings, and what could not be said in it exactly. Counts are
 * whole numbers in Cardinal, compared with whole counts in both, so a fraction is rounded up.
 */
function settingsIni(s: RedFlagSettings): { ini: string; notes: string[] } {
  const notes: string[] = [];
  const lines = [`currency = ${s.currency}`, ''];
  const whole = (name: string, value: number, min: number): number => {
    const n = Math.max(min, Math.ceil(value));
    if (n !== value) notes.push(`${name} = ${value} written as ${n} (equivalent on whole counts)`);
    return n;
  };
  const methods = (name: string, list: string[]): string => {
    if (list.some((m) => m.includes('|') || m.includes('\n')))
      notes.push(`${name}: a procurement method containing "|" or a line break cannot be written`);
    return list.join('|');
  };

  lines.push('[R003]', `threshold = ${whole('r003.thresholdDays', s.r003.thresholdDays, -Infinity)}`);
  if (s.r003.procurementMethods?.length)
    lines.push(`procurement_methods = ${methods('r003.procurementMethods', s.r003.procurementMethods)}`);
  // An empty list means "every method" to Cardinal but "none" to redFlags(): leave R018 out instead.
  if (s.r018.procurementMethods.length > 0)
    lines.push('', '[R018]', `procurement_methods = ${methods('r018.procurementMethods', s.r018.procurementMethods)}`);
  else notes.push('r018.procurementMethods is empty (never flags): R018 is left out of the settings file');
  lines.push('', '[R024]');
  if (s.r024.threshold !== undefined) lines.push(`threshold = ${s.r024.threshold}`);
  lines.push('', '[R028]', '', '[R030]');
  lines.push('', '[R035]', `threshold = ${whole('r035.threshold', s.r035.threshold, 1)}`);
  lines.push('', '[R036]', '', '[R038]');
  if (s.r038.threshold !== undefined) lines.push(`threshold = ${s.r038.threshold}`);
  lines.push(
    `minimum_submitted_bids = ${whole('r038.minimumSubmittedBids', s.r038.minimumSubmittedBids, 0)}`,
    `minimum_contracting_processes = ${whole('r038.minimumContractingProcesses', s.r038.minimumContractingProcesses, 0)}`,
  );
  lines.push('', '[R058]');
  if (s.r058.threshold !== undefined) lines.push(`threshold = ${s.r058.threshold}`);
  return { ini: `${lines.join('\n')}\n`, notes };
}

const countFlags = (results: Results): number =>
  Object.values(results).reduce(
    (sum, group) => sum + Object.values(group ?? {}).reduce((n, codes) => n + Object.keys(codes ?? {}).length, 0),
    0,
  );

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));

/** Every (group, id, code) on which the two results differ, as printable lines. */
function compare(cardinal: Results, ours: Results): string[] {
  const out: string[] = [];
  const groups = [...new Set([...GROUPS, ...Object.keys(cardinal), ...Object.keys(ours)])];
  for (const group of groups) {
    const c = cardinal[group] ?? {};
    const o = ours[group] ?? {};
    for (const id of [...new Set([...Object.keys(c), ...Object.keys(o)])].sort()) {
      for (const code of [...new Set([...Object.keys(c[id] ?? {}), ...Object.keys(o[id] ?? {})])].sort()) {
        const a = c[id]?.[code];
        const b = o[id]?.[code];
        const same = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= TOLERANCE : a === b;
        if (!same) out.push(`${group} ${JSON.stringify(id)} ${code}: Cardinal ${show(a)}, ours ${show(b)}`);
      }
    }
  }
  return out;
}

function runCardinal(bin: string, ini: string, file: string): Results {
  const run = spawnSync(bin, ['indicators', '--no-meta', '--settings', ini, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.error) throw new Error(`${bin}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${bin} exited with ${run.status}: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Results;
}

function main(): void {
  const bin = process.env.CARDINAL_BIN;
  const files = process.argv.slice(2);
  if (!bin || files.length === 0) {
    process.stderr.write(
      'usage: CARDINAL_BIN=/path/to/ocdscardinal npx ts-node --transpile-only scripts/cardinal-parity.ts file.jsonl…\n',
    );
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-parity-'));
  let differ = false;
  try {
    for (const [i, file] of files.entries()) {
      const { releases, skipped } = readReleases(file);
      const settings: RedFlagSettings = {
        ...DEFAULT_RED_FLAG_SETTINGS,
        currency: currencyFor(releases, DEFAULT_RED_FLAG_SETTINGS.currency),
      };
      const { ini, notes } = settingsIni(settings);
      const iniPath = join(dir, `${i}-${basename(file)}.ini`);
      writeFileSync(iniPath, ini);
      if (settings.currency !== DEFAULT_RED_FLAG_SETTINGS.currency)
        process.stdout.write(
          `${file}: no bid in ${DEFAULT_RED_FLAG_SETTINGS.currency}, currency ${settings.currency}\n`,
        );
      for (const note of notes) process.stdout.write(`${file}: Cardinal's settings: ${note}\n`);
      if (skipped > 0) process.stdout.write(`${file}: ${skipped} line(s) not JSON, left out by both\n`);

      const cardinal = runCardinal(bin, iniPath, file);
      let ours: RedFlagResults | undefined;
      let failure: string | undefined;
      try {
        ours = redFlags(releases as ReleaseForFlags[], settings);
      } catch (err) {
        failure = `redFlags() threw: ${err instanceof Error ? err.message : String(err)}`;
      }
      const oursResults = (ours ?? {}) as unknown as Results;
      const differences = failure ? [failure] : compare(cardinal, oursResults);
      const unknown = Object.values(cardinal).flatMap((g) =>
        Object.values(g ?? {}).flatMap((codes) =>
          Object.keys(codes ?? {}).filter((c) => !(CODES as readonly string[]).includes(c)),
        ),
      );
      if (unknown.length) differences.push(`Cardinal returned codes not enabled: ${[...new Set(unknown)].join(', ')}`);
      process.stdout.write(
        `${file}: ${releases.length} procedures, ${countFlags(cardinal)} flags by Cardinal, ` +
          `${ours ? countFlags(oursResults) : '?'} by ours, ${differences.length ? 'DIFFER' : 'agree'}\n`,
      );
      for (const d of differences) process.stdout.write(`  ${d}\n`);
      if (differences.length) differ = true;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (differ) process.exitCode = 1;
}

try {
  main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
}
