import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every HTTP request into http_request_duration_seconds. A middleware rather than an
 * interceptor: guards run before interceptors, so an interceptor never sees the requests the
 * auth guard or the throttler turn away (401, 403, 429) — and those belong in the latency figures.
 * The route label is the matched route pattern (`/tenders/:id/ocds`), never the raw path, so the
 * label set stays small; requests that match no route are `unmatched`.
 */
const CATCH_ALL = new Set(['/{*path}', '*', '/*', '{*path}']);

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = (req.route as { path?: string } | undefined)?.path;
      // Nest answers unknown paths from a catch-all route of its own (`/{*path}`).
      const route =
        typeof pattern === 'string' && !CATCH_ALL.has(pattern) ? `${req.baseUrl ?? ''}${pattern}` : 'unmatched';
      this.metrics.observeHttp(req.method, route, res.statusCode, seconds);
    });
    next();
  }
}
