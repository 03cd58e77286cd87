import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tenderflow/config';
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
    token: (claims, opts) => mintToken(config.auth.secret!, claims, { ...opts, issuer: config.auth.issuer, audience: config.auth.audience }),
    async close() {
      await app.close();
      await worker.close();
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
