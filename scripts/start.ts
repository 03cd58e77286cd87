import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { AppConfig, ConfigError, databaseUrl, loadConfig } from '@tenderflow/config';
import { runMigrations } from '@tenderflow/db/data-source-options';
import { clientOptions, temporalAccess } from '@tenderflow/temporal-common/connection-options';
import { ensureSearchAttributes } from '@tenderflow/temporal-common/register-search-attributes';
import { waitForHttpOk } from './lib/http-ready';
import { PROJECT_ROOT, resolveBinary, resolveUiServer } from './lib/binaries';
import { portInUse, startEmbeddedPostgres, startTemporalDevServer, Stoppable } from './lib/services';
import { supervise } from './lib/supervisor';
import { mintToken } from './lib/tokens';
import { DEMO_PASSWORD, DEMO_USERS, DEV_OIDC_AUDIENCE } from './lib/dev-oidc-provider';

/**
 * `npm start`: the whole system on embedded defaults. PostgreSQL and the Temporal dev server
 * (with its Web UI, read-only) start unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere;
 * migrations run; then the development OpenID provider (unless AUTH_JWKS_URL names a real one),
 * the worker and the API, each restarted with back-off when it crashes. With the provider the API
 * verifies its tokens by its JWKS (the production path) and still takes the HS256 development tokens.
 * Ctrl-C stops every child, newest first. Data stays in DATA_DIR.
 */

// On a colour terminal the project's own lines stand out from the processes' logs.
const TAG = process.stdout.isTTY && !process.env.NO_COLOR ? '\x1b[1;36m[tenderflow]\x1b[0m' : '[tenderflow]';
const say = (line: string) => process.stdout.write(`${TAG} ${line}\n`);

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
  // The API's and the development provider's ports, free before anything starts: a process left
  // over from another checkout would otherwise answer the readiness checks in their place.
  const ports: [number, string][] = [[config.http.port, 'PORT, the API']];
  if (!config.auth.jwksUrl && config.env !== 'production') {
    ports.push([config.oidcDev.port, 'OIDC_DEV_PORT, the development OpenID provider']);
  }
  for (const [port, what] of ports) {
    if (await portInUse(port)) {
      process.stderr.write(
        `Port ${port} (${what}) is already in use by another process: stop it (\`ss -ltnp 'sport = :${port}'\` ` +
          `names it) or set ${what.split(',')[0]} to a free port. Nothing was started.\n`,
      );
      process.exit(1);
    }
  }
  const dataDir = resolve(PROJECT_ROOT, config.dataDir);
  const stack: Stoppable[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const s of stack.reverse()) {
      await s.stop().catch((e) => process.stderr.write(`stop failed: ${e}\n`));
    }
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!config.database.url) {
    say(
      `starting embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort} (data in ${join(dataDir, 'postgres')})`,
    );
    const pg = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: config.database.embeddedPort,
      database: 'tenderflow',
    });
    stack.push(pg);
    env.DATABASE_URL = pg.url;
  }
  let uiMissing: string | undefined;
  if (!config.temporal.address) {
    const cliPath = resolveBinary('temporal', config.temporal.cliPath);
    const ui = resolveUiServer(config.temporal.uiServerPath);
    if (ui.path === undefined) uiMissing = ui.reason;
    say(
      `starting Temporal dev server on 127.0.0.1:${config.temporal.devPort}` +
        `${ui.path ? `, Web UI (read-only) on ${config.temporal.uiPort}` : ', no Web UI'} (data in ${join(dataDir, 'temporal')})`,
    );
    const temporal = await startTemporalDevServer({
      cliPath,
      dataDir: join(dataDir, 'temporal'),
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      ui: ui.path !== undefined,
      uiServerPath: ui.path,
    });
    stack.push(temporal);
    env.TEMPORAL_ADDRESS = temporal.address;
  }
  const dbUrl = env.DATABASE_URL ?? databaseUrl(config);
  const applied = await runMigrations(dbUrl);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  // TLS and this configuration's token when TEMPORAL_ADDRESS names a secured frontend.
  const access = await temporalAccess(config);
  const connection = await Connection.connect({ ...clientOptions(access), address: env.TEMPORAL_ADDRESS! });
  await ensureSearchAttributes(connection, config.temporal.namespace);
  access.credentials?.stop();
  await connection.close();

  const distRoot = join(PROJECT_ROOT, 'dist');
  // The development OpenID provider: its own supervised process, never part of the API.
  let oidcIssuer: string | undefined;
  if (!config.auth.jwksUrl && config.env !== 'production') {
    oidcIssuer = `http://localhost:${config.oidcDev.port}`;
    const audience = config.auth.audience ?? DEV_OIDC_AUDIENCE;
    const oidcEnv = { ...env, AUTH_AUDIENCE: audience };
    stack.push(
      supervise({
        name: 'oidc',
        spawn: () =>
          spawn(process.execPath, [join(distRoot, 'scripts/dev-oidc-provider.js')], {
            env: oidcEnv,
            stdio: ['ignore', 'inherit', 'inherit'],
          }),
        log: say,
        keepRunning: () => !stopping,
      }),
    );
    await waitForHttpOk(`${oidcIssuer}/.well-known/openid-configuration`, { what: 'OpenID provider not' });
    // Development tokens beside the provider's are accepted only where development is said outright.
    Object.assign(env, {
      NODE_ENV: env.NODE_ENV || 'development',
      AUTH_JWKS_URL: `${oidcIssuer}/jwks`,
      AUTH_ISSUER: oidcIssuer,
      AUTH_AUDIENCE: audience,
      AUTH_ACCEPT_DEV_TOKENS: 'true',
    });
  }
  // Two malloc arenas, as the Dockerfile runs them: the worker keeps far less memory (README, Operations).
  env.MALLOC_ARENA_MAX ||= '2';
  // Supervised: a crashed worker or API is restarted with back-off; Ctrl-C stops them for good.
  for (const [name, main] of [
    ['worker', 'apps/worker/src/main.js'],
    ['api', 'apps/api/src/main.js'],
  ] as const) {
    stack.push(
      supervise({
        name,
        spawn: () => spawn(process.execPath, [join(distRoot, main)], { env, stdio: ['ignore', 'inherit', 'inherit'] }),
        log: say,
        keepRunning: () => !stopping,
      }),
    );
  }

  const api = `http://localhost:${config.http.port}`;
  await waitForHttpOk(`${api}/health/ready`, { what: 'API not' });
  const token = config.auth.secret
    ? await mintToken(
        config.auth.secret,
        { sub: 'dev', name: 'Development User', org: 'DEV', roles: ['procurement_officer'] },
        { issuer: config.auth.issuer, audience: config.auth.audience },
      )
    : undefined;
  say(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  say(`API:         ${api}`);
  say(`Swagger UI:  ${api}/docs   (OpenAPI: ${api}/docs-json)`);
  // At PUBLIC_BASE_URL: the provider's redirect URIs are there, and the console keeps its sign-in in that origin's session storage.
  say(
    `Console:     ${config.http.publicBaseUrl.replace(/\/+$/, '')}/console/${oidcIssuer ? '   (sign in as a demo user below)' : ''}`,
  );
  if (!config.temporal.address && !uiMissing)
    say(`Temporal UI: ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows   (read-only)`);
  if (uiMissing) say(`Temporal UI: not started (${uiMissing}); the CLI still inspects: temporal workflow list`);
  if (config.auth.usesDevelopmentSecret)
    say(`JWT secret:  ${config.auth.secret} (development default; set AUTH_JWT_SECRET)`);
  if (oidcIssuer) {
    say(`OpenID (dev): ${oidcIssuer}/.well-known/openid-configuration   (client tenderflow-console, code + PKCE S256)`);
    say(
      `demo users:  ${DEMO_USERS.map((u) => `${u.sub} (${u.roles.join(',')}@${u.org})`).join(', ')}; password "${DEMO_PASSWORD}"`,
    );
  }
  if (token) say(`dev token (procurement_officer of DEV, 8 h):\n${token}`);
  say('more tokens: npm run token -- --sub anna --roles procurement_officer --org HSN');
  say('Ctrl-C stops everything; data is kept for the next start.');
}

main().catch((err) => {
  process.stderr.write(`[tenderflow] start failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
