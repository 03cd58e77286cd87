import request from 'supertest';
import { E2eSystem, startIsolatedE2eSystem } from '../support/e2e-system';

describe('/reference over HTTP', () => {
  let sys: E2eSystem;
  let reader: string;
  let admin: string;

  beforeAll(async () => {
    // An administrator confirms a threshold here, which no one can undo (a confirmed row is final)
    // and which applies group-wide: on a database of its own, not the one the other suites share.
    sys = await startIsolatedE2eSystem('reference');
    reader = await sys.token({ sub: 'eva', org: 'HSN', roles: ['category_manager'] });
    admin = await sys.token({ sub: 'root', org: 'REGION', roles: ['admin'] });
  });
  afterAll(async () => {
    await sys?.close();
  });

  const get = (path: string, token = reader) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);

  it('classifies a purchase and names the threshold row used', async () => {
    const res = await get('/reference/classification?contractType=services&valueSek=2389585&date=2025-05-01').expect(
      200,
    );
    expect(res.body).toMatchObject({
      regime: 'eu',
      threshold: {
        id: 'thr-2024-supplies-services',
        validFrom: '2024-01-01',
        validTo: '2025-12-31',
        sek: 2_389_585,
        eur: 221_000,
        confirmed: true,
      },
    });
    expect(res.body.threshold.source).toEqual(expect.any(String));
    const below = await get('/reference/classification?contractType=services&valueSek=2389584&date=2025-05-01').expect(
      200,
    );
    expect(below.body.regime).toBe('national');
    const direct = await get('/reference/classification?contractType=supplies&valueSek=699999&date=2025-05-01').expect(
      200,
    );
    // The limit itself is not below it (19 a kap. 2 §: "understiga").
    expect(
      (await get('/reference/classification?contractType=supplies&valueSek=700000&date=2025-05-01').expect(200)).body
        .regime,
    ).toBe('national');
    expect(direct.body.regime).toBe('direct');
  });

  it('lists the rows in force at a date, marking unconfirmed SEK figures', async () => {
    const res = await get('/reference/thresholds?date=2026-03-01').expect(200);
    const row = res.body.rows.find((r: { id: string }) => r.id === 'thr-2026-supplies-services');
    expect(row).toMatchObject({ sek: null, eur: 216_000, confirmed: false });
  });

  it('computes a standstill ending after Midsummer (20 kap. 1 §, lag 1930:173)', async () => {
    const res = await get('/reference/deadlines?kind=standstill&from=2025-06-10&notice=electronic').expect(200);
    expect(res.body).toMatchObject({ kind: 'standstill', from: '2025-06-10', days: 10, lastDay: '2025-06-23' });
    expect(res.body.basis).toMatch(/20 kap\. 1 §/);
    const other = await get('/reference/deadlines?kind=standstill&from=2025-12-09&notice=other').expect(200);
    expect(other.body).toMatchObject({ days: 15, lastDay: '2025-12-29' });
  });

  it('answers the earliest lawful tender deadline of an open procedure (11 kap.)', async () => {
    const res = await get(
      '/reference/deadlines?kind=tender_period&from=2026-03-05&regime=eu&procedure=open&electronic=true',
    ).expect(200);
    expect(res.body).toMatchObject({ kind: 'tender_period', days: 30, lastDay: '2026-04-07' });
    expect(res.body.basis).toMatch(/11 kap/);
  });

  it('refuses bad parameters with 400 naming the parameter', async () => {
    const a = await get('/reference/deadlines?kind=standstill&from=2025-13-40').expect(400);
    expect(a.body.errors.map((e: { field: string }) => e.field)).toContain('from');
    const b = await get('/reference/deadlines?kind=fortnight&from=2025-01-01').expect(400);
    expect(b.body.errors.map((e: { field: string }) => e.field)).toContain('kind');
    const c = await get('/reference/classification?contractType=services&valueSek=abc').expect(400);
    expect(c.body.errors.map((e: { field: string }) => e.field)).toContain('valueSek');
    const d = await get('/reference/deadlines?kind=tender_period&from=2026-03-05').expect(400);
    expect(d.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([expect.stringMatching(/regime|procedure/)]),
    );
  });

  it('lets an administrator record an official SEK figure; classification then uses it as confirmed', async () => {
    await request(sys.http)
      .put('/reference/thresholds/thr-2026-works')
      .set('Authorization', `Bearer ${reader}`)
      .send({ sek: 60_000_000, source: 'test figure' })
      .expect(403);
    const set = await request(sys.http)
      .put('/reference/thresholds/thr-2026-works')
      .set('Authorization', `Bearer ${admin}`)
      .send({ sek: 60_000_000, source: 'test figure' })
      .expect(200);
    expect(set.body).toMatchObject({ id: 'thr-2026-works', sek: 60_000_000, confirmed: true });
    const res = await get('/reference/classification?contractType=works&valueSek=59999999&date=2026-03-01').expect(200);
    expect(res.body).toMatchObject({
      regime: 'national',
      threshold: { id: 'thr-2026-works', sek: 60_000_000, confirmed: true },
    });
    await request(sys.http)
      .put('/reference/thresholds/thr-2024-works')
      .set('Authorization', `Bearer ${admin}`)
      .send({ sek: 1, source: 'attempt to change a confirmed row' })
      .expect(409);
  });
});
