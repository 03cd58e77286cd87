import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { loadConfig } from '@tenderflow/config';
import { AuthService, InvalidTokenError } from '../../apps/api/src/auth/auth.service';
import { AppConfigService } from '../../apps/api/src/config/config.module';
import {
  CONSOLE_CLIENT_ID,
  consoleRedirectUris,
  DEMO_PASSWORD,
  DevOidcProviderRefused,
  startDevOidcProvider,
} from '../../scripts/lib/dev-oidc-provider';
import { freePort } from '../../scripts/lib/services';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { ProviderProcess, runProviderProcess, signIn, startProviderProcess } from '../support/oidc-flow';

/**
 * The development OpenID provider and the API's production verification path, end to end: the
 * provider runs as `npm start` runs it, a client signs in with Authorization Code + PKCE (S256)
 * through its login form and consent over plain HTTP, and the real API — configured with
 * AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE pointing at the provider — accepts the access token
 * by the provider's published keys.
 */

const AUDIENCE = 'tenderflow-api-e2e';
const CONSOLE_BASE = 'http://localhost:3000';
const REDIRECT = consoleRedirectUris(CONSOLE_BASE)[1];

describe('development OpenID provider → API (JWKS path)', () => {
  let provider: ProviderProcess;
  let sys: E2eSystem;
  const keys = ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ACCEPT_DEV_TOKENS'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  const flow = (login: string, extra: Partial<Parameters<typeof signIn>[0]> = {}) =>
    signIn({
      issuer: provider.issuer,
      clientId: CONSOLE_CLIENT_ID,
      redirectUri: REDIRECT,
      login,
      password: DEMO_PASSWORD,
      ...extra,
    });

  beforeAll(async () => {
    provider = await startProviderProcess(
      {
        ...process.env,
        NODE_ENV: 'development',
        AUTH_AUDIENCE: AUDIENCE,
        PUBLIC_BASE_URL: CONSOLE_BASE,
        LOG_LEVEL: 'silent',
      },
      await freePort(),
    );
    process.env.AUTH_JWKS_URL = `${provider.issuer}/jwks`;
    process.env.AUTH_ISSUER = provider.issuer;
    process.env.AUTH_AUDIENCE = AUDIENCE;
    process.env.AUTH_ACCEPT_DEV_TOKENS = 'true';
    sys = await startE2eSystem();
  }, 120_000);

  afterAll(async () => {
    await sys?.close();
    await provider?.stop();
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('announces its issuer, S256 as the only PKCE method and the JWKS the API reads', async () => {
    const doc = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(doc.issuer).toBe(provider.issuer);
    expect(doc.jwks_uri).toBe(`${provider.issuer}/jwks`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.response_types_supported).toEqual(['code']);
  });

  it('signs an approver in with code + PKCE; the API accepts the JWT access token by JWKS and knows the actor', async () => {
    const result = await flow('bo');
    expect(result.tokenError).toBeUndefined();
    const tokens = result.tokens!;
    expect(tokens.token_type).toBe('Bearer');
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: provider.issuer,
      aud: AUDIENCE,
      sub: 'bo',
      client_id: CONSOLE_CLIENT_ID,
      name: 'Bo Berg',
      org: 'REGION',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    // The ID token names the person for the console without a userinfo call.
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      iss: provider.issuer,
      aud: CONSOLE_CLIENT_ID,
      sub: 'bo',
      org: 'REGION',
      roles: ['approver'],
    });

    const list = await request(sys.http)
      .get('/tenders')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    expect(Array.isArray(list.body.items)).toBe(true);
    // The actor the API derived is the provider's user: the inbox answers for an approver of REGION.
    await request(sys.http)
      .get('/approvals?status=pending')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    // An officer of the other organisation signs in too; creating a tender for REGION is refused (403), for BOLAG the guard lets it through to validation (400).
    const olle = (await flow('olle')).tokens!.access_token;
    expect(decodeJwt(olle)).toMatchObject({ org: 'BOLAG', roles: ['procurement_officer'] });
    await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${olle}`)
      .send({ organization: 'REGION' })
      .expect((r) => expect([400, 403]).toContain(r.status));
  });

  it('issues no refresh token, even asked for offline access: a sign-out leaves nothing that outlives it', async () => {
    const result = await flow('bo', {
      scope: 'openid profile email tenderflow offline_access',
      params: { prompt: 'consent' },
    });
    expect(result.tokenError).toBeUndefined();
    expect(result.tokens!.access_token).toBeDefined();
    expect(result.tokens!.refresh_token).toBeUndefined();
    expect(result.tokens!.scope?.split(' ') ?? []).not.toContain('offline_access');
  });

  it('refuses a tampered access token (401), and a token for another audience', async () => {
    const { access_token: token } = (await flow('anna')).tokens!;
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${s}`;
    const res = await request(sys.http).get('/tenders').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const flipped = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${flipped}`).expect(401);
    // The same signature under an HS256 header is not a development token: the secret never verifies it.
    const algSwap = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${p}.${s}`;
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${algSwap}`).expect(401);
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses the code flow without PKCE or with the plain method, and a token request with the wrong verifier', async () => {
    const plain = await flow('anna', { withoutPkce: true });
    expect(plain.tokens).toBeUndefined();
    expect(plain.callback?.searchParams.get('error')).toBe('invalid_request');
    expect(plain.callback?.searchParams.get('error_description')).toMatch(/requires PKCE/);

    const plainMethod = await flow('anna', { plainPkce: true });
    expect(plainMethod.tokens).toBeUndefined();
    expect(plainMethod.callback?.searchParams.get('error')).toBe('invalid_request');

    const wrong = await flow('anna', { wrongVerifier: true });
    expect(wrong.tokens).toBeUndefined();
    expect(wrong.tokenError).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const badPassword = await flow('anna', { password: 'not-the-password' });
    expect(badPassword.stoppedAt?.status).toBe(401);
    expect(badPassword.tokens).toBeUndefined();
  });

  it('accepts the HS256 development tokens too (AUTH_ACCEPT_DEV_TOKENS), and only them from the secret', async () => {
    const dev = await sys.token({ sub: 'dev', org: 'REGION', roles: ['procurement_officer'] });
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${dev}`).expect(200);
    const { SignJWT } = await import('jose');
    const wrongSecret = await new SignJWT({ org: 'REGION', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters!!'));
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${wrongSecret}`).expect(401);
  });

  it('without AUTH_ACCEPT_DEV_TOKENS the JWKS is the only path: the provider token passes, the development token does not', async () => {
    const config = loadConfig({ ...process.env, AUTH_ACCEPT_DEV_TOKENS: 'false' });
    expect(config.auth.secret).toBeUndefined();
    const auth = new AuthService({ values: config } as AppConfigService);
    const { access_token: token } = (await flow('eva')).tokens!;
    await expect(auth.verify(token)).resolves.toMatchObject({
      sub: 'eva',
      org: 'REGION',
      roles: ['category_manager'],
      categories: ['lab-supplies', 'it'],
    });
    await expect(auth.verify(await sys.token({ sub: 'dev', org: 'REGION', roles: ['admin'] }))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses to start with NODE_ENV=production, and production refuses AUTH_ACCEPT_DEV_TOKENS', async () => {
    const run = runProviderProcess({ ...process.env, NODE_ENV: 'production', OIDC_DEV_PORT: String(await freePort()) });
    expect(await run.exited).toBe(78);
    expect(run.output()).toMatch(/refuses to start with NODE_ENV=production/);
    await expect(
      startDevOidcProvider({ port: 0, apiBaseUrl: CONSOLE_BASE, audience: AUDIENCE, nodeEnv: 'production' }),
    ).rejects.toBeInstanceOf(DevOidcProviderRefused);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ACCEPT_DEV_TOKENS: 'true' }),
    ).toThrow(/AUTH_ACCEPT_DEV_TOKENS: development tokens are refused in production/);
  });
});
