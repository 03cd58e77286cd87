import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import { DEMO_PASSWORD } from '../../scripts/lib/dev-oidc-provider';
import { freePort } from '../../scripts/lib/services';
import { CHROMIUM_PATH } from './browser-global-setup';
import { startE2eSystem, type E2eSystem } from './e2e-system';
import { startProviderProcess, type ProviderProcess } from './oidc-flow';

/**
 * The web console in Debian's chromium against the real stack: the API and the worker in this
 * process (PostgreSQL and Temporal from the global setup, or TEMPORAL_ADDRESS as the suite sets it),
 * the development OpenID provider as `npm start` runs it, and the API verifying its tokens by JWKS
 * (the production path). Every sign-in goes through the provider's login form and consent with
 * code + PKCE S256. axe-core runs on every view: no serious or critical violation. Screenshots go
 * to .data/screenshots/ (ignored), or to docs/screenshots/ with UPDATE_SCREENSHOTS=1 (`npm run
 * screenshots`), so that `npm test` leaves the work tree as it found it.
 */
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(PROJECT_ROOT, 'docs', 'screenshots')
    : join(PROJECT_ROOT, '.data', 'screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

export interface BrowserConsole {
  sys: E2eSystem;
  provider: ProviderProcess;
  browser: Browser;
  /** The API's address, which serves the console at /console/. */
  base: string;
  /** A fresh browser profile signed in as `login` through the provider's forms; the page ends on `path`. */
  signedIn(login: string, path?: string, opts?: { shots?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** axe-core in the page: WCAG 2.0/2.1 A and AA rules and best practice; no serious or critical violation. */
  axe(page: Page, view: string): Promise<void>;
  shot(page: Page, name: string): Promise<void>;
  /** Stops everything, restores the environment and prints axe-core's results per view. */
  close(): Promise<void>;
}

const ENV_KEYS = [
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_ACCEPT_DEV_TOKENS',
  'PUBLIC_BASE_URL',
] as const;

export async function startBrowserConsole(audience: string): Promise<BrowserConsole> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const axeResults: Record<string, { violations: number; serious: number; passes: number }> = {};
  const apiPort = await freePort();
  const base = `http://localhost:${apiPort}`;
  const provider = await startProviderProcess(
    { ...process.env, NODE_ENV: 'development', AUTH_AUDIENCE: audience, PUBLIC_BASE_URL: base, LOG_LEVEL: 'silent' },
    await freePort(),
  );
  Object.assign(process.env, {
    AUTH_JWKS_URL: `${provider.issuer}/jwks`,
    AUTH_ISSUER: provider.issuer,
    AUTH_AUDIENCE: audience,
    AUTH_ACCEPT_DEV_TOKENS: 'true',
    PUBLIC_BASE_URL: base,
  });
  const sys = await startE2eSystem();
  await sys.app.listen(apiPort);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

  async function axe(page: Page, view: string): Promise<void> {
    // Through the DevTools protocol, which the console's CSP (script-src 'self') does not govern.
    await page.evaluate(AXE_SOURCE);
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const result =
      (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
      .then((r) => ({ violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })), passes: r.passes.length }))`)) as {
        violations: AxeViolation[];
        passes: number;
      };
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    axeResults[view] = { violations: result.violations.length, serious: serious.length, passes: result.passes };
    expect(
      serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function signedIn(login: string, path = '/console/', opts: { shots?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    const signIn = page.getByRole('button', { name: 'Logga in' });
    await signIn.waitFor();
    if (opts.shots) {
      await axe(page, 'sign-in (console)');
      await shot(page, 'sign-in');
    }
    await signIn.click();
    await page.waitForURL((u) => u.href.startsWith(provider.issuer));
    if (opts.shots) {
      await axe(page, "sign-in (the development provider's form)");
      await shot(page, 'sign-in-provider');
    }
    await page.locator('#login').selectOption(login);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('button', { name: 'Godkänn' }).click();
    await page.getByTestId('signed-in').waitFor();
    expect(new URL(page.url()).pathname).toBe(path);
    // Back on the page asked for, with no sign-in error shown.
    expect(await page.locator('main > [role=alert]').count()).toBe(0);
    return { context, page };
  }

  return {
    sys,
    provider,
    browser,
    base,
    signedIn,
    axe,
    shot,
    async close() {
      await browser.close();
      await sys.close();
      await provider.stop();
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      process.stdout.write(
        `axe-core per view (violations / serious or critical / passed rules):\n${Object.entries(axeResults)
          .map(([view, r]) => `  ${view}: ${r.violations} / ${r.serious} / ${r.passes}`)
          .join('\n')}\n`,
      );
    },
  };
}
