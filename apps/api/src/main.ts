// First: tracing instruments http, express and pg as they load (off without OTEL_EXPORTER_OTLP_ENDPOINT).
import '@tenderflow/telemetry/register-api';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadApiConfig } from '@tenderflow/config';
import { AppModule } from './app.module';
import { setupApp } from './app.setup';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await NestFactory.create(AppModule, { bufferLogs: true, bodyParser: false });
  setupApp(app);
  await app.listen(config.http.port, process.env.HOST ?? '0.0.0.0');
}

void bootstrap();
