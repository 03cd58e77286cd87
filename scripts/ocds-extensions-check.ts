import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';

/**
 * Validates an OCDS release package, as GET /tenders/{id}/ocds exports it, against the OCDS 1.1.5
 * release schema *with the extensions the package declares* (the unit test, ocds.mapper.spec.ts,
 * checks against the core schema only). Run by hand:
 *
 *   npx ts-node --transpile-only scripts/ocds-extensions-check.ts [--schema-dir DIR] <patch-dir> <release-package.json>
 *
 * <patch-dir> holds each extension's release-schema.json, a JSON Merge Patch (RFC 7386) over the core
 * release schema, one file per extension named after its repository: the package's extension
 * `…/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json` is read from
 * `<patch-dir>/ocds_lots_extension.json`, downloaded from the same URL with `release-schema.json` in
 * place of `extension.json`, e.g.
 *
 *   jq -r '.extensions[]' package.json | while read -r url; do
 *     name=$(echo "$url" | cut -d/ -f5); curl -fsSL "${url%extension.json}release-schema.json" -o "patches/$name.json"
 *   done
 *
 * The patches are applied in the order of the package's `extensions` (objects merged recursively,
 * `null` deletes); every declared extension needs its file, and files of extensions not declared
 * are not applied. The core schema comes from --schema-dir, else OCDS_SCHEMA_DIR, else
 * `../shared/ocds` beside the clone, and must match its SHA-256 in
 * test/support/ocds-schema-1.1.5.sha256. The patched schema is compiled as the unit test compiles
 * the core one (ajv draft-04, not strict, all errors, ajv-formats) and each release of the package
 * is validated: it prints `valid`, or every error with its instance path and exits 1 (2 when the
 * input is unusable).
 *
 * The extensions are published only on GitHub, which CI cannot reach, so this is not part of `npm test`.
 */

type Json = Record<string, unknown>;

const PROJECT_ROOT = resolve(__dirname, '..');
const SCHEMA_MANIFEST = join(PROJECT_ROOT, 'test', 'support', 'ocds-schema-1.1.5.sha256');

/** A problem with the input: its message is printed and the check exits 2. */
class InputError extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: a patch that is an object is merged key by key (null removes the key); anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const merged: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = mergePatch(merged[key], value);
  }
  return merged;
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new InputError(`${what} not found: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${what} is not JSON: ${file} (${err instanceof Error ? err.message : err})`);
  }
}

/** The core release schema, verified against the pinned SHA-256 the unit test uses. */
function coreReleaseSchema(dir: string): Json {
  const file = join(dir, 'release-schema.json');
  if (!existsSync(file)) throw new InputError(`no release-schema.json in ${dir}: set --schema-dir or OCDS_SCHEMA_DIR`);
  const pinned = readFileSync(SCHEMA_MANIFEST, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find(([, name]) => name === 'release-schema.json')?.[0];
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (actual !== pinned) {
    throw new InputError(`${file} has SHA-256 ${actual}, not the pinned ${pinned} (${SCHEMA_MANIFEST})`);
  }
  return readJson(file, 'core release schema') as Json;
}

/** The repository an extension URL names (`https://raw.githubusercontent.com/<owner>/<repo>/<ref>/extension.json`). */
function extensionName(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const parts = parsed?.pathname.split('/').filter(Boolean) ?? [];
  if (parsed?.hostname !== 'raw.githubusercontent.com' || parts.length < 4 || parts.at(-1) !== 'extension.json') {
    throw new InputError(`extension ${url} is not a raw.githubusercontent.com URL of an extension.json`);
  }
  return parts[1];
}

function describe(e: ErrorObject): string {
  const params = Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
  return `${e.message ?? e.keyword}${params}`;
}

function main(): number {
  const { values, positionals } = parseArgs({
    options: { 'schema-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 2) {
    throw new InputError(
      'usage: ocds-extensions-check.ts [--schema-dir DIR] <patch-dir> <release-package.json> (see the header comment)',
    );
  }
  const [patchDir, packageFile] = positionals;
  const schemaDir =
    values['schema-dir'] ?? process.env.OCDS_SCHEMA_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'ocds');

  const pkg = readJson(packageFile, 'release package');
  if (!isObject(pkg) || !Array.isArray(pkg.releases)) throw new InputError(`${packageFile} has no releases array`);
  const extensions = pkg.extensions ?? [];
  if (!Array.isArray(extensions) || !extensions.every((u) => typeof u === 'string')) {
    throw new InputError(`${packageFile}: extensions is not a list of URLs`);
  }
  if (!existsSync(patchDir)) throw new InputError(`patch directory not found: ${patchDir}`);

  let schema: unknown = coreReleaseSchema(schemaDir);
  const applied = new Set<string>();
  for (const url of extensions) {
    const name = extensionName(url);
    const file = join(patchDir, `${name}.json`);
    const patch = readJson(file, `release-schema.json of ${name} (${url})`);
    if (!isObject(patch)) throw new InputError(`${file} is not a JSON object`);
    schema = mergePatch(schema, patch);
    applied.add(`${name}.json`);
    process.stdout.write(`applied ${name}: ${url}\n`);
  }
  for (const f of readdirSync(patchDir).filter((f) => f.endsWith('.json') && !applied.has(f))) {
    process.stdout.write(`not declared by the package, not applied: ${basename(f)}\n`);
  }

  // As ocds.mapper.spec.ts: the schema is draft-04 and carries OCDS's own keywords (codelist, openCodelist …).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema as Json);

  const errors: string[] = [];
  pkg.releases.forEach((release, i) => {
    if (validate(release)) return;
    for (const e of validate.errors ?? []) errors.push(`/releases/${i}${e.instancePath} ${describe(e)}`);
  });
  if (errors.length === 0) {
    process.stdout.write(`valid (${pkg.releases.length} release(s), ${extensions.length} extension(s))\n`);
    return 0;
  }
  process.stdout.write(`${errors.join('\n')}\n${errors.length} error(s)\n`);
  return 1;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exitCode = err instanceof InputError ? 2 : 1;
}
