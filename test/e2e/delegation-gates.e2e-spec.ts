import request from 'supertest';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { pdfText } from '../support/pdf-text';
import { auditChain, binaryBody } from '../support/tender-reads';

/**
 * Gates follow the delegation order (issue 29, part 3) over HTTP, against the real API, worker,
 * Temporal and PostgreSQL: a tender pins the order in force at its start; its decision to procure
 * goes to the item that covers its value; the delegate on leave sees nothing in the inbox while the
 * substitute their absence names sees the gate with "ersättare för" and decides it; a token with a
 * larger limit than the order grants cannot decide; the decision in the chain names the item, the
 * order's version and whom the substitute stood in for; a body cannot carry its own authority; and a
 * tender started before a new version keeps the one it pinned.
 */
jest.setTimeout(120_000);

// An organisation of this run only: other suites never touch it.
const SUFFIX = Math.random().toString(36).slice(2, 7).toUpperCase();
const ORG = `DG${SUFFIX}`;

const item = (id: string, delegate: string, limit?: object, extra: object = {}) => ({
  id,
  decision: 'decision_to_procure',
  delegate,
  ...(limit ? { limit } : {}),
  reportToBoard: true,
  substitute: { nearestSuperior: true },
  ...extra,
});
const ORDER_V1 = {
  reference: 'Regionstyrelsen 2026-01-28 § 14',
  items: [
    item('1.1', 'upphandlingschef', { sek: 1_000_000 }),
    item('1.2', 'forvaltningschef', { sek: 10_000_000 }),
    item('1.3', 'regiondirektor'),
  ],
};
const ORDER_V2 = {
  reference: 'Regionstyrelsen 2026-06-10 § 88',
  // The new version gives decisions up to 10 MSEK to the head of procurement.
  items: [item('1.1', 'upphandlingschef', { sek: 10_000_000 }), item('1.3', 'regiondirektor')],
};

const swedishToday = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short' }).format(new Date());
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('gates by the delegation order (real API, worker, Temporal and PostgreSQL)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const call = (method: 'get' | 'put' | 'post', path: string, who: string, body?: unknown) => {
    const r = request(sys.http)[method](path).set('Authorization', `Bearer ${t[who]}`);
    return body === undefined ? r : r.send(body as object);
  };
  const sub = (name: string) => `${ORG.toLowerCase()}-${name}`;
  let tenderId: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    const approver = (name: string, full: string, extra: object = {}) =>
      sys.token({ sub: sub(name), name: full, org: ORG, roles: ['approver'], ...extra });
    t.admin = await sys.token({ sub: sub('admin'), name: 'Ada Admin', org: ORG, roles: ['admin'] });
    t.policy = await sys.token({ sub: sub('pia'), name: 'Pia Policy', org: ORG, roles: ['policy_admin'] });
    t.anna = await sys.token({ sub: sub('anna'), name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.fia = await approver('fia', 'Fia Förvaltningschef');
    t.sam = await approver('sam', 'Sam Ersättare');
    t.ulla = await approver('ulla', 'Ulla Upphandlingschef');
    // Whose token says 100 MSEK but who holds no function of the order.
    t.big = await approver('big', 'Berit Stor', { approvalLimitSek: 100_000_000 });

    for (const [code, name, superior] of [
      ['regiondirektor', 'Regiondirektör', undefined],
      ['forvaltningschef', 'Förvaltningschef', 'regiondirektor'],
      ['upphandlingschef', 'Upphandlingschef', 'forvaltningschef'],
    ] as const) {
      await call('put', `/organizations/${ORG}/functions/${code}`, 'policy', {
        name,
        ...(superior ? { superior } : {}),
      }).expect(200);
    }
    const EXT = 'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User';
    const person = (name: string, displayName: string, code?: string) => ({
      userName: sub(name),
      displayName,
      roles: [{ value: 'approver' }],
      ...(code ? { [EXT]: { functions: [{ code, validFrom: '2024-01-01' }] } } : {}),
    });
    await call('put', `/organizations/${ORG}/people`, 'admin', {
      Resources: [
        person('fia', 'Fia Förvaltningschef', 'forvaltningschef'),
        person('ulla', 'Ulla Upphandlingschef', 'upphandlingschef'),
        person('sam', 'Sam Ersättare'),
        person('big', 'Berit Stor'),
      ],
    }).expect(200);
    await call('put', `/organizations/${ORG}/delegation-order`, 'policy', ORDER_V1).expect(200);
    // Fia is on leave from today for a month, and names Sam to stand in.
    const today = swedishToday();
    await call('post', `/organizations/${ORG}/people/${sub('fia')}/absences`, 'fia', {
      from: today,
      to: addDays(today, 30),
      substitute: sub('sam'),
      reason: 'Semester',
    }).expect(201);

    const created = await call('post', '/tenders', 'anna', {
      title: 'Laboratory reagents under the delegation order',
      organization: ORG,
      category: 'lab-supplies',
      contractType: 'supplies',
      estimatedValueSek: 4_000_000,
      contractTermMonths: 24,
    }).expect(201);
    tenderId = created.body.id;
    // A new version adopted after the tender's start does not move it.
    await call('put', `/organizations/${ORG}/delegation-order`, 'policy', ORDER_V2).expect(200);
    await call('post', `/tenders/${tenderId}/needs-analysis`, 'anna', {
      sustainability: { notApplicableReason: 'Laboratory reagents with no relevant criteria' },
      laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
      supplyPreparedness: { criticality: 'low' },
      lotJustification: 'One supplier chain',
    }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('pins the order in force at the start and puts the gate at the item that covers the value', async () => {
    const s = (await call('get', `/tenders/${tenderId}`, 'anna').expect(200)).body;
    expect(s.delegation.version).toBe(1);
    expect(s.pendingGates[0]).toMatchObject({
      gate: 'decision_to_procure',
      delegation: { version: 1, item: { id: '1.2', delegate: 'forvaltningschef' }, limitSek: 10_000_000 },
    });
    expect(s.pendingGates[0].mayDecide).toContain('item 1.2 of the delegation order (version 1)');
  });

  it('the delegate on leave sees nothing; the substitute sees the gate as “ersättare för” her; others nothing', async () => {
    const inbox = async (who: string) =>
      ((await call('get', '/approvals', who).expect(200)).body.items as { tenderId: string }[]).filter(
        (i) => i.tenderId === tenderId,
      );
    expect(await inbox('fia')).toEqual([]);
    expect(await inbox('ulla')).toEqual([]);
    expect(await inbox('big')).toEqual([]);
    const [seen] = await inbox('sam');
    expect(seen).toMatchObject({
      gate: 'decision_to_procure',
      delegation: { version: 1, item: '1.2', function: 'forvaltningschef', limitSek: 10_000_000 },
      authority: {
        item: '1.2',
        function: 'forvaltningschef',
        via: 'substitute',
        asSubstituteFor: { sub: sub('fia'), name: 'Fia Förvaltningschef' },
      },
    });
    const actions = (await call('get', `/tenders/${tenderId}/actions`, 'sam').expect(200)).body.actions;
    expect(actions).toEqual([
      expect.objectContaining({
        command: 'decideGate',
        gate: 'decision_to_procure',
        authority: expect.objectContaining({
          via: 'substitute',
          asSubstituteFor: expect.objectContaining({ sub: sub('fia') }),
        }),
      }),
    ]);
    expect((await call('get', `/tenders/${tenderId}/actions`, 'big').expect(200)).body.actions).toEqual([]);
    const waiting = (await call('get', '/tenders?waitingForMe=true', 'sam').expect(200)).body.items;
    expect(waiting.map((i: { id: string }) => i.id)).toContain(tenderId);
  });

  it('refuses a larger token limit than the order grants, the absent delegate, and a body that brings its own authority', async () => {
    const path = `/tenders/${tenderId}/gates/decision_to_procure/decision`;
    const big = await call('post', path, 'big', { decision: 'approve' }).expect(403);
    expect(big.body).toMatchObject({ rule: 'delegation_order' });
    expect(big.body.detail).toContain('item 1.2');
    const absent = await call('post', path, 'fia', { decision: 'approve' }).expect(403);
    expect(absent.body).toMatchObject({ rule: 'delegation_order' });
    const forged = await call('post', path, 'big', {
      decision: 'approve',
      authority: { item: '1.2', function: 'forvaltningschef', via: 'delegate' },
    }).expect(400);
    expect(JSON.stringify(forged.body)).toContain('authority');
  });

  it('the substitute decides; the decision and the chain name the item, the version and whom she stood in for', async () => {
    const path = `/tenders/${tenderId}/gates/decision_to_procure/decision`;
    const decided = await call('post', path, 'sam', { decision: 'approve' }).expect(200);
    expect(decided.body.phase).toBe('documents');
    expect(decided.body.gateDecisions[0]).toMatchObject({
      decidedBy: { sub: sub('sam') },
      approvalLimitSek: 10_000_000,
      delegation: {
        version: 1,
        item: '1.2',
        function: 'forvaltningschef',
        via: 'substitute',
        asSubstituteFor: { sub: sub('fia'), name: 'Fia Förvaltningschef' },
        reportToBoard: true,
      },
    });
    const audit = (await call('get', `/tenders/${tenderId}/audit`, 'anna').expect(200)).body.items;
    const event = audit.find((e: { type: string }) => e.type === 'gate.decided');
    expect(event.payload.payload.authority).toEqual({
      item: '1.2',
      function: 'forvaltningschef',
      via: 'substitute',
      asSubstituteFor: { sub: sub('fia'), name: 'Fia Förvaltningschef' },
    });
  });

  it('the register lists each decision taken under delegation, traceable to its audit event, as JSON, CSV and PDF', async () => {
    const today = swedishToday();
    const path = `/organizations/${ORG}/delegation-decisions?from=${today}&to=${today}`;
    const register = (await call('get', path, 'policy').expect(200)).body;
    expect(register).toMatchObject({ organization: ORG, from: today, to: today, truncated: false });
    expect(register.items).toEqual([
      expect.objectContaining({
        date: today,
        item: '1.2',
        version: 1,
        function: 'forvaltningschef',
        via: 'substitute',
        gate: 'decision_to_procure',
        decision: 'approve',
        firstOfTwo: false,
        tenderId,
        title: 'Laboratory reagents under the delegation order',
        valueSek: 4_000_000,
        decidedBy: { sub: sub('sam'), name: 'Sam Ersättare' },
        asSubstituteFor: { sub: sub('fia'), name: 'Fia Förvaltningschef' },
        reportToBoard: true,
        reported: null,
      }),
    ]);
    // Recomputed from the tender's own chain: exactly its delegation.decided events, each the entry's evidence.
    const chain = await auditChain(sys.http, tenderId, t.anna);
    const decided = [...chain.entries()]
      .filter(([, e]) => e.type === 'delegation.decided')
      .map(([index, e]) => ({ tenderId, index, hash: e.hash, type: 'delegation.decided' }));
    expect(register.items.map((e: { evidence: object }) => e.evidence)).toEqual(decided);
    const [event] = (await call('get', `/tenders/${tenderId}/audit`, 'anna').expect(200)).body.items.filter(
      (e: { type: string }) => e.type === 'delegation.decided',
    );
    expect(event).toMatchObject({
      actor: { sub: sub('sam') },
      payload: { item: '1.2', version: 1, asSubstituteFor: { sub: sub('fia') }, reportToBoard: true },
    });

    const csv = await call('get', `${path}&format=csv`, 'fia').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [head, row] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(head).toContain('"Datum";"Punkt";"Version"');
    expect(row).toContain(`"${today}";"1.2";"1";"Beslut att upphandla";"Godkänt"`);
    expect(row).toContain('"Sam Ersättare";"forvaltningschef (ersättare)";"Fia Förvaltningschef";"ja";""');

    const pdf = await call('get', `${path}&format=pdf`, 'policy').buffer(true).parse(binaryBody).expect(200);
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('Anmälan av delegationsbeslut');
    expect(text).toContain('ersättare för Fia Förvaltningschef');
    expect(text).toContain('Ska anmälas; ännu inte anmält.');

    await call('get', path, 'anna').expect(403);
    const backwards = await call(
      'get',
      `/organizations/${ORG}/delegation-decisions?from=${today}&to=2020-01-01`,
      'policy',
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to', rule: 'period' })]);
  });

  it('reporting a batch to the board records it in the organisation’s chain, once', async () => {
    const today = swedishToday();
    const body = { from: today, to: today, meeting: 'Regionstyrelsen 2026-12-17 § 9' };
    await call('post', `/organizations/${ORG}/delegation-decisions/reported`, 'sam', body).expect(403);
    const reported = await call('post', `/organizations/${ORG}/delegation-decisions/reported`, 'policy', body).expect(
      200,
    );
    expect(reported.body).toMatchObject({
      meeting: body.meeting,
      reported: 1,
      decisions: [expect.stringMatching(/#\d+$/)],
    });
    const again = await call('post', `/organizations/${ORG}/delegation-decisions/reported`, 'policy', body).expect(409);
    expect(again.body).toMatchObject({ rule: 'nothing_to_report' });

    const path = `/organizations/${ORG}/delegation-decisions?from=${today}&to=${today}`;
    const [entry] = (await call('get', path, 'policy').expect(200)).body.items;
    expect(entry.reported).toEqual({ meeting: body.meeting, at: expect.any(String) });
    const events = (await call('get', `/organizations/${ORG}/policy/audit`, 'policy').expect(200)).body.items;
    const batch = events.filter((e: { type: string }) => e.type === 'delegation.reported');
    expect(batch).toEqual([
      expect.objectContaining({
        reason: `Anmälda till ${body.meeting}`,
        payload: expect.objectContaining({ count: 1, decisions: [entry.ref], meeting: body.meeting }),
      }),
    ]);
    expect((await call('get', `/organizations/${ORG}/policy/audit/verify`, 'policy').expect(200)).body).toMatchObject({
      valid: true,
    });
  });
});
