import { SignJWT } from 'jose';
import request from 'supertest';
import { DEV_JWT_SECRET } from '@tenderflow/config';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * Every endpoint of the OpenAPI document against every kind of bad token. The API runs with an
 * issuer and audience configured so that a token for another audience is refused too.
 */
const ISSUER = 'https://idp.test/tenderflow';
const AUDIENCE = 'tenderflow-api';
const secret = new TextEncoder().encode(DEV_JWT_SECRET);
const claims = { name: 'Anna', org: 'HSN', roles: ['procurement_officer', 'approver', 'admin'], approvalLimitSek: 1e9 };

async function signed(opts: { exp?: number; aud?: string; key?: Uint8Array } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('anna')
    .setIssuer(ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(opts.key ?? secret);
}

function unsigned(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, sub: 'anna', iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.`;
}

describe('security matrix: every endpoint × bad token → 401', () => {
  let sys: E2eSystem;
  const saved = {
    iss: process.env.AUTH_ISSUER,
    aud: process.env.AUTH_AUDIENCE,
    rate: process.env.RATE_LIMIT_PER_MINUTE,
  };
  let endpoints: { method: string; path: string; isPublic: boolean }[] = [];
  let badTokens: [string, string | undefined][] = [];

  beforeAll(async () => {
    process.env.AUTH_ISSUER = ISSUER;
    process.env.AUTH_AUDIENCE = AUDIENCE;
    process.env.RATE_LIMIT_PER_MINUTE = '100000';
    sys = await startE2eSystem();
    const doc = (await request(sys.http).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    endpoints = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method, path, isPublic: !op.security || op.security.length === 0 })),
    );
    badTokens = [
      ['no token', undefined],
      ['expired', await signed({ exp: Math.floor(Date.now() / 1000) - 60 })],
      [
        'wrong signature',
        await signed({ key: new TextEncoder().encode('another-secret-of-at-least-32-characters!!') }),
      ],
      ['alg none', unsigned()],
      ['wrong audience', await signed({ aud: 'some-other-api' })],
    ];
  });
  afterAll(async () => {
    await sys?.close();
    process.env.AUTH_ISSUER = saved.iss;
    process.env.AUTH_AUDIENCE = saved.aud;
    process.env.RATE_LIMIT_PER_MINUTE = saved.rate;
    for (const k of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'RATE_LIMIT_PER_MINUTE'] as const)
      if (process.env[k] === 'undefined' || process.env[k] === undefined) delete process.env[k];
  });

  it('refuses every protected endpoint with each bad token, and accepts a good token', async () => {
    const concrete = (p: string) =>
      p
        .replace('{id}', 'HSN-2026-00001')
        .replace('{gate}', 'award_decision')
        .replace('{org}', 'HSN')
        .replace(/\{[a-z]+\}/gi, 'x1');
    const protectedEndpoints = endpoints.filter((e) => !e.isPublic);
    expect(protectedEndpoints.length).toBeGreaterThanOrEqual(8);
    const results: string[] = [];
    for (const e of protectedEndpoints) {
      for (const [label, token] of badTokens) {
        let req = (request(sys.http) as unknown as Record<string, (p: string) => request.Test>)[e.method](
          concrete(e.path),
        );
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        const res = await req.send({});
        if (res.status !== 401 || !String(res.headers['content-type']).startsWith('application/problem+json')) {
          results.push(`${e.method.toUpperCase()} ${e.path} with ${label}: ${res.status}`);
        }
      }
    }
    expect(results).toEqual([]);
    process.stdout.write(
      `security matrix: ${protectedEndpoints.length} protected endpoints × ${badTokens.length} bad tokens = ${protectedEndpoints.length * badTokens.length} requests, all 401 problem+json\n`,
    );
    const good = await request(sys.http)
      .get('/tenders')
      .set('Authorization', `Bearer ${await signed()}`);
    expect(good.status).toBe(200);
  });

  it('lets no other site frame Swagger UI, the OpenAPI document or an API answer (X-Frame-Options, frame-ancestors)', async () => {
    for (const path of ['/docs', '/docs-json', '/health']) {
      const res = await request(sys.http).get(path).expect(200);
      expect({ path, xfo: res.headers['x-frame-options'], csp: res.headers['content-security-policy'] }).toEqual({
        path,
        xfo: 'DENY',
        csp: "frame-ancestors 'none'",
      });
    }
    // The console keeps its own policy, which forbids framing too.
    const consoleConfig = await request(sys.http).get('/console/config.json').expect(200);
    expect(consoleConfig.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('names why a token was refused', async () => {
    const expired = await request(sys.http)
      .get('/tenders')
      .set('Authorization', `Bearer ${badTokens[1][1]}`)
      .expect(401);
    expect(expired.body.detail).toMatch(/expired/);
    const audience = await request(sys.http)
      .get('/tenders')
      .set('Authorization', `Bearer ${badTokens[4][1]}`)
      .expect(401);
    expect(audience.body.detail).toMatch(/aud/);
  });
});

describe('rate limit', () => {
  let sys: E2eSystem;
  const saved = process.env.RATE_LIMIT_PER_MINUTE;
  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    sys = await startE2eSystem();
  });
  afterAll(async () => {
    await sys?.close();
    if (saved === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = saved;
  });

  it('answers 429 problem+json with Retry-After once a caller exceeds the limit', async () => {
    const token = await sys.token({ sub: 'busy', org: 'HSN', roles: ['procurement_officer'] });
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await request(sys.http).get('/tenders').set('Authorization', `Bearer ${token}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Another caller has its own budget.
    const other = await sys.token({ sub: 'calm', org: 'HSN', roles: ['procurement_officer'] });
    await request(sys.http).get('/tenders').set('Authorization', `Bearer ${other}`).expect(200);
  });
});
