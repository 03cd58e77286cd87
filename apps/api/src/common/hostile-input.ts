import type { NextFunction, Request, Response } from 'express';
import { findTextProblem, TextProblem } from '@tenderflow/domain/text';
import { badRequest, ProblemException } from './problem';

/**
 * The door every request passes before routing (issue: hostile input): each string of the path,
 * the query and the parsed JSON body must be text PostgreSQL can store, the body may nest at most
 * 32 levels, and prototype keys are unknown fields. A miss is a 400 naming the field and the rule,
 * before any handler, validator or class-transformer sees the value.
 */
export function hostileInputGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem =
    pathProblem(req) ??
    inScope('query', req.query) ??
    (req.body !== undefined ? (inScope('body', req.body) ?? nullProblem(req.body)) : null);
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
  return problem.field === 'value'
    ? { ...problem, field: scope, message: problem.message.replace(/^value/, scope) }
    : problem;
}

/**
 * `null` is no value the contract names: an optional field is left out (the OpenAPI document
 * marks no field nullable). class-validator's @IsOptional would otherwise let a null through to
 * places that expect a string. Bounded by the depth check above.
 */
function nullProblem(body: unknown): TextProblem | null {
  const stack: Array<{ v: unknown; path: string }> = [{ v: body, path: '' }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null)
      return {
        field: path || 'body',
        rule: 'not_null',
        message: `${path || 'the body'} is null: leave an optional field out instead`,
      };
    if (typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v as Record<string, unknown>))
      stack.push({ v: child, path: path ? `${path}.${k}` : k });
  }
  return null;
}

/** Each path segment, percent-decoded: `/tenders/%00/audit` names the NUL, not a 500 later. */
function pathProblem(req: Request): TextProblem | null {
  const segments = (req.path ?? '').split('/');
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return {
        field: 'path',
        rule: 'malformed_encoding',
        message: `the path segment "${raw.slice(0, 40)}" is not valid percent-encoded UTF-8`,
      };
    }
    const problem = findTextProblem(segment, 'path');
    if (problem) return problem;
  }
  return null;
}
