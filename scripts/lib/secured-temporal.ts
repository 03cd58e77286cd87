import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TemporalCredentials } from '@tenderflow/temporal-common/temporal-credentials';
import { PROJECT_ROOT } from './binaries';
import { TEMPORAL_AUDIENCE, TEMPORAL_RESOURCE, TEMPORAL_UI_CLIENT_ID } from './dev-oidc-provider';
import { ensureDevPki, type DevPki, type PkiClient } from './dev-pki';
import { waitForHttpOk } from './http-ready';
import { freePort, stopChild } from './services';
import {
  freeClusterPorts,
  type PostgresServer,
  TemporalCluster,
  type TemporalClusterOptions,
} from './temporal-cluster';
import type { TemporalServerBinaries } from './temporal-server';

/**
 * A Temporal cluster with its door locked (README, "Temporal in production"), for the tests and the
 * benchmark: a development PKI made for the run (deploy/dev-pki), the development OpenID provider as
 * its own process giving each identity its token (secrets as files), and the real server's services
 * with mTLS and the default authorizer. `npm run cluster` builds the same from the same parts.
 */
export class SecuredTemporal {
  private ui?: ChildProcess;

  private constructor(
    readonly cluster: TemporalCluster,
    readonly pki: DevPki,
    readonly issuer: string,
    private readonly oidc: ChildProcess,
    private readonly secretsDir: string,
    readonly uiPort: number,
    private readonly root: string,
  ) {}

  static async start(opts: {
    root: string;
    binaries: TemporalServerBinaries;
    postgres: PostgresServer;
    namespace: string;
    log?: (line: string) => void;
    onUnexpectedExit?: TemporalClusterOptions['onUnexpectedExit'];
  }): Promise<SecuredTemporal> {
    const pki = ensureDevPki(join(opts.root, 'pki'), { force: true });
    const secretsDir = join(opts.root, 'secrets');
    const uiPort = await freePort();
    const oidc = await startOidcProcess(secretsDir, opts.namespace, uiPort, join(opts.root, 'oidc.log'));
    let cluster: TemporalCluster;
    try {
      cluster = new TemporalCluster({
        security: {
          pki,
          jwksUrl: `${oidc.issuer}/jwks`,
          audience: TEMPORAL_AUDIENCE,
          adminToken: () => oidcToken(oidc.issuer, secretsDir, 'temporal-setup'),
        },
        binaries: opts.binaries,
        dataDir: join(opts.root, 'temporal'),
        postgres: opts.postgres,
        ports: await freeClusterPorts(),
        namespace: opts.namespace,
        retentionDays: 1,
        log: opts.log,
        onUnexpectedExit: opts.onUnexpectedExit,
      });
    } catch (err) {
      await stopChild(oidc.process, 10_000).catch(() => undefined);
      throw err;
    }
    const secured = new SecuredTemporal(cluster, pki, oidc.issuer, oidc.process, secretsDir, uiPort, opts.root);
    try {
      await cluster.start();
    } catch (err) {
      await secured.stop();
      throw err;
    }
    return secured;
  }

  get address(): string {
    return this.cluster.address;
  }

  /** What a process of `identity` adds to its environment: TLS files and its token source. */
  clientEnv(identity: 'tenderflow-api' | 'tenderflow-worker'): Record<string, string> {
    return temporalClientEnv(this.pki, this.issuer, this.secretsDir, identity);
  }

  /** A fresh token of `clientId` from the provider. */
  token(clientId: string): Promise<string> {
    return oidcToken(this.issuer, this.secretsDir, clientId);
  }

  /** A connection with `certificate`'s client certificate and `identity`'s token (either may be left out). */
  async connectAs(certificate: PkiClient | undefined, identity: string | undefined): Promise<Connection> {
    return Connection.connect({
      address: this.address,
      tls: this.cluster.clientTls(certificate),
      ...(identity ? { apiKey: await this.token(identity) } : {}),
      connectTimeout: 10_000,
    });
  }

  /** The read-only Web UI on it: mTLS with its own certificate, its users signed in at the provider. */
  async startUi(
    binary: string,
    moduleDir: string,
    uiEnvironment: (security: UiSecurityInput) => Record<string, string>,
    start: UiStarter,
  ): Promise<string> {
    const pair = this.pki.clients['temporal-ui'];
    const env = uiEnvironment({
      tls: { ca: this.pki.ca, cert: pair.cert, key: pair.key, serverName: 'localhost' },
      auth: {
        providerUrl: this.issuer,
        clientSecret: readFileSync(join(this.secretsDir, `${TEMPORAL_UI_CLIENT_ID}.secret`), 'utf8').trim(),
        callbackUrl: `http://localhost:${this.uiPort}/auth/sso/callback`,
      },
    });
    this.ui = start(binary, moduleDir, env, join(this.root, 'temporal-ui.log'));
    const url = `http://localhost:${this.uiPort}`;
    await waitForHttpOk(`${url}/`, { what: 'Temporal UI not', timeoutMs: 60_000 });
    return url;
  }

  async stop(): Promise<void> {
    if (this.ui) await stopChild(this.ui, 10_000).catch(() => undefined);
    await this.cluster.stop().catch(() => undefined);
    await stopChild(this.oidc, 10_000).catch(() => undefined);
  }
}

/** The UI's security settings (scripts/cluster.ts UiSecurity). */
export interface UiSecurityInput {
  tls: { ca: string; cert: string; key: string; serverName: string };
  auth: { providerUrl: string; clientSecret: string; callbackUrl: string };
}
type UiStarter = (binary: string, moduleDir: string, env: Record<string, string>, logFile: string) => ChildProcess;

/** The environment of a Temporal client process of `identity`: TLS files (its certificate) and its token source at the provider. */
export function temporalClientEnv(
  pki: DevPki,
  issuer: string,
  secretsDir: string,
  identity: PkiClient,
  clientId: string = identity,
): Record<string, string> {
  const pair = pki.clients[identity];
  return {
    TEMPORAL_TLS_CA_FILE: pki.ca,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    TEMPORAL_TLS_CERT_FILE: pair.cert,
    TEMPORAL_TLS_KEY_FILE: pair.key,
    TEMPORAL_OIDC_TOKEN_URL: `${issuer}/token`,
    TEMPORAL_OIDC_CLIENT_ID: clientId,
    TEMPORAL_OIDC_CLIENT_SECRET_FILE: join(secretsDir, `${clientId}.secret`),
    TEMPORAL_OIDC_RESOURCE: TEMPORAL_RESOURCE,
  };
}

/** A fresh token of `clientId` from the provider at `issuer` (client credentials, its secret from `secretsDir`). */
export async function oidcToken(issuer: string, secretsDir: string, clientId: string): Promise<string> {
  const credentials = new TemporalCredentials({
    kind: 'oidc',
    tokenUrl: `${issuer}/token`,
    clientId,
    clientSecretFile: join(secretsDir, `${clientId}.secret`),
    resource: TEMPORAL_RESOURCE,
  });
  const token = await credentials.start();
  credentials.stop();
  return token;
}

/**
 * The development OpenID provider as its own process (dist/scripts/dev-oidc-provider.js, as npm
 * start and npm run cluster run it), giving the cluster's identities their tokens; their secrets
 * are files in `secretsDir`, and the Web UI on `uiPort` is its client.
 */
async function startOidcProcess(
  secretsDir: string,
  namespace: string,
  uiPort: number,
  logFile: string,
): Promise<{ issuer: string; process: ChildProcess }> {
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
  try {
    await waitForHttpOk(`${issuer}/.well-known/openid-configuration`, {
      what: 'OpenID provider not',
      timeoutMs: 60_000,
    });
  } catch (err) {
    await stopChild(child, 10_000).catch(() => undefined);
    throw err;
  }
  return { issuer, process: child };
}
