import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateKeyPairSync } from 'node:crypto';
import { CONFIG_VARIABLES, loadApiConfig, loadConfig } from '../../libs/config/src';

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
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** What the operator exports before `docker compose up`: the variables the file requires. */
const HOST_ENV: Record<string, string> = {
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com/',
  AUTH_AUDIENCE: 'tenderflow-api',
  COMMAND_SIGNING_KEY: generateKeyPairSync('ed25519', { privateKeyEncoding: { format: 'pem', type: 'pkcs8' }, publicKeyEncoding: { format: 'pem', type: 'spki' } }).privateKey,
};

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$. */
function interpolate(value: string, host: Record<string, string | undefined>, missing: string[] = []): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name: string, op?: string, arg?: string) => {
    if (match === '$$') return '$';
    const v = host[name];
    const unset = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
    if (!unset) return v!;
    if (op?.endsWith('-')) return arg ?? '';
    missing.push(name);
    return '';
  });
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
  return typeof c === 'string' ? c.split(/\s+/) : c ?? [];
}

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

const APP_SERVICES = ['migrate', 'api', 'worker'];

describe('docker-compose.yml', () => {
  it('defines the production-like stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'migrate', 'postgres', 'temporal', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('uses official images pinned to a version, never latest', () => {
    expect(compose.services.postgres.image).toBe('postgres:16');
    expect(compose.services.temporal.image).toMatch(/^temporalio\/auto-setup:1\.2\d\.\d+$/);
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
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

  it('builds api, worker and migrate from the Dockerfile at the repository root', () => {
    for (const name of APP_SERVICES) {
      const b = compose.services[name].build;
      const context = typeof b === 'string' ? b : b?.context;
      const file = typeof b === 'string' ? 'Dockerfile' : b?.dockerfile ?? 'Dockerfile';
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
        missing: ['AUTH_AUDIENCE', 'AUTH_ISSUER', 'AUTH_JWKS_URL', ...(name === 'api' ? ['COMMAND_SIGNING_KEY'] : [])],
      });
    }
    // Even if compose did not stop it, the configuration would: production without auth is refused.
    expect(() => loadConfig(serviceEnv('api', {}))).toThrow(/AUTH_JWKS_URL/);
  });

  it('gives the command signing key to the API only, and the API refuses production without it', () => {
    expect(loadApiConfig(serviceEnv('api')).commands.signingKey).toBe(HOST_ENV.COMMAND_SIGNING_KEY.trim());
    for (const name of ['worker', 'migrate']) expect({ name, key: serviceEnv(name).COMMAND_SIGNING_KEY }).toEqual({ name, key: undefined });
    const { COMMAND_SIGNING_KEY: _none, ...withoutKey } = HOST_ENV;
    expect(() => loadApiConfig({ ...serviceEnv('api', withoutKey), COMMAND_SIGNING_KEY: '' })).toThrow(/COMMAND_SIGNING_KEY/);
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

  it('persists Temporal in the same PostgreSQL', () => {
    const t = serviceEnv('temporal');
    const pg = serviceEnv('postgres');
    expect(t.DB).toBe('postgres12');
    expect(t.DB_PORT).toBe('5432');
    expect(t.POSTGRES_SEEDS).toBe('postgres');
    expect(t.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(t.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
    // auto-setup creates its own databases (temporal, temporal_visibility), never the app's.
    expect([t.DBNAME, t.VISIBILITY_DBNAME]).not.toContain(pg.POSTGRES_DB);
    expect(dependsOn('temporal')).toEqual({ postgres: 'service_healthy' });
    expect(t.DEFAULT_NAMESPACE ?? 'default').toBe(serviceEnv('worker').TEMPORAL_NAMESPACE);
  });

  it('points TEMPORAL_ADDRESS of the app and the UI at the temporal service on 7233', () => {
    for (const name of [...APP_SERVICES, 'temporal-ui']) {
      const [host, port] = serviceEnv(name).TEMPORAL_ADDRESS.split(':');
      expect({ name, host, port }).toEqual({ name, host: 'temporal', port: '7233' });
    }
    expect(ports('temporal')).toEqual([{ host: '127.0.0.1', published: '7233', target: '7233' }]);
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

  it('runs the migration once, then api and worker', () => {
    expect(commandOf('migrate')).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(compose.services.migrate.restart).toBe('no');
    expect(dependsOn('migrate')).toEqual({ postgres: 'service_healthy' });
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name)).toMatchObject({ migrate: 'service_completed_successfully' });
      expect(Object.keys(dependsOn(name))).toContain('temporal');
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

  it('turns the image HTTP health check off where no HTTP server runs', () => {
    expect(compose.services.worker.healthcheck?.disable).toBe(true);
    expect(compose.services.migrate.healthcheck?.disable).toBe(true);
    expect(compose.services.api.healthcheck).toBeUndefined();
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
    expect(finalStage.findIndex((l) => l.startsWith('USER'))).toBeLessThan(finalStage.findIndex((l) => l.startsWith('CMD')));
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
