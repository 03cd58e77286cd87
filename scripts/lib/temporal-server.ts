import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The real Temporal server for `npm run cluster` and `npm run test:cluster`, built from the Go
 * module proxy with the machine's Go into a cache outside the clone, once per version: every
 * clone and every CI run on the machine reuses it (about 9 minutes cold, seconds when cached).
 *
 * The versions are pinned here and nowhere else; docker-compose.yml uses the same ones, which
 * test/unit/docker-compose.spec.ts checks.
 */

export const TEMPORAL_VERSIONS = {
  /** go.temporal.io/server: the services (`server`) and the schema tool (`sql`, temporal-sql-tool). */
  server: '1.32.1',
  /**
   * github.com/temporalio/ui-server/v2: the Web UI. 2.54.1 is the UI the Temporal CLI 1.9.1 of
   * `npm start` serves, so both commands show the same UI; later versions need Go ≥ 1.26.9.
   */
  ui: '2.54.1',
} as const;

const SERVER_MODULE = 'go.temporal.io/server';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

export interface TemporalServerBinaries {
  version: string;
  uiVersion: string;
  /** `server`: `server --config-file <file> --allow-no-auth start --service <name>`. */
  server: string;
  /** `sql`: the schema tool the releases call temporal-sql-tool. */
  sql: string;
  /** The ui-server. */
  ui: string;
  /** The module's schema/postgresql/v12 folder: temporal/ and visibility/, each with versioned/. */
  postgresSchema: string;
  /** The ui-server module folder (its config/docker.yaml is the template the official UI image uses). */
  uiModule: string;
}

/** ~/.cache/tenderflow unless TENDERFLOW_CACHE_DIR (or XDG_CACHE_HOME) says otherwise. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TENDERFLOW_CACHE_DIR) return env.TENDERFLOW_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tenderflow');
}

/** The environment of every `go` command here: module and build caches in the shared cache. */
export function goEnv(root = cacheRoot()): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(root, 'go', 'mod'),
    GOCACHE: join(root, 'go', 'build'),
    GOFLAGS: '-mod=mod',
    // The pinned versions build with the installed Go; never download another toolchain.
    GOTOOLCHAIN: 'local',
  };
}

export function binDirs(root = cacheRoot()): { server: string; ui: string } {
  return {
    server: join(root, 'temporal-server', `v${TEMPORAL_VERSIONS.server}`, 'bin'),
    ui: join(root, 'temporal-ui', `v${TEMPORAL_VERSIONS.ui}`, 'bin'),
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function goBinary(): string {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `The Temporal server is built from Go modules and no Go toolchain was found (go version: ${r.error?.message ?? r.stderr}). ` +
        `Install Go 1.26.8 or later (https://go.dev/dl/), then run this again.`,
    );
  }
  return 'go';
}

/** The folder of a module version in the module cache, downloading it when missing. */
function moduleDir(module: string, version: string, root: string): string {
  mkdirSync(root, { recursive: true });
  const r = spawnSync(goBinary(), ['mod', 'download', '-json', `${module}@v${version}`], {
    encoding: 'utf8',
    env: goEnv(root),
    cwd: root,
  });
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout);
  } catch {
    /* reported below */
  }
  if (!info.Dir || !existsSync(info.Dir)) {
    throw new Error(`go mod download ${module}@v${version} failed: ${info.Error ?? r.stderr ?? r.stdout}`);
  }
  return info.Dir;
}

type Log = (line: string) => void;

/**
 * One builder at a time per cache: a second `npm run cluster` (or a CI run beside a developer's)
 * waits for the first instead of compiling the same thing twice on a small machine.
 */
async function withBuildLock<T>(root: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const lock = join(root, 'build.lock');
  mkdirSync(root, { recursive: true });
  let reported = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSafe(join(lock, 'pid')));
      if (holder && !alive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!reported) {
        log(`another build of the Temporal server is under way (pid ${holder || '?'}); waiting for it`);
        reported = true;
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function goInstall(targets: string[], gobin: string, root: string, log: Log, expect: string): Promise<void> {
  mkdirSync(gobin, { recursive: true });
  const started = Date.now();
  log(`building ${targets.join(' ')} into ${gobin} (${expect})`);
  await new Promise<void>((resolveBuild, reject) => {
    const child = spawn(goBinary(), ['install', ...targets], {
      env: { ...goEnv(root), GOBIN: gobin },
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolveBuild();
      else reject(new Error(`go install ${targets.join(' ')} failed (${code ?? signal}):\n${tail}`));
    });
  });
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The binaries of the pinned versions, built first when the cache does not have them. Set
 * TEMPORAL_SERVER_BIN_DIR to a folder holding `server` and `sql` (and TEMPORAL_UI_BIN_DIR for
 * `server` of the UI) to use binaries built elsewhere; the schema files still come from the
 * module cache.
 */
export async function ensureTemporalServer(
  opts: { log?: Log; ui?: boolean; build?: boolean } = {},
): Promise<TemporalServerBinaries> {
  const log = opts.log ?? (() => undefined);
  const root = cacheRoot();
  const dirs = {
    server: process.env.TEMPORAL_SERVER_BIN_DIR || binDirs(root).server,
    ui: process.env.TEMPORAL_UI_BIN_DIR || binDirs(root).ui,
  };
  const server = join(dirs.server, 'server');
  const sql = join(dirs.server, 'sql');
  const ui = join(dirs.ui, 'server');
  const needServer = !isExecutable(server) || !isExecutable(sql);
  const needUi = opts.ui !== false && !isExecutable(ui);
  if ((needServer || needUi) && opts.build === false) {
    throw new Error(
      `The Temporal server ${TEMPORAL_VERSIONS.server}${opts.ui !== false ? ` and UI ${TEMPORAL_VERSIONS.ui}` : ''} ${opts.ui !== false ? 'are' : 'is'} not built in ${root} yet: ` +
        `run node dist/scripts/ensure-temporal-server.js (npm run test:cluster and npm run cluster do) first`,
    );
  }
  if (needServer || needUi) {
    await withBuildLock(root, log, async () => {
      // Another process may have built them while this one waited for the lock.
      if (!isExecutable(server) || !isExecutable(sql)) {
        if (process.env.TEMPORAL_SERVER_BIN_DIR)
          throw new Error(`TEMPORAL_SERVER_BIN_DIR=${dirs.server} has no executable server and sql`);
        await goInstall(
          [
            `${SERVER_MODULE}/cmd/server@v${TEMPORAL_VERSIONS.server}`,
            `${SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_VERSIONS.server}`,
          ],
          dirs.server,
          root,
          log,
          'about 10 minutes the first time on 2 CPUs, seconds once cached',
        );
      }
      if (opts.ui !== false && !isExecutable(ui)) {
        if (process.env.TEMPORAL_UI_BIN_DIR) throw new Error(`TEMPORAL_UI_BIN_DIR=${dirs.ui} has no executable server`);
        await goInstall(
          [`${UI_MODULE}/cmd/server@v${TEMPORAL_VERSIONS.ui}`],
          dirs.ui,
          root,
          log,
          'about a minute the first time',
        );
      }
    });
  }
  const serverModule = moduleDir(SERVER_MODULE, TEMPORAL_VERSIONS.server, root);
  return {
    version: TEMPORAL_VERSIONS.server,
    uiVersion: TEMPORAL_VERSIONS.ui,
    server,
    sql,
    ui,
    postgresSchema: join(serverModule, 'schema', 'postgresql', 'v12'),
    uiModule: opts.ui === false ? '' : moduleDir(UI_MODULE, TEMPORAL_VERSIONS.ui, root),
  };
}
