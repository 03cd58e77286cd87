import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateKeyPairSync } from 'node:crypto';
import { CONFIG_VARIABLES, loadApiConfig, loadConfig } from '@tenderflow/config';
import { uiEnvironment } from '../../scripts/cluster';
import {
  renderTemplate,
  TEMPORAL_CONFIG_TEMPLATE,
  TEMPORAL_DYNAMIC_CONFIG,
  templateVariables,
} from '../../scripts/lib/temporal-config';
import { devPkiIn } from '../../scripts/lib/dev-pki';
import { STANDARD_PORTS, TemporalCluster } from '../../scripts/lib/temporal-cluster';
import { TEMPORAL_VERSIONS, TemporalServerBinaries } from '../../scripts/lib/temporal-server';

/**
 * No Docker engine runs in CI, so the production-like stack is checked by reading it: the compose
 * file's wiring must pass the same validation the processes run at start-up, and the Dockerfile's
 * entry points must be files the build produces.
 */

const root = join(__dirname, '..', '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as Compose;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published: string | number }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: Array<
    string | { type: string; source: string; target: string; read_only?: boolean; volume?: { subpath?: string } }
  >;
  secrets?: Array<{ source: string; target: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

/** What the operator exports before `docker compose up`: the variables the file requires. */
const HOST_ENV: Record<string, string> = {
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com/',
  AUTH_AUDIENCE: 'tenderflow-api',
  TEMPORAL_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  TEMPORAL_OIDC_TOKEN_URL: 'https://idp.example.com/oauth2/token',
  TEMPORAL_UI_AUTH_PROVIDER_URL: 'https://idp.example.com/',
  TEMPORAL_UI_AUTH_CLIENT_SECRET: 'ui-secret',
  COMMAND_SIGNING_KEY: generateKeyPairSync('ed25519', {
    privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
    publicKeyEncoding: { format: 'pem', type: 'spki' },
  }).privateKey,
};

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$. */
function interpolate(value: string, host: Record<string, string | undefined>, missing: string[] = []): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name: string, op?: string, arg?: string) => {
      if (match === '$$') return '$';
      const v = host[name];
      const unset = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
      if (!unset) return v!;
      if (op?.endsWith('-')) return arg ?? '';
      missing.push(name);
      return '';
    },
  );
}

function serviceEnv(name: string, host: Record<string, string | undefined> = HOST_ENV): Record<string, string> {
  const env = compose.services[name].environment ?? {};
  const pairs: Array<[string, string]> = Array.isArray(env)
    ? env.map((e) => {
        const i = e.indexOf('=');
        return [e.slice(0, i), e.slice(i + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v, host)]));
}

function dependsOn(name: string): Record<string, string> {
  const d = compose.services[name].depends_on ?? {};
  return Array.isArray(d)
    ? Object.fromEntries(d.map((s) => [s, 'service_started']))
    : Object.fromEntries(Object.entries(d).map(([s, v]) => [s, v?.condition ?? 'service_started']));
}

/** Published ports; `host` is the interface they are bound to (all interfaces when none is given). */
function ports(name: string): Array<{ host: string; published: string; target: string }> {
  return (compose.services[name].ports ?? []).map((p) => {
    if (typeof p === 'string') {
      const parts = interpolate(p, HOST_ENV).split(':');
      const host = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : '0.0.0.0';
      return { host, published: parts[parts.length - 2], target: parts[parts.length - 1].replace(/\/.*$/, '') };
    }
    const long = p as { target: number; published: string | number; host_ip?: string };
    return { host: long.host_ip ?? '0.0.0.0', published: String(long.published), target: String(long.target) };
  });
}

function commandOf(name: string): string[] {
  const c = compose.services[name].command;
  return typeof c === 'string' ? c.split(/\s+/) : (c ?? []);
}

/** A service's mounts: target → source (a volume's subpath after the volume's name). */
const mounts = (name: string): Record<string, string> =>
  Object.fromEntries(
    (compose.services[name].volumes ?? []).map((v) => {
      if (typeof v !== 'string') return [v.target, `${v.source}/${v.volume?.subpath ?? ''}`];
      const [from, to] = v.split(':');
      return [to, from];
    }),
  );

/** dist/apps/api/src/main.js → apps/api/src/main.ts */
function sourceOf(distFile: string): string {
  expect(distFile).toMatch(/^dist\/.+\.js$/);
  return distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

/** The instructions of the Dockerfile, with line continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\r?\n/g, ' ')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([]);
  acc[acc.length - 1]?.push(line);
  return acc;
}, []);
const finalStage = stages[stages.length - 1];
const execForm = (line: string): string[] => JSON.parse(line.replace(/^CMD\s+/i, ''));

const APP_SERVICES = ['migrate', 'temporal-setup', 'api', 'worker'];

describe('docker-compose.yml', () => {
  it('defines the production-like stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'migrate',
        'pki',
        'postgres',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it('uses official images pinned to a version, never latest', () => {
    expect(compose.services.postgres.image).toBe('postgres:16');
    // The versions `npm run cluster` builds and `npm run test:cluster` tests, pinned in one place.
    expect(compose.services.temporal.image).toBe(`temporalio/server:${TEMPORAL_VERSIONS.server}`);
    expect(compose.services['temporal-schema'].image).toBe(`temporalio/admin-tools:${TEMPORAL_VERSIONS.server}`);
    expect(compose.services['temporal-ui'].image).toBe(`temporalio/ui:${TEMPORAL_VERSIONS.ui}`);
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.image === undefined) {
        expect({ name, build: s.build }).toEqual({ name, build: expect.anything() });
        continue;
      }
      const tag = s.image.includes(':') ? s.image.slice(s.image.lastIndexOf(':') + 1) : undefined;
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^[\w][\w.-]*$/) });
      expect({ name, tag }).not.toEqual({ name, tag: 'latest' });
      if (s.build === undefined) expect(s.image).not.toMatch(/\$\{/);
    }
  });

  it('builds api, worker, migrate and temporal-setup from the Dockerfile at the repository root', () => {
    for (const name of APP_SERVICES) {
      const b = compose.services[name].build;
      const context = typeof b === 'string' ? b : b?.context;
      const file = typeof b === 'string' ? 'Dockerfile' : (b?.dockerfile ?? 'Dockerfile');
      expect({ name, context, file }).toEqual({ name, context: '.', file: 'Dockerfile' });
    }
  });

  it('sets on api, worker and migrate only variables the configuration knows', () => {
    for (const name of APP_SERVICES) {
      const unknown = Object.keys(serviceEnv(name)).filter((k) => !CONFIG_VARIABLES.includes(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });

  it.each(APP_SERVICES)('gives %s a configuration that passes loadConfig in production', (name) => {
    const config = (name === 'api' ? loadApiConfig : loadConfig)(serviceEnv(name));
    expect(config.env).toBe('production');
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.taskQueue).toBe('tenderflow');
    expect(config.database.url).toMatch(/^postgres:\/\//);
    expect(config.auth.usesDevelopmentSecret).toBe(false);
    expect(config.auth.jwksUrl).toBe(HOST_ENV.AUTH_JWKS_URL);
    expect(config.auth.issuer).toBe(HOST_ENV.AUTH_ISSUER);
    expect(config.auth.audience).toBe(HOST_ENV.AUTH_AUDIENCE);
    expect(config.http.port).toBe(3000);
    expect(config.ocds.prefix).toBe('ocds-tfdemo');
  });

  it('requires the identity provider from the host and refuses to start without it', () => {
    for (const name of APP_SERVICES) {
      const env = compose.services[name].environment as Record<string, string>;
      const missing: string[] = [];
      for (const v of Object.values(env)) interpolate(String(v), {}, missing);
      expect({ name, missing: missing.sort() }).toEqual({
        name,
        missing: [
          'AUTH_AUDIENCE',
          'AUTH_ISSUER',
          'AUTH_JWKS_URL',
          ...(name === 'api' ? ['COMMAND_SIGNING_KEY'] : []),
          ...(name === 'migrate' ? [] : ['TEMPORAL_OIDC_TOKEN_URL']),
        ].sort(),
      });
    }
    // Even if compose did not stop it, the configuration would: production without auth is refused.
    expect(() => loadConfig(serviceEnv('api', {}))).toThrow(/AUTH_JWKS_URL/);
  });

  it('gives the command signing key to the API only, and the API refuses production without it', () => {
    expect(loadApiConfig(serviceEnv('api')).commands.signingKey).toBe(HOST_ENV.COMMAND_SIGNING_KEY.trim());
    for (const name of ['worker', 'migrate'])
      expect({ name, key: serviceEnv(name).COMMAND_SIGNING_KEY }).toEqual({ name, key: undefined });
    const { COMMAND_SIGNING_KEY: _none, ...withoutKey } = HOST_ENV;
    expect(() => loadApiConfig({ ...serviceEnv('api', withoutKey), COMMAND_SIGNING_KEY: '' })).toThrow(
      /COMMAND_SIGNING_KEY/,
    );
  });

  it('points DATABASE_URL at the postgres service and a database it creates', () => {
    const pg = serviceEnv('postgres');
    for (const name of APP_SERVICES) {
      const url = new URL(serviceEnv(name).DATABASE_URL);
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    }
    expect(pg.POSTGRES_DB).toBe('tenderflow');
    // The host's password, when given, reaches both sides.
    const host = { ...HOST_ENV, POSTGRES_PASSWORD: 's3cret' };
    expect(new URL(serviceEnv('api', host).DATABASE_URL).password).toBe('s3cret');
    expect(serviceEnv('postgres', host).POSTGRES_PASSWORD).toBe('s3cret');
    expect(serviceEnv('temporal', host).POSTGRES_PWD).toBe('s3cret');
  });

  it('keeps PostgreSQL data in a named volume and reports health', () => {
    const pg = compose.services.postgres;
    expect(pg.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes ?? {})).toContain('pgdata');
    expect(JSON.stringify(pg.healthcheck?.test)).toContain('pg_isready');
  });

  it('persists Temporal in the same PostgreSQL, in databases of its own', () => {
    const t = serviceEnv('temporal');
    const pg = serviceEnv('postgres');
    expect(t.POSTGRES_SEEDS).toBe('postgres');
    expect(t.DB_PORT).toBe('5432');
    expect(t.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(t.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
    const schema = serviceEnv('temporal-schema');
    expect(schema).toEqual({
      SQL_HOST: 'postgres',
      SQL_PORT: '5432',
      SQL_USER: pg.POSTGRES_USER,
      SQL_PASSWORD: pg.POSTGRES_PASSWORD,
    });
    expect(dependsOn('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(dependsOn('temporal')).toEqual({
      'temporal-schema': 'service_completed_successfully',
      pki: 'service_completed_successfully',
    });
    expect(compose.services['temporal-schema'].restart).toBe('no');
  });

  it('points TEMPORAL_ADDRESS of the app and the UI at the temporal service on 7233', () => {
    for (const name of [...APP_SERVICES, 'temporal-ui']) {
      const [host, port] = serviceEnv(name).TEMPORAL_ADDRESS.split(':');
      expect({ name, host, port }).toEqual({ name, host: 'temporal', port: '7233' });
    }
    expect(ports('temporal')).toEqual([{ host: '127.0.0.1', published: '7233', target: '7233' }]);
    expect(compose.services['temporal-ui'].ports).toEqual(['127.0.0.1:8233:8080']);
  });

  it('publishes the API on the PORT it is configured with, and the Temporal UI on 8233', () => {
    const port = serviceEnv('api').PORT;
    expect(port).toBe('3000');
    expect(ports('api')).toEqual([{ host: '0.0.0.0', published: '3000', target: port }]);
    expect(ports('temporal-ui')).toEqual([{ host: '127.0.0.1', published: '8233', target: '8080' }]);
    expect(new URL(serviceEnv('api').TEMPORAL_UI_URL).port).toBe('8233');
  });

  it('publishes nothing but the API beyond 127.0.0.1: Temporal and its UI are reached from the host only', () => {
    const open = Object.keys(compose.services)
      .flatMap((name) => ports(name).map((p) => ({ name, ...p })))
      .filter((p) => p.host !== '127.0.0.1');
    expect(open).toEqual([{ name: 'api', host: '0.0.0.0', published: '3000', target: '3000' }]);
    expect(compose.services.postgres.ports).toBeUndefined();
  });

  it('runs the Temporal UI read-only (its write actions disabled)', () => {
    const ui = serviceEnv('temporal-ui');
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    // No variable turns a single action back on.
    const enabled = Object.entries(ui).filter(([k, v]) => /^TEMPORAL_.*_DISABLED$/.test(k) && v !== 'true');
    expect(enabled).toEqual([]);
  });

  it('runs the migration and the Temporal namespace set-up once each, then api and worker', () => {
    expect(commandOf('migrate')).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(compose.services.migrate.restart).toBe('no');
    expect(dependsOn('migrate')).toEqual({ postgres: 'service_healthy' });
    expect(commandOf('temporal-setup')).toEqual(['node', 'dist/scripts/temporal-setup.js']);
    expect(compose.services['temporal-setup'].restart).toBe('no');
    expect(dependsOn('temporal-setup')).toEqual({ temporal: 'service_healthy' });
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name)).toEqual({
        migrate: 'service_completed_successfully',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependsOn('temporal-ui')).toHaveProperty('temporal');
  });

  it('runs the worker and the api from the compiled entry points, whose sources exist', () => {
    expect(commandOf('api')).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(commandOf('worker')).toEqual(['node', 'dist/apps/worker/src/main.js']);
    for (const name of APP_SERVICES) {
      const [bin, file] = commandOf(name);
      expect(bin).toBe('node');
      expect(existsSync(join(root, sourceOf(file)))).toBe(true);
    }
  });

  it("locks Temporal's door: every client with its own certificate and token, none with the server's or the services' keys", () => {
    const folders: Record<string, string> = {
      api: 'tenderflow-api',
      worker: 'tenderflow-worker',
      'temporal-setup': 'operator',
      'temporal-ui': 'temporal-ui',
    };
    const clientIds: Record<string, string> = {
      api: 'tenderflow-api',
      worker: 'tenderflow-worker',
      'temporal-setup': 'temporal-setup',
    };
    for (const [name, folder] of Object.entries(folders)) {
      const volumes = (compose.services[name].volumes ?? []).filter(
        (v) => typeof v !== 'string' && v.source === 'temporal-pki',
      );
      expect({ name, volumes }).toEqual({
        name,
        volumes: [expect.objectContaining({ read_only: true, volume: { subpath: folder } })],
      });
    }
    for (const [name, clientId] of Object.entries(clientIds)) {
      const config = (name === 'api' ? loadApiConfig : loadConfig)(serviceEnv(name));
      expect({ name, tls: config.temporal.tls }).toEqual({
        name,
        tls: {
          caFile: '/run/tenderflow/pki/ca.pem',
          certFile: '/run/tenderflow/pki/client.pem',
          keyFile: '/run/tenderflow/pki/client.key',
          serverName: 'temporal',
        },
      });
      expect({ name, oidc: config.temporal.oidc }).toEqual({
        name,
        oidc: {
          tokenUrl: HOST_ENV.TEMPORAL_OIDC_TOKEN_URL,
          clientId,
          clientSecretFile: '/run/secrets/temporal-client-secret',
        },
      });
      // Its secret is a file outside the repository, named by the host.
      const [secret] = compose.services[name].secrets ?? [];
      expect(secret.target).toBe('temporal-client-secret');
      expect(compose.secrets?.[secret.source].file).toBe(`\${TEMPORAL_SECRETS_DIR:-./.secrets}/${clientId}.secret`);
    }
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^\.secrets\/$/m);
    // The development certificates: deploy/dev-pki, a folder per consumer, owned by the images' user.
    expect(commandOf('pki')).toEqual(
      expect.arrayContaining(['go', 'run', '/src/dev-pki/main.go', '-split', '-owner', '1000:1000']),
    );
    expect(mounts('pki')['/src/dev-pki']).toBe('./deploy/dev-pki');
    // No --allow-no-auth anywhere: the server's variable for it is gone.
    expect(composeText).not.toMatch(/ALLOW_NO_AUTH|allow-no-auth/);
    // And production refuses a frontend on another host without TLS.
    const {
      TEMPORAL_TLS_CA_FILE: _ca,
      TEMPORAL_TLS_SERVER_NAME: _name,
      TEMPORAL_TLS_CERT_FILE: _cert,
      TEMPORAL_TLS_KEY_FILE: _key,
      ...plain
    } = serviceEnv('worker');
    expect(() => loadConfig(plain)).toThrow(
      /TEMPORAL_ADDRESS: production refuses a Temporal frontend on another host \(temporal\) without TLS/,
    );
  });

  it('turns the image HTTP health check off where no HTTP server runs', () => {
    expect(compose.services.worker.healthcheck?.disable).toBe(true);
    expect(compose.services.migrate.healthcheck?.disable).toBe(true);
    expect(compose.services['temporal-setup'].healthcheck?.disable).toBe(true);
    expect(compose.services.api.healthcheck).toBeUndefined();
  });
});

/**
 * docker-compose.yml and `npm run cluster` (which `npm run test:cluster` runs the reliability suite
 * against) must be the same Temporal: same server version, same configuration file rendered from
 * the same template, same dynamic configuration, same schema script, same namespace and search
 * attribute step, same UI settings. What may differ is where things are: hosts, ports, password.
 */
describe('docker-compose.yml and npm run cluster configure the same Temporal', () => {
  const template = readFileSync(TEMPORAL_CONFIG_TEMPLATE, 'utf8');
  const clusterEnv = new TemporalCluster({
    binaries: { version: TEMPORAL_VERSIONS.server } as TemporalServerBinaries,
    dataDir: '/tmp/unused',
    postgres: { host: '127.0.0.1', port: 54329, user: 'postgres', password: 'postgres' },
    ports: STANDARD_PORTS,
    namespace: 'default',
    retentionDays: 30,
    security: {
      pki: devPkiIn('/tmp/unused/pki'),
      jwksUrl: 'http://localhost:3001/jwks',
      audience: 'temporal',
      adminToken: () => Promise.resolve('unused'),
    },
  }).templateEnv();
  const composeEnv = serviceEnv('temporal');
  const rendered = (env: Record<string, string>) => parse(renderTemplate(template, env)) as TemporalConfig;

  interface TemporalConfig {
    persistence: {
      numHistoryShards: number;
      defaultStore: string;
      visibilityStore: string;
      datastores: Record<string, { sql: Record<string, unknown> }>;
    };
    services: Record<string, { rpc: Record<string, unknown> }>;
    global: Record<string, unknown>;
    clusterMetadata: { clusterInformation: Record<string, Record<string, unknown>> };
    dynamicConfigClient: { filepath: string };
    log: { level: string };
  }

  /** Everything but the places: addresses, ports, credentials, log level, file locations. */
  function settings(c: TemporalConfig): unknown {
    const copy = JSON.parse(JSON.stringify(c)) as TemporalConfig;
    for (const ds of Object.values(copy.persistence.datastores)) {
      delete ds.sql.connectAddr;
      delete ds.sql.user;
      delete ds.sql.password;
    }
    copy.services = Object.fromEntries(Object.keys(copy.services).map((k) => [k, { rpc: {} }]));
    for (const info of Object.values(copy.clusterMetadata.clusterInformation)) {
      delete info.rpcAddress;
      delete info.httpAddress;
    }
    delete (copy.global.membership as Record<string, unknown>).broadcastAddress;
    // Where the certificates are and who publishes the keys: places too.
    const paths = (o: unknown): unknown =>
      JSON.parse(
        JSON.stringify(o ?? null, (k: string, v: unknown) =>
          /(File|Files)$/.test(k) ? (Array.isArray(v) ? v.map(() => '<file>') : '<file>') : v,
        ),
      );
    copy.global.tls = paths(copy.global.tls);
    const auth = copy.global.authorization as { jwtKeyProvider?: { keySourceURIs?: string[] } } | undefined;
    if (auth?.jwtKeyProvider) auth.jwtKeyProvider.keySourceURIs = ['<jwks>'];
    delete (copy as Partial<TemporalConfig>).dynamicConfigClient;
    delete (copy as Partial<TemporalConfig>).log;
    return copy;
  }

  it('runs the server version the cluster builds, from the template the cluster renders', () => {
    expect(compose.services.temporal.image).toBe(`temporalio/server:${TEMPORAL_VERSIONS.server}`);
    const configPath = composeEnv.TEMPORAL_SERVER_CONFIG_FILE_PATH;
    expect(mounts('temporal')[configPath]).toBe('./deploy/temporal/config.template.yaml');
    expect(join(root, mounts('temporal')[configPath])).toBe(TEMPORAL_CONFIG_TEMPLATE);
    // The server renders it as a template only with this marker in its first kilobyte.
    expect(template.slice(0, 1024)).toMatch(/^#\s*enable-template/m);
  });

  it('sets only variables the template reads (or the server itself reads)', () => {
    const read = templateVariables(template);
    const serverOwn = ['TEMPORAL_SERVER_CONFIG_FILE_PATH', 'TEMPORAL_SERVICES'];
    expect(Object.keys(composeEnv).filter((k) => !read.has(k) && !serverOwn.includes(k))).toEqual([]);
    expect(Object.keys(clusterEnv).filter((k) => !read.has(k))).toEqual([]);
  });

  it('renders to the same persistence, visibility, shards, services and cluster settings', () => {
    const fromCompose = rendered(composeEnv);
    const fromCluster = rendered(clusterEnv);
    expect(settings(fromCompose)).toEqual(settings(fromCluster));
    // What those settings are: PostgreSQL for both stores (SQL visibility: the custom search
    // attributes live there), the two databases the schema step creates.
    expect(fromCluster.persistence).toMatchObject({
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: 4,
    });
    expect(fromCluster.persistence.datastores.default.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal',
    });
    expect(fromCluster.persistence.datastores.visibility.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal_visibility',
    });
    expect(Object.keys(fromCluster.services).sort()).toEqual([
      'frontend',
      'history',
      'internal-frontend',
      'matching',
      'worker',
    ]);
    // The image starts every service the configuration has (its SERVICES), as the cluster starts each as a process.
    expect(composeEnv.TEMPORAL_SERVICES.split(',').sort()).toEqual(Object.keys(fromCompose.services).sort());
    // Where compose points it: the postgres service, its user and password.
    const pg = serviceEnv('postgres');
    for (const ds of Object.values(fromCompose.persistence.datastores)) {
      expect(ds.sql).toMatchObject({
        connectAddr: 'postgres:5432',
        user: pg.POSTGRES_USER,
        password: pg.POSTGRES_PASSWORD,
      });
    }
    expect(fromCompose.services.frontend.rpc).toMatchObject({ grpcPort: 7233, bindOnIP: '0.0.0.0' });
    expect(fromCluster.services.frontend.rpc).toMatchObject({ grpcPort: 7233, bindOnIP: '127.0.0.1' });
    // Both lock the door the same way (README, "Temporal in production"): mTLS on the frontend and
    // between the services, each with its own CA; the default authorizer and claim mapper.
    expect(fromCompose.global.tls).toMatchObject({
      frontend: { server: { requireClientAuth: true, clientCaFiles: [composeEnv.TEMPORAL_TLS_CLIENT_CA] } },
      internode: {
        server: { requireClientAuth: true, clientCaFiles: [composeEnv.TEMPORAL_TLS_INTERNODE_CA] },
        client: { rootCaFiles: [composeEnv.TEMPORAL_TLS_INTERNODE_CA] },
      },
    });
    expect(composeEnv.TEMPORAL_TLS_CLIENT_CA).not.toBe(composeEnv.TEMPORAL_TLS_INTERNODE_CA);
    expect(fromCompose.global.authorization).toMatchObject({
      authorizer: 'default',
      claimMapper: 'default',
      permissionsClaimName: 'permissions',
      audience: 'temporal',
      jwtKeyProvider: { keySourceURIs: [HOST_ENV.TEMPORAL_JWKS_URL] },
    });
    // Its certificates come from the server's folder of the PKI volume only.
    for (const v of [
      'TEMPORAL_TLS_SERVER_CERT',
      'TEMPORAL_TLS_SERVER_KEY',
      'TEMPORAL_TLS_CLIENT_CA',
      'TEMPORAL_TLS_INTERNODE_CERT',
      'TEMPORAL_TLS_INTERNODE_KEY',
      'TEMPORAL_TLS_INTERNODE_CA',
    ]) {
      expect(composeEnv[v].startsWith('/etc/tenderflow/pki/')).toBe(true);
    }
    expect(mounts('temporal')['/etc/tenderflow/pki']).toBe('temporal-pki/server');
  });

  it('uses the same dynamic configuration file', () => {
    const path = composeEnv.DYNAMIC_CONFIG_FILE_PATH;
    expect(rendered(composeEnv).dynamicConfigClient.filepath).toBe(path);
    expect(join(root, mounts('temporal')[path])).toBe(TEMPORAL_DYNAMIC_CONFIG);
    expect(rendered(clusterEnv).dynamicConfigClient.filepath).toBe(TEMPORAL_DYNAMIC_CONFIG);
  });

  it('creates the schemas with the same script and the tool of the same server version', () => {
    const s = compose.services['temporal-schema'];
    expect(s.image).toBe(`temporalio/admin-tools:${TEMPORAL_VERSIONS.server}`);
    const [script] = commandOf('temporal-schema');
    expect(mounts('temporal-schema')[script]).toBe('./deploy/temporal/setup-schema.sh');
    const cluster = readFileSync(join(root, 'scripts/lib/temporal-cluster.ts'), 'utf8');
    expect(cluster).toContain("join(PROJECT_ROOT, 'deploy', 'temporal', 'setup-schema.sh')");
    // Both databases, setup-schema from 0.0 then update-schema from the versioned folders.
    const sh = readFileSync(join(root, 'deploy/temporal/setup-schema.sh'), 'utf8');
    expect(sh).toMatch(/create-database/);
    expect(sh).toMatch(/setup-schema -v 0\.0/);
    expect(sh).toMatch(/update-schema -d "\$schema\/\$kind\/versioned"/);
    expect(sh).toContain('temporal_visibility}:visibility');
  });

  it('registers the same namespace, retention and search attributes with the same code', () => {
    const setup = serviceEnv('temporal-setup');
    expect(setup.TEMPORAL_NAMESPACE).toBe(serviceEnv('worker').TEMPORAL_NAMESPACE);
    expect(setup.TEMPORAL_NAMESPACE).toBe(serviceEnv('api').TEMPORAL_NAMESPACE);
    // The cluster registers config.temporal.namespace and config.temporal.retentionDays: the same
    // variables, and compose's value is the configuration's default.
    expect(loadConfig(setup).temporal.retentionDays).toBe(loadConfig({}).temporal.retentionDays);
    // Both call libs/temporal-common's prepareNamespace with the namespace and retention of the configuration.
    const script = readFileSync(join(root, sourceOf(commandOf('temporal-setup')[1])), 'utf8');
    const cluster = readFileSync(join(root, 'scripts/lib/temporal-cluster.ts'), 'utf8');
    const start = readFileSync(join(root, 'scripts/cluster.ts'), 'utf8');
    expect(script).toContain(
      'await prepareNamespace(connection, config.temporal.namespace, config.temporal.retentionDays',
    );
    expect(cluster).toContain('await prepareNamespace(connection, this.opts.namespace, this.opts.retentionDays');
    expect(start).toContain(
      'namespace: config.temporal.namespace,\n      retentionDays: config.temporal.retentionDays,',
    );
  });

  it('gives the UI the settings of the cluster, read-only, over mTLS with the users signed in', () => {
    const ui = serviceEnv('temporal-ui');
    const expected = uiEnvironment('temporal:7233', 8080, 'default', {
      tls: {
        ca: '/etc/tenderflow/pki/ca.pem',
        cert: '/etc/tenderflow/pki/client.pem',
        key: '/etc/tenderflow/pki/client.key',
        serverName: 'temporal',
      },
      auth: {
        providerUrl: HOST_ENV.TEMPORAL_UI_AUTH_PROVIDER_URL,
        clientSecret: HOST_ENV.TEMPORAL_UI_AUTH_CLIENT_SECRET,
        callbackUrl: 'http://localhost:8233/auth/sso/callback',
      },
    });
    // The official image listens on 8080 inside the container; the CORS origin is where it is published.
    delete expected.TEMPORAL_UI_PORT;
    expected.TEMPORAL_CORS_ORIGINS = 'http://localhost:8233';
    expect(ui).toEqual(expected);
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  });

  it("exposes the worker's Temporal SDK metrics and passes the OTLP endpoint through (empty: tracing off)", () => {
    expect(loadConfig(serviceEnv('worker')).worker.metricsAddress).toBe('0.0.0.0:9464');
    for (const name of ['api', 'worker']) {
      expect(loadConfig(serviceEnv(name)).telemetry.otlpEndpoint).toBeUndefined();
      expect(
        loadConfig(serviceEnv(name, { ...HOST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).telemetry
          .otlpEndpoint,
      ).toBe('http://collector:4318');
    }
  });
});

describe('Dockerfile', () => {
  it('builds in stages on the official node:20-bookworm-slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:20-bookworm-slim(\s+AS\s+\w+)?$/i);
  });

  it('installs from the lock file, compiles, then drops dev dependencies', () => {
    const build = stages[0].join('\n');
    const ci = build.indexOf('npm ci');
    const compile = build.indexOf('npm run build');
    const prune = build.indexOf('npm prune --omit=dev');
    expect(ci).toBeGreaterThan(-1);
    expect(compile).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(compile);
    expect(build).toMatch(/COPY package\.json package-lock\.json/);
    // npm ci links the workspaces only if their package.json files are there before it.
    const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      workspaces?: string[];
    };
    for (const ws of workspaces) expect(build.slice(0, ci)).toMatch(new RegExp(`^COPY ${ws}/package\\.json `, 'm'));
    // Everything tsconfig.build.json compiles is copied into the build stage.
    const buildConfig = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    for (const dir of buildConfig.include) expect(build).toMatch(new RegExp(`^COPY ${dir} `, 'm'));
  });

  it('ships node_modules, dist and package.json and runs as the node user', () => {
    const runtime = finalStage.join('\n');
    for (const path of ['node_modules', 'dist', 'package.json']) {
      expect(runtime).toMatch(new RegExp(`^COPY --from=\\w+ /app/${path} `, 'm'));
    }
    const users = finalStage.filter((l) => /^USER\s/i.test(l));
    expect(users).toEqual(['USER node']);
    expect(finalStage.findIndex((l) => l.startsWith('USER'))).toBeLessThan(
      finalStage.findIndex((l) => l.startsWith('CMD')),
    );
  });

  it('runs its processes with two malloc arenas (the worker keeps far less memory), as npm start and the benchmark do', () => {
    const env = finalStage.filter((l) => /^ENV\s/i.test(l)).join(' ');
    expect(env).toMatch(/\bMALLOC_ARENA_MAX=2\b/);
    expect(readFileSync(join(root, 'scripts', 'start.ts'), 'utf8')).toMatch(/MALLOC_ARENA_MAX/);
    expect(readFileSync(join(root, 'test', 'bench', 'system.ts'), 'utf8')).toMatch(/MALLOC_ARENA_MAX/);
  });

  it('runs the API by default, from a compiled file whose source exists', () => {
    const cmd = finalStage.filter((l) => /^CMD\s/i.test(l));
    expect(cmd).toHaveLength(1);
    const argv = execForm(cmd[0]);
    expect(argv).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(existsSync(join(root, sourceOf(argv[1])))).toBe(true);
    expect(existsSync(join(root, 'scripts/migrate.ts'))).toBe(true);
    expect(existsSync(join(root, 'apps/worker/src/main.ts'))).toBe(true);
  });

  it('checks health with node fetch against the public /health route', () => {
    const hc = finalStage.filter((l) => /^HEALTHCHECK\s/i.test(l));
    expect(hc).toHaveLength(1);
    expect(hc[0]).toMatch(/CMD \["node", "-e", /);
    const script = JSON.parse(hc[0].slice(hc[0].indexOf('CMD ') + 4)) as string[];
    expect(script[2]).toContain('fetch(');
    expect(script[2]).toContain('/health');
    // The script is valid JavaScript.
    expect(() => new Function(script[2])).not.toThrow();
    const controller = readFileSync(join(root, 'apps/api/src/health/health.controller.ts'), 'utf8');
    expect(controller).toContain("@Controller('health')");
    expect(controller).toContain('@Public()');
  });

  it('keeps local state out of the build context', () => {
    const ignored = dockerignore.split(/\r?\n/).map((l) => l.trim());
    for (const p of ['node_modules', 'dist', '.data', '.tools', '.git', 'coverage']) expect(ignored).toContain(p);
  });
});
