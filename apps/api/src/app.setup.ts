import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppConfigService } from './config/config.module';
import { ProblemDetailsFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation';

/**
 * Everything that makes the app what it is beyond its modules: body limits, validation, problem
 * details, Swagger, shutdown hooks. Shared by main.ts and the end-to-end tests.
 */
export function setupApp(app: INestApplication): INestApplication {
  const config = app.get(AppConfigService).values;
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  express.use(json({ limit: config.http.bodyLimit }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  // Idle keep-alive connections outlive the clients' and proxies' (typically 60 s), so a client
  // never reuses a connection the server is closing at that moment (a reset request).
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tenderflow')
      .setDescription('Public procurements under LOU (2016:1145) as durable workflows. Errors are application/problem+json (RFC 9457).')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
