// First: tracing instruments pg as it loads (off without OTEL_EXPORTER_OTLP_ENDPOINT).
import '@tenderflow/telemetry/register-worker';
import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@tenderflow/config';
import { AppLogger, createLogger, temporalLogFunction } from '@tenderflow/logging';

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
  // The SDK's own log (bundler output, worker state changes) in the process's format, at WARN
  // unless the app logs more.
  const config = loadConfig();
  const level = config.logLevel;
  Runtime.install({
    logger: new DefaultLogger(
      level === 'debug' || level === 'trace' ? 'DEBUG' : level === 'info' ? 'INFO' : 'WARN',
      temporalLogFunction(createLogger(config, 'worker')),
    ),
    // The SDK's runtime metrics (task slots, poll and schedule-to-start latencies, sticky cache…)
    // for Prometheus at http://WORKER_METRICS_ADDRESS/metrics.
    ...(config.worker.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.worker.metricsAddress } } } }
      : {}),
  });
  // The workflow thread's heap, set before the worker creates that thread (V8 reads the flag when it
  // creates an isolate): bounded, it is collected instead of growing (npm run bench, rss).
  if (config.worker.workflowHeapMiB > 0) setFlagsFromString(`--max-old-space-size=${config.worker.workflowHeapMiB}`);
  // Imported after validation so a bad variable gives the clear message, not a stack trace.
  const { WorkerModule } = await import('./worker.module');
  // An application context: the worker serves no HTTP.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(new AppLogger(app.get(Logger)));
  app.enableShutdownHooks();
}

void bootstrap();
