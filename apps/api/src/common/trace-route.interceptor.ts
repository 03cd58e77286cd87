import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * Names the request's server span by its route (`POST /tenders/:id/gates/:gate/decision`) and sets
 * `http.route`, as OpenTelemetry's conventions ask: the http instrumentation alone knows only the
 * method, and the express instrumentation does not support Express 5. No-op when tracing is off
 * (no active span). Requests a guard turns away keep the method-only name.
 */
@Injectable()
export class TraceRouteInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const span = trace.getActiveSpan();
    if (span && context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      if (typeof pattern === 'string') {
        const route = `${req.baseUrl ?? ''}${pattern}`;
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
    }
    return next.handle();
  }
}
