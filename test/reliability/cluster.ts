import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '@tenderflow/db/data-source-options';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import { freePort, stopChild } from '../../scripts/lib/services';
import { TemporalBackend, temporalBackend } from './temporal-backends';

/**
 * The system of the reliability run, built from dist/ the way a deployment runs it: one embedded
 * PostgreSQL, Temporal (the dev server with a file store, or the real server's services, secured, on
 * that PostgreSQL: temporal-backends.ts), and N workers and N APIs as separate processes side by
 * side on the same Temporal task queue and the same database. Every process can be killed or
 * stopped and started again on the same port and data, which is what the chaos does.
 */

type Log = (line: string) => void;

interface Managed {
  name: string;
  kind: 'worker' | 'api';
  index: number;
  port?: number;
  child?: ChildProcess;
  /** Set before a deliberate stop, so that the exit is not reported as a crash. */
  expectExit: boolean;
  starts: number;
  pids: number[];
}

export interface ClusterOptions {
  workers: number;
  apis: number;
  log: Log;
  /** dev-server (default) or cluster. */
  temporal?: string;
}

export class Cluster {
  readonly root: string;
  readonly taskQueue: string;
  readonly namespace = 'default';
  readonly secret = `reliability-secret-${process.pid}-0123456789abcdef0123456789`;
  readonly unexpectedExits: string[] = [];
  readonly temporal: TemporalBackend;
  private pgPort = 0;
  private pg?: { url: string; process: ChildProcess; stop(): Promise<void> };
  private expectPgExit = false;
  private readonly workers: Managed[] = [];
  private readonly apis: Managed[] = [];
  private stopping = false;

  constructor(private readonly opts: ClusterOptions) {
    this.root = mkdtempSync(join(tmpdir(), 'tenderflow-reliability-'));
    // PostgreSQL runs as its own user when we are root: it must be able to reach its folder.
    chmodSync(this.root, 0o755);
    mkdirSync(join(this.root, 'logs'), { recursive: true });
    this.taskQueue = `reliability-${process.pid}-${Date.now()}`;
    this.temporal = temporalBackend(opts.temporal, {
      root: this.root,
      namespace: this.namespace,
      log: opts.log,
      onUnexpectedExit: (line) => this.unexpectedExits.push(line),
    });
  }

  get databaseUrl(): string {
    return this.pg!.url;
  }

  get temporalAddress(): string {
    return this.temporal.address;
  }

  apiUrl(i: number): string {
    return `http://127.0.0.1:${this.apis[i].port}`;
  }

  get apiCount(): number {
    return this.apis.length;
  }

  get workerCount(): number {
    return this.workers.length;
  }

  /** Every pid a worker slot has had, for matching the identities Temporal recorded. */
  workerPids(): number[] {
    return this.workers.flatMap((w) => w.pids);
  }

  starts(): Record<string, number> {
    return Object.fromEntries([...this.workers, ...this.apis].map((m) => [m.name, m.starts]));
  }

  async start(): Promise<void> {
    this.pgPort = await freePort();
    // One after the other: a failure leaves nothing half-started behind for stop() to miss.
    await this.startPostgres();
    await this.temporal.start(this.databaseUrl);
    await runMigrations(this.databaseUrl);
    for (let i = 0; i < this.opts.workers; i++) {
      this.workers.push({ name: `worker-${i}`, kind: 'worker', index: i, expectExit: false, starts: 0, pids: [] });
    }
    for (let i = 0; i < this.opts.apis; i++) {
      this.apis.push({
        name: `api-${i}`,
        kind: 'api',
        index: i,
        port: await freePort(),
        expectExit: false,
        starts: 0,
        pids: [],
      });
    }
    // Workers first: each bundles the workflow code; the APIs only need the server.
    await Promise.all(this.workers.map((w) => this.spawn(w)));
    await Promise.all(this.apis.map((a) => this.spawn(a)));
    await Promise.all([
      ...this.workers.map((w) => this.waitWorkerPolling(w)),
      ...this.apis.map((a) => this.waitApiReady(a)),
    ]);
  }

  // --- the chaos -------------------------------------------------------------------------------

  /** SIGKILL: no shutdown hook runs, in-flight tasks are abandoned mid-way. Returns the old pid. */
  async killWorker(i: number): Promise<number> {
    const w = this.workers[i];
    const pid = w.child!.pid!;
    await this.signal(w, 'SIGKILL');
    return pid;
  }

  async startWorker(i: number): Promise<number> {
    const w = this.workers[i];
    await this.spawn(w);
    await this.waitWorkerPolling(w);
    return w.child!.pid!;
  }

  /** SIGTERM to one API and a fresh process on the same port. */
  async restartApi(i: number, downMs: number): Promise<string> {
    const a = this.apis[i];
    const t0 = Date.now();
    await this.signal(a, 'SIGTERM');
    const exited = Date.now() - t0;
    await sleep(downMs);
    await this.spawn(a);
    const t1 = Date.now();
    await this.waitApiReady(a);
    return `exited ${exited} ms after SIGTERM, new process ready in ${Date.now() - t1} ms`;
  }

  /** Stops or kills one part of Temporal (one of temporal.restartTargets) and starts it again on the same ports and data. */
  async restartTemporal(target: string, downMs: number): Promise<string> {
    const what = await this.temporal.restart(target, downMs);
    // Workers reconnect by themselves; this waits until each one polls again.
    await Promise.all(this.workers.map((w) => this.waitWorkerPolling(w, 120_000)));
    return what;
  }

  /** Stops PostgreSQL (fast shutdown: sessions are cut) and starts it again on the same data folder. */
  async restartPostgres(downMs: number): Promise<void> {
    this.expectPgExit = true;
    await this.pg!.stop();
    this.expectPgExit = false;
    await sleep(downMs);
    await this.startPostgres();
  }

  /** Every worker and API alive, workers polling, APIs ready. */
  async assertAllUp(): Promise<void> {
    for (const m of [...this.workers, ...this.apis]) {
      if (!m.child || m.child.exitCode !== null || m.child.signalCode !== null)
        throw new Error(`${m.name} is not running`);
    }
    await Promise.all([
      ...this.workers.map((w) => this.waitWorkerPolling(w, 30_000)),
      ...this.apis.map((a) => this.waitApiReady(a, 30_000)),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const m of [...this.apis, ...this.workers]) {
      m.expectExit = true;
      if (m.child) await stopChild(m.child, 5_000).catch(() => undefined);
    }
    await this.temporal.stop().catch(() => undefined);
    this.expectPgExit = true;
    await this.pg?.stop().catch(() => undefined);
  }

  logTail(name: string, lines = 40): string {
    try {
      return readFileSync(join(this.root, 'logs', `${name}.log`), 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Temporal's view of who polls the task queue (identity `pid@host`), for readiness checks. */
  async pollerIdentities(): Promise<string[]> {
    const connection = await this.temporal.connect();
    try {
      const res = await connection.workflowService.describeTaskQueue({
        namespace: this.namespace,
        taskQueue: { name: this.taskQueue, kind: 1 },
        taskQueueType: 1,
      });
      return (res.pollers ?? []).map((p) => p.identity ?? '');
    } finally {
      await connection.close();
    }
  }

  // --- plumbing ----------------------------------------------------------------------------------

  /**
   * PostgreSQL through the project's own start code (dist/scripts/lib/services.js), hosted in a
   * process of its own (test/reliability/pg-host.js): SIGTERM there is a fast shutdown.
   */
  private async startPostgres(): Promise<void> {
    const fd = openSync(join(this.root, 'logs', 'postgres.log'), 'a');
    const child = spawn(
      process.execPath,
      [
        join(__dirname, 'pg-host.js'),
        PROJECT_ROOT,
        join(this.root, 'postgres'),
        String(this.pgPort),
        'tenderflow_reliability',
      ],
      {
        stdio: ['ignore', 'pipe', fd],
      },
    );
    closeSync(fd);
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = String(code ?? signal);
      if (!this.expectPgExit) this.unexpectedExits.push(`postgresql host exited (${exited})`);
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`PostgreSQL not ready after 120 s\n${this.logTail('postgres')}`)),
        120_000,
      );
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL host exited (${exited}) before it was ready\n${this.logTail('postgres')}`));
      });
    });
    this.pg = { url, process: child, stop: () => stopChild(child, 30_000) };
  }

  private env(m: Managed): NodeJS.ProcessEnv {
    const inherited = { ...process.env };
    // Whatever the surrounding test run set for its own services does not apply here.
    for (const k of ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_TASK_QUEUE', 'SMTP_URL', 'WORKFLOW_BUNDLE'])
      delete inherited[k];
    return {
      ...inherited,
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: this.namespace,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      AUTH_JWT_SECRET: this.secret,
      LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      OUTBOX_POLL_MS: '1000',
      ...(m.port ? { PORT: String(m.port), HOST: '127.0.0.1' } : {}),
      ...this.temporal.clientEnv(m.kind === 'api' ? 'tenderflow-api' : 'tenderflow-worker'),
    };
  }

  private async spawn(m: Managed): Promise<void> {
    const script = m.kind === 'worker' ? 'dist/apps/worker/src/main.js' : 'dist/apps/api/src/main.js';
    const fd = openSync(join(this.root, 'logs', `${m.name}.log`), 'a');
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script)], {
      env: this.env(m),
      stdio: ['ignore', fd, fd],
      cwd: PROJECT_ROOT,
    });
    closeSync(fd);
    m.expectExit = false;
    m.child = child;
    m.starts += 1;
    m.pids.push(child.pid!);
    child.once('exit', (code, signal) => {
      if (!m.expectExit) {
        const line = `${m.name} (pid ${child.pid}) exited by itself (${code ?? signal})`;
        this.unexpectedExits.push(line);
        this.opts.log(`!! ${line}\n${this.logTail(m.name, 20)}`);
      }
    });
  }

  private async signal(m: Managed, sig: NodeJS.Signals): Promise<void> {
    const child = m.child!;
    if (child.exitCode !== null || child.signalCode !== null) return;
    m.expectExit = true;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill(sig);
    });
  }

  private async waitWorkerPolling(w: Managed, timeoutMs = 120_000): Promise<void> {
    const identity = `${w.child!.pid}@${hostname()}`;
    const until = Date.now() + timeoutMs;
    for (;;) {
      this.assertAlive(w);
      try {
        if ((await this.pollerIdentities()).includes(identity)) return;
      } catch {
        // the server may be starting
      }
      if (Date.now() > until)
        throw new Error(
          `${w.name} (${identity}) is not polling ${this.taskQueue} after ${timeoutMs} ms\n${this.logTail(w.name)}`,
        );
      await sleep(250);
    }
  }

  private async waitApiReady(a: Managed, timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const started = Date.now();
    let last: string;
    let reported = 0;
    for (;;) {
      this.assertAlive(a);
      try {
        const res = await fetch(`${this.apiUrl(a.index)}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        if (res.ok) return;
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        last = `${e.name}: ${e.cause?.code ?? e.message}`;
      }
      if (Date.now() - started > 15_000 * (reported + 1)) {
        reported += 1;
        this.opts.log(
          `${a.name} (pid ${a.child?.pid}) not ready after ${Math.round((Date.now() - started) / 1000)} s: ${last}`,
        );
      }
      if (Date.now() > until)
        throw new Error(`${a.name} not ready after ${timeoutMs} ms: ${last}\n${this.logTail(a.name)}`);
      await sleep(250);
    }
  }

  private assertAlive(m: Managed): void {
    if (this.stopping) throw new Error('the cluster is stopping');
    const c = m.child!;
    if (c.exitCode !== null || (c.signalCode !== null && !m.expectExit)) {
      throw new Error(`${m.name} exited (${c.exitCode ?? c.signalCode})\n${this.logTail(m.name)}`);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
