import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { AppConfig, ConfigError, databaseUrl, loadConfig } from '../libs/config/src';
import { runMigrations } from '../libs/db/src/data-source-options';
import { temporalConnectionOptions } from '../libs/temporal-common/src/connection-options';
import { ensureSearchAttributes } from '../libs/temporal-common/src/register-search-attributes';
import { PROJECT_ROOT, resolveBinary, resolveUiServer } from './lib/binaries';
import { startEmbeddedPostgres, startTemporalDevServer, Stoppable } from './lib/services';
import { supervise } from './lib/supervisor';
import { mintToken } from './lib/tokens';

/**
 * `npm start`: the whole system on embedded defaults. PostgreSQL and the Temporal dev server
 * (with its Web UI, read-only) start unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere;
 * migrations run; then the worker and the API, each restarted with back-off when it crashes.
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
    say(`starting embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort} (data in ${join(dataDir, 'postgres')})`);
    const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: config.database.embeddedPort, database: 'tenderflow' });
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
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), address: env.TEMPORAL_ADDRESS! });
  await ensureSearchAttributes(connection, config.temporal.namespace);
  await connection.close();

  const distRoot = join(PROJECT_ROOT, 'dist');
  // Supervised: a crashed worker or API is restarted with back-off; Ctrl-C stops them for good.
  for (const [name, main] of [['worker', 'apps/worker/src/main.js'], ['api', 'apps/api/src/main.js']] as const) {
    stack.push(supervise({ name, spawn: () => spawn(process.execPath, [join(distRoot, main)], { env, stdio: ['ignore', 'inherit', 'inherit'] }), log: say }));
  }

  const api = `http://localhost:${config.http.port}`;
  await waitForReady(`${api}/health/ready`);
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
  if (!config.temporal.address && !uiMissing) say(`Temporal UI: ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows   (read-only)`);
  if (uiMissing) say(`Temporal UI: not started (${uiMissing}); the CLI still inspects: temporal workflow list`);
  if (config.auth.usesDevelopmentSecret) say(`JWT secret:  ${config.auth.secret} (development default; set AUTH_JWT_SECRET)`);
  if (token) say(`dev token (procurement_officer of DEV, 8 h):\n${token}`);
  say('more tokens: npm run token -- --sub anna --roles procurement_officer --org HSN');
  say('Ctrl-C stops everything; data is kept for the next start.');
}

async function waitForReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`API not ready at ${url}: ${last}`);
}

main().catch((err) => {
  process.stderr.write(`[tenderflow] start failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
