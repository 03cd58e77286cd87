import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * The official OCDS 1.1.5 schema, which the export's tests validate against, as a pinned and
 * verified input. It is never copied into the repository; each file must match the SHA-256 in
 * `ocds-schema-1.1.5.sha256` beside this file (sha256sum's format), wherever it comes from:
 *
 * 1. OCDS_SCHEMA_DIR when set (the only place looked at then: a wrong folder is an error);
 * 2. `../shared/ocds` beside the clone, when it holds the files;
 * 3. the cache, `$XDG_CACHE_HOME/tenderflow/ocds-1.1.5` (default `~/.cache/…`), outside the clone;
 * 4. a download from the standard's canonical URL of this version into that cache (the unit
 *    project's global setup does it, so `npm test` needs no step of its own).
 *
 * Every failure is one line that says what to set.
 */

export const OCDS_VERSION = '1.1.5';
/** The canonical URL of OCDS 1.1.5's schemas: each file's own `id` is this base plus its name. */
export const OCDS_SCHEMA_BASE_URL = 'https://standard.open-contracting.org/schema/1__1__5/';
export const OCDS_SCHEMA_FILES = ['release-package-schema.json', 'release-schema.json'] as const;
export type OcdsSchemaFile = (typeof OCDS_SCHEMA_FILES)[number];

const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const OCDS_SCHEMA_MANIFEST = join(__dirname, `ocds-schema-${OCDS_VERSION}.sha256`);

export type OcdsSchemaSource = 'OCDS_SCHEMA_DIR' | 'shared' | 'cache' | 'download';

export interface OcdsSchemaLocation {
  dir: string;
  source: OcdsSchemaSource;
}

export interface OcdsSchemaOptions {
  /** Where OCDS_SCHEMA_DIR, OCDS_SCHEMA_BASE_URL and XDG_CACHE_HOME are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The folder beside the clone; `<clone>/../shared/ocds` by default. */
  sharedDir?: string;
  cacheDir?: string;
  /** Where the files are downloaded from (ending in /); OCDS_SCHEMA_BASE_URL, else the canonical URL. */
  baseUrl?: string;
  /** SHA-256 (hex) of each file; the committed manifest by default. */
  hashes?: Record<OcdsSchemaFile, string>;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** A problem with the schema input; its message is one line ending in what to set. */
export class OcdsSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcdsSchemaError';
  }
}

const WHAT_TO_SET = `set OCDS_SCHEMA_DIR to a folder holding the official ${OCDS_SCHEMA_FILES.join(' and ')} of OCDS ${OCDS_VERSION}`;

/** The pinned hashes, read from the committed manifest. */
export function pinnedHashes(manifest = OCDS_SCHEMA_MANIFEST): Record<OcdsSchemaFile, string> {
  const hashes: Partial<Record<string, string>> = {};
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    if (m) hashes[m[2]] = m[1];
  }
  for (const f of OCDS_SCHEMA_FILES) {
    if (!hashes[f]) throw new OcdsSchemaError(`${manifest} has no SHA-256 for ${f}`);
  }
  return hashes as Record<OcdsSchemaFile, string>;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tenderflow', `ocds-${OCDS_VERSION}`);
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

interface Resolved {
  env: NodeJS.ProcessEnv;
  sharedDir: string;
  cacheDir: string;
  baseUrl: string;
  hashes: Record<OcdsSchemaFile, string>;
  timeoutMs: number;
  log: (line: string) => void;
}

function resolveOptions(opts: OcdsSchemaOptions): Resolved {
  const env = opts.env ?? process.env;
  const baseUrl = opts.baseUrl ?? (env.OCDS_SCHEMA_BASE_URL || OCDS_SCHEMA_BASE_URL);
  return {
    env,
    sharedDir: opts.sharedDir ?? resolve(PROJECT_ROOT, '..', 'shared', 'ocds'),
    cacheDir: opts.cacheDir ?? defaultCacheDir(env),
    baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`,
    hashes: opts.hashes ?? pinnedHashes(),
    timeoutMs: opts.timeoutMs ?? 30_000,
    log: opts.log ?? (() => undefined),
  };
}

/** The files of dir that are missing or do not match their pinned hash, each with the reason. */
function mismatches(dir: string, hashes: Record<OcdsSchemaFile, string>): string[] {
  const problems: string[] = [];
  for (const f of OCDS_SCHEMA_FILES) {
    const path = join(dir, f);
    if (!existsSync(path)) {
      problems.push(`${f} is missing`);
      continue;
    }
    const actual = sha256(readFileSync(path));
    if (actual !== hashes[f]) problems.push(`${f} has SHA-256 ${actual}, not the pinned ${hashes[f]}`);
  }
  return problems;
}

function hasAnyFile(dir: string): boolean {
  return OCDS_SCHEMA_FILES.some((f) => existsSync(join(dir, f)));
}

function find(o: Resolved): OcdsSchemaLocation | undefined {
  const explicit = o.env.OCDS_SCHEMA_DIR;
  if (explicit) {
    const dir = resolve(explicit);
    const problems = mismatches(dir, o.hashes);
    if (problems.length) {
      throw new OcdsSchemaError(`OCDS_SCHEMA_DIR=${explicit}: ${problems.join('; ')}; ${WHAT_TO_SET}`);
    }
    return { dir, source: 'OCDS_SCHEMA_DIR' };
  }
  if (hasAnyFile(o.sharedDir)) {
    const problems = mismatches(o.sharedDir, o.hashes);
    if (!problems.length) return { dir: o.sharedDir, source: 'shared' };
    o.log(`[ocds] ignoring ${o.sharedDir}: ${problems.join('; ')}`);
  }
  if (hasAnyFile(o.cacheDir) && !mismatches(o.cacheDir, o.hashes).length) return { dir: o.cacheDir, source: 'cache' };
  return undefined;
}

/**
 * The verified schema folder, without any download: for the specs, after the global setup has
 * filled the cache. Throws the one-line OcdsSchemaError when there is none.
 */
export function ocdsSchemaDir(opts: OcdsSchemaOptions = {}): string {
  const o = resolveOptions(opts);
  const found = find(o);
  if (found) return found.dir;
  throw new OcdsSchemaError(
    `OCDS ${OCDS_VERSION} schema not found: no verified copy in ${o.sharedDir} or ${o.cacheDir} ` +
      `(jest's unit project downloads it in its global setup); ${WHAT_TO_SET}`,
  );
}

/** The verified schema folder, downloading the files into the cache when no verified copy exists. */
export async function ensureOcdsSchema(opts: OcdsSchemaOptions = {}): Promise<OcdsSchemaLocation> {
  const o = resolveOptions(opts);
  const found = find(o);
  if (found) return found;

  o.log(`[ocds] downloading the OCDS ${OCDS_VERSION} schema from ${o.baseUrl} into ${o.cacheDir}`);
  const bodies = new Map<OcdsSchemaFile, Buffer>();
  for (const f of OCDS_SCHEMA_FILES) {
    const url = new URL(f, o.baseUrl).toString();
    const body = await download(url, o);
    const actual = sha256(body);
    if (actual !== o.hashes[f]) {
      throw new OcdsSchemaError(
        `OCDS ${OCDS_VERSION} schema refused: ${url} has SHA-256 ${actual}, not the pinned ${o.hashes[f]} ` +
          `(${relative(PROJECT_ROOT, OCDS_SCHEMA_MANIFEST)}); ${WHAT_TO_SET}`,
      );
    }
    bodies.set(f, body);
  }
  // Written only once both are verified; each through a temporary file, so a reader never sees half.
  try {
    mkdirSync(o.cacheDir, { recursive: true });
    for (const [f, body] of bodies) {
      const tmp = join(o.cacheDir, `.${f}.${process.pid}.tmp`);
      writeFileSync(tmp, body);
      renameSync(tmp, join(o.cacheDir, f));
    }
  } catch (err) {
    throw new OcdsSchemaError(
      `OCDS ${OCDS_VERSION} schema downloaded and verified, but ${o.cacheDir} cannot be written ` +
        `(${(err as NodeJS.ErrnoException).code ?? String(err)}); set XDG_CACHE_HOME to a writable folder, or ${WHAT_TO_SET}`,
    );
  }
  return { dir: o.cacheDir, source: 'download' };
}

async function download(url: string, o: Resolved): Promise<Buffer> {
  const unavailable = (why: string) =>
    new OcdsSchemaError(
      `OCDS ${OCDS_VERSION} schema unavailable: ${url} ${why}, and no verified copy is in ${o.sharedDir} or ${o.cacheDir}; ${WHAT_TO_SET}`,
    );
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw unavailable(`could not be fetched (${reason(err, o.timeoutMs)})`);
  }
  if (!res.ok) throw unavailable(`answered HTTP ${res.status}`);
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (err) {
    throw unavailable(`broke off (${reason(err, o.timeoutMs)})`);
  }
}

/** The network reason in a few words: undici hides it in `cause`. */
function reason(err: unknown, timeoutMs: number): string {
  // Compared by name: the DOMException may come from another realm (jest's sandbox).
  const name = (err as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer in ${timeoutMs / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const text = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return text.replace(/\s+/g, ' ');
}
