import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * The committed `openapi.json` is the contract integrators and the console generate clients from:
 * the served document must equal it, and the console's typed client (console/src/api/schema.d.ts) must be the one generated
 * from it. `npm run openapi` rewrites both after an intended change, so contract changes show up
 * in review as diffs.
 */
const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'openapi.json');
const CLIENT_TYPES = join(ROOT, 'console', 'src', 'api', 'schema.d.ts');
const UPDATE = process.env.UPDATE_OPENAPI === '1';

type Doc = {
  paths: Record<
    string,
    Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
};

function generateClientTypes(documentPath: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'openapi-ts-')), 'schema.d.ts');
  const cli = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  // Defaults are the server's to apply: a client may leave such a field out.
  const r = spawnSync(process.execPath, [cli, documentPath, '--output', out, '--default-non-nullable', 'false'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`openapi-typescript failed: ${r.stdout}${r.stderr}`);
  return readFileSync(out, 'utf8');
}

describe('the OpenAPI document is the contract', () => {
  let sys: E2eSystem;
  let served: Doc;

  beforeAll(async () => {
    sys = await startE2eSystem();
    served = (await request(sys.http).get('/docs-json').expect(200)).body as Doc;
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('the served document equals the committed openapi.json', () => {
    const text = `${JSON.stringify(served, null, 2)}\n`;
    if (UPDATE) writeFileSync(COMMITTED, text);
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(served);
  });

  it('the console typed client (console/src/api/schema.d.ts) is generated from the committed document', () => {
    const generated = generateClientTypes(COMMITTED);
    if (UPDATE) writeFileSync(CLIENT_TYPES, generated);
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(generated);
  }, 60_000);

  it('every error answer of every operation is problem+json, and every secured operation declares 401', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.security?.length && !op.responses['401']) missing.push(`${method} ${path}: 401`);
        for (const [status, r] of Object.entries(op.responses)) {
          if (Number(status) >= 400 && !r.content?.['application/problem+json'])
            missing.push(`${method} ${path}: ${status} not problem+json`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it.each([
    ['TRACE', '/metrics'],
    ['DELETE', '/tenders'],
    ['PUT', '/health'],
    ['PATCH', '/tenders/HSN-2026-00001'],
  ])('%s %s answers 405 with Allow', async (method, path) => {
    const res = await request(sys.http)[method.toLowerCase() as 'put'](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toMatch(/GET/);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('an unknown path is still 404', async () => {
    await request(sys.http).get('/no-such-thing').expect(404);
  });
});
