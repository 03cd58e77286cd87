import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  renderTemplate,
  renderTemporalConfig,
  TEMPORAL_CONFIG_TEMPLATE,
  TemplateError,
  templateVariables,
} from './temporal-config';

describe('the Temporal config template renderer (the subset of Go templates the template uses)', () => {
  it('fills variables and defaults; an empty variable counts as unset, as with sprig', () => {
    const t = 'a: {{ env "A" }}\nb: {{ default "4" (env "B") }}\nc: "{{ default "x" (env "C") }}"\n';
    expect(renderTemplate(t, { A: 'one', B: '8' })).toBe('a: one\nb: 8\nc: "x"\n');
    expect(renderTemplate(t, { B: '', C: '' })).toBe('a: \nb: 4\nc: "x"\n');
  });

  it('keeps or drops {{ if env }} blocks and trims white space at {{- and -}}', () => {
    const t = 'global:\n  a: 1\n  {{- if env "M" }}\n  metrics:\n    at: "{{ env "M" }}"\n  {{- end }}\nnext: 2\n';
    expect(renderTemplate(t, {})).toBe('global:\n  a: 1\nnext: 2\n');
    expect(renderTemplate(t, { M: ':9090' })).toBe('global:\n  a: 1\n  metrics:\n    at: ":9090"\nnext: 2\n');
  });

  it('refuses any other action and unbalanced blocks, naming the line', () => {
    expect(() => renderTemplate('a: 1\nb: {{ env "A" | quote }}\n', {})).toThrow(
      new TemplateError('line 2: unsupported template action {{ env "A" | quote }}'),
    );
    expect(() => renderTemplate('{{ if env "A" }}x', {})).toThrow(TemplateError);
    expect(() => renderTemplate('{{ end }}', {})).toThrow(TemplateError);
  });

  it('drops the enable-template marker, so the result is a plain configuration', () => {
    expect(renderTemplate('# enable-template\na: {{ env "A" }}\n', { A: '1' })).toBe('a: 1\n');
  });

  it('renders the repository template to valid YAML, listing what it reads', () => {
    const config = parse(renderTemporalConfig({ POSTGRES_SEEDS: 'db', POSTGRES_USER: 'u', POSTGRES_PWD: 'p' })) as {
      persistence: { datastores: Record<string, { sql: { connectAddr: string } }> };
      global: Record<string, unknown>;
    };
    expect(config.persistence.datastores.default.sql.connectAddr).toBe('db:5432');
    expect(config.global.metrics).toBeUndefined();
    const withMetrics = parse(renderTemporalConfig({ PROMETHEUS_ENDPOINT: '0.0.0.0:8000' })) as {
      global: { metrics: unknown };
    };
    expect(withMetrics.global.metrics).toEqual({
      prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: '0.0.0.0:8000' },
    });
    const vars = templateVariables(readFileSync(TEMPORAL_CONFIG_TEMPLATE, 'utf8'));
    expect(vars.get('NUM_HISTORY_SHARDS')).toBe('4');
    expect(vars.has('POSTGRES_PWD')).toBe(true);
  });

  it('puts the internal frontend (every caller there is the system) only behind the internode TLS: never in plain text', () => {
    type Config = { services: Record<string, unknown>; global: { tls?: unknown; authorization?: unknown } };
    const render = (env: Record<string, string>) =>
      parse(renderTemporalConfig({ POSTGRES_SEEDS: 'db', ...env })) as Config;
    const both = render({ TEMPORAL_TLS_SERVER_CERT: '/pki/server.pem', TEMPORAL_JWKS_URL: 'https://idp/jwks' });
    expect(Object.keys(both.services)).toContain('internal-frontend');
    expect(both.global.tls).toBeDefined();
    expect(both.global.authorization).toBeDefined();
    // The authorizer without TLS: no internal frontend (the server's own worker is then refused, visibly).
    const authOnly = render({ TEMPORAL_JWKS_URL: 'https://idp/jwks' });
    expect(Object.keys(authOnly.services)).not.toContain('internal-frontend');
    expect(authOnly.global.authorization).toBeDefined();
    const open = render({});
    expect(Object.keys(open.services).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    expect(open.global.tls).toBeUndefined();
    expect(open.global.authorization).toBeUndefined();
  });
});
