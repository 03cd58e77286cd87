import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppLogger } from '@tenderflow/logging';
import { CALENDAR_FEED_SECURITY } from './calendar/calendar.controller';
import { AppConfigService } from './config/config.module';
import { ProblemDetailsFilter } from './common/problem.filter';
import { SecurityLogService } from './audit/security-log.service';
import { createValidationPipe } from './common/validation';
import { hostileInputGuard } from './common/hostile-input';
import { methodNotAllowed } from './common/method-not-allowed';
import { refineDocument } from './common/openapi';
import { addPolicySchemas } from './organizations/policy-schema';
import { CONSOLE_PATH, consoleRouter } from './console/console-static';

/**
 * Everything that makes the app what it is beyond its modules: body limits, validation, problem
 * details, Swagger, the web console, shutdown hooks. Shared by main.ts and the end-to-end tests.
 */
export function setupApp(app: INestApplication): INestApplication {
  const config = app.get(AppConfigService).values;
  const express = app as NestExpressApplication;
  express.useLogger(new AppLogger(app.get(Logger)));
  express.disable('x-powered-by');
  // No page of the API (Swagger UI at /docs above all) may be framed by another site (clickjacking);
  // the console sets its own, fuller policy over this one.
  express.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    next();
  });
  express.use(json({ limit: config.http.bodyLimit }));
  express.use(hostileInputGuard);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(SecurityLogService)));
  app.enableShutdownHooks();
  // Idle keep-alive connections outlive the clients' and proxies' (typically 60 s), so a client
  // never reuses a connection the server is closing at that moment (a reset request).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  closeKeepAliveOnShutdown(server);

  // The policy's JSON Schema is published as components.schemas.PolicyRules / PolicyUpdate: the one the API validates against.
  const document = refineDocument(
    addPolicySchemas(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Tenderflow')
          .setDescription(
            'Public procurements under LOU (2016:1145) as durable workflows. Errors are application/problem+json (RFC 9457).',
          )
          .setVersion('0.1.0')
          .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
          .addSecurity(CALENDAR_FEED_SECURITY, {
            type: 'apiKey',
            in: 'query',
            name: 'token',
            description: 'A calendar feed token (POST /calendar/feed-token); GET /calendar.ics only',
          })
          .build(),
      ),
    ),
  );
  express.use(methodNotAllowed(document));
  // The web console's static build and its config (not API routes: not in the document).
  express.use(CONSOLE_PATH, consoleRouter(config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * On shutdown (SIGTERM, app.close()) Node closes the keep-alive connections that are idle at that
 * moment, but one that is answering a request then stays open after its answer until
 * keepAliveTimeout (65 s) runs out — and with it the process: a restart waited a minute or more
 * for an API that had one slow command under way. Once closing, every answered connection is
 * closed, and a request that still arrives on one is answered with `Connection: close`.
 */
function closeKeepAliveOnShutdown(server: Server): void {
  let closing = false;
  const close = server.close.bind(server);
  server.close = ((callback?: (err?: Error) => void) => {
    closing = true;
    return close(callback);
  }) as Server['close'];
  // A server that listens again (supertest closes and reopens it per request) is not closing.
  server.on('listening', () => (closing = false));
  // Before the app's own listener, which may answer synchronously.
  server.prependListener('request', (_req, res) => {
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
}
