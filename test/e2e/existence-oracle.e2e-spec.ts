import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * No existence oracle (ARCHITECTURE §4): to another organisation, a tender (and its contract) answers on
 * every route exactly like one that does not exist; the public export of an unpublished tender is
 * a plain 404; an invited body sees its invitation, its own answer and the public fields only.
 */
const OWNER = 'EXIST';
const STRANGER = 'STRAN';

type Answer = { status: number; type: string | undefined; body: unknown };

describe('no existence oracle', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  let joint: string;
  let direct: string;
  let contractId: string;
  let paths: { method: string; path: string; isPublic: boolean }[] = [];

  const call = (method: string, path: string, token?: string, body: object = {}) => {
    let r = (request(sys.http) as unknown as Record<string, (p: string) => request.Test>)[method](path);
    if (token) r = r.set('Authorization', `Bearer ${token}`);
    return method === 'get' ? r : r.send(body);
  };
  const post = (path: string, token: string, body: object = {}) => call('post', path, token, body);
  const get = (path: string, token?: string) => call('get', path, token);
  /** The answer with the id in it written as <id>, and without `instance` (the request's own URL). */
  function normalised(res: request.Response, id: string): Answer {
    const { instance: _instance, ...rest } = (res.body ?? {}) as Record<string, unknown>;
    return {
      status: res.status,
      type: String(res.headers['content-type']).split(';')[0],
      body: JSON.parse(JSON.stringify(rest).split(id).join('<id>')),
    };
  }

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna-x', name: 'Anna', org: OWNER, roles: ['procurement_officer'] });
    t.bo = await sys.token({ sub: 'bo-x', name: 'Bo', org: OWNER, roles: ['approver'], approvalLimitSek: 50_000_000 });
    // Every role but admin, of another organisation.
    t.stranger = await sys.token({
      sub: 'mallory',
      name: 'Mallory',
      org: STRANGER,
      roles: ['procurement_officer', 'approver', 'category_manager', 'contract_manager', 'partner'],
      approvalLimitSek: 1e12,
      categories: ['joint-x', 'direct-x'],
    });
    t.pia = await sys.token({ sub: 'pia-x', name: 'Pia', org: 'KOMMA', roles: ['partner'] });
    t.per = await sys.token({ sub: 'per-x', name: 'Per', org: 'KOMMB', roles: ['partner'] });
    t.sam = await sys.token({ sub: 'sam-x', name: 'Sam', org: 'KOMMC', roles: ['partner'] });

    const doc = (await get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    paths = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method, path, isPublic: !op.security || op.security.length === 0 })),
    );

    // A joint procurement: KOMMA joins, KOMMB declines; KOMMC is not invited.
    joint = (
      await post('/tenders', t.anna, {
        title: 'Joint laundry services',
        organization: OWNER,
        category: 'joint-x',
        contractType: 'services',
        estimatedValueSek: 4_000_000,
        contractTermMonths: 24,
        invitedBodies: [
          { organization: 'KOMMA', name: 'Kommun A', contactEmail: 'a@example.se' },
          { organization: 'KOMMB', name: 'Kommun B', contactEmail: 'b@example.se' },
        ],
      }).expect(201)
    ).body.id;
    await post(`/tenders/${joint}/needs-analysis`, t.anna, {
      need: 'Laundry for three hospitals; the internal cost estimate is confidential',
      sustainability: { criteria: ['Ecolabelled detergents'], level: 'bas' },
      laborConditions: { required: true, justification: 'Labour-intensive service' },
      supplyPreparedness: { criticality: 'high', measures: 'Two suppliers in the region' },
      lotJustification: 'One service',
    }).expect(200);
    await post(`/tenders/${joint}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
    await post(`/tenders/${joint}/coordination/KOMMA/response`, t.pia, {
      answer: 'join',
      estimatedVolume: '40 %',
      mandateReference: 'KF A 2026-01',
    }).expect(200);
    await post(`/tenders/${joint}/coordination/KOMMB/response`, t.per, {
      answer: 'decline',
      reason: 'Own agreement until 2029',
    }).expect(200);

    // A direct award with its contract, for the contract routes.
    direct = (
      await post('/tenders', t.anna, {
        title: 'Key cutting',
        organization: OWNER,
        category: 'direct-x',
        contractType: 'services',
        estimatedValueSek: 80_000,
      }).expect(201)
    ).body.id;
    await post(`/tenders/${direct}/needs-analysis`, t.anna, {
      sustainability: { notApplicableReason: 'Small service' },
      supplyPreparedness: { criticality: 'low' },
    }).expect(200);
    await post(`/tenders/${direct}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    const registered = await post(`/tenders/${direct}/contract`, t.anna, {
      supplier: 'Nyckel AB',
      valueSek: 80_000,
      startDate: today,
      endDate: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      signedAt: today,
    }).expect(200);
    contractId = registered.body.followUp.contractId;
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('answers another organisation on every tender route exactly as for a missing tender (404, same body)', async () => {
    const missing = `${OWNER}-2026-9${Date.now() % 1e8}`;
    const routes = paths.filter((p) => p.path.startsWith('/tenders/{id}') && !p.isPublic);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const concrete = (p: string, id: string) =>
      p
        .replace('{id}', id)
        .replace('{gate}', 'decision_to_procure')
        .replace('{org}', STRANGER)
        .replace('{qid}', 'Q1')
        .replace('{rid}', 'R1')
        .replace('{n}', '1')
        .replace('{kind}', 'opening-protocol');
    // Bodies that pass validation, so that a route which checked the body first could not hide a leak behind a 400.
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    const bodies: Record<string, object> = {
      '/tenders/{id}/needs-analysis': {
        sustainability: { notApplicableReason: 'Not applicable here' },
        supplyPreparedness: { criticality: 'low' },
      },
      '/tenders/{id}/cancellation': { reason: 'No longer needed' },
      '/tenders/{id}/conflict-declarations': { hasConflict: false, statement: 'None' },
      '/tenders/{id}/questions': { question: 'Which sizes?' },
      '/tenders/{id}/contract': {
        supplier: 'Nyckel AB',
        valueSek: 1,
        startDate: today,
        endDate: today,
        signedAt: today,
      },
      '/tenders/{id}/gates/{gate}/decision': { decision: 'approve' },
      '/tenders/{id}/coordination/{org}/response': { answer: 'decline', reason: 'Not for us' },
    };
    const differences: string[] = [];
    const statuses = new Set<number>();
    for (const r of routes) {
      for (const id of [joint, direct]) {
        const body = bodies[r.path] ?? {};
        const foreign = normalised(await call(r.method, concrete(r.path, id), t.stranger, body), id);
        const absent = normalised(await call(r.method, concrete(r.path, missing), t.stranger, body), missing);
        statuses.add(foreign.status);
        if (JSON.stringify(foreign) !== JSON.stringify(absent))
          differences.push(
            `${r.method.toUpperCase()} ${r.path}: ${JSON.stringify(foreign)} vs ${JSON.stringify(absent)}`,
          );
      }
    }
    expect(differences).toEqual([]);
    expect([...statuses]).toEqual([404]);
    process.stdout.write(
      `existence oracle: ${routes.length} tender routes × 2 tenders, another organisation's answer = a missing tender's (404)\n`,
    );
  });

  it('answers another organisation on the contract routes exactly as for a missing contract', async () => {
    const missing = `${OWNER}-2026-9${Date.now() % 1e8}-K1`;
    const routes = paths.filter((p) => p.path.startsWith('/contracts/{id}'));
    expect(routes.length).toBeGreaterThanOrEqual(3);
    for (const r of routes) {
      const path = (id: string) => r.path.replace('{id}', id).replace('{mid}', 'M1');
      // A body each route takes, so that what answers is the contract's existence, not the body's shape.
      const body = r.path.endsWith('/changes')
        ? { ground: 'unforeseen', valueChangeSek: 1, overallNatureChanged: false, description: 'x' }
        : { outcome: 'ok', note: 'x' };
      const foreign = normalised(await call(r.method, path(contractId), t.stranger, body), contractId);
      const absent = normalised(await call(r.method, path(missing), t.stranger, body), missing);
      expect({ route: r.path, ...foreign }).toEqual({ route: r.path, ...absent });
      expect(foreign.status).toBe(404);
    }
    // The tender's own organisation still reads it.
    await get(`/contracts/${contractId}`, t.anna).expect(200);
  });

  it('leaves nothing in the tender’s audit chain from the stranger', async () => {
    const events = (await get(`/tenders/${joint}/audit`, t.anna).expect(200)).body.items as {
      actor: { org: string } | null;
    }[];
    expect(events.filter((e) => e.actor?.org === STRANGER)).toEqual([]);
  });

  it('the public OCDS export of an unpublished tender is a plain 404, the same as for a missing one, naming no phase', async () => {
    const missing = `${OWNER}-2026-9${Date.now() % 1e8}`;
    const unpublished = normalised(await get(`/tenders/${joint}/ocds`).expect(404), joint);
    const absent = normalised(await get(`/tenders/${missing}/ocds`).expect(404), missing);
    expect(unpublished).toEqual(absent);
    expect(JSON.stringify(unpublished)).not.toMatch(/documents|coordination|needs_analysis|phase|published/);
    // A direct award with its contract is public.
    await get(`/tenders/${direct}/ocds`).expect(200);
  });

  it('an invited body sees its invitation, its own answer and the public fields; not the rest', async () => {
    const view = (await get(`/tenders/${joint}`, t.per).expect(200)).body as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual(
      [
        'view',
        'id',
        'title',
        'organization',
        'category',
        'contractType',
        'regime',
        'procedure',
        'estimatedValueSek',
        'phase',
        'invitation',
      ].sort(),
    );
    expect(view).toMatchObject({ view: 'partner', id: joint, organization: OWNER, phase: 'documents' });
    expect(view.invitation).toMatchObject({
      organization: 'KOMMB',
      status: 'declined',
      declineReason: 'Own agreement until 2029',
      answeredBy: { sub: 'per-x', name: 'Per' },
    });
    expect((view.invitation as { responseDeadline: string }).responseDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = JSON.stringify(view);
    for (const secret of ['KOMMA', 'KF A 2026-01', '40 %', 'confidential', 'Two suppliers', 'bo-x', 'anna-x'])
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    // The body that joined sees its own answer, not the one that declined.
    const joined = (await get(`/tenders/${joint}`, t.pia).expect(200)).body as Record<string, unknown>;
    expect(joined.invitation).toMatchObject({
      organization: 'KOMMA',
      status: 'joined',
      mandateReference: 'KF A 2026-01',
    });
    expect(JSON.stringify(joined)).not.toContain('KOMMB');
    // The audit log is the tender organisation's: an invited body is told no, a stranger that there is no such tender.
    expect((await get(`/tenders/${joint}/audit`, t.per).expect(403)).body.detail).toMatch(
      /organisation and administrators/,
    );
    await get(`/tenders/${joint}/audit`, t.sam).expect(404);
    // A body that was not invited: no such tender.
    expect((await get(`/tenders/${joint}`, t.sam).expect(404)).body.detail).toBe(`Tender ${joint} does not exist`);
    // The owner still sees everything.
    const full = (await get(`/tenders/${joint}`, t.anna).expect(200)).body as {
      participants: unknown[];
      needsAnalysis: unknown;
    };
    expect(full.participants).toHaveLength(2);
    expect(full.needsAnalysis).toBeDefined();
  });
});
