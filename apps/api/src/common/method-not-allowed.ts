import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { answerProblem } from './problem';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * A path the API serves, asked with a method it does not serve, answers 405 with `Allow` (RFC 9110
 * 15.5.6), not 404. The paths and their methods come from the OpenAPI document, which Nest builds
 * from the controllers, plus the document's own pages.
 */
export function methodNotAllowed(document: OpenAPIObject) {
  const routes = Object.entries(document.paths).map(([template, item]) => {
    const methods = Object.keys(item as object)
      .filter((m) => METHODS.includes(m))
      .map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const regex = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}/?$`,
    );
    return { regex, methods };
  });
  for (const page of ['/docs', '/docs-json'])
    routes.push({ regex: new RegExp(`^${page}/?$`), methods: ['GET', 'HEAD'] });

  return (req: Request, res: Response, next: NextFunction): void => {
    const matching = routes.filter((r) => r.regex.test(req.path));
    if (matching.length === 0) return next();
    const allowed = [...new Set(matching.flatMap((r) => r.methods))];
    if (allowed.includes(req.method)) return next();
    answerMethodNotAllowed(req, res, allowed);
  };
}

/** The 405 problem+json with its `Allow` header, for any path that serves only `allowed`. */
export function answerMethodNotAllowed(req: Request, res: Response, allowed: readonly string[]): void {
  res.setHeader('Allow', allowed.join(', '));
  answerProblem(
    req,
    res,
    405,
    'method-not-allowed',
    `${req.method} is not served at ${req.path}; allowed: ${allowed.join(', ')}`,
  );
}
