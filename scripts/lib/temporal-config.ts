import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './binaries';

/**
 * deploy/temporal/config.template.yaml is a Temporal server configuration template in the server's
 * own syntax (Go templates with sprig functions, enabled by a `# enable-template` comment), so that
 * docker-compose.yml can mount it and the server renders it at start-up. `npm run cluster` renders
 * the same file here, into one plain configuration for its service processes.
 *
 * Only the forms the template uses are understood, and anything else is refused, so the two
 * renderers cannot silently disagree:
 *   {{ env "NAME" }}                     the variable, or "" when unset
 *   {{ default "value" (env "NAME") }}   the variable, or value when unset or empty (sprig's default)
 *   {{ if env "NAME" }} … {{ end }}      the block when the variable is set and not empty
 * `{{-` and `-}}` trim the white space (newlines included) before and after, as in Go templates.
 */

export const TEMPORAL_CONFIG_TEMPLATE = join(PROJECT_ROOT, 'deploy', 'temporal', 'config.template.yaml');
export const TEMPORAL_DYNAMIC_CONFIG = join(PROJECT_ROOT, 'deploy', 'temporal', 'dynamicconfig.yaml');

export class TemplateError extends Error {}

const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
const ENV = /^env\s+"([A-Za-z_][A-Za-z0-9_]*)"$/;
const DEFAULT = /^default\s+"([^"\\]*)"\s+\(\s*env\s+"([A-Za-z_][A-Za-z0-9_]*)"\s*\)$/;
const IF = /^if\s+env\s+"([A-Za-z_][A-Za-z0-9_]*)"$/;

/** The names of the variables a template reads, with their defaults where it gives one. */
export function templateVariables(template: string): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const m of template.matchAll(ACTION)) {
    const expr = m[2];
    let r: RegExpExecArray | null;
    if ((r = DEFAULT.exec(expr))) vars.set(r[2], r[1]);
    else if ((r = ENV.exec(expr)) || (r = IF.exec(expr))) {
      if (!vars.has(r[1])) vars.set(r[1], undefined);
    }
  }
  return vars;
}

export function renderTemplate(template: string, env: Record<string, string | undefined>): string {
  const value = (name: string) => env[name] ?? '';
  let out = '';
  // Each open `if`: whether its block is rendered.
  const blocks: boolean[] = [];
  const emitting = () => blocks.every(Boolean);
  let last = 0;
  let trimNext = false;
  for (const m of template.matchAll(ACTION)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    if (emitting()) out += text;
    trimNext = m[3] === '-';
    last = m.index! + m[0].length;
    const expr = m[2];
    const line = template.slice(0, m.index).split('\n').length;
    let r: RegExpExecArray | null;
    if ((r = DEFAULT.exec(expr))) {
      if (emitting()) out += value(r[2]) === '' ? r[1] : value(r[2]);
    } else if ((r = ENV.exec(expr))) {
      if (emitting()) out += value(r[1]);
    } else if ((r = IF.exec(expr))) {
      blocks.push(value(r[1]) !== '');
    } else if (expr === 'end') {
      if (blocks.length === 0) throw new TemplateError(`line ${line}: {{ end }} without {{ if }}`);
      blocks.pop();
    } else {
      throw new TemplateError(`line ${line}: unsupported template action {{ ${expr} }}`);
    }
  }
  if (blocks.length > 0) throw new TemplateError(`${blocks.length} {{ if }} without {{ end }}`);
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  out += tail;
  // The result is a plain configuration: the server must not treat it as a template again.
  return out.replace(/^#\s*enable-template\s*\n/m, '');
}

export function renderTemporalConfig(env: Record<string, string | undefined>): string {
  return renderTemplate(readFileSync(TEMPORAL_CONFIG_TEMPLATE, 'utf8'), env);
}
