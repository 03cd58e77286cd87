import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '../../../libs/config/src';

async function bootstrap(): Promise<void> {
  try {
    loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  // The SDK's own log (bundler output, worker state changes) at WARN unless the app logs more.
  const level = loadConfig().logLevel;
  Runtime.install({ logger: new DefaultLogger(level === 'debug' || level === 'trace' ? 'DEBUG' : level === 'info' ? 'INFO' : 'WARN') });
  // Imported after validation so a bad variable gives the clear message, not a stack trace.
  const { WorkerModule } = await import('./worker.module');
  // An application context: the worker serves no HTTP.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
}

void bootstrap();
