import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppConfig } from '@tenderflow/config';
import { answerMethodNotAllowed } from '../common/method-not-allowed';
import { answerProblem } from '../common/problem';

/**
 * The web console (console/, React + Vite) as static files at /console/, from the API's own origin,
 * so its API calls need no CORS. Its paths are the SPA's (/console/tenders/…): any GET under
 * /console/ that is not a file answers index.html, and the app routes it. /console/config.json
 * tells the app where to sign in (AUTH_ISSUER, the console's public client) and where the Temporal
 * UI shows the namespace's workflows. These routes are not the API: they are not in the OpenAPI document.
 */
export const CONSOLE_PATH = '/console';

/** The console's build (dist/console, written by npm run console:build) above this file, from source (ts-node, jest) or from dist/apps/api/src/console. */
export function consoleDistDir(from = __dirname): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'dist', 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** What the console reads at start: the issuer to discover, its client, its redirect URIs (they must match the provider's). */
export function consoleConfig(config: AppConfig) {
  const base = config.http.publicBaseUrl.replace(/\/+$/, '');
  return {
    issuer: config.auth.issuer ?? null,
    clientId: config.console.oidcClientId,
    redirectUri: `${base}${CONSOLE_PATH}/callback`,
    postLogoutRedirectUri: `${base}${CONSOLE_PATH}/`,
    /** Where an administrator sees a workflow: <this>/<workflow id> in the Temporal UI. */
    temporalWorkflowsUrl: `${config.temporal.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`,
  };
}

/** The console's Content-Security-Policy: its own scripts only; API calls to itself; the token request to the issuer. */
export function consoleCsp(issuer: string | undefined): string {
  const origin = issuer ? new URL(issuer).origin : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Recharts and React set style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${origin ? ` ${origin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${origin ? ` ${origin}` : ''}`,
  ].join('; ');
}

export function consoleRouter(config: AppConfig, distDir = consoleDistDir()): Router {
  const router = express.Router();
  const csp = consoleCsp(config.auth.issuer);
  const body = JSON.stringify(consoleConfig(config));
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answerMethodNotAllowed(req, res, ['GET', 'HEAD']);
    // /console → /console/: the app's base is the folder.
    if (req.path === '/' && !req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, `${CONSOLE_PATH}/`);
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get('/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(body);
  });
  if (!distDir) {
    router.use((req: Request, res: Response) =>
      answerProblem(
        req,
        res,
        404,
        'not-found',
        'The console is not built: run npm run build (it runs npm run console:build)',
      ),
    );
    return router;
  }
  // Hashed assets are immutable; index.html is not cached, so a new build is seen at once.
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
    (req: Request, res: Response) => answerProblem(req, res, 404, 'not-found', `No console asset ${req.path}`),
  );
  const index = readFileSync(join(distDir, 'index.html'));
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  router.use((_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  return router;
}
