import request from 'supertest';
import { eventually, E2eSystem, startE2eSystem } from '../support/e2e-system';

const tenderBody = {
  title: 'Laboratory reagents 2027–2030',
  organization: 'HSN',
  category: 'lab-supplies',
  contractType: 'supplies',
  estimatedValueSek: 4_000_000,
  frameworkAgreement: true,
  contractTermMonths: 24,
  extensionOptionMonths: 24,
};

describe('walking skeleton over HTTP (real PostgreSQL and Temporal)', () => {
  let sys: E2eSystem;
  let officer: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    officer = await sys.token({ sub: 'anna', name: 'Anna Andersson', org: 'HSN', roles: ['procurement_officer'] });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('reports liveness and readiness of PostgreSQL and Temporal', async () => {
    await request(sys.http).get('/health').expect(200, { status: 'ok' });
    const ready = await request(sys.http).get('/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ database: 'up', temporal: 'up' });
  });

  it('serves the OpenAPI document with the tender endpoints', async () => {
    const res = await request(sys.http).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/tenders', '/tenders/{id}', '/health/ready']));
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('refuses a request without a token with 401 problem+json', async () => {
    const res = await request(sys.http).post('/tenders').send(tenderBody).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses a malformed body with 400 naming each field and rule', async () => {
    const res = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({ ...tenderBody, contractType: 'weapons', estimatedValueSek: -5, colour: 'red' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining(['contractType:isIn', 'estimatedValueSek:min', 'colour:unknown_field']),
    );
  });

  it('refuses invalid JSON and oversized bodies', async () => {
    const bad = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .send('{"title": ')
      .expect(400);
    expect(bad.body.detail).toMatch(/not valid JSON/);
    await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({ ...tenderBody, description: 'x'.repeat(200_000) })
      .expect(413);
    // A body in an encoding the parser does not read is the caller's error (415), never a 500.
    const encoded = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'jbQ`S-OnsS?.')
      .send(JSON.stringify(tenderBody))
      .expect(415);
    expect(encoded.headers['content-type']).toContain('application/problem+json');
    expect(encoded.body).toMatchObject({ status: 415, type: expect.stringContaining('unsupported-media-type') });
  });

  it('refuses a tender for another organisation with 403', async () => {
    const res = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({ ...tenderBody, organization: 'OTHER' })
      .expect(403);
    expect(res.body.detail).toMatch(/own organisation/);
  });

  it('starts a tender workflow, answers 201, and a repeat with the same Idempotency-Key returns the same tender', async () => {
    const first = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', 'skeleton-1')
      .send(tenderBody)
      .expect(201);
    expect(first.body).toMatchObject({
      phase: 'needs_analysis',
      regime: 'eu',
      procedure: 'open',
      workflowId: `tender-${first.body.id}`,
    });
    expect(first.body.id).toMatch(/^HSN-\d{4}-\d{5}$/);
    expect(first.body.threshold).toHaveProperty('id');
    expect(first.body.ruleSet).toMatch(/^LOU-/);

    const repeat = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', 'skeleton-1')
      .send(tenderBody)
      .expect(201);
    expect(repeat.body.id).toBe(first.body.id);
    expect(repeat.headers['idempotent-replayed']).toBe('true');

    const changed = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', 'skeleton-1')
      .send({ ...tenderBody, title: 'Another tender' })
      .expect(409);
    expect(changed.body.rule).toBe('idempotency_key_reuse');

    const state = await request(sys.http)
      .get(`/tenders/${first.body.id}`)
      .set('Authorization', `Bearer ${officer}`)
      .expect(200);
    expect(state.body).toMatchObject({ id: first.body.id, phase: 'needs_analysis', organization: 'HSN' });

    const listed = await eventually(async () => {
      const res = await request(sys.http)
        .get('/tenders?phase=needs_analysis')
        .set('Authorization', `Bearer ${officer}`)
        .expect(200);
      return res.body.items.find((t: { id: string }) => t.id === first.body.id);
    });
    expect(listed).toMatchObject({ title: tenderBody.title, phase: 'needs_analysis', estimatedValueSek: 4_000_000 });
  });

  it('answers 404 for an unknown tender', async () => {
    const res = await request(sys.http)
      .get('/tenders/HSN-2026-99999')
      .set('Authorization', `Bearer ${officer}`)
      .expect(404);
    expect(res.body.detail).toMatch(/does not exist/);
  });
});
