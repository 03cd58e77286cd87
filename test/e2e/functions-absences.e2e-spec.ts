import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * People hold functions, and absences name a substitute (issue 29): the function registry, an
 * import that says who holds what, an administrator changing a person's functions, absences
 * recorded by their person (or an administrator), and every change in the directory's chain.
 */

const ORG = 'FNA';
const EXT = 'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User';

const user = (userName: string, displayName: string, functions?: unknown[]) => ({
  userName,
  displayName,
  roles: [{ value: 'approver' }],
  ...(functions ? { [EXT]: { functions } } : {}),
});

describe('functions and absences: /organizations/{org}/functions, …/people/{sub}/absences', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const call = (method: 'get' | 'put' | 'post' | 'delete', path: string, who: string, body?: unknown) => {
    const r = request(sys.http)[method](path).set('Authorization', `Bearer ${t[who]}`);
    return body === undefined ? r : r.send(body as object);
  };

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.admin = await sys.token({ sub: 'fna-admin', name: 'Ada Admin', org: ORG, roles: ['admin'] });
    t.policy = await sys.token({ sub: 'fna-pia', name: 'Pia Policy', org: ORG, roles: ['policy_admin'] });
    t.ulla = await sys.token({ sub: 'fna-ulla', name: 'Ulla Upphandlingschef', org: ORG, roles: ['approver'] });
    t.olle = await sys.token({ sub: 'fna-olle', name: 'Olle', org: ORG, roles: ['approver'] });
    t.outsider = await sys.token({ sub: 'fnx-otto', name: 'Otto', org: 'FNX', roles: ['approver'] });
    // Otto is a person of FNX: he signs in there.
    await call('get', '/approvals', 'outsider').expect(200);
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('registers functions, imports who holds them, and lists the holders of today', async () => {
    await call('put', `/organizations/${ORG}/functions/forvaltningschef`, 'policy', {
      name: 'Förvaltningschef',
    }).expect(200);
    const saved = await call('put', `/organizations/${ORG}/functions/upphandlingschef`, 'policy', {
      name: 'Upphandlingschef',
      superior: 'forvaltningschef',
    }).expect(200);
    expect(saved.body).toMatchObject({ code: 'upphandlingschef', superior: 'forvaltningschef', holders: [] });
    await call('put', `/organizations/${ORG}/functions/upphandlingschef`, 'ulla', { name: 'x' }).expect(403);
    const cycle = await call('put', `/organizations/${ORG}/functions/forvaltningschef`, 'policy', {
      name: 'Förvaltningschef',
      superior: 'upphandlingschef',
    }).expect(422);
    expect(cycle.body).toMatchObject({ rule: 'function_superior_cycle', errors: [{ field: 'superior' }] });

    const unknown = await call('put', `/organizations/${ORG}/people`, 'admin', {
      Resources: [user('fna-ulla', 'Ulla', [{ code: 'regiondirektor' }])],
    }).expect(422);
    expect(unknown.body).toMatchObject({
      rule: 'unknown_function',
      errors: [{ field: `Resources.0.${EXT}.functions.0.code` }],
    });

    const imported = await call('put', `/organizations/${ORG}/people`, 'admin', {
      Resources: [
        user('fna-ulla', 'Ulla Upphandlingschef', [{ code: 'upphandlingschef', validFrom: '2025-01-01' }]),
        user('fna-olle', 'Olle', [{ code: 'upphandlingschef', validFrom: '2024-01-01', validTo: '2025-06-30' }]),
        user('fna-sam', 'Sam Ersättare'),
      ],
    }).expect(200);
    expect(imported.body).toMatchObject({ created: ['fna-olle', 'fna-sam'], updated: ['fna-ulla'] });

    const registry = await call('get', `/organizations/${ORG}/functions`, 'olle').expect(200);
    const chef = registry.body.items.find((f: { code: string }) => f.code === 'upphandlingschef');
    // Olle's holding ended in 2025: today only Ulla holds the function.
    expect(chef.holders).toEqual([
      { sub: 'fna-ulla', name: 'Ulla Upphandlingschef', validFrom: '2025-01-01', validTo: null, absent: false },
    ]);
    await call('get', `/organizations/${ORG}/functions`, 'outsider').expect(403);
  });

  it('an administrator changes a person’s functions, audited; a period that ends before it starts is 400', async () => {
    const bad = await call('put', `/organizations/${ORG}/people/fna-olle/functions`, 'policy', {
      functions: [{ code: 'forvaltningschef', validFrom: '2026-02-01', validTo: '2026-01-31' }],
    }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'functions.0.validTo', rule: 'date_order' })]);
    await call('put', `/organizations/${ORG}/people/fna-olle/functions`, 'olle', { functions: [] }).expect(403);

    const changed = await call('put', `/organizations/${ORG}/people/fna-olle/functions`, 'policy', {
      functions: [{ code: 'forvaltningschef', validFrom: '2025-01-01' }],
    }).expect(200);
    expect(changed.body.functions).toEqual([{ code: 'forvaltningschef', validFrom: '2025-01-01', validTo: null }]);
    const audit = (await call('get', `/organizations/${ORG}/people/audit`, 'admin').expect(200)).body.items;
    const last = audit[audit.length - 1];
    expect(last).toMatchObject({
      type: 'person.functions_changed',
      actor: { sub: 'fna-pia' },
      payload: {
        sub: 'fna-olle',
        functions: [{ code: 'forvaltningschef' }],
        previous: [{ code: 'upphandlingschef', validTo: '2025-06-30' }],
      },
    });
  });

  it('a person records their own absence with a substitute; others’ only an administrator; overlaps 409', async () => {
    const path = `/organizations/${ORG}/people/fna-ulla/absences`;
    const recorded = await call('post', path, 'ulla', {
      from: '2030-07-01',
      to: '2030-07-31',
      substitute: 'fna-sam',
      reason: 'Semester',
    }).expect(201);
    expect(recorded.body).toMatchObject({
      sub: 'fna-ulla',
      from: '2030-07-01',
      to: '2030-07-31',
      substitute: { sub: 'fna-sam', name: 'Sam Ersättare' },
      reason: 'Semester',
      cancelledAt: null,
    });

    await call('post', path, 'olle', { from: '2030-09-01', to: '2030-09-02' }).expect(403);
    const overlap = await call('post', path, 'admin', { from: '2030-07-31', to: '2030-08-05' }).expect(409);
    expect(overlap.body).toMatchObject({ rule: 'absence_overlap' });

    const foreign = await call('post', `/organizations/${ORG}/people/fna-olle/absences`, 'olle', {
      from: '2030-07-01',
      to: '2030-07-02',
      substitute: 'fnx-otto',
    }).expect(422);
    expect(foreign.body).toMatchObject({ rule: 'substitute_unknown', errors: [{ field: 'substitute' }] });
    const backwards = await call('post', `/organizations/${ORG}/people/fna-olle/absences`, 'olle', {
      from: '2030-07-02',
      to: '2030-07-01',
    }).expect(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);

    // An administrator records Olle's, back to back with nothing of his own.
    await call('post', `/organizations/${ORG}/people/fna-olle/absences`, 'admin', {
      from: '2030-07-15',
      to: '2030-07-20',
    }).expect(201);

    const mine = await call('get', path, 'ulla').expect(200);
    expect(mine.body.items).toHaveLength(1);
    await call('get', path, 'olle').expect(403);
  });

  it('lists who is away on a day with their substitutes, to members only and without reasons', async () => {
    const july = await call('get', `/organizations/${ORG}/absences?on=2030-07-31`, 'olle').expect(200);
    expect(july.body).toMatchObject({ on: '2030-07-31', substitutes: [{ absent: 'fna-ulla', substitute: 'fna-sam' }] });
    expect(july.body.items).toHaveLength(1);
    expect(july.body.items[0]).toMatchObject({ sub: 'fna-ulla', substitute: { sub: 'fna-sam' } });
    expect(july.body.items[0].reason).toBeUndefined();
    const august = await call('get', `/organizations/${ORG}/absences?on=2030-08-01`, 'olle').expect(200);
    expect(august.body.items).toEqual([]);
    const both = await call('get', `/organizations/${ORG}/absences?on=2030-07-15`, 'ulla').expect(200);
    expect(both.body.items.map((a: { sub: string }) => a.sub).sort()).toEqual(['fna-olle', 'fna-ulla']);
    await call('get', `/organizations/${ORG}/absences?on=2030-02-30`, 'olle').expect(400);
    await call('get', `/organizations/${ORG}/absences`, 'outsider').expect(403);
  });

  it('cancels an absence not yet started, by its person; every change is in the chain and the chain verifies', async () => {
    const path = `/organizations/${ORG}/people/fna-ulla/absences`;
    const id = (await call('get', path, 'ulla').expect(200)).body.items[0].id as string;
    await call('delete', `${path}/${id}`, 'olle').expect(403);
    const cancelled = await call('delete', `${path}/${id}`, 'ulla').expect(200);
    expect(cancelled.body.cancelledAt).toEqual(expect.any(String));
    await call('delete', `${path}/${id}`, 'ulla').expect(404);
    // The days are free again.
    await call('post', path, 'ulla', { from: '2030-07-10', to: '2030-07-12' }).expect(201);

    const audit = (await call('get', `/organizations/${ORG}/people/audit`, 'admin').expect(200)).body.items;
    expect(audit.map((e: { type: string }) => e.type)).toEqual([
      'function.saved',
      'function.saved',
      'directory.imported',
      'person.functions_changed',
      'absence.recorded',
      'absence.recorded',
      'absence.cancelled',
      'absence.recorded',
    ]);
    const verified = await call('get', `/organizations/${ORG}/people/audit/verify`, 'admin').expect(200);
    expect(verified.body).toMatchObject({ valid: true, events: 8 });
  });
});
