import { HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { negotiateLanguage } from './language';
import type { ProblemDetails } from './problem-details';
import { swedishProblem, type SwedishWords } from './problem-sv';

export type { ProblemDetails };

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Refusals already written to a chain or the security log; the problem filter does not record them again. */
export const RECORDED = new WeakSet<object>();

export const PROBLEM_BASE = 'https://tenderflow.example/problems/';

export class ProblemException extends HttpException {
  /** Words for the Swedish answer that a general translation would not find (see problem-sv.ts). */
  swedish?: SwedishWords;

  constructor(status: number, detail: string, extra: Partial<ProblemDetails> = {}) {
    const slug = extra.type ?? (TITLES[status] ?? 'error').toLowerCase().replace(/\s+/g, '-');
    super(
      {
        ...extra,
        type: slug.startsWith('http') ? slug : `${PROBLEM_BASE}${slug}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail,
      } satisfies Omit<ProblemDetails, 'type'> & { type: string },
      status,
    );
  }

  inSwedish(words: SwedishWords): this {
    this.swedish = words;
    return this;
  }
}

export const badRequest = (detail: string, errors?: ProblemDetails['errors']) =>
  new ProblemException(HttpStatus.BAD_REQUEST, detail, { type: 'validation-error', errors });
export const forbidden = (detail: string, extra: Partial<ProblemDetails> = {}) =>
  new ProblemException(HttpStatus.FORBIDDEN, detail, { type: 'forbidden', ...extra });
export const notFound = (detail: string) => new ProblemException(HttpStatus.NOT_FOUND, detail, { type: 'not-found' });
export const conflict = (detail: string, extra: Partial<ProblemDetails> = {}) =>
  new ProblemException(HttpStatus.CONFLICT, detail, { type: 'conflict', ...extra });
/** 422 naming the rule, and the paragraph of the law or policy when there is one. */
export const ruleViolation = (detail: string, rule: string, paragraph?: string, extra: Partial<ProblemDetails> = {}) =>
  new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, detail, {
    type: `rule/${rule}`,
    rule,
    ...(paragraph ? { paragraph } : {}),
    ...extra,
  });

/**
 * A date the rule set has no published row for (RuleSetGapError from the rules library) is a 422
 * naming what is missing and who can add it, never a 500 with exception text.
 */
export function ruleSetGap(
  err: Error & { missing?: { kind: string; contractType: string; date: string } },
): ProblemException {
  const missing = err.missing;
  return ruleViolation(err.message, 'rule_set_gap', undefined, {
    ...(missing ? { missing } : {}),
    errors: [{ field: 'date', rule: 'rule_set_gap', message: err.message }],
  });
}

/** Runs a rules-library call, turning a gap in the rule set into its 422. */
export function ruleSetCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && err.name === 'RuleSetGapError') throw ruleSetGap(err);
    throw err;
  }
}

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

/**
 * Sends a problem in the language the request asks for (Accept-Language: sv → Swedish, otherwise
 * English), naming the language and that the answer varies with the header.
 */
export function sendProblem(req: Request, res: Response, problem: ProblemDetails, swedish?: SwedishWords): void {
  const language = negotiateLanguage(req.headers['accept-language']);
  const said = language === 'sv' ? swedishProblem(problem, swedish) : problem;
  res.setHeader('Content-Language', language);
  res.vary('Accept-Language');
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(said));
}

/** A problem+json answer written by Express middleware, which Nest's exception filter does not see. */
export function answerProblem(req: Request, res: Response, status: number, slug: string, detail: string): void {
  sendProblem(req, res, {
    type: `${PROBLEM_BASE}${slug}`,
    title: titleFor(status),
    status,
    detail,
    instance: req.originalUrl,
  });
}
