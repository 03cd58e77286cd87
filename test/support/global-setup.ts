import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '@tenderflow/db/data-source-options';
import { resolveBinary } from '../../scripts/lib/binaries';
import workflowsGlobalSetup from './workflows-global-setup';
import {
  freePort,
  startEmbeddedPostgres,
  startTemporalDevServerOnFreePorts,
  Stoppable,
} from '../../scripts/lib/services';

/**
 * Starts the real services the end-to-end tests need, the way `npm start` does, but on free ports
 * and throw-away data folders: a real PostgreSQL (unless DATABASE_URL names one) and the Temporal
 * dev server (unless TEMPORAL_ADDRESS names one).
 */
export default async function globalSetup(): Promise<void> {
  await workflowsGlobalSetup();
  const started: Stoppable[] = [];
  const root = mkdtempSync(join(tmpdir(), 'tenderflow-test-'));
  // PostgreSQL runs as its own user when we are root: it must be able to reach its folder.
  chmodSync(root, 0o755);
  const quiet = process.env.TEST_SERVICE_LOGS ? (l: string) => process.stderr.write(`${l}\n`) : undefined;

  if (!process.env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({
      dataDir: join(root, 'postgres'),
      port: await freePort(),
      database: 'tenderflow_test',
      log: quiet,
    });
    started.push(pg);
    process.env.DATABASE_URL = pg.url;
  }
  await runMigrations(process.env.DATABASE_URL);

  if (!process.env.TEMPORAL_ADDRESS) {
    // Its last lines are kept: should the server die mid-run, every later suite fails on it, and the
    // run's output says so once, with the server's own words, instead of only the clients' retries.
    const lines: string[] = [];
    const temporal = await startTemporalDevServerOnFreePorts({
      cliPath: resolveBinary('temporal'),
      dataDir: join(root, 'temporal'),
      namespace: 'default',
      ui: false,
      log: (line) => {
        lines.push(line);
        if (lines.length > 40) lines.shift();
        quiet?.(line);
      },
    });
    let stopping = false;
    temporal.process.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(
        `\n[tests] the Temporal dev server on ${temporal.address} exited during the run (${code ?? signal}); its last lines:\n` +
          `${lines.map((l) => `  ${l}`).join('\n')}\n`,
      );
    });
    started.push({
      stop: () => {
        stopping = true;
        return temporal.stop();
      },
    });
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  process.env.TEMPORAL_TASK_QUEUE = `e2e-${process.pid}`;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  // Suites drive the outbox dispatcher themselves (drainOnce); the background one stays idle.
  process.env.OUTBOX_POLL_MS = process.env.OUTBOX_POLL_MS ?? '600000';
  process.env.NODE_ENV = 'test';
  // Added to the list, not put in its place: in one jest run the browser project's setup may have
  // started the services already (this setup then starts none), and the one teardown stops them all.
  const g = globalThis as { __TENDERFLOW_SERVICES__?: Stoppable[] };
  (g.__TENDERFLOW_SERVICES__ ??= []).push(...started);
}
