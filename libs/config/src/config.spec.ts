import {
  CONFIG_VARIABLES,
  ConfigError,
  DEV_JWT_SECRET,
  databaseUrl,
  embeddedDatabaseUrl,
  loadApiConfig,
  loadConfig,
  temporalAddress,
} from './config';
import { generateKeyPairSync } from 'node:crypto';

/** The problems loadConfig reports for env, or [] when it is accepted. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

const SECRET = 'a-production-secret-of-at-least-32-chars';

describe('loadConfig', () => {
  it('runs on defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.http).toEqual({
      port: 3000,
      bodyLimit: '100kb',
      rateLimitPerMinute: 600,
      publicBaseUrl: 'http://localhost:3000',
    });
    expect(c.logLevel).toBe('info');
    expect(c.logFormat).toBe('auto');
    expect(c.dataDir).toBe('.data');
    expect(c.database).toEqual({ url: undefined, embeddedPort: 54329 });
    expect(c.temporal).toEqual({
      address: undefined,
      namespace: 'default',
      taskQueue: 'tenderflow',
      devPort: 7233,
      uiPort: 8233,
      uiUrl: 'http://localhost:8233',
      cliPath: undefined,
      testServerPath: undefined,
      uiServerPath: undefined,
      retentionDays: 30,
    });
    // Off unless asked for: no Prometheus endpoint on the worker, no traces.
    expect(c.worker.metricsAddress).toBeUndefined();
    expect(c.telemetry).toEqual({ otlpEndpoint: undefined, serviceName: undefined });
    expect(c.auth).toEqual({
      secret: DEV_JWT_SECRET,
      usesDevelopmentSecret: true,
      jwksUrl: undefined,
      issuer: undefined,
      audience: undefined,
      acceptsDevTokens: false,
    });
    expect(c.oidcDev).toEqual({ port: 3001 });
    expect(c.ocds).toEqual({ prefix: 'ocds-tfdemo' });
  });

  it('falls back to the embedded database and dev Temporal server when none is configured', () => {
    const c = loadConfig({ EMBEDDED_PG_PORT: '55000', TEMPORAL_DEV_PORT: '7300' });
    expect(embeddedDatabaseUrl(c)).toBe('postgres://postgres:postgres@127.0.0.1:55000/tenderflow');
    expect(databaseUrl(c)).toBe(embeddedDatabaseUrl(c));
    expect(temporalAddress(c)).toBe('127.0.0.1:7300');
  });

  it('uses the configured values, coercing numbers', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      RATE_LIMIT_PER_MINUTE: '60',
      DATABASE_URL: 'postgresql://u:p@db.internal:5432/tenderflow',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA_FILE: '/run/pki/ca.pem',
      TEMPORAL_NAMESPACE: 'procurement',
      TEMPORAL_TASK_QUEUE: 'tenders',
      AUTH_JWKS_URL: 'https://idp.example.com/jwks.json',
      AUTH_ISSUER: 'https://idp.example.com/',
      AUTH_AUDIENCE: 'tenderflow-api',
      OCDS_PREFIX: 'ocds-abc123',
      PUBLIC_BASE_URL: 'https://tenders.example.se',
    });
    expect(c.env).toBe('production');
    expect(c.http.port).toBe(8080);
    expect(c.http.rateLimitPerMinute).toBe(60);
    expect(c.http.publicBaseUrl).toBe('https://tenders.example.se');
    expect(c.logLevel).toBe('debug');
    expect(c.logFormat).toBe('json');
    expect(databaseUrl(c)).toBe('postgresql://u:p@db.internal:5432/tenderflow');
    expect(temporalAddress(c)).toBe('temporal:7233');
    expect(c.temporal.namespace).toBe('procurement');
    expect(c.temporal.taskQueue).toBe('tenders');
    // JWKS alone: no shared secret at all, not even the development one.
    expect(c.auth).toEqual({
      secret: undefined,
      usesDevelopmentSecret: false,
      jwksUrl: 'https://idp.example.com/jwks.json',
      issuer: 'https://idp.example.com/',
      audience: 'tenderflow-api',
      acceptsDevTokens: false,
    });
    expect(c.ocds.prefix).toBe('ocds-abc123');
  });

  it('reads the namespace retention, the worker metrics address and the OTLP endpoint', () => {
    const c = loadConfig({
      TEMPORAL_NAMESPACE_RETENTION_DAYS: '90',
      WORKER_METRICS_ADDRESS: '0.0.0.0:9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_SERVICE_NAME: 'tenderflow-worker-eu1',
    });
    expect(c.temporal.retentionDays).toBe(90);
    expect(c.worker.metricsAddress).toBe('0.0.0.0:9464');
    expect(c.telemetry).toEqual({ otlpEndpoint: 'http://otel-collector:4318', serviceName: 'tenderflow-worker-eu1' });
  });

  it("bounds the worker's workflow heap at 384 MiB unless told otherwise (0: V8's default), and names a bad value", () => {
    expect(loadConfig({}).worker.workflowHeapMiB).toBe(384);
    expect(loadConfig({ WORKER_WORKFLOW_HEAP_MIB: '0' }).worker.workflowHeapMiB).toBe(0);
    expect(loadConfig({ WORKER_WORKFLOW_HEAP_MIB: '1024' }).worker.workflowHeapMiB).toBe(1024);
    expect(() => loadConfig({ WORKER_WORKFLOW_HEAP_MIB: '-1' })).toThrow(
      expect.objectContaining({ problems: ['WORKER_WORKFLOW_HEAP_MIB: Number must be greater than or equal to 0'] }),
    );
  });

  it('names each bad retention, metrics address and OTLP endpoint with its rule', () => {
    expect(() =>
      loadConfig({
        TEMPORAL_NAMESPACE_RETENTION_DAYS: '0',
        WORKER_METRICS_ADDRESS: '9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'TEMPORAL_NAMESPACE_RETENTION_DAYS: Number must be greater than or equal to 1',
          'WORKER_METRICS_ADDRESS: must be host:port, e.g. 0.0.0.0:9464',
          'OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL starting with http:// or https://',
        ],
      }),
    );
  });

  it('accepts production with a shared secret instead of JWKS', () => {
    const c = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET });
    expect(c.auth.secret).toBe(SECRET);
    expect(c.auth.usesDevelopmentSecret).toBe(false);
  });

  it('takes the development tokens beside JWKS only when asked, and never in production', () => {
    const jwks = {
      AUTH_JWKS_URL: 'http://localhost:3001/jwks',
      AUTH_ISSUER: 'http://localhost:3001',
      AUTH_AUDIENCE: 'tenderflow-api',
    };
    const dev = { NODE_ENV: 'development' };
    expect(loadConfig({ ...dev, ...jwks, AUTH_ACCEPT_DEV_TOKENS: 'true', OIDC_DEV_PORT: '3101' })).toMatchObject({
      auth: {
        secret: DEV_JWT_SECRET,
        usesDevelopmentSecret: true,
        jwksUrl: jwks.AUTH_JWKS_URL,
        acceptsDevTokens: true,
      },
      oidcDev: { port: 3101 },
    });
    expect(
      loadConfig({ NODE_ENV: 'test', ...jwks, AUTH_ACCEPT_DEV_TOKENS: 'true', AUTH_JWT_SECRET: SECRET }).auth,
    ).toMatchObject({
      secret: SECRET,
      usesDevelopmentSecret: false,
      acceptsDevTokens: true,
    });
    // Without JWKS the secret is the only path anyway; the flag changes nothing.
    expect(loadConfig({ ...dev, AUTH_ACCEPT_DEV_TOKENS: 'true' }).auth.acceptsDevTokens).toBe(false);
    // Only where development is said outright: an unset NODE_ENV (a copied .env on a server) is not enough.
    expect(problems({ ...jwks, AUTH_ACCEPT_DEV_TOKENS: 'true' })).toEqual([
      expect.stringMatching(
        /^AUTH_ACCEPT_DEV_TOKENS: development tokens are accepted only with NODE_ENV set to 'development' or 'test'/,
      ),
    ]);
    expect(problems({ NODE_ENV: 'production', ...jwks, AUTH_ACCEPT_DEV_TOKENS: 'true' })).toEqual([
      expect.stringMatching(/^AUTH_ACCEPT_DEV_TOKENS: development tokens are refused in production/),
    ]);
    expect(problems({ AUTH_ACCEPT_DEV_TOKENS: 'yes' })).toEqual([expect.stringMatching(/^AUTH_ACCEPT_DEV_TOKENS: /)]);
    // A shared identity provider issues tokens for other clients: production names ours.
    expect(
      problems({ NODE_ENV: 'production', AUTH_JWKS_URL: jwks.AUTH_JWKS_URL, AUTH_ISSUER: jwks.AUTH_ISSUER }),
    ).toEqual([
      expect.stringMatching(/^AUTH_ISSUER: production with AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE/),
    ]);
    expect(problems({ NODE_ENV: 'production', ...jwks })).toEqual([]);
    expect(problems({ OIDC_DEV_PORT: '0' })).toEqual([expect.stringMatching(/^OIDC_DEV_PORT: /)]);
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ HOME: '/root', SOMETHING_ELSE: '1' })).not.toThrow();
  });

  it('treats empty strings as unset', () => {
    const empty = Object.fromEntries(CONFIG_VARIABLES.map((k) => [k, '']));
    const c = loadConfig(empty);
    expect(c).toEqual(loadConfig({}));
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.temporal.address).toBeUndefined();
    // ...so an empty secret in production is a missing secret.
    expect(problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: '', AUTH_JWKS_URL: '' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: production needs AUTH_JWKS_URL/),
    ]);
  });

  describe('names each bad variable on one line', () => {
    it.each<[string, Record<string, string>, RegExp]>([
      ['PORT', { PORT: 'abc' }, /^PORT: /],
      ['PORT', { PORT: '0' }, /^PORT: .*1/],
      ['PORT', { PORT: '70000' }, /^PORT: .*65535/],
      ['PORT', { PORT: '3000.5' }, /^PORT: .*integer/],
      ['NODE_ENV', { NODE_ENV: 'prod' }, /^NODE_ENV: .*'production'/],
      ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
      ['LOG_FORMAT', { LOG_FORMAT: 'text' }, /^LOG_FORMAT: .*'auto' \| 'json' \| 'pretty'/],
      ['HTTP_BODY_LIMIT', { HTTP_BODY_LIMIT: 'huge' }, /^HTTP_BODY_LIMIT: must be a size such as 100kb or 1mb$/],
      ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '0' }, /^RATE_LIMIT_PER_MINUTE: /],
      [
        'DATABASE_URL',
        { DATABASE_URL: 'mysql://x' },
        /^DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\/$/,
      ],
      ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'nohostport' }, /^TEMPORAL_ADDRESS: must be host:port$/],
      ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal:port' }, /^TEMPORAL_ADDRESS: must be host:port$/],
      ['TEMPORAL_UI_URL', { TEMPORAL_UI_URL: '//no scheme' }, /^TEMPORAL_UI_URL: /],
      ['AUTH_JWT_SECRET', { AUTH_JWT_SECRET: 'too-short' }, /^AUTH_JWT_SECRET: must be at least 32 characters$/],
      [
        'AUTH_JWKS_URL',
        { AUTH_JWKS_URL: 'ftp://idp.example.com/jwks' },
        /^AUTH_JWKS_URL: must be a URL starting with https:\/\/ or http:\/\/$/,
      ],
      ['OCDS_PREFIX', { OCDS_PREFIX: 'ocds-TOOLONG1' }, /^OCDS_PREFIX: must be an OCDS prefix/],
      [
        'AUTH_JWKS_URL',
        { NODE_ENV: 'production' },
        /^AUTH_JWKS_URL: production needs AUTH_JWKS_URL \(or AUTH_JWT_SECRET\)/,
      ],
    ])('%s (%j)', (_name, env, line) => {
      const p = problems(env);
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(line);
    });

    it('says so in the error message, one line per problem', () => {
      expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration:\n {2}- PORT: /);
      try {
        loadConfig({ PORT: 'abc', TEMPORAL_ADDRESS: 'x' });
      } catch (err) {
        expect((err as Error).name).toBe('ConfigError');
        expect((err as Error).message.split('\n')).toEqual([
          'Invalid configuration:',
          expect.stringMatching(/^ {2}- PORT: /),
          expect.stringMatching(/^ {2}- TEMPORAL_ADDRESS: /),
        ]);
      }
      expect.assertions(3);
    });
  });

  it('reports several bad variables on several lines', () => {
    const p = problems({
      PORT: 'abc',
      NODE_ENV: 'prod',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      TEMPORAL_ADDRESS: 'nohostport',
      AUTH_JWT_SECRET: 'short',
    });
    expect(p.map((l) => l.split(':')[0]).sort()).toEqual(
      ['AUTH_JWT_SECRET', 'DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'PORT', 'TEMPORAL_ADDRESS'].sort(),
    );
  });

  it('refuses in production a Temporal frontend on another host without TLS; a local one, or one with TLS, passes', () => {
    const prod = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example.com/jwks.json',
      AUTH_ISSUER: 'https://idp.example.com/',
      AUTH_AUDIENCE: 'tenderflow-api',
    };
    expect(problems({ ...prod, TEMPORAL_ADDRESS: 'temporal.internal:7233' })).toEqual([
      'TEMPORAL_ADDRESS: production refuses a Temporal frontend on another host (temporal.internal) without TLS; set TEMPORAL_TLS_CA_FILE (and the client certificate)',
    ]);
    expect(problems({ ...prod, TEMPORAL_ADDRESS: '127.0.0.1:7233' })).toEqual([]);
    expect(problems({ ...prod })).toEqual([]);
    expect(
      problems({ ...prod, TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_CA_FILE: '/run/pki/ca.pem' }),
    ).toEqual([]);
    // The client's secret goes to the token endpoint over https only (a local one aside).
    expect(
      problems({
        ...prod,
        TEMPORAL_OIDC_TOKEN_URL: 'http://idp.example.com/token',
        TEMPORAL_OIDC_CLIENT_ID: 'c',
        TEMPORAL_OIDC_CLIENT_SECRET_FILE: '/s',
      }),
    ).toEqual([
      "TEMPORAL_OIDC_TOKEN_URL: production sends the client's secret only over https to another host (idp.example.com)",
    ]);
    expect(
      problems({
        ...prod,
        TEMPORAL_OIDC_TOKEN_URL: 'http://localhost:3001/token',
        TEMPORAL_OIDC_CLIENT_ID: 'c',
        TEMPORAL_OIDC_CLIENT_SECRET_FILE: '/s',
      }),
    ).toEqual([]);
    // Development may use any frontend as it is.
    expect(problems({ TEMPORAL_ADDRESS: 'temporal.internal:7233' })).toEqual([]);
  });

  it('takes one source of a Temporal token, and a complete one', () => {
    expect(problems({ TEMPORAL_API_KEY: 'k', TEMPORAL_API_KEY_FILE: '/run/key' })).toEqual([
      'TEMPORAL_API_KEY: give one of TEMPORAL_API_KEY, TEMPORAL_API_KEY_FILE and TEMPORAL_OIDC_TOKEN_URL',
    ]);
    expect(problems({ TEMPORAL_OIDC_TOKEN_URL: 'https://idp.example.com/token' })).toEqual([
      'TEMPORAL_OIDC_TOKEN_URL: a token from the OpenID provider needs TEMPORAL_OIDC_CLIENT_ID and TEMPORAL_OIDC_CLIENT_SECRET_FILE',
    ]);
    const c = loadConfig({
      TEMPORAL_OIDC_TOKEN_URL: 'https://idp.example.com/token',
      TEMPORAL_OIDC_CLIENT_ID: 'tenderflow-worker',
      TEMPORAL_OIDC_CLIENT_SECRET_FILE: '/run/secrets/s',
    });
    expect(c.temporal.oidc).toEqual({
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'tenderflow-worker',
      clientSecretFile: '/run/secrets/s',
    });
  });

  it('reports the missing production auth alongside another bad variable', () => {
    expect(problems({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'x' }).map((l) => l.split(':')[0])).toEqual([
      'TEMPORAL_ADDRESS',
      'AUTH_JWKS_URL',
    ]);
  });

  describe('cross-variable rules and one line per variable', () => {
    it('reports missing production auth even when PORT is also bad', () => {
      expect(problems({ NODE_ENV: 'production', PORT: 'abc' }).map((l) => l.split(':')[0])).toEqual([
        'PORT',
        'AUTH_JWKS_URL',
      ]);
    });

    it('gives one line for a DATABASE_URL that is not a URL', () => {
      expect(problems({ DATABASE_URL: 'notaurl' })).toHaveLength(1);
    });

    it('refuses the development secret in production', () => {
      expect(problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET })).toEqual([
        expect.stringMatching(/^AUTH_JWT_SECRET: /),
      ]);
    });
  });
});

describe('command signing key (API only)', () => {
  const { privateKey: pem } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
    publicKeyEncoding: { format: 'pem', type: 'spki' },
  });
  const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET };

  it('accepts an Ed25519 PEM, multi-line or with \\n escapes, and defaults to none with a 5-minute validity', () => {
    expect(loadConfig({ COMMAND_SIGNING_KEY: pem }).commands.signingKey).toBe(pem.trim());
    expect(loadConfig({ COMMAND_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).commands.signingKey).toBe(pem.trim());
    expect(loadConfig({}).commands).toEqual({ signingKey: undefined, nextSigningKey: undefined, ttlSeconds: 300 });
  });

  it('refuses a key that is not an Ed25519 private key, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
      publicKeyEncoding: { format: 'pem', type: 'spki' },
    }).privateKey;
    expect(problems({ COMMAND_SIGNING_KEY: rsa })).toEqual([
      expect.stringMatching(/^COMMAND_SIGNING_KEY: must be an Ed25519 private key/),
    ]);
    expect(problems({ COMMAND_SIGNING_KEY_NEXT: 'not a key' })).toEqual([
      expect.stringMatching(/^COMMAND_SIGNING_KEY_NEXT: /),
    ]);
  });

  it('lets a production worker run without it, but not a production API', () => {
    expect(loadConfig(production).env).toBe('production');
    expect(() => loadApiConfig(production)).toThrow(/COMMAND_SIGNING_KEY: production needs/);
    expect(loadApiConfig({ ...production, COMMAND_SIGNING_KEY: pem }).commands.signingKey).toBe(pem.trim());
    expect(loadApiConfig({}).commands.signingKey).toBeUndefined(); // development: the derived key
  });
});

describe('CONFIG_VARIABLES', () => {
  it('lists the variables of the schema (new ones may be added)', () => {
    expect(CONFIG_VARIABLES).toEqual(
      expect.arrayContaining([
        'AUTH_AUDIENCE',
        'AUTH_ISSUER',
        'AUTH_JWKS_URL',
        'AUTH_JWT_SECRET',
        'DATABASE_URL',
        'DATA_DIR',
        'EMBEDDED_PG_PORT',
        'HTTP_BODY_LIMIT',
        'LOG_FORMAT',
        'LOG_LEVEL',
        'NODE_ENV',
        'OCDS_PREFIX',
        'PORT',
        'PUBLIC_BASE_URL',
        'RATE_LIMIT_PER_MINUTE',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_CLI_PATH',
        'TEMPORAL_DEV_PORT',
        'TEMPORAL_NAMESPACE',
        'TEMPORAL_TASK_QUEUE',
        'TEMPORAL_TEST_SERVER_PATH',
        'TEMPORAL_UI_PORT',
        'TEMPORAL_UI_URL',
      ]),
    );
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
  });
});
