import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tenderflow/config';
import { clientOptions, temporalAccess } from './connection-options';
import { TemporalCredentials, tokenSourceOf } from './temporal-credentials';

/** This process's token towards a secured frontend, kept current (a unit: the token endpoint is a stub). */
describe('TemporalCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenderflow-credentials-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the token source the configuration gives: a key, a key file, or the OpenID provider', () => {
    expect(tokenSourceOf(loadConfig({}).temporal)).toBeUndefined();
    expect(tokenSourceOf(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporal)).toEqual({ kind: 'static', key: 'k' });
    expect(tokenSourceOf(loadConfig({ TEMPORAL_API_KEY_FILE: '/run/key' }).temporal)).toEqual({
      kind: 'file',
      path: '/run/key',
    });
    expect(
      tokenSourceOf(
        loadConfig({
          TEMPORAL_OIDC_TOKEN_URL: 'https://idp.example.com/token',
          TEMPORAL_OIDC_CLIENT_ID: 'tenderflow-api',
          TEMPORAL_OIDC_CLIENT_SECRET_FILE: '/run/s',
          TEMPORAL_OIDC_RESOURCE: 'urn:t',
        }).temporal,
      ),
    ).toEqual({
      kind: 'oidc',
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'tenderflow-api',
      clientSecretFile: '/run/s',
      resource: 'urn:t',
    });
  });

  it('reads a key file again and tells the listeners of a rotated key', async () => {
    const file = join(dir, 'key');
    writeFileSync(file, 'first\n');
    const c = new TemporalCredentials({ kind: 'file', path: file }, { filePollMs: 60_000 });
    expect(await c.start()).toBe('first');
    const heard: string[] = [];
    c.onRenew((t) => void heard.push(t));
    await c.renew();
    expect(heard).toEqual([]);
    writeFileSync(file, 'second');
    await c.renew();
    expect(c.current()).toBe('second');
    expect(heard).toEqual(['second']);
    c.stop();
  });

  it('tells a listener that failed of the rotated key again at the next renewal, and runs one renewal at a time', async () => {
    const file = join(dir, 'key-retry');
    writeFileSync(file, 'a');
    const c = new TemporalCredentials({ kind: 'file', path: file }, { filePollMs: 60_000 });
    await c.start();
    const heard: string[] = [];
    let fail = true;
    c.onRenew((t) => {
      if (fail) throw new Error('connection busy');
      heard.push(t);
    });
    writeFileSync(file, 'b');
    await expect(c.renew()).rejects.toThrow('connection busy');
    // The client connection has the new key already; the listener hears of it once it can take it.
    expect(c.current()).toBe('b');
    fail = false;
    await c.renew();
    expect(heard).toEqual(['b']);
    c.stop();
  });

  it('asks the token endpoint with client credentials (secret from its file) and renews before the token ends', async () => {
    const secret = join(dir, 'secret');
    writeFileSync(secret, 's3cret\n');
    const calls: { url: string; auth: string | null; body: string }[] = [];
    let n = 0;
    const fetchStub = (async (url: string, init: RequestInit) => {
      calls.push({ url, auth: new Headers(init.headers).get('authorization'), body: String(init.body) });
      n += 1;
      return new Response(JSON.stringify({ access_token: `token-${n}`, expires_in: 100, token_type: 'Bearer' }), {
        status: 200,
      });
    }) as unknown as typeof fetch;
    const c = new TemporalCredentials(
      {
        kind: 'oidc',
        tokenUrl: 'https://idp.example.com/token',
        clientId: 'tenderflow-worker',
        clientSecretFile: secret,
        resource: 'urn:t',
      },
      { fetch: fetchStub },
    );
    jest.useFakeTimers();
    try {
      expect(await c.start()).toBe('token-1');
      expect(calls[0]).toEqual({
        url: 'https://idp.example.com/token',
        auth: `Basic ${Buffer.from('tenderflow-worker:s3cret').toString('base64')}`,
        body: 'grant_type=client_credentials&resource=urn%3At',
      });
      const heard: string[] = [];
      c.onRenew((t) => void heard.push(t));
      // At 80 % of its 100 s: a new token, before the old one ends.
      await jest.advanceTimersByTimeAsync(79_000);
      expect(heard).toEqual([]);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(heard).toEqual(['token-2']);
      expect(c.current()).toBe('token-2');
    } finally {
      c.stop();
      jest.useRealTimers();
    }
  });

  it('refuses to start without a token, naming what the token endpoint answered', async () => {
    const secret = join(dir, 'secret2');
    writeFileSync(secret, 'wrong');
    const refused = (async () =>
      new Response(JSON.stringify({ error: 'invalid_client' }), { status: 401 })) as unknown as typeof fetch;
    const c = new TemporalCredentials(
      { kind: 'oidc', tokenUrl: 'https://idp.example.com/token', clientId: 'x', clientSecretFile: secret },
      { fetch: refused },
    );
    await expect(c.start()).rejects.toThrow(
      'the token endpoint https://idp.example.com/token answered 401 invalid_client',
    );
    expect(() => c.current()).toThrow('not started');
  });

  it('gives a client Connection the current token at each call, and none without a source', async () => {
    const file = join(dir, 'key3');
    writeFileSync(file, 'k1');
    const access = await temporalAccess(loadConfig({ TEMPORAL_API_KEY_FILE: file }));
    const options = clientOptions(access);
    expect(options.apiKey!()).toBe('k1');
    writeFileSync(file, 'k2');
    await access.credentials!.renew();
    expect(options.apiKey!()).toBe('k2');
    access.credentials!.stop();
    expect(clientOptions(await temporalAccess(loadConfig({})))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('builds a Temporal Cloud connection: TLS with the system roots, and its API key', async () => {
    // Temporal Cloud: <namespace>.<account>.tmprl.cloud:7233 with an API key (no client certificate),
    // or the namespace's mTLS certificate. No call reaches Cloud from here; the options are what it takes.
    const access = await temporalAccess(
      loadConfig({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'https://idp.example.com/jwks',
        AUTH_ISSUER: 'https://idp.example.com/',
        AUTH_AUDIENCE: 'a',
        TEMPORAL_ADDRESS: 'region-prod.a1b2c.tmprl.cloud:7233',
        TEMPORAL_TLS_SERVER_NAME: 'region-prod.a1b2c.tmprl.cloud',
        TEMPORAL_API_KEY: 'cloud-key',
        TEMPORAL_NAMESPACE: 'region-prod.a1b2c',
      }),
    );
    expect(clientOptions(access)).toEqual({
      address: 'region-prod.a1b2c.tmprl.cloud:7233',
      tls: { serverNameOverride: 'region-prod.a1b2c.tmprl.cloud' },
      apiKey: expect.any(Function),
    });
    expect(clientOptions(access).apiKey!()).toBe('cloud-key');
  });
});
