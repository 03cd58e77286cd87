import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/**
 * Every environment variable the system reads, validated once at start-up. A bad value stops the
 * process with one line per variable naming it and the rule it broke.
 */

export const DEV_JWT_SECRET = 'tenderflow-development-secret-change-me-0123456789';

const port = z.coerce.number().int().min(1).max(65535);
/** One message per bad URL: not parsable and wrong scheme are the same mistake to the operator. */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
    )
    .optional();

/**
 * An Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`). A one-line form with `\n`
 * for the line breaks is accepted too, for environments that cannot hold a multi-line value.
 */
const ed25519PrivateKeyPem = z
  .string()
  .transform((v) => v.replace(/\\n/g, '\n').trim())
  .refine(
    (v) => {
      try {
        return createPrivateKey(v).asymmetricKeyType === 'ed25519';
      } catch {
        return false;
      }
    },
    { message: 'must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)' },
  )
  .optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: readable coloured lines in development on a terminal, JSON lines otherwise.
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, 'must be a size such as 100kb or 1mb')
    .default('100kb'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),

  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  EMBEDDED_PG_PORT: port.default(54329),
  DATA_DIR: z.string().min(1).default('.data'),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tenderflow'),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.string().url().optional(),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_SERVER_PATH: z.string().min(1).optional(),
  // Production (README, "Temporal in production"): mTLS to the frontend and a bearer token for its authorizer.
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // The key in a file (a mounted secret), read again when it changes: a renewed key replaces the old on the open connections.
  TEMPORAL_API_KEY_FILE: z.string().min(1).optional(),
  // Or a token of this process's own identity from an OpenID provider (client credentials), renewed before it expires.
  TEMPORAL_OIDC_TOKEN_URL: optionalUrl(['https', 'http']),
  TEMPORAL_OIDC_CLIENT_ID: z.string().min(1).optional(),
  TEMPORAL_OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  TEMPORAL_OIDC_RESOURCE: z.string().min(1).optional(),
  // Kept this long after a tender's workflow closes (its audit trail stays in PostgreSQL).
  TEMPORAL_NAMESPACE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),

  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: optionalUrl(['https', 'http']),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  // Development only: with AUTH_JWKS_URL, HS256 development tokens are accepted as well (npm start with its OpenID provider).
  AUTH_ACCEPT_DEV_TOKENS: z.enum(['true', 'false'], { message: "must be 'true' or 'false'" }).default('false'),
  // The development OpenID provider npm start runs (never in production).
  OIDC_DEV_PORT: port.default(3001),
  // With it, the provider also gives Temporal tokens (client credentials) to the secured cluster's identities, one secret file each here.
  OIDC_DEV_TEMPORAL_SECRETS_DIR: z.string().min(1).optional(),
  /** The web console's OpenID client (public, code + PKCE S256) at AUTH_ISSUER. */
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('tenderflow-console'),

  OCDS_PREFIX: z
    .string()
    .regex(/^ocds-[a-z0-9]{6}$/, 'must be an OCDS prefix such as ocds-abc123')
    .default('ocds-tfdemo'),
  PUBLIC_BASE_URL: z.string().url().optional(),

  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  NOTIFY_FROM: z.string().email('must be an e-mail address').default('tenderflow@localhost.localdomain'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(60),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  // The old-generation heap of the thread that runs the workflows (V8's default on a large machine
  // lets it grow to gigabytes of garbage before collecting); 0 keeps V8's default.
  WORKER_WORKFLOW_HEAP_MIB: z.coerce.number().int().min(0).max(65_536).default(384),

  COMMAND_SIGNING_KEY: ed25519PrivateKeyPem,
  COMMAND_SIGNING_KEY_NEXT: ed25519PrivateKeyPem,
  COMMAND_SIGNATURE_TTL_SECONDS: z.coerce.number().int().min(10).max(900).default(300),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(60).default(30),
  // The Temporal SDK's runtime metrics for Prometheus (GET /metrics on this address); off when unset.
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464')
    .optional(),

  // OpenTelemetry traces over OTLP/HTTP (the standard variables); tracing is off when unset.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http', 'https']),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

/** A URL, or undefined when the text is none (its own rule reports a malformed one). */
function safeUrl(text: string | undefined): URL | undefined {
  try {
    return text ? new URL(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rules across variables, checked on the raw values so that they are reported together with any
 * parse error of another variable.
 */
function crossVariableProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (Boolean(input.TEMPORAL_TLS_CERT_FILE) !== Boolean(input.TEMPORAL_TLS_KEY_FILE)) {
    problems.push(
      'TEMPORAL_TLS_CERT_FILE: a client certificate needs its key (TEMPORAL_TLS_KEY_FILE), and a key its certificate',
    );
  }
  const tokenSources = [input.TEMPORAL_API_KEY, input.TEMPORAL_API_KEY_FILE, input.TEMPORAL_OIDC_TOKEN_URL].filter(
    Boolean,
  ).length;
  if (tokenSources > 1)
    problems.push('TEMPORAL_API_KEY: give one of TEMPORAL_API_KEY, TEMPORAL_API_KEY_FILE and TEMPORAL_OIDC_TOKEN_URL');
  if (input.TEMPORAL_OIDC_TOKEN_URL && !(input.TEMPORAL_OIDC_CLIENT_ID && input.TEMPORAL_OIDC_CLIENT_SECRET_FILE)) {
    problems.push(
      'TEMPORAL_OIDC_TOKEN_URL: a token from the OpenID provider needs TEMPORAL_OIDC_CLIENT_ID and TEMPORAL_OIDC_CLIENT_SECRET_FILE',
    );
  }
  if (input.NODE_ENV === 'production') {
    // Temporal's own door (README, "Temporal in production"): anyone who reaches a frontend without TLS may drive every tender.
    // (A malformed address is reported by its own rule, once.)
    const address = /^[^\s:]+:\d{1,5}$/.test(input.TEMPORAL_ADDRESS ?? '') ? input.TEMPORAL_ADDRESS! : '';
    const host = address.replace(/:\d+$/, '');
    const local = host === '' || host === 'localhost' || host === '127.0.0.1';
    if (!local && !(input.TEMPORAL_TLS_CA_FILE || input.TEMPORAL_TLS_CERT_FILE || input.TEMPORAL_TLS_SERVER_NAME)) {
      problems.push(
        `TEMPORAL_ADDRESS: production refuses a Temporal frontend on another host (${host}) without TLS; set TEMPORAL_TLS_CA_FILE (and the client certificate)`,
      );
    }
    // The token request carries the client's secret: never in clear text to another host.
    const tokenUrl = safeUrl(input.TEMPORAL_OIDC_TOKEN_URL);
    if (tokenUrl && tokenUrl.protocol !== 'https:' && !['localhost', '127.0.0.1'].includes(tokenUrl.hostname)) {
      problems.push(
        `TEMPORAL_OIDC_TOKEN_URL: production sends the client's secret only over https to another host (${tokenUrl.hostname})`,
      );
    }
    if (!input.AUTH_JWKS_URL && !input.AUTH_JWT_SECRET) {
      problems.push(
        'AUTH_JWKS_URL: production needs AUTH_JWKS_URL (or AUTH_JWT_SECRET); the development secret is refused',
      );
    }
    if (input.AUTH_JWT_SECRET === DEV_JWT_SECRET) {
      problems.push('AUTH_JWT_SECRET: the development secret is refused in production');
    }
    if (input.AUTH_ACCEPT_DEV_TOKENS === 'true') {
      problems.push(
        'AUTH_ACCEPT_DEV_TOKENS: development tokens are refused in production; tokens come from AUTH_JWKS_URL alone',
      );
    }
    // A shared identity provider issues tokens for other clients too: only ours may pass.
    if (input.AUTH_JWKS_URL && (!input.AUTH_ISSUER || !input.AUTH_AUDIENCE)) {
      problems.push(
        'AUTH_ISSUER: production with AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE, so that a token issued for another client is refused',
      );
    }
  } else if (input.AUTH_ACCEPT_DEV_TOKENS === 'true' && input.NODE_ENV !== 'development' && input.NODE_ENV !== 'test') {
    // Tokens signed with the public development secret are accepted only where that is said outright.
    problems.push(
      "AUTH_ACCEPT_DEV_TOKENS: development tokens are accepted only with NODE_ENV set to 'development' or 'test'",
    );
  }
  return problems;
}

export type RawConfig = z.infer<typeof configSchema>;

/** The validated configuration, in the shape the code uses. */
export interface AppConfig {
  env: RawConfig['NODE_ENV'];
  http: { port: number; bodyLimit: string; rateLimitPerMinute: number; publicBaseUrl: string };
  logLevel: RawConfig['LOG_LEVEL'];
  logFormat: RawConfig['LOG_FORMAT'];
  dataDir: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    devPort: number;
    uiPort: number;
    uiUrl: string;
    cliPath?: string;
    testServerPath?: string;
    /** The read-only Temporal Web UI server (ui-server), built from Go modules when unset. */
    uiServerPath?: string;
    /** TLS to the frontend (any of the files set turns it on); mTLS with a client certificate and key. */
    tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
    /** Sent as `Authorization: Bearer …` on every call, for the server's claim mapper. */
    apiKey?: string;
    /** The key in a file, read again when it changes (temporal-credentials.ts). */
    apiKeyFile?: string;
    /** A token of this process's identity from an OpenID provider (client credentials), renewed before it expires. */
    oidc?: { tokenUrl: string; clientId: string; clientSecretFile: string; resource?: string };
    /** Kept this long after a tender's workflow closes (npm run cluster and compose register the namespace with it). */
    retentionDays: number;
  };
  auth: {
    /** HS256 secret; undefined when JWKS is configured alone. */
    secret?: string;
    usesDevelopmentSecret: boolean;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /**
     * Development with an OpenID provider (npm start): HS256 tokens signed with `secret` are
     * accepted besides the JWKS-verified ones. Never true in production (refused at start-up).
     */
    acceptsDevTokens: boolean;
  };
  /** The development OpenID provider of npm start. */
  /** The development OpenID provider; with temporalSecretsDir it gives the secured cluster's identities their Temporal tokens. */
  oidcDev: { port: number; temporalSecretsDir?: string };
  /** The web console at /console/: its OpenID client at auth.issuer. */
  console: { oidcClientId: string };
  ocds: { prefix: string };
  notifications: { smtpUrl?: string; from: string; pollMs: number; maxAttempts: number; retryBaseSeconds: number };
  worker: {
    maxCachedWorkflows: number;
    workflowHeapMiB: number;
    reconcileIntervalSeconds: number;
    metricsAddress?: string;
  };
  /**
   * Signed commands (ARCHITECTURE §4). Only the API holds the private keys; undefined outside production
   * means the development key derived from the development JWT secret (command-signer.ts).
   */
  commands: { signingKey?: string; nextSigningKey?: string; ttlSeconds: number };
  telemetry: { otlpEndpoint?: string; serviceName?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Names of every variable the schema knows, for the docker-compose consistency test. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.shape);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings count as unset: a compose file or shell often exports VAR= to mean "default".
  const input = Object.fromEntries(CONFIG_VARIABLES.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)),
    ...crossVariableProblems(input),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  const acceptsDevTokens = Boolean(c.AUTH_JWKS_URL) && c.AUTH_ACCEPT_DEV_TOKENS === 'true';
  const usesDevelopmentSecret = !c.AUTH_JWT_SECRET && (!c.AUTH_JWKS_URL || acceptsDevTokens);
  return {
    env: c.NODE_ENV,
    http: {
      port: c.PORT,
      bodyLimit: c.HTTP_BODY_LIMIT,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      publicBaseUrl: c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`,
    },
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    dataDir: c.DATA_DIR,
    database: { url: c.DATABASE_URL, embeddedPort: c.EMBEDDED_PG_PORT },
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      devPort: c.TEMPORAL_DEV_PORT,
      uiPort: c.TEMPORAL_UI_PORT,
      uiUrl: c.TEMPORAL_UI_URL ?? `http://localhost:${c.TEMPORAL_UI_PORT}`,
      cliPath: c.TEMPORAL_CLI_PATH,
      testServerPath: c.TEMPORAL_TEST_SERVER_PATH,
      uiServerPath: c.TEMPORAL_UI_SERVER_PATH,
      ...(c.TEMPORAL_TLS_CA_FILE || c.TEMPORAL_TLS_CERT_FILE || c.TEMPORAL_TLS_SERVER_NAME
        ? {
            tls: {
              ...(c.TEMPORAL_TLS_CA_FILE ? { caFile: c.TEMPORAL_TLS_CA_FILE } : {}),
              ...(c.TEMPORAL_TLS_CERT_FILE
                ? { certFile: c.TEMPORAL_TLS_CERT_FILE, keyFile: c.TEMPORAL_TLS_KEY_FILE }
                : {}),
              ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverName: c.TEMPORAL_TLS_SERVER_NAME } : {}),
            },
          }
        : {}),
      ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
      ...(c.TEMPORAL_API_KEY_FILE ? { apiKeyFile: c.TEMPORAL_API_KEY_FILE } : {}),
      ...(c.TEMPORAL_OIDC_TOKEN_URL
        ? {
            oidc: {
              tokenUrl: c.TEMPORAL_OIDC_TOKEN_URL,
              clientId: c.TEMPORAL_OIDC_CLIENT_ID!,
              clientSecretFile: c.TEMPORAL_OIDC_CLIENT_SECRET_FILE!,
              ...(c.TEMPORAL_OIDC_RESOURCE ? { resource: c.TEMPORAL_OIDC_RESOURCE } : {}),
            },
          }
        : {}),
      retentionDays: c.TEMPORAL_NAMESPACE_RETENTION_DAYS,
    },
    auth: {
      secret: c.AUTH_JWT_SECRET ?? (c.AUTH_JWKS_URL && !acceptsDevTokens ? undefined : DEV_JWT_SECRET),
      usesDevelopmentSecret,
      jwksUrl: c.AUTH_JWKS_URL,
      issuer: c.AUTH_ISSUER,
      audience: c.AUTH_AUDIENCE,
      acceptsDevTokens,
    },
    oidcDev: {
      port: c.OIDC_DEV_PORT,
      ...(c.OIDC_DEV_TEMPORAL_SECRETS_DIR ? { temporalSecretsDir: c.OIDC_DEV_TEMPORAL_SECRETS_DIR } : {}),
    },
    console: { oidcClientId: c.CONSOLE_OIDC_CLIENT_ID },
    ocds: { prefix: c.OCDS_PREFIX },
    notifications: {
      smtpUrl: c.SMTP_URL,
      from: c.NOTIFY_FROM,
      pollMs: c.OUTBOX_POLL_MS,
      maxAttempts: c.NOTIFY_MAX_ATTEMPTS,
      retryBaseSeconds: c.NOTIFY_RETRY_BASE_SECONDS,
    },
    worker: {
      maxCachedWorkflows: c.WORKER_MAX_CACHED_WORKFLOWS,
      workflowHeapMiB: c.WORKER_WORKFLOW_HEAP_MIB,
      reconcileIntervalSeconds: c.RECONCILE_INTERVAL_SECONDS,
      metricsAddress: c.WORKER_METRICS_ADDRESS,
    },
    commands: {
      signingKey: c.COMMAND_SIGNING_KEY,
      nextSigningKey: c.COMMAND_SIGNING_KEY_NEXT,
      ttlSeconds: c.COMMAND_SIGNATURE_TTL_SECONDS,
    },
    telemetry: { otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: c.OTEL_SERVICE_NAME },
  };
}

/**
 * The API's configuration: loadConfig, and what only the API needs. Production refuses to start
 * without COMMAND_SIGNING_KEY (the worker never holds it, so it is not required of every process).
 */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config = loadConfig(env);
  if (config.env === 'production' && !config.commands.signingKey) {
    throw new ConfigError([
      "COMMAND_SIGNING_KEY: production needs the API's Ed25519 command signing key (PEM); the development key is refused",
    ]);
  }
  return config;
}

/** The address the processes use: the configured server, or the embedded dev server. */
export function temporalAddress(config: AppConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
}

export function embeddedDatabaseUrl(config: AppConfig): string {
  return `postgres://postgres:postgres@127.0.0.1:${config.database.embeddedPort}/tenderflow`;
}

export function databaseUrl(config: AppConfig): string {
  return config.database.url ?? embeddedDatabaseUrl(config);
}
