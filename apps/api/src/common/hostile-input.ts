import type { NextFunction, Request, Response } from 'express';
import { findTextProblem, TextProblem } from '../../../../libs/domain/src/text';
import { badRequest, ProblemException } from './problem';

/**
 * The door every request passes before routing (issue: hostile input): each string of the path,
 * the query and the parsed JSON body must be text PostgreSQL can store, the body may nest at most
 * 32 levels, and prototype keys are unknown fields. A miss is a 400 naming the field and the rule,
 * before any handler, validator or class-transformer sees the value.
 */
export function hostileInputGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = pathProblem(req) ?? inScope('query', req.query) ?? (req.body !== undefined ? inScope('body', req.body) : null);
  if (!problem && req.body !== undefined) dropNulls(req.body);
  if (!problem) return next();
  next(refusal(problem));
}

export function refusal(problem: TextProblem): ProblemException {
  return badRequest(`Invalid request: ${problem.field} (${problem.rule}): ${problem.message}`, [problem]);
}

function inScope(scope: 'query' | 'body', value: unknown): TextProblem | null {
  // A query's fields are named by themselves (as the validation pipe names them); a scalar body
  // ("x") is named `body`.
  const problem = findTextProblem(value);
  if (!problem) return null;
  return problem.field === 'value' ? { ...problem, field: scope, message: problem.message.replace(/^value/, scope) } : problem;
}

/**
 * An object field sent as `null` is read as left out (the OpenAPI document marks optional fields
 * nullable): validators then see an absent optional field, or a missing required one, never a null
 * where a string is expected. Bounded by the depth check above.
 */
function dropNulls(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) dropNulls(v);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) delete (value as Record<string, unknown>)[k];
    else dropNulls(v);
  }
}

/** Each path segment, percent-decoded: `/tenders/%00/audit` names the NUL, not a 500 later. */
function pathProblem(req: Request): TextProblem | null {
  const segments = (req.path ?? '').split('/');
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { field: 'path', rule: 'malformed_encoding', message: `the path segment "${raw.slice(0, 40)}" is not valid percent-encoded UTF-8` };
    }
    const problem = findTextProblem(segment, 'path');
    if (problem) return problem;
  }
  return null;
}
