import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import { stopChild } from '../../scripts/lib/services';

/**
 * The development OpenID provider as `npm start` runs it (a process of its own), and a client that
 * signs in through it with plain HTTP: the authorization request, the provider's login form and
 * consent, the redirect with the code, and the token request with the PKCE verifier. No browser.
 */

export interface ProviderProcess {
  issuer: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs scripts/dev-oidc-provider.ts (ts-node) with `env`, and waits for its discovery document. */
export async function startProviderProcess(env: NodeJS.ProcessEnv, port: number): Promise<ProviderProcess> {
  const { child, output } = runProviderProcess({ ...env, OIDC_DEV_PORT: String(port) });
  const issuer = `http://localhost:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the provider exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the provider did not answer in time:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { issuer, child, output, stop: () => stopChild(child, 5_000) };
}

export function runProviderProcess(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(PROJECT_ROOT, 'scripts/dev-oidc-provider.ts')],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Cookies by name, as a browser would keep them for one host (paths are not needed for these requests). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        attrs.some((a) => /^\s*expires=.*1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface SignInOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  login: string;
  password: string;
  scope?: string;
  /** More parameters of the authorization request (e.g. `prompt: 'consent'`). */
  params?: Record<string, string>;
  /** Leave out the PKCE challenge (the provider must refuse). */
  withoutPkce?: boolean;
  /** Send the verifier itself as the challenge, method `plain` (the provider must refuse). */
  plainPkce?: boolean;
  /** Send this verifier at the token endpoint instead of the right one. */
  wrongVerifier?: boolean;
}

export interface SignInResult {
  /** The final redirect to the client, or undefined when the flow stopped earlier. */
  callback?: URL;
  /** The provider's last answer when the flow stopped before the callback. */
  stoppedAt?: { status: number; body: string };
  tokens?: {
    access_token: string;
    id_token: string;
    token_type: string;
    expires_in: number;
    scope?: string;
    refresh_token?: string;
  };
  tokenError?: { status: number; body: Record<string, unknown> };
  verifier: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A user's sign-in at the Temporal Web UI (its server runs the Authorization Code flow with the
 * provider): from the UI's /auth/sso through the provider's forms back to the UI, whose cookie
 * `user0` then holds the user's tokens (base64 JSON: AccessToken, IDToken), as the browser keeps them.
 */
export async function signInAtTemporalUi(
  uiUrl: string,
  login: string,
  password: string,
): Promise<{ accessToken: string; idToken: string; cookies: string }> {
  const jar = new CookieJar();
  let url = `${uiUrl}/auth/sso`;
  const go = async (target: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    return res;
  };
  let res = await go(url);
  for (let step = 0; step < 15 && !jar.get('user0'); step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      res = await go(url);
      continue;
    }
    const body = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(body);
    if (!form) throw new Error(`the sign-in stopped at ${url} (${res.status}): ${body.slice(0, 300)}`);
    url = new URL(form[1].replace(/&amp;/g, '&'), url).href;
    const fields = url.endsWith('/login') ? new URLSearchParams({ login, password }) : new URLSearchParams();
    res = await go(url, {
      method: 'POST',
      body: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  const user = jar.get('user0');
  if (!user) throw new Error(`the UI did not sign ${login} in`);
  const tokens = JSON.parse(Buffer.from(decodeURIComponent(user), 'base64').toString()) as {
    AccessToken: string;
    IDToken: string;
  };
  return { accessToken: tokens.AccessToken, idToken: tokens.IDToken, cookies: jar.header() };
}

/** Authorization Code (+ PKCE S256 unless told otherwise) through the provider's own forms. */
export async function signIn(o: SignInOptions): Promise<SignInResult> {
  const jar = new CookieJar();
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const auth = new URL(`${o.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: o.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: o.scope ?? 'openid profile email tenderflow',
    state,
    nonce: randomBytes(12).toString('base64url'),
    ...(o.withoutPkce
      ? {}
      : o.plainPkce
        ? { code_challenge: verifier, code_challenge_method: 'plain' }
        : { code_challenge: challenge, code_challenge_method: 'S256' }),
    ...(o.params ?? {}),
  }).toString();

  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    return res;
  };
  let res = await go(auth.toString());
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, o.issuer);
      if (next.href.startsWith(o.redirectUri)) return { ...(await exchange(o, next, state, verifier)), verifier };
      res = await go(next.href);
      continue;
    }
    const body = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(body);
    if (res.status !== 200 || !form) return { stoppedAt: { status: res.status, body }, verifier };
    const action = new URL(form[1].replace(/&amp;/g, '&'), o.issuer).href;
    const fields = action.endsWith('/login')
      ? new URLSearchParams({ login: o.login, password: o.password })
      : new URLSearchParams();
    res = await go(action, {
      method: 'POST',
      body: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  throw new Error('the sign-in did not reach the client in 12 steps');
}

async function exchange(
  o: SignInOptions,
  callback: URL,
  state: string,
  verifier: string,
): Promise<Omit<SignInResult, 'verifier'>> {
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) return { callback };
  const res = await fetch(`${o.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: o.redirectUri,
      client_id: o.clientId,
      code_verifier: o.wrongVerifier ? pkcePair().verifier : verifier,
    }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) return { callback, tokenError: { status: res.status, body } };
  return { callback, tokens: body as unknown as SignInResult['tokens'] };
}
