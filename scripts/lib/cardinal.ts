import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import {
  DEFAULT_RED_FLAG_SETTINGS,
  RedFlagResults,
  RedFlagSettings,
  ReleaseForFlags,
  redFlags,
} from '@tenderflow/domain/red-flags';
import { toolCache } from './binaries';

/**
 * Cardinal (`ocdscardinal`), the Open Contracting Partnership's reference implementation of the red
 * flags that libs/domain/src/red-flags.ts computes, and the comparison of the two on the same OCDS
 * data (the parity test, test/unit/cardinal-parity.spec.ts, and scripts/cardinal-parity.ts).
 *
 * Cardinal is published on crates.io and PyPI; the crates.io registry reachable from here does not
 * serve it, PyPI does. Its source distribution on PyPI is the whole crate (the command-line tool
 * included, and the worked examples of its documentation), so it is downloaded from there, pinned
 * by SHA-256, and built with the machine's Rust (`cargo build --locked`, its dependencies from
 * crates.io) into the tool cache outside the clone, once. CARDINAL_BIN names a binary built
 * elsewhere; the examples still come from the pinned source.
 */
export const CARDINAL = {
  version: '0.0.8',
  sdistUrl:
    'https://files.pythonhosted.org/packages/95/96/0fbe350693187facbe7bc6de6a613efb51487f699211168bc72bb2324191/ocdscardinal-0.0.8.tar.gz',
  sha256: '113313d8f27f7e6104f8f81d77040202ab5e71b049f7f3000d9a9519d8954b49',
  envVar: 'CARDINAL_BIN',
} as const;

export interface CardinalInstall {
  bin: string;
  /** The pinned source's worked examples of the indicators: docs/examples/R/<code>.jsonl. */
  examples: string;
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function cargo(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'cargo'));
  return [...onPath, join(homedir(), '.cargo', 'bin', 'cargo')].find((p) => p && isExecutable(p));
}

export function cardinalDir(): string {
  return join(toolCache(), `ocdscardinal-${CARDINAL.version}`);
}

/** Where Cardinal is when it is installed (CARDINAL_BIN or the cache), without installing it. */
export function locateCardinal(): CardinalInstall | undefined {
  const dir = cardinalDir();
  const examples = join(dir, 'src', 'docs', 'examples', 'R');
  const bin = process.env[CARDINAL.envVar] || join(dir, 'bin', 'ocdscardinal');
  return isExecutable(bin) && existsSync(examples) ? { bin, examples } : undefined;
}

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * The pinned source, downloaded and verified, and the tool built from it, in the cache. Each step
 * works in a scratch folder and renames it into place, so a concurrent run never sees half of one.
 */
export async function ensureCardinal(log: (line: string) => void = () => undefined): Promise<CardinalInstall> {
  const found = locateCardinal();
  if (found) return found;
  const dir = cardinalDir();
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'src');
  if (!existsSync(join(src, 'Cargo.lock'))) {
    log(`[cardinal] downloading ocdscardinal ${CARDINAL.version} (source) from PyPI`);
    const tarball = await download(CARDINAL.sdistUrl, 120_000);
    const digest = createHash('sha256').update(tarball).digest('hex');
    if (digest !== CARDINAL.sha256)
      throw new Error(`${CARDINAL.sdistUrl}: SHA-256 ${digest}, expected ${CARDINAL.sha256}; nothing was kept`);
    const scratch = mkdtempSync(join(dir, '.src-'));
    try {
      writeFileSync(join(scratch, 'sdist.tar.gz'), tarball);
      execFileSync('tar', ['-xzf', 'sdist.tar.gz', '--strip-components=1', '--no-same-owner'], { cwd: scratch });
      rmSync(join(scratch, 'sdist.tar.gz'));
      rmSync(src, { recursive: true, force: true });
      renameSync(scratch, src);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const envBin = process.env[CARDINAL.envVar];
  if (envBin) {
    if (!isExecutable(envBin)) throw new Error(`${CARDINAL.envVar}=${envBin} is not an executable file`);
    return { bin: envBin, examples: join(src, 'docs', 'examples', 'R') };
  }
  const cargoBin = cargo();
  if (!cargoBin)
    throw new Error(
      `Rust's cargo is not installed: install Rust (rustup) to build ocdscardinal, or set ${CARDINAL.envVar}`,
    );
  const bin = join(dir, 'bin', 'ocdscardinal');
  log(`[cardinal] building ocdscardinal ${CARDINAL.version} with cargo into ${dir} (once; about three minutes)`);
  // The debug profile: a fraction of the release build's time, and fast enough for a few hundred releases.
  execFileSync(cargoBin, ['build', '--quiet', '--locked', '--bin', 'ocdscardinal'], {
    cwd: src,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Its rust-toolchain.toml asks for nightly, which rustup would download from a site out of reach;
    // the stable toolchain builds it (edition 2024, checked with Rust 1.95).
    env: {
      ...process.env,
      RUSTUP_TOOLCHAIN: process.env.RUSTUP_TOOLCHAIN || 'stable',
      CARGO_TARGET_DIR: join(dir, 'target'),
      CARGO_TERM_PROGRESS_WHEN: 'never',
    },
  });
  mkdirSync(dirname(bin), { recursive: true });
  const partial = `${bin}.partial-${process.pid}`;
  writeFileSync(partial, readFileSync(join(dir, 'target', 'debug', 'ocdscardinal')), { mode: 0o755 });
  renameSync(partial, bin);
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  return { bin, examples: join(src, 'docs', 'examples', 'R') };
}

// --- the comparison ----------------------------------------------------------------------------

export const CARDINAL_CODES = ['R003', 'R018', 'R024', 'R028', 'R030', 'R035', 'R036', 'R038', 'R058'] as const;
const GROUPS = ['OCID', 'Buyer', 'ProcuringEntity', 'Tenderer'] as const;
const TOLERANCE = 1e-9;

export type Results = Record<string, Record<string, Record<string, unknown>>>;

/** The releases of a JSONL text: blank lines and lines that are not JSON are left out, as Cardinal does. */
export function parseReleases(jsonl: string): { releases: unknown[]; skipped: number } {
  const releases: unknown[] = [];
  let skipped = 0;
  for (const line of jsonl.split('\n')) {
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
export function currencyFor(releases: unknown[], preferred: string): string {
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
export function settingsIni(s: RedFlagSettings): { ini: string; notes: string[] } {
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

export const countFlags = (results: Results): number =>
  Object.values(results).reduce(
    (sum, group) => sum + Object.values(group ?? {}).reduce((n, codes) => n + Object.keys(codes ?? {}).length, 0),
    0,
  );

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));

/** Every (group, id, code) on which the two results differ, as printable lines. */
export function compareResults(cardinal: Results, ours: Results): string[] {
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

/** `ocdscardinal indicators --no-meta --settings <ini> <file>`, its JSON results. */
export function runCardinal(bin: string, ini: string, file: string): Results {
  const run = spawnSync(bin, ['indicators', '--no-meta', '--settings', ini, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.error) throw new Error(`${bin}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${bin} exited with ${run.status}: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Results;
}

export interface ParityReport {
  procedures: number;
  skipped: number;
  notes: string[];
  cardinal: Results;
  ours: Results;
  cardinalFlags: number;
  ourFlags: number;
  differences: string[];
}

/**
 * Both on one JSONL file of compiled releases, with DEFAULT_RED_FLAG_SETTINGS (the currency is SEK
 * unless no bid of the file is in SEK, then the first one observed, as Cardinal itself would
 * choose), compared group by group, id by id, code by code (numbers within 1e-9).
 */
export function parity(bin: string, file: string, scratchDir: string): ParityReport {
  const { releases, skipped } = parseReleases(readFileSync(file, 'utf8'));
  const settings: RedFlagSettings = {
    ...DEFAULT_RED_FLAG_SETTINGS,
    currency: currencyFor(releases, DEFAULT_RED_FLAG_SETTINGS.currency),
  };
  const { ini, notes } = settingsIni(settings);
  if (settings.currency !== DEFAULT_RED_FLAG_SETTINGS.currency)
    notes.push(`no bid in ${DEFAULT_RED_FLAG_SETTINGS.currency}, currency ${settings.currency}`);
  const iniPath = join(scratchDir, `settings-${createHash('sha256').update(file).digest('hex').slice(0, 12)}.ini`);
  writeFileSync(iniPath, ini);
  const cardinal = runCardinal(bin, iniPath, file);
  let ours: Results = {};
  const differences: string[] = [];
  try {
    ours = redFlags(releases as ReleaseForFlags[], settings) as RedFlagResults as unknown as Results;
    differences.push(...compareResults(cardinal, ours));
  } catch (err) {
    differences.push(`redFlags() threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  const unknown = Object.values(cardinal).flatMap((g) =>
    Object.values(g ?? {}).flatMap((codes) =>
      Object.keys(codes ?? {}).filter((c) => !(CARDINAL_CODES as readonly string[]).includes(c)),
    ),
  );
  if (unknown.length) differences.push(`Cardinal returned codes not enabled: ${[...new Set(unknown)].join(', ')}`);
  return {
    procedures: releases.length,
    skipped,
    notes,
    cardinal,
    ours,
    cardinalFlags: countFlags(cardinal),
    ourFlags: countFlags(ours),
    differences,
  };
}
