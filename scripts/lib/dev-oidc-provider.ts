import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Configuration, default as ProviderClass } from 'oidc-provider';
import type { Role } from '@tenderflow/domain/types';

/**
 * The development OpenID provider `npm start` runs (ARCHITECTURE §7): `oidc-provider`, the certified
 * implementation, with demo users of every role in two organisations of the group. The console
 * signs in with Authorization Code + PKCE (S256); its access tokens are JWTs for the API's
 * audience, signed with keys the provider publishes at its JWKS endpoint, so the API verifies them
 * on the production path (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE). Never in production: it
 * refuses to start there, and its users share one well-known password.
 */

export interface DemoUser {
  sub: string;
  name: string;
  email: string;
  org: string;
  roles: Role[];
  approvalLimitSek?: number;
  categories?: string[];
}

/** The group (the region) and one of its wholly-owned companies. */
export const DEMO_ORGANISATIONS = { REGION: 'Regionen', BOLAG: 'Regionens Fastighets AB' } as const;

/** The one password of every demo user: this provider is for development only. */
export const DEMO_PASSWORD = 'demo';

export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'anna', name: 'Anna Andersson', email: 'anna@region.example', org: 'REGION', roles: ['procurement_officer'] },
  {
    sub: 'bo',
    name: 'Bo Berg',
    email: 'bo@region.example',
    org: 'REGION',
    roles: ['approver'],
    approvalLimitSek: 10_000_000,
  },
  {
    sub: 'cecilia',
    name: 'Cecilia Ek',
    email: 'cecilia@region.example',
    org: 'REGION',
    roles: ['approver'],
    approvalLimitSek: 100_000_000,
  },
  {
    sub: 'eva',
    name: 'Eva Lind',
    email: 'eva@region.example',
    org: 'REGION',
    roles: ['category_manager'],
    categories: ['lab-supplies', 'it'],
  },
  { sub: 'karl', name: 'Karl Nord', email: 'karl@region.example', org: 'REGION', roles: ['contract_manager'] },
  { sub: 'rut', name: 'Rut Palm', email: 'rut@region.example', org: 'REGION', roles: ['policy_admin'] },
  { sub: 'ada', name: 'Ada Admin', email: 'ada@region.example', org: 'REGION', roles: ['admin'] },
  { sub: 'olle', name: 'Olle Ström', email: 'olle@bolag.example', org: 'BOLAG', roles: ['procurement_officer'] },
  {
    sub: 'stina',
    name: 'Stina Dahl',
    email: 'stina@bolag.example',
    org: 'BOLAG',
    roles: ['approver'],
    approvalLimitSek: 5_000_000,
  },
  { sub: 'greta', name: 'Greta Holm', email: 'greta@bolag.example', org: 'BOLAG', roles: ['contract_manager'] },
  {
    sub: 'vera',
    name: 'Vera Sand',
    email: 'vera@bolag.example',
    org: 'BOLAG',
    roles: ['category_manager'],
    categories: ['facility-services'],
  },
  { sub: 'pia', name: 'Pia Lund', email: 'pia@bolag.example', org: 'BOLAG', roles: ['partner'] },
];

/** The console's client: public (no secret), Authorization Code with PKCE S256 only. */
export const CONSOLE_CLIENT_ID = 'tenderflow-console';

/** The audience of the API's access tokens when AUTH_AUDIENCE is not set. */
export const DEV_OIDC_AUDIENCE = 'tenderflow-api';

/** The scope of the API's access tokens (the API reads the actor from the claims, not the scope). */
export const API_SCOPE = 'tenders';

export interface DevOidcProviderOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Where the API is reached; the console's redirect URIs are under `<apiBaseUrl>/console/`. */
  apiBaseUrl: string;
  /** The `aud` of the access tokens: the API's AUTH_AUDIENCE. */
  audience: string;
  /** The issuer; default `http://localhost:<port>`. */
  issuer?: string;
  /** NODE_ENV of the process; `production` is refused. */
  nodeEnv?: string;
  host?: string;
  /** Identities that get tokens for Temporal's frontend (OAuth client credentials). */
  temporal?: TemporalIdentities;
}

/**
 * The identities Temporal's authorizer knows (its default claim mapper reads `permissions`,
 * `<namespace>:<role>`, role read < write < admin; `temporal-system:admin` is the cluster's
 * administrator). Each is a confidential client of the provider with the client-credentials grant;
 * its access token is a JWT for `audience`, signed with a key of the provider's JWKS.
 */
export interface TemporalIdentities {
  /** The resource indicator its tokens are for (the `resource` of the token request). */
  resource: string;
  /** The `aud` of its tokens (the server's global.authorization.audience). */
  audience: string;
  clients: { clientId: string; secret: string; permissions: string[] }[];
  /** Seconds a token lives (default 900). */
  ttlSeconds?: number;
  /**
   * The Temporal Web UI's client (confidential, Authorization Code): its users sign in here and
   * the UI forwards their access token for Temporal, whose `permissions` are those of their role
   * (an administrator of Tenderflow reads the namespace; nobody else gets a Temporal role).
   */
  ui?: { secret: string; redirectUri: string; namespace: string };
}

/** The Web UI's client id, and the scope its sign-in asks for a Temporal token with. */
export const TEMPORAL_UI_CLIENT_ID = 'temporal-ui';
export const TEMPORAL_SCOPE = 'temporal';

/** The development identities of a secured cluster for a namespace: the API, the worker, an operator who may only read, the set-up step. */
export function temporalDevIdentities(
  namespace: string,
  secret: (clientId: string) => string,
  uiRedirectUri?: string,
): TemporalIdentities {
  const client = (clientId: string, permissions: string[]) => ({ clientId, secret: secret(clientId), permissions });
  return {
    resource: TEMPORAL_RESOURCE,
    audience: TEMPORAL_AUDIENCE,
    clients: [
      client('tenderflow-api', [`${namespace}:write`]),
      client('tenderflow-worker', [`${namespace}:write`]),
      client('temporal-operator', [`${namespace}:read`]),
      client('temporal-setup', ['temporal-system:admin']),
    ],
    ...(uiRedirectUri ? { ui: { secret: secret(TEMPORAL_UI_CLIENT_ID), redirectUri: uiRedirectUri, namespace } } : {}),
  };
}

/** The secret of a Temporal identity in `dir` (<client id>.secret, readable by the owner only), made when missing. */
export function temporalSecret(dir: string, clientId: string): string {
  const file = join(dir, `${clientId}.secret`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The resource indicator and audience of Temporal tokens in development. */
export const TEMPORAL_RESOURCE = 'urn:tenderflow:temporal';
export const TEMPORAL_AUDIENCE = 'temporal';

export interface RunningDevOidcProvider {
  issuer: string;
  jwksUrl: string;
  port: number;
  close(): Promise<void>;
}

export class DevOidcProviderRefused extends Error {}

/** The console's redirect URIs: its root (the SPA handles the callback) and an explicit callback path. */
export function consoleRedirectUris(apiBaseUrl: string): string[] {
  const base = apiBaseUrl.replace(/\/+$/, '');
  return [`${base}/console/`, `${base}/console/callback`];
}

/** The claims of a demo user as the API reads them (ARCHITECTURE §4). */
export function apiClaims(u: DemoUser): Record<string, unknown> {
  return {
    name: u.name,
    email: u.email,
    org: u.org,
    roles: u.roles,
    ...(u.approvalLimitSek !== undefined ? { approvalLimitSek: u.approvalLimitSek } : {}),
    ...(u.categories ? { categories: u.categories } : {}),
  };
}

// `oidc-provider` is an ES module only. TypeScript compiles `import()` to `require()` in this
// CommonJS project; the Function keeps a real dynamic import, which loads it on every Node 20. The
// file URL is resolved here, so the import does not depend on where the Function's code is thought to live.
const importEsm = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<{ default: typeof ProviderClass; errors: { InvalidTarget: new (m?: string) => Error } }>;

export async function startDevOidcProvider(opts: DevOidcProviderOptions): Promise<RunningDevOidcProvider> {
  if (opts.nodeEnv === 'production') {
    throw new DevOidcProviderRefused(
      'the development OpenID provider refuses to start with NODE_ENV=production: its demo users share a known password',
    );
  }
  const { default: Provider, errors } = await importEsm(pathToFileURL(require.resolve('oidc-provider')).href);
  const host = opts.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = (opts.issuer ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const resource = opts.apiBaseUrl.replace(/\/+$/, '');
  const users = new Map(DEMO_USERS.map((u) => [u.sub, u]));
  const temporal = opts.temporal;
  const temporalClients = new Map((temporal?.clients ?? []).map((c) => [c.clientId, c]));

  // Keys live as long as the process: a restart signs anew, and the API fetches the new JWKS.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `dev-${randomBytes(6).toString('hex')}`,
    use: 'sig',
    alg: 'RS256',
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'Tenderflow console',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        // No refresh tokens: the console signs in again when its access token ends, and nothing a
        // client holds outlives a sign-out (an offline_access refresh token would).
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: consoleRedirectUris(resource),
        post_logout_redirect_uris: consoleRedirectUris(resource),
      },
      // Temporal's callers: a secret each, tokens for Temporal only.
      ...[...temporalClients.values()].map((c) => ({
        client_id: c.clientId,
        client_secret: c.secret,
        token_endpoint_auth_method: 'client_secret_basic' as const,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
      ...(temporal?.ui
        ? [
            {
              client_id: TEMPORAL_UI_CLIENT_ID,
              client_name: 'Temporal Web UI',
              client_secret: temporal.ui.secret,
              token_endpoint_auth_method: 'client_secret_basic' as const,
              grant_types: ['authorization_code'],
              response_types: ['code' as const],
              redirect_uris: [temporal.ui.redirectUri],
            },
          ]
        : []),
    ],
    responseTypes: ['code'],
    // PKCE for every public client (S256 is the only method this version of oidc-provider knows);
    // the Temporal UI is a confidential client with a secret, and its server does not send PKCE.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (_ctx, sub) => {
      const u = users.get(sub);
      return u ? { accountId: u.sub, claims: () => ({ sub: u.sub, ...apiClaims(u) }) } : undefined;
    },
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email'],
      tenderflow: ['org', 'roles', 'approvalLimitSek', 'categories'],
    },
    scopes: ['openid', 'profile', 'email', 'tenderflow', TEMPORAL_SCOPE],
    // The ID token carries the claims of the granted scopes: the console shows who signed in without a userinfo call.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: temporalClients.size > 0 },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) =>
          temporal && (temporalClients.has(client.clientId) || client.clientId === TEMPORAL_UI_CLIENT_ID)
            ? temporal.resource
            : resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator, client) => {
          if (temporal && (temporalClients.has(client.clientId) || client.clientId === TEMPORAL_UI_CLIENT_ID)) {
            if (indicator !== temporal.resource)
              throw new errors.InvalidTarget(`${client.clientId} gets tokens for ${temporal.resource} only`);
            return {
              scope: TEMPORAL_SCOPE,
              audience: temporal.audience,
              accessTokenFormat: 'jwt',
              accessTokenTTL: temporal.ttlSeconds ?? 900,
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          if (indicator !== resource) throw new errors.InvalidTarget(`the only resource here is ${resource}`);
          return {
            scope: API_SCOPE,
            audience: opts.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      // Its own pages in Swedish (the defaults load a web font from Google, which the console's users may not reach).
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Logga ut från Tenderflow',
            `${form}<p>Vill du logga ut från utvecklingsleverantören?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Logga ut</button>
<button type="submit" form="op.logoutForm">Stanna inloggad</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Du är utloggad', '<p>Du är utloggad från utvecklingsleverantören.</p>');
        },
      },
    },
    // The API's access token names the actor (ARCHITECTURE §4): the same claims the HS256 development tokens carry.
    // Temporal's tokens name the client's roles there (its claim mapper's `permissions`).
    extraTokenClaims: (_ctx, token) => {
      const forTemporal = 'clientId' in token && token.clientId ? temporalClients.get(token.clientId) : undefined;
      if (forTemporal) return { permissions: forTemporal.permissions };
      const u = 'accountId' in token && token.accountId ? users.get(token.accountId) : undefined;
      // A user signed in at the Temporal UI: read on the namespace for an administrator, nothing for anyone else.
      if (temporal?.ui && 'clientId' in token && token.clientId === TEMPORAL_UI_CLIENT_ID) {
        return { permissions: u?.roles.includes('admin') ? [`${temporal.ui.namespace}:read`] : [] };
      }
      return u ? apiClaims(u) : undefined;
    },
    ttl: {
      ClientCredentials: temporal?.ttlSeconds ?? 900,
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Inloggningen misslyckades',
        `<p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`,
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  // Behind no proxy: the issuer's scheme is http in development.
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(provider, users, req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
          res.end(
            page('Inloggningen misslyckades', `<p>${escapeHtml(err instanceof Error ? err.message : String(err))}</p>`),
          );
        }
      });
      return;
    }
    void callback(req, res);
  });
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The provider's interactions: a login form for the demo users, then the consent to give the
 * console the user's claims and an access token for the API.
 */
async function interaction(
  provider: ProviderClass,
  users: Map<string, DemoUser>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  const action = req.url!.split('?')[0].slice(`/interaction/${uid}`.length);
  if (req.method === 'GET' && action === '') {
    if (prompt.name === 'login') return html(res, 200, loginPage(uid));
    return html(res, 200, consentPage(uid, String(params.client_id), String(params.scope ?? '')));
  }
  if (req.method === 'POST' && action === '/login' && prompt.name === 'login') {
    const form = await readForm(req);
    const user = users.get(form.get('login') ?? '');
    if (!user || !samePassword(form.get('password') ?? ''))
      return html(res, 401, loginPage(uid, 'Okänd användare eller fel lösenord.'));
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }
  if (req.method === 'POST' && action === '/confirm' && prompt.name === 'consent') {
    await readForm(req);
    const { Grant } = provider;
    const grant = details.grantId
      ? await Grant.find(details.grantId)
      : new Grant({ accountId: details.session!.accountId, clientId: String(params.client_id) });
    if (!grant) throw new Error('the grant of this sign-in has expired; start again');
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'POST' && action === '/abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user declined' },
      { mergeWithLastSubmission: false },
    );
  }
  html(res, 400, page('Inloggningen misslyckades', '<p>Det här steget finns inte i inloggningen; börja om.</p>'));
}

function samePassword(given: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(DEMO_PASSWORD);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('the form is too large');
  }
  return new URLSearchParams(body);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function loginPage(uid: string, error?: string): string {
  const options = DEMO_USERS.map(
    (u) =>
      `<option value="${escapeHtml(u.sub)}">${escapeHtml(`${u.name} — ${u.roles.join(', ')} (${u.org})`)}</option>`,
  ).join('');
  return page(
    'Logga in i Tenderflow (utveckling)',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Användare</label> <select id="login" name="login">${options}</select>
<label for="password">Lösenord</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Logga in</button></form>
<p>Demoanvändarnas lösenord är <code>${DEMO_PASSWORD}</code>. Den här leverantören finns bara i utveckling.</p>`,
  );
}

function consentPage(uid: string, clientId: string, scope: string): string {
  return page(
    'Godkänn inloggningen',
    `<p>${escapeHtml(clientId)} ber om: ${escapeHtml(scope)}.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Godkänn</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Avbryt</button></form>`,
  );
}
