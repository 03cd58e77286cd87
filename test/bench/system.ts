import { ChildProcess, spawn } from 'node:child_process';
import { waitForHttpOk } from '../../scripts/lib/http-ready';
import {
  chmodSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { ensureSearchAttributes } from '@tenderflow/temporal-common/register-search-attributes';
import { PROJECT_ROOT, resolveBinary } from '../../scripts/lib/binaries';
import {
  freePort,
  startEmbeddedPostgres,
  startTemporalDevServerOnFreePorts,
  stopChild,
  Stoppable,
} from '../../scripts/lib/services';
import { SecuredTemporal } from '../../scripts/lib/secured-temporal';
import { postgresServerOf } from '../../scripts/lib/temporal-cluster';
import { ensureTemporalServer } from '../../scripts/lib/temporal-server';
import { say, sleep } from './lib';

/**
 * The system under test, built like `npm start` builds it (scripts/start.ts) but throw-away: embedded
 * PostgreSQL and the Temporal dev server on free ports in a temp folder, migrations, then the worker
 * and the API as separate Node processes running dist/. Each child is started with a small preload
 * (`--expose-gc -r bench-preload.js`) that, when asked through a trigger file, writes its memory usage before/after a GC and
 * any timings the process collected to a JSON file; nothing else about the process changes.
 */

export const BENCH_JWT_SECRET = 'tenderflow-bench-secret-0123456789-abcdefghij';
export const NAMESPACE = 'default';

// Nest's enableShutdownHooks() listens to SIGUSR2 (and SIGUSR1 belongs to the inspector), so the
// preload is asked through a trigger file it polls for (an unref'd 200 ms interval).
const PRELOAD = `
const fs = require('fs');
const v8 = require('v8');
// Worker threads inherit -r: only the main thread answers.
if (require('worker_threads').isMainThread) {
const out = process.env.BENCH_STATS_FILE;
const trigger = out + '.trigger';
setInterval(() => {
  if (!fs.existsSync(trigger)) return;
  try { fs.unlinkSync(trigger); } catch { return; }
  const before = process.memoryUsage();
  if (typeof global.gc === 'function') global.gc();
  setTimeout(() => {
    const after = process.memoryUsage();
    const timings = globalThis.__benchT || {};
    globalThis.__benchT = {};
    const data = { at: Date.now(), before, after, heapSizeLimit: v8.getHeapStatistics().heap_size_limit, timings };
    fs.writeFileSync(out + '.tmp', JSON.stringify(data));
    fs.renameSync(out + '.tmp', out);
  }, 300);
}, 200).unref();
}
`;

export interface NodeProc {
  name: string;
  proc: ChildProcess;
  pid: number;
  statsFile: string;
  logFile: string;
  /** Asks the preload for its JSON (memory before/after GC, timings) and waits for it. */
  stats(): Promise<ProcStats>;
  stop(): Promise<void>;
}

export interface ProcStats {
  at: number;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  heapSizeLimit: number;
  timings: Record<string, number[]>;
}

export interface System {
  root: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  apiUrl: string;
  api: NodeProc;
  worker: NodeProc;
  pool: Pool;
  connection: Connection;
  client: Client;
  env: NodeJS.ProcessEnv;
  /** CPU seconds used so far by each component (utime + stime from /proc; PostgreSQL summed over its processes). */
  cpu(): CpuSnapshot;
  /** Starts another API process (e.g. a patched copy of dist) against the same services. */
  startApi(name: string, distRoot: string): Promise<{ proc: NodeProc; url: string }>;
  stop(): Promise<void>;
}

/** CPU seconds by component; `other` is every other process on the machine (other people's work). */
export type CpuSnapshot = Record<'api' | 'worker' | 'temporal' | 'postgres' | 'bench' | 'other', number>;

const CLK_TCK = 100;

export function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime (fields 14 and 15 of proc(5), counted from state = 3).
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU of this bench's PostgreSQL: the postmaster (from postmaster.pid) and its children. */
function postgresCpuSeconds(dataDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
  let total = procCpuSeconds(postmaster);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== postmaster) continue; // ppid
      // Exited children's time is in the postmaster's cutime/cstime.
      total += (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    } catch {
      /* gone */
    }
  }
  try {
    const stat = readFileSync(`/proc/${postmaster}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  } catch {
    /* gone */
  }
  return total;
}

/** Busy CPU seconds of the whole machine (every process, including other people's), from /proc/stat. */
function machineBusySeconds(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLK_TCK;
}

export function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(
    Object.keys(a).map((k) => [k, b[k as keyof CpuSnapshot] - a[k as keyof CpuSnapshot]]),
  ) as CpuSnapshot;
}

export async function startSystem(topology: 'dev-server' | 'cluster' = 'dev-server'): Promise<System> {
  const root = mkdtempSync(join(tmpdir(), 'tenderflow-bench-'));
  // PostgreSQL runs as its own user when we are root: it must be able to reach its folder.
  chmodSync(root, 0o755);
  const stack: Stoppable[] = [];
  const preload = join(root, 'bench-preload.js');
  writeFileSync(preload, PRELOAD);
  const logs = (name: string) => join(root, `${name}.log`);

  say(`temp dir ${root}`);
  const pg = await startEmbeddedPostgres({
    dataDir: join(root, 'postgres'),
    port: await freePort(),
    database: 'tenderflow_bench',
  });
  stack.push(pg);
  // `cluster`: the production topology of `npm run cluster` (the real server's four services on
  // this PostgreSQL) instead of the dev server.
  // On the cluster its door is locked as in production (mTLS, the authorizer, each process's token):
  // the raw client connects as the API's identity over the same secured connection.
  let temporal: {
    address: string;
    pids(): number[];
    connect(): Promise<Connection>;
    env(identity: 'tenderflow-api' | 'tenderflow-worker'): Record<string, string>;
  };
  if (topology === 'cluster') {
    const binaries = await ensureTemporalServer({ ui: false, log: say });
    const secured = await SecuredTemporal.start({
      root: join(root, 'temporal'),
      binaries,
      postgres: postgresServerOf(pg.url),
      namespace: NAMESPACE,
      log: say,
    });
    stack.push(secured);
    temporal = {
      address: secured.address,
      pids: () => secured.cluster.services.map((s) => secured.cluster.pid(s) ?? 0),
      connect: () => secured.connectAs('tenderflow-api', 'tenderflow-api'),
      env: (identity) => secured.clientEnv(identity),
    };
  } else {
    const dev = await startTemporalDevServerOnFreePorts({
      cliPath: resolveBinary('temporal'),
      dataDir: join(root, 'temporal'),
      namespace: NAMESPACE,
      ui: false,
    });
    stack.push(dev);
    temporal = {
      address: dev.address,
      pids: () => [dev.process.pid!],
      connect: () => Connection.connect({ address: dev.address }),
      env: () => ({}),
    };
  }
  // The migrations of the code under test (dist/ or BENCH_DIST), not of the working tree's sources.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module under test, found at run time
  const { runMigrations } = require(join(distDir(), 'libs/db/src/data-source-options.js')) as {
    runMigrations: (url: string) => Promise<string[]>;
  };
  const applied = await runMigrations(pg.url);
  say(
    `PostgreSQL ${pg.url.replace(/:[^:@/]+@/, ':***@')}, Temporal ${temporal.address}, migrations: ${applied.length}`,
  );
  const connection = await temporal.connect();
  // (On the cluster the set-up step registered them; the API's identity may not use the operator service.)
  if (topology !== 'cluster') await ensureSearchAttributes(connection, NAMESPACE);
  const client = new Client({ connection, namespace: NAMESPACE });
  const pool = new Pool({ connectionString: pg.url, max: 8, application_name: 'tenderflow-bench' });

  const taskQueue = 'tenderflow-bench';
  const baseEnv: NodeJS.ProcessEnv = {
    // As the Dockerfile and npm start run them (two malloc arenas); the caller's setting wins.
    MALLOC_ARENA_MAX: '2',
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    DATA_DIR: join(root, 'data'),
  };
  delete baseEnv.AUTH_JWKS_URL;
  delete baseEnv.AUTH_ISSUER;
  delete baseEnv.AUTH_AUDIENCE;

  const spawnNode = (name: string, script: string, extraEnv: NodeJS.ProcessEnv): NodeProc => {
    const statsFile = join(root, `${name}.stats.json`);
    const logFile = logs(name);
    const out = createWriteStream(logFile);
    // BENCH_NODE_ARGS: extra node flags for api and worker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, ['--expose-gc', ...extraArgs, '-r', preload, script], {
      env: { ...baseEnv, ...extraEnv, BENCH_STATS_FILE: statsFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.pipe(out);
    proc.stderr!.pipe(out);
    let stopped = false;
    proc.once('exit', (code, signal) => {
      if (!stopping && !stopped) say(`!! ${name} exited unexpectedly (${code ?? signal}); see ${logFile}`);
    });
    return {
      name,
      proc,
      pid: proc.pid!,
      statsFile,
      logFile,
      async stats() {
        if (existsSync(statsFile)) unlinkSync(statsFile);
        writeFileSync(`${statsFile}.trigger`, '');
        for (let i = 0; i < 100; i++) {
          await sleep(100);
          if (existsSync(statsFile)) return JSON.parse(readFileSync(statsFile, 'utf8')) as ProcStats;
        }
        throw new Error(`${name} wrote no stats to ${statsFile}`);
      },
      stop: () => {
        stopped = true;
        return stopChild(proc, 15_000);
      },
    };
  };
  let stopping = false;

  const distRoot = distDir();
  const worker = spawnNode('worker', join(distRoot, 'apps/worker/src/main.js'), {
    PORT: String(await freePort()),
    ...temporal.env('tenderflow-worker'),
  });
  const children: NodeProc[] = [worker];
  const startApi = async (name: string, dist: string) => {
    const port = await freePort();
    const proc = spawnNode(name, join(dist, 'apps/api/src/main.js'), {
      PORT: String(port),
      ...temporal.env('tenderflow-api'),
    });
    children.push(proc);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${url}/health/ready`, {
      what: 'API not',
      alive: () => {
        if (proc.proc.exitCode !== null)
          throw new Error(`${proc.name} exited (${proc.proc.exitCode}) before ready; see ${proc.logFile}`);
      },
    });
    return { proc, url };
  };
  const api = await startApi('api', distRoot);
  // The worker is ready once it polls: a started workflow gets its first task done.
  say(`api pid ${api.proc.pid} on ${api.url}; worker pid ${worker.pid}`);

  return {
    root,
    databaseUrl: pg.url,
    temporalAddress: temporal.address,
    taskQueue,
    apiUrl: api.url,
    api: api.proc,
    worker,
    pool,
    connection,
    client,
    env: baseEnv,
    cpu: () => {
      const u = process.cpuUsage();
      const busy = machineBusySeconds();
      const own = {
        api: procCpuSeconds(api.proc.pid),
        worker: procCpuSeconds(worker.pid),
        temporal: temporal.pids().reduce((a, pid) => a + procCpuSeconds(pid), 0),
        postgres: postgresCpuSeconds(join(root, 'postgres')),
        bench: (u.user + u.system) / 1e6,
      };
      const variants = children
        .filter((c) => c !== worker && c !== api.proc)
        .reduce((a, c) => a + procCpuSeconds(c.pid), 0);
      return { ...own, other: busy - own.api - own.worker - own.temporal - own.postgres - own.bench - variants };
    },
    startApi,
    async stop() {
      stopping = true;
      for (const c of [...children].reverse()) await c.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await connection.close().catch(() => undefined);
      for (const s of stack.reverse()) await s.stop().catch((e) => say(`stop failed: ${e}`));
      if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
      else say(`kept ${root}`);
    },
  };
}

/**
 * BENCH_TEMPORAL: `dev-server` (default: every phase on the Temporal dev server) or `both`
 * (creation only, measured on the dev server and then on the `npm run cluster` topology, back to
 * back, so that both figures meet the same machine).
 */
export function temporalTopology(): 'dev-server' | 'both' {
  const t = process.env.BENCH_TEMPORAL ?? 'dev-server';
  if (t !== 'dev-server' && t !== 'both') throw new Error(`BENCH_TEMPORAL must be dev-server or both, got ${t}`);
  return t;
}

/**
 * The compiled code to run: PROJECT_ROOT/dist, or BENCH_DIST (a copy taken beforehand, with a
 * node_modules link next to it) when others may rebuild dist/ while the bench runs.
 */
export function distDir(): string {
  return process.env.BENCH_DIST ?? join(PROJECT_ROOT, 'dist');
}

/** VmRSS / VmHWM of a process in MiB, from /proc/<pid>/status. */
export function procMemory(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round((kb('VmRSS') / 1024) * 10) / 10, hwmMiB: Math.round((kb('VmHWM') / 1024) * 10) / 10 };
}

/**
 * A copy of dist/ in the temp folder with one source file patched, so a variant of the API can be
 * measured without touching the repository. node_modules is linked, not copied.
 */
export function patchedDist(
  root: string,
  name: string,
  file: string,
  patches: { find: string | RegExp; replace: string }[],
): { dist: string } | { error: string } {
  const base = join(root, name);
  mkdirSync(base, { recursive: true });
  const dist = join(base, 'dist');
  cpSync(distDir(), dist, { recursive: true });
  if (!existsSync(join(base, 'node_modules')))
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(base, 'node_modules'));
  const path = join(dist, file);
  let text = readFileSync(path, 'utf8');
  for (const p of patches) {
    const hits =
      typeof p.find === 'string'
        ? text.split(p.find).length - 1
        : (text.match(new RegExp(p.find.source, p.find.flags.includes('g') ? p.find.flags : p.find.flags + 'g')) ?? [])
            .length;
    if (hits !== 1) return { error: `patch anchor ${String(p.find)} found ${hits} times in ${file}` };
    text = text.replace(p.find, p.replace);
  }
  writeFileSync(path, text);
  return { dist };
}
