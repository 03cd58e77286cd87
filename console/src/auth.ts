/**
 * Sign-in with OpenID Connect: Authorization Code + PKCE (S256) against the issuer the API names
 * in /console/config.json, discovered from its /.well-known/openid-configuration. A public client:
 * no secret in the browser. The access token (a JWT the API verifies by the issuer's JWKS) lives in
 * sessionStorage for the tab's life; signing out forgets it and ends the provider's session.
 */

export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  temporalWorkflowsUrl?: string;
}

export interface Person {
  sub: string;
  name: string;
  org: string;
  roles: string[];
  approvalLimitSek?: number;
}

interface Session {
  accessToken: string;
  idToken: string;
  expiresAt: number;
  person: Person;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

const SESSION = 'tenderflow.session';
const PENDING = 'tenderflow.signin';

let config: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (config) return config;
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  config = (await res.json()) as ConsoleConfig;
  return config;
}

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery: ${res.status}`);
  return (await res.json()) as Discovery;
}

function randomString(bytes = 32): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
}

function session(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION);
  if (!raw) return undefined;
  const s = JSON.parse(raw) as Session;
  if (s.expiresAt < Date.now()) {
    sessionStorage.removeItem(SESSION);
    return undefined;
  }
  return s;
}

export function currentToken(): string | undefined {
  return session()?.accessToken;
}

export function currentPerson(): Person | undefined {
  return session()?.person;
}

/** Sends the browser to the provider; `returnTo` is where the console goes after the callback. */
export async function signIn(returnTo: string): Promise<void> {
  const c = await loadConfig();
  const d = await discover(c.issuer);
  const verifier = randomString(32);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo }));
  const url = new URL(d.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: c.clientId,
    response_type: 'code',
    redirect_uri: c.redirectUri,
    scope: 'openid profile email tenderflow',
    state,
    nonce,
    code_challenge: await s256(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

let exchanging: { code: string; done: Promise<string> } | undefined;

/**
 * The provider's redirect back: exchanges the code with the PKCE verifier. Returns where to go next.
 * A code is exchanged once: a second call for it (React runs effects twice in StrictMode) shares the first.
 */
export function completeSignIn(params: URLSearchParams): Promise<string> {
  const code = params.get('code') ?? params.get('error') ?? '';
  if (exchanging?.code !== code) exchanging = { code, done: exchange(params) };
  return exchanging.done;
}

async function exchange(params: URLSearchParams): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) throw new Error(`${params.get('error')}: ${params.get('error_description') ?? ''}`);
  if (!pending || params.get('state') !== pending.state) throw new Error('state mismatch: start the sign-in again');
  const c = await loadConfig();
  const d = await discover(c.issuer);
  const res = await fetch(d.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: c.redirectUri,
      client_id: c.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = (await res.json()) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!res.ok || !body.access_token || !body.id_token)
    throw new Error(`${body.error ?? res.status}: ${body.error_description ?? ''}`);
  const id = decodePayload(body.id_token);
  if (id.nonce !== pending.nonce) throw new Error('nonce mismatch: start the sign-in again');
  const person: Person = {
    sub: String(id.sub),
    name: String(id.name ?? id.sub),
    org: String(id.org ?? ''),
    roles: Array.isArray(id.roles) ? (id.roles as string[]) : [],
    ...(typeof id.approvalLimitSek === 'number' ? { approvalLimitSek: id.approvalLimitSek } : {}),
  };
  const s: Session = {
    accessToken: body.access_token,
    idToken: body.id_token,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
    person,
  };
  sessionStorage.setItem(SESSION, JSON.stringify(s));
  return pending.returnTo;
}

export async function signOut(): Promise<void> {
  const s = session();
  sessionStorage.removeItem(SESSION);
  const c = await loadConfig();
  const d = await discover(c.issuer);
  if (d.end_session_endpoint && s) {
    const url = new URL(d.end_session_endpoint);
    url.search = new URLSearchParams({
      id_token_hint: s.idToken,
      post_logout_redirect_uri: c.postLogoutRedirectUri,
      client_id: c.clientId,
    }).toString();
    window.location.assign(url.toString());
  } else {
    window.location.assign(import.meta.env.BASE_URL);
  }
}
