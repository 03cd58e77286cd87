import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tenderflow/config';
import { runMigrations } from '@tenderflow/db/data-source-options';
import { prepareNamespace } from '@tenderflow/temporal-common/register-namespace';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { mintToken, TokenClaims } from '../../scripts/lib/tokens';

/**
 * The real system in the test process: the API (Nest app with the same setup as main.ts) and the
 * worker (its own application context), against the PostgreSQL and Temporal that global-setup
 * started. Requests go through supertest to the real HTTP server.
 */
export interface E2eSystem {
  app: INestApplication;
  worker: INestApplicationContext;
  http: ReturnType<INestApplication['getHttpServer']>;
  token(claims: TokenClaims, opts?: { ttlSeconds?: number }): Promise<string>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export async function startE2eSystem(): Promise<E2eSystem> {
  if (!runtimeInstalled) {
    const { DefaultLogger, Runtime } = await import('@temporalio/worker');
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed by an earlier suite in this process.
    }
    runtimeInstalled = true;
  }
  const { AppModule } = await import('../../apps/api/src/app.module');
  const { setupApp } = await import('../../apps/api/src/app.setup');
  const { WorkerModule } = await import('../../apps/worker/src/worker.module');
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  const app = await NestFactory.create(AppModule, { logger: false, bodyParser: false });
  setupApp(app);
  await app.init();
  const config = loadConfig();
  return {
    app,
    worker,
    http: app.getHttpServer(),
    token: (claims, opts) =>
      mintToken(config.auth.secret!, claims, { ...opts, issuer: config.auth.issuer, audience: config.auth.audience }),
    async close() {
      await app.close();
      await worker.close();
    },
  };
}

/**
 * The real system on data of its own: a fresh database on the suites' PostgreSQL server (migrated)
 * and a Temporal namespace of its own on their dev server. For a suite that acts as an
 * administrator over everything the API offers (the fuzzer adopts policies, registers
 * organisations and categories, changes thresholds): what it changes cannot reach the shared data
 * other suites rely on, and its workflows are invisible to them (key rotation, the reconciler).
 * The environment is the suite's own while it runs and restored by close().
 */
export async function startIsolatedE2eSystem(
  label: string,
): Promise<E2eSystem & { database: string; namespace: string }> {
  const name = `${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const shared = new URL(process.env.DATABASE_URL!);
  const admin = new PgClient({ connectionString: shared.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const own = new URL(shared.toString());
  own.pathname = `/${name}`;
  await runMigrations(own.toString());

  const namespace = `tenderflow-${name.replace(/_/g, '-')}`;
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  try {
    await prepareNamespace(connection, namespace, 1);
  } finally {
    await connection.close();
  }

  const saved = { DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE };
  const restore = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  process.env.DATABASE_URL = own.toString();
  process.env.TEMPORAL_NAMESPACE = namespace;
  let sys: E2eSystem;
  try {
    sys = await startE2eSystem();
  } catch (err) {
    restore();
    throw err;
  }
  return {
    ...sys,
    database: name,
    namespace,
    async close() {
      try {
        await sys.close();
      } finally {
        restore();
      }
    },
  };
}

/** Polls until `check` returns a value (eventually consistent read model). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
