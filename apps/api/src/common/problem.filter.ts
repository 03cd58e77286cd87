import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '@tenderflow/domain/types';
import { redactUrl } from '@tenderflow/logging/redact';
import { PROBLEM_BASE, ProblemDetails, ProblemException, RECORDED, sendProblem, titleFor } from './problem';
import type { SwedishWords } from './problem-sv';
import type { SecurityRecorder } from './security-recorder';

/** Every error leaves the API as application/problem+json (RFC 9457). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** With a security log, refused writes that nothing else recorded (malformed, unauthenticated, …) go there. */
  constructor(private readonly securityLog?: SecurityRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const [problem, swedish] = this.toProblem(exception);
    problem.instance = redactUrl(req.originalUrl ?? req.url);
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    if (problem.status >= 500) this.logger.error({ err: exception, path: problem.instance }, problem.detail);
    if (exception instanceof HttpException) {
      const headers = (exception.getResponse() as { headers?: Record<string, string> }).headers;
      if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    }
    sendProblem(req, res, problem, swedish);
    // Recorded in the API's own words (English), whatever language the answer was in.
    this.record(exception, problem, req);
  }

  /**
   * A refused write (or any refused token) that the command gateway did not already record is an
   * attempt operators should be able to see, and never belongs in a tender's chain.
   */
  private record(exception: unknown, problem: ProblemDetails, req: Request & { actor?: Actor }): void {
    if (!this.securityLog || problem.status < 400 || problem.status >= 500 || problem.status === 429) return;
    if (typeof exception === 'object' && exception !== null && RECORDED.has(exception)) return;
    const write = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    if (!write && problem.status !== 401) return;
    const kind =
      problem.status === 401
        ? 'unauthenticated'
        : problem.status === 403
          ? 'forbidden'
          : problem.status === 404
            ? 'nonexistent_tender'
            : 'malformed';
    void this.securityLog.record({
      kind,
      actor: req.actor ?? null,
      method: req.method,
      route: req.path,
      status: problem.status,
      reason: problem.detail,
      payload: req.body,
    });
  }

  /** The problem in English, and the words for its Swedish answer where they are not found from its rule or kind. */
  private toProblem(exception: unknown): [ProblemDetails, SwedishWords?] {
    // body-parser errors: oversized or unparsable bodies.
    const bodyErr = exception as {
      type?: string;
      status?: number;
      statusCode?: number;
      message?: string;
      limit?: number;
    };
    if (bodyErr && bodyErr.type === 'entity.too.large') {
      return [
        {
          type: `${PROBLEM_BASE}payload-too-large`,
          title: titleFor(413),
          status: 413,
          detail: `The request body exceeds the limit of ${bodyErr.limit} bytes`,
        },
        { detail: `Begärans innehåll är större än gränsen på ${bodyErr.limit} byte.` },
      ];
    }
    // A body in an encoding or charset the parser does not read (Content-Encoding: br2, charset=ebcdic).
    if (bodyErr && (bodyErr.type === 'encoding.unsupported' || bodyErr.type === 'charset.unsupported')) {
      return [
        {
          type: `${PROBLEM_BASE}unsupported-media-type`,
          title: titleFor(415),
          status: 415,
          detail: `The request body cannot be read: ${bodyErr.message ?? bodyErr.type} (send JSON in UTF-8, uncompressed, gzip or deflate)`,
        },
        { detail: 'Begärans innehåll kan inte läsas: skicka JSON i UTF-8, okomprimerat eller med gzip eller deflate.' },
      ];
    }
    // Any other refusal of the body parser is the caller's (an aborted or mis-sized body): 400, never 500.
    if (
      bodyErr &&
      typeof bodyErr.type === 'string' &&
      (bodyErr.status ?? 500) < 500 &&
      !(exception instanceof HttpException)
    ) {
      return [
        {
          type: `${PROBLEM_BASE}malformed-request`,
          title: titleFor(400),
          status: 400,
          detail: `Malformed request: the body could not be read (${bodyErr.message ?? bodyErr.type})`,
        },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'type' in body && 'detail' in body) {
        const { headers: _headers, ...rest } = body as ProblemDetails & { headers?: unknown };
        return [rest as ProblemDetails, exception instanceof ProblemException ? exception.swedish : undefined];
      }
      const raw =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? (body as { message: string[] }).message.join('; ')
            : String((body as { message?: unknown }).message ?? exception.message);
      // A bare 400 here comes from body parsing (invalid JSON) or a malformed URL: Nest maps those.
      if (status === 400) {
        return [
          {
            type: `${PROBLEM_BASE}malformed-request`,
            title: titleFor(400),
            status,
            detail: `Malformed request: the body is not valid JSON or the URL is malformed (${raw})`,
          },
        ];
      }
      return [
        {
          type: `${PROBLEM_BASE}${titleFor(status).toLowerCase().replace(/\s+/g, '-')}`,
          title: titleFor(status),
          status,
          detail: raw,
        },
      ];
    }
    const dataError = databaseDataError(exception);
    if (dataError) {
      // Defence in depth: the door refuses what PostgreSQL cannot take, but a value that still
      // reaches it is the caller's error (SQLSTATE class 22), not the server's.
      return [
        {
          type: `${PROBLEM_BASE}validation-error`,
          title: titleFor(400),
          status: 400,
          detail: `A value in the request cannot be used: ${dataError}`,
        },
        { detail: 'Ett värde i begäran kan inte användas (databasen tar inte emot det).' },
      ];
    }
    if (isDatabaseUnavailable(exception)) {
      return [
        {
          type: `${PROBLEM_BASE}database-unavailable`,
          title: titleFor(503),
          status: 503,
          detail: 'The database is not reachable at the moment; retry shortly (nothing was lost)',
        },
      ];
    }
    return [
      {
        type: `${PROBLEM_BASE}internal-error`,
        title: titleFor(500),
        status: 500,
        detail: 'An unexpected error occurred; it has been logged',
      },
    ];
  }
}

/** Connection-level failures of PostgreSQL (not query errors): the client should retry, so 503. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: string; message?: string; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e.message)
    )
      return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/** The message of a PostgreSQL data exception (SQLSTATE class 22), or undefined. */
export function databaseDataError(err: unknown): string | undefined {
  for (
    let e = err as { code?: string; message?: string; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return e.message ?? e.code;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return undefined;
}
