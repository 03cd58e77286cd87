import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/services';
import {
  ensureOcdsSchema,
  OCDS_SCHEMA_BASE_URL,
  OCDS_SCHEMA_FILES,
  OCDS_SCHEMA_MANIFEST,
  ocdsSchemaDir,
  OcdsSchemaError,
  OcdsSchemaFile,
  pinnedHashes,
  sha256,
} from '../support/ocds-schema';

/**
 * The schema input of the OCDS tests, fetched from a local HTTP server that plays the standard's
 * site (this machine has no internet): a good download, a tampered file, an unreachable site, the
 * cache, and the order OCDS_SCHEMA_DIR → ../shared/ocds → cache → download.
 */

const PATH_PREFIX = new URL(OCDS_SCHEMA_BASE_URL).pathname; // /schema/1__1__5/

/** A stand-in for the standard's site: serves `files` under the canonical path, counts requests. */
class FakeSite {
  readonly requests: string[] = [];
  private server?: Server;
  baseUrl = '';
  constructor(
    public files: Record<string, Buffer | string>,
    private readonly hang = false,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.requests.push(req.url ?? '');
      if (this.hang) return; // accepts, never answers
      const name = (req.url ?? '').startsWith(PATH_PREFIX) ? (req.url ?? '').slice(PATH_PREFIX.length) : '';
      const body = this.files[name];
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${PATH_PREFIX}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/** Two small stand-in schema files and their hashes, so most cases need not the real ones. */
const FILES: Record<OcdsSchemaFile, string> = {
  'release-package-schema.json': '{"id":"package","title":"stand-in release package schema"}\n',
  'release-schema.json': '{"id":"release","title":"stand-in release schema"}\n',
};
const HASHES = Object.fromEntries(OCDS_SCHEMA_FILES.map((f) => [f, sha256(FILES[f])])) as Record<
  OcdsSchemaFile,
  string
>;

let work: string;
let sites: FakeSite[];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ocds-schema-spec-'));
  sites = [];
});
afterEach(async () => {
  for (const s of sites) await s.stop();
  rmSync(work, { recursive: true, force: true });
});

async function site(files: Record<string, Buffer | string> = FILES, hang = false): Promise<FakeSite> {
  const s = await new FakeSite(files, hang).start();
  sites.push(s);
  return s;
}

function folder(name: string, files: Partial<Record<OcdsSchemaFile, string>>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  return dir;
}

/** Options of a machine with no ../shared beside the clone and an empty cache. */
function fresh(extra: { env?: NodeJS.ProcessEnv; baseUrl?: string; timeoutMs?: number } = {}) {
  return {
    env: {},
    sharedDir: join(work, 'no-shared'),
    cacheDir: join(work, 'cache', 'tenderflow', 'ocds-1.1.5'),
    hashes: HASHES,
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<OcdsSchemaError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OcdsSchemaError);
  const message = (err as Error).message;
  // One line, ending in what to set.
  expect(message).not.toContain('\n');
  expect(message).toMatch(
    /(; |, or )set OCDS_SCHEMA_DIR to a folder holding the official release-package-schema\.json and release-schema\.json of OCDS 1\.1\.5$/,
  );
  return err as OcdsSchemaError;
}

describe('the pinned hashes', () => {
  it('are read from the committed manifest in sha256sum format, one per schema file', () => {
    const text = readFileSync(OCDS_SCHEMA_MANIFEST, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(2);
    const hashes = pinnedHashes();
    expect(Object.keys(hashes).sort()).toEqual([...OCDS_SCHEMA_FILES].sort());
    for (const h of Object.values(hashes)) expect(h).toMatch(/^[0-9a-f]{64}$/);
  });

  it('match the official files, whose own id is the canonical URL the download uses', async () => {
    // The unit project's setup found a verified copy (OCDS_SCHEMA_DIR, ../shared/ocds or the cache).
    const dir = ocdsSchemaDir();
    for (const f of OCDS_SCHEMA_FILES) {
      const body = readFileSync(join(dir, f));
      expect(sha256(body)).toBe(pinnedHashes()[f]);
      expect(JSON.parse(body.toString('utf8')).id).toBe(`${OCDS_SCHEMA_BASE_URL}${f}`);
    }
    // Served by the stand-in site and checked against the committed hashes, they are accepted.
    const s = await site(Object.fromEntries(OCDS_SCHEMA_FILES.map((f) => [f, readFileSync(join(dir, f))])));
    const got = await ensureOcdsSchema({ ...fresh({ baseUrl: s.baseUrl }), hashes: undefined });
    expect(got.source).toBe('download');
    for (const f of OCDS_SCHEMA_FILES)
      expect(readFileSync(join(got.dir, f)).equals(readFileSync(join(dir, f)))).toBe(true);
  });

  it('name a missing file of the manifest', () => {
    const manifest = join(work, 'partial.sha256');
    writeFileSync(manifest, `${HASHES['release-schema.json']}  release-schema.json\n`);
    expect(() => pinnedHashes(manifest)).toThrow(/has no SHA-256 for release-package-schema\.json/);
  });
});

describe('download into the cache', () => {
  it('fetches both files from the site, verifies them and keeps them in the cache outside the clone', async () => {
    const s = await site();
    const log: string[] = [];
    const got = await ensureOcdsSchema({ ...fresh({ baseUrl: s.baseUrl }), log: (l) => log.push(l) });
    expect(got).toEqual({ dir: join(work, 'cache', 'tenderflow', 'ocds-1.1.5'), source: 'download' });
    expect(s.requests.sort()).toEqual([
      `${PATH_PREFIX}release-package-schema.json`,
      `${PATH_PREFIX}release-schema.json`,
    ]);
    for (const f of OCDS_SCHEMA_FILES) expect(readFileSync(join(got.dir, f), 'utf8')).toBe(FILES[f]);
    expect(log).toEqual([`[ocds] downloading the OCDS 1.1.5 schema from ${s.baseUrl} into ${got.dir}`]);
  });

  it('uses the verified cache afterwards without the network', async () => {
    const s = await site();
    const first = await ensureOcdsSchema(fresh({ baseUrl: s.baseUrl }));
    await s.stop();
    const offline = `http://127.0.0.1:${await freePort()}${PATH_PREFIX}`;
    const again = await ensureOcdsSchema(fresh({ baseUrl: offline }));
    expect(again).toEqual({ dir: first.dir, source: 'cache' });
    expect(ocdsSchemaDir(fresh())).toBe(first.dir);
    expect(s.requests).toHaveLength(2);
  });

  it('refuses a tampered file and caches nothing', async () => {
    const tampered = FILES['release-schema.json'].replace(
      'stand-in release schema',
      'stand-in release schema, altered',
    );
    const s = await site({ ...FILES, 'release-schema.json': tampered });
    const err = await failure(ensureOcdsSchema(fresh({ baseUrl: s.baseUrl })));
    expect(err.message).toBe(
      `OCDS 1.1.5 schema refused: ${s.baseUrl}release-schema.json has SHA-256 ${sha256(tampered)}, ` +
        `not the pinned ${HASHES['release-schema.json']} (test/support/ocds-schema-1.1.5.sha256); ` +
        'set OCDS_SCHEMA_DIR to a folder holding the official release-package-schema.json and release-schema.json of OCDS 1.1.5',
    );
    expect(existsSync(join(work, 'cache', 'tenderflow', 'ocds-1.1.5', 'release-schema.json'))).toBe(false);
    expect(existsSync(join(work, 'cache', 'tenderflow', 'ocds-1.1.5', 'release-package-schema.json'))).toBe(false);
  });

  it('replaces a cached file that no longer matches its hash', async () => {
    const cacheDir = folder('cache/tenderflow/ocds-1.1.5', { ...FILES, 'release-schema.json': '{"edited":true}' });
    const s = await site();
    const got = await ensureOcdsSchema(fresh({ baseUrl: s.baseUrl }));
    expect(got).toEqual({ dir: cacheDir, source: 'download' });
    expect(readFileSync(join(cacheDir, 'release-schema.json'), 'utf8')).toBe(FILES['release-schema.json']);
  });

  it('offline and uncached: one line naming the URL, the reason and what to set', async () => {
    const offline = `http://127.0.0.1:${await freePort()}${PATH_PREFIX}`;
    const err = await failure(ensureOcdsSchema(fresh({ baseUrl: offline })));
    expect(err.message).toMatch(
      new RegExp(
        `^OCDS 1\\.1\\.5 schema unavailable: ${offline}release-package-schema\\.json could not be fetched \\(ECONNREFUSED\\), and no verified copy is in `,
      ),
    );
    expect(() => ocdsSchemaDir(fresh())).toThrow(
      /^OCDS 1\.1\.5 schema not found: no verified copy in .*; set OCDS_SCHEMA_DIR to /,
    );
  });

  it('a site that does not answer in time, or answers 404, is unavailable too', async () => {
    const silent = await site(FILES, true);
    const slow = await failure(ensureOcdsSchema(fresh({ baseUrl: silent.baseUrl, timeoutMs: 300 })));
    expect(slow.message).toContain('could not be fetched (no answer in 0.3 s)');
    const empty = await site({});
    const missing = await failure(ensureOcdsSchema(fresh({ baseUrl: empty.baseUrl })));
    expect(missing.message).toContain(`${empty.baseUrl}release-package-schema.json answered HTTP 404`);
  });

  it('reads the site from OCDS_SCHEMA_BASE_URL and the cache from XDG_CACHE_HOME', async () => {
    const s = await site();
    const xdg = join(work, 'xdg');
    const base = s.baseUrl.replace(/\/$/, ''); // a base without its slash is accepted
    const got = await ensureOcdsSchema({
      env: { OCDS_SCHEMA_BASE_URL: base, XDG_CACHE_HOME: xdg },
      sharedDir: join(work, 'none'),
      hashes: HASHES,
    });
    expect(got).toEqual({ dir: join(xdg, 'tenderflow', 'ocds-1.1.5'), source: 'download' });
    expect(s.requests).toHaveLength(2);
  });
});

describe('where the schema comes from', () => {
  it('OCDS_SCHEMA_DIR first, without touching the network', async () => {
    const s = await site();
    const dir = folder('explicit', FILES);
    folder('shared', FILES);
    const got = await ensureOcdsSchema({
      ...fresh({ baseUrl: s.baseUrl, env: { OCDS_SCHEMA_DIR: dir } }),
      sharedDir: join(work, 'shared'),
    });
    expect(got).toEqual({ dir, source: 'OCDS_SCHEMA_DIR' });
    expect(s.requests).toHaveLength(0);
  });

  it('a wrong OCDS_SCHEMA_DIR is an error, not a fallback', async () => {
    const s = await site();
    const dir = folder('explicit', { 'release-schema.json': FILES['release-schema.json'] });
    const err = await failure(ensureOcdsSchema(fresh({ baseUrl: s.baseUrl, env: { OCDS_SCHEMA_DIR: dir } })));
    expect(err.message).toMatch(new RegExp(`^OCDS_SCHEMA_DIR=${dir}: release-package-schema\\.json is missing; set `));
    expect(s.requests).toHaveLength(0);
    const other = folder('other-version', { ...FILES, 'release-package-schema.json': '{"id":"1__1__4"}' });
    expect(() => ocdsSchemaDir(fresh({ env: { OCDS_SCHEMA_DIR: other } }))).toThrow(
      new RegExp(
        `^OCDS_SCHEMA_DIR=${other}: release-package-schema\\.json has SHA-256 ${sha256('{"id":"1__1__4"}')}, not the pinned `,
      ),
    );
  });

  it('then ../shared/ocds beside the clone', async () => {
    const s = await site();
    const shared = folder('shared', FILES);
    const got = await ensureOcdsSchema({ ...fresh({ baseUrl: s.baseUrl }), sharedDir: shared });
    expect(got).toEqual({ dir: shared, source: 'shared' });
    expect(s.requests).toHaveLength(0);
  });

  it('a shared folder with other files is passed over, said so, for the cache', async () => {
    const shared = folder('shared', { ...FILES, 'release-schema.json': '{}' });
    const cacheDir = folder('cache/tenderflow/ocds-1.1.5', FILES);
    const log: string[] = [];
    const got = await ensureOcdsSchema({ ...fresh(), sharedDir: shared, log: (l) => log.push(l) });
    expect(got).toEqual({ dir: cacheDir, source: 'cache' });
    expect(log).toEqual([
      `[ocds] ignoring ${shared}: release-schema.json has SHA-256 ${sha256('{}')}, not the pinned ${HASHES['release-schema.json']}`,
    ]);
  });

  it('a cache it cannot write to is one clear line too', async () => {
    writeFileSync(join(work, 'cache'), 'a file where the cache folder should be');
    const s = await site();
    const err = await failure(ensureOcdsSchema(fresh({ baseUrl: s.baseUrl })));
    expect(err.message).toMatch(
      /^OCDS 1\.1\.5 schema downloaded and verified, but .* cannot be written \(ENOTDIR\); set XDG_CACHE_HOME to a writable folder, or set OCDS_SCHEMA_DIR /,
    );
  });
});
