import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * The delegation order (delegationsordning, issue 29 part 1) as versioned data over HTTP, against
 * the real API and PostgreSQL: versions adopted by the organisation's policy_admin with the board's
 * decision, the version in force and the history, the adoptions in the organisation's policy chain
 * (which still verifies), a malformed order refused naming its field, an officer refused, and a
 * retried adoption that adopts once. Who may decide a gate does not read the order yet (part 3).
 */
jest.setTimeout(60_000);

// An organisation of this run only: other suites never touch it.
const SUFFIX = Math.random().toString(36).slice(2, 7).toUpperCase();
const ORG = `DEL${SUFFIX}`;

const award = (id: string, delegate: string, limit?: object) => ({
  id,
  decision: 'award_decision',
  delegate,
  ...(limit ? { limit } : {}),
  reportToBoard: true,
  substitute: { nearestSuperior: true },
});

const V1 = {
  reference: 'Regionstyrelsen 2026-01-28 § 14',
  items: [
    award('3.1', 'upphandlingschef', { sek: 2_000_000 }),
    award('3.2', 'förvaltningschef', { sek: 10_000_000 }),
    {
      id: '4.1',
      decision: 'direct_award',
      delegate: 'enhetschef',
      limit: { prisbasbelopp: 10 },
      conditions: { regimes: ['direct'] },
      furtherDelegation: { allowed: true, to: ['gruppchef'] },
      reportToBoard: false,
      substitute: { function: 'biträdande_enhetschef' },
    },
  ],
};
const V2 = {
  ...V1,
  reference: 'Regionstyrelsen 2026-06-10 § 88',
  items: [...V1.items, award('3.3', 'regiondirektör')],
};

describe('the delegation order as versioned data (real API and PostgreSQL)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const put = (token: string, body: unknown) =>
    request(sys.http)
      .put(`/organizations/${ORG}/delegation-order`)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.ada = await sys.token({ sub: 'ada', name: 'Ada Administratör', org: 'IT', roles: ['admin'] });
    t.pia = await sys.token({ sub: 'pia', name: 'Pia Policyägare', org: ORG, roles: ['policy_admin'] });
    t.olle = await sys.token({ sub: 'olle', name: 'Olle Upphandlare', org: ORG, roles: ['procurement_officer'] });
    await request(sys.http)
      .put(`/organizations/${ORG}`)
      .set('Authorization', `Bearer ${t.ada}`)
      .send({ name: 'Delegationsregionen' })
      .expect(200);
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('before any adoption: version 0 and no items', async () => {
    expect((await get(`/organizations/${ORG}/delegation-order`, t.olle).expect(200)).body).toEqual({
      organization: ORG,
      version: 0,
      validFrom: null,
      decidedBy: null,
      reference: null,
      items: [],
    });
  });

  it('the policy_admin adopts version 1; members read it', async () => {
    const adopted = (await put(t.pia, V1).expect(200)).body;
    expect(adopted).toMatchObject({
      organization: ORG,
      version: 1,
      reference: V1.reference,
      decidedBy: { sub: 'pia', name: 'Pia Policyägare' },
      items: V1.items,
    });
    expect(Date.parse(adopted.validFrom)).not.toBeNaN();
    expect((await get(`/organizations/${ORG}/delegation-order`, t.olle).expect(200)).body).toEqual(adopted);
  });

  it('version 2 is in force; the versions are listed newest first', async () => {
    expect((await put(t.ada, V2).expect(200)).body).toMatchObject({ version: 2, reference: V2.reference });
    expect((await get(`/organizations/${ORG}/delegation-order`, t.olle).expect(200)).body.items).toHaveLength(4);
    const versions = (await get(`/organizations/${ORG}/delegation-order/versions`, t.olle).expect(200)).body;
    expect(versions.organization).toBe(ORG);
    expect(versions.items.map((v: { version: number; reference: string }) => [v.version, v.reference])).toEqual([
      [2, V2.reference],
      [1, V1.reference],
    ]);
  });

  it("each adoption is an event in the organisation's policy chain, and the chain verifies", async () => {
    const events = (await get(`/organizations/${ORG}/policy/audit`, t.olle).expect(200)).body.items as {
      type: string;
      reason?: string;
      payload: { version?: number };
    }[];
    expect(events.filter((e) => e.type === 'delegation_order.version_created')).toEqual([
      expect.objectContaining({ reason: V1.reference, payload: expect.objectContaining({ version: 1 }) }),
      expect.objectContaining({ reason: V2.reference, payload: expect.objectContaining({ version: 2 }) }),
    ]);
    expect((await get(`/organizations/${ORG}/policy/audit/verify`, t.olle).expect(200)).body).toMatchObject({
      valid: true,
      events: events.length,
    });
  });

  it('a malformed order is 400 naming the field, one whose items do not hold together 422; nothing is adopted', async () => {
    const shape = await put(t.pia, { ...V1, items: [{ ...V1.items[0], limit: { sek: -5 } }] }).expect(400);
    expect(shape.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shape.body.errors).toEqual([expect.objectContaining({ field: 'items.0.limit.sek' })]);
    const twice = await put(t.pia, { ...V1, items: [V1.items[0], { ...V1.items[1], id: '3.1' }] }).expect(422);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'items.1.id', rule: 'unique' })]);
    const further = await put(t.pia, {
      ...V1,
      items: [{ ...V1.items[2], furtherDelegation: { allowed: true } }],
    }).expect(422);
    expect(further.body.errors).toEqual([
      expect.objectContaining({ field: 'items.0.furtherDelegation.to', rule: 'further_delegation_targets' }),
    ]);
    const missing = await put(t.pia, { items: V1.items }).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'reference', rule: 'required' })]);
    expect((await get(`/organizations/${ORG}/delegation-order`, t.olle).expect(200)).body.version).toBe(2);
  });

  it("an officer's adoption is 403, as is another organisation's policy_admin's", async () => {
    expect((await put(t.olle, V1).expect(403)).body.status).toBe(403);
    const other = await sys.token({ sub: 'otto', name: 'Otto Annan', org: `OTH${SUFFIX}`, roles: ['policy_admin'] });
    expect((await put(other, V1).expect(403)).body.rule).toBe('organization');
  });

  it('a retry with the same Idempotency-Key adopts once; the key with another body is 409', async () => {
    const key = `delegation-${SUFFIX}-${Date.now()}`;
    const body = { ...V2, reference: 'Regionstyrelsen 2026-09-02 § 120' };
    const first = await put(t.pia, body).set('Idempotency-Key', key).expect(200);
    const again = await put(t.pia, body).set('Idempotency-Key', key).expect(200);
    expect(first.body.version).toBe(3);
    expect(again.body).toEqual(first.body);
    const other = await put(t.pia, { ...body, items: V1.items })
      .set('Idempotency-Key', key)
      .expect(409);
    expect(other.body.rule).toBe('idempotency_key_reuse');
    const versions = (await get(`/organizations/${ORG}/delegation-order/versions`, t.pia).expect(200)).body.items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });
});
