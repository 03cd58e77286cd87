import request from 'supertest';
import { DataSource } from 'typeorm';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';

/**
 * Each attack the hostile-input issue reproduced against `npm start`, with the answer it gets now.
 * (Before: a hung request and a broken chain, 201 for a NUL title, 500s, tokens with bad claims
 * accepted, refusals written twice and into other organisations' chains.)
 */
describe('hostile-input reproductions', () => {
  let sys: E2eSystem;
  let ds: DataSource;
  let officer: string;
  let approver: string;
  let outsider: string;
  const needsAnalysis = {
    sustainability: { notApplicableReason: 'Consultancy hours; no material sustainability impact' },
    supplyPreparedness: { criticality: 'low' },
  };

  beforeAll(async () => {
    sys = await startE2eSystem();
    ds = sys.app.get(DataSource);
    officer = await sys.token({
      sub: 'repro-anna',
      name: 'Anna',
      org: 'REPRO',
      roles: ['procurement_officer', 'partner'],
    });
    approver = await sys.token({
      sub: 'repro-bo',
      name: 'Bo',
      org: 'REPRO',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    outsider = await sys.token({
      sub: 'mallory',
      name: 'Mallory',
      org: 'EVIL',
      roles: ['procurement_officer', 'approver', 'partner'],
      approvalLimitSek: 10_000_000,
    });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  async function newTender(): Promise<string> {
    const res = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        title: 'Consultancy hours',
        organization: 'REPRO',
        category: 'consulting',
        contractType: 'services',
        estimatedValueSek: 1_500_000,
      })
      .expect(201);
    return res.body.id as string;
  }

  /** A tender whose documents are approved: ready to publish. */
  async function approvedTender(): Promise<string> {
    const id = await newTender();
    await request(sys.http)
      .post(`/tenders/${id}/needs-analysis`)
      .set('Authorization', `Bearer ${officer}`)
      .send(needsAnalysis)
      .expect(200);
    await request(sys.http)
      .post(`/tenders/${id}/gates/decision_to_procure/decision`)
      .set('Authorization', `Bearer ${approver}`)
      .send({ decision: 'approve' })
      .expect(200);
    await request(sys.http)
      .post(`/tenders/${id}/documents`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ documents: [{ title: 'Docs', reference: 'D-1' }] })
      .expect(200);
    await request(sys.http)
      .post(`/tenders/${id}/gates/documents_approval/decision`)
      .set('Authorization', `Bearer ${approver}`)
      .send({ decision: 'approve' })
      .expect(200);
    return id;
  }

  const chain = async (id: string) =>
    (await ds.query(`SELECT type, actor_sub, payload FROM audit_events WHERE tender_id = $1 ORDER BY chain_index`, [
      id,
    ])) as { type: string; actor_sub: string; payload: unknown }[];
  const verify = async (id: string) =>
    (await request(sys.http).get(`/tenders/${id}/audit/verify`).set('Authorization', `Bearer ${officer}`).expect(200))
      .body;

  it('a lone surrogate in a cancellation reason is a 400 naming the field; the tender goes on and its chain verifies', async () => {
    const id = await newTender();
    const res = await request(sys.http)
      .post(`/tenders/${id}/cancellation`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .send('{"reason":"x \\ud800 y"}')
      .timeout(5_000)
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'lone_surrogate' })]);
    await request(sys.http)
      .post(`/tenders/${id}/needs-analysis`)
      .set('Authorization', `Bearer ${officer}`)
      .send(needsAnalysis)
      .timeout(5_000)
      .expect(200);
    await eventually(async () => {
      const inbox = await request(sys.http)
        .get('/approvals?status=pending')
        .set('Authorization', `Bearer ${approver}`)
        .expect(200);
      return (inbox.body.items as { tenderId: string }[]).some((g) => g.tenderId === id) ? true : undefined;
    });
    expect(await verify(id)).toMatchObject({ valid: true });
  });

  it("a partner's answer with a lone surrogate cannot jam the inviting organisation's tender", async () => {
    const id = await newTender();
    await request(sys.http)
      .post(`/tenders/${id}/coordination/EVIL/response`)
      .set('Authorization', `Bearer ${outsider}`)
      .set('Content-Type', 'application/json')
      .send('{"answer":"decline","reason":"\\udfff"}')
      .timeout(5_000)
      .expect(400);
    await request(sys.http)
      .post(`/tenders/${id}/needs-analysis`)
      .set('Authorization', `Bearer ${officer}`)
      .send(needsAnalysis)
      .timeout(5_000)
      .expect(200);
    expect(await verify(id)).toMatchObject({ valid: true });
  });

  it('a title with NUL is refused (400), and no workflow starts', async () => {
    const before = Number((await ds.query(`SELECT count(*) AS n FROM tenders`))[0].n);
    const res = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        title: 'Reagents\u0000',
        organization: 'REPRO',
        category: 'lab',
        contractType: 'supplies',
        estimatedValueSek: 500_000,
      })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'title', rule: 'nul_character' })]);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM tenders`))[0].n)).toBe(before);
  });

  it.each([
    ['cursor ["1","x"]', `/tenders?cursor=${Buffer.from('["1","x"]').toString('base64url')}`],
    ['cursor ["2030-02-30","x"]', `/tenders?cursor=${Buffer.from('["2030-02-30","x"]').toString('base64url')}`],
    ['cursor of bad base64', '/tenders?cursor=%%%invalid***'],
    ['q=%00', '/tenders?q=%00'],
    ['category=%00', '/tenders?category=%00'],
    ['/tenders/%00/audit', '/tenders/%00/audit'],
    ['/tenders/%00/audit/verify', '/tenders/%00/audit/verify'],
  ])('%s answers 400, not 500', async (_what, path) => {
    const res = await request(sys.http).get(path).set('Authorization', `Bearer ${officer}`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.field).toBeDefined();
  });

  it('an 80 KB body of nested arrays answers 400 naming the depth rule', async () => {
    const res = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .send('['.repeat(40_000) + ']'.repeat(40_000))
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ rule: 'max_depth' })]);
  });

  it('__proto__ and constructor keys are unknown fields', async () => {
    for (const raw of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}']) {
      const res = await request(sys.http)
        .post('/tenders')
        .set('Authorization', `Bearer ${officer}`)
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ rule: 'unknown_field' })]);
    }
  });

  it.each([
    ['approvalLimitSek 1.5', { approvalLimitSek: 1.5 }],
    ['approvalLimitSek 1e19', { approvalLimitSek: 1e19 }],
    ['approvalLimitSek 1e300', { approvalLimitSek: 1e300 }],
    ['approvalLimitSek -1', { approvalLimitSek: -1 }],
    ['a numeric sub', { sub: 42 as unknown as string }],
    ['an empty sub', { sub: '' }],
    ['an org of 201 characters', { org: 'O'.repeat(201) }],
    ['a NUL in the name', { name: 'Bo\u0000' }],
    ['roles as a string', { roles: 'admin' as unknown as [] }],
  ])('a token with %s answers 401', async (_what, claims) => {
    const token = await sys.token({
      sub: 'repro-claims',
      name: 'Claims',
      org: 'REPRO',
      roles: ['approver'],
      ...claims,
    });
    const res = await request(sys.http).get('/tenders').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it("another organisation's refused command stays out of the tender's chain and goes to the security log, capped", async () => {
    const id = await newTender();
    const before = await eventually(async () => ((await chain(id)).length > 0 ? chain(id) : undefined));
    const big = 'm'.repeat(90_000);
    // Another organisation's tender is missing to the caller (404, as for no tender at all), with a
    // short reason or 90 KB of one; nothing reaches the chain.
    const refused = await request(sys.http)
      .post(`/tenders/${id}/cancellation`)
      .set('Authorization', `Bearer ${outsider}`)
      .send({ reason: 'mine now' });
    expect(refused.status).toBe(404);
    const res = await request(sys.http)
      .post(`/tenders/${id}/cancellation`)
      .set('Authorization', `Bearer ${outsider}`)
      .send({ reason: big });
    expect(res.status).toBe(404);
    expect(await chain(id)).toHaveLength(before.length);
    // The security log is written after the answer: wait for both rows.
    const kinds = await eventually(async () => {
      const rows: { kind: string }[] = await ds.query(
        `SELECT kind FROM security_events WHERE actor_sub = 'mallory' AND route = $1 ORDER BY id`,
        [`/tenders/${id}/cancellation`],
      );
      return rows.length >= 2 ? rows : undefined;
    });
    expect(kinds.map((k) => k.kind)).toEqual(['nonexistent_tender', 'nonexistent_tender']);
    const [logged] = await ds.query(
      `SELECT kind, actor_sub, route, payload_bytes, length(payload_excerpt) AS excerpt FROM security_events WHERE actor_sub = 'mallory' ORDER BY id DESC LIMIT 1`,
    );
    expect(logged).toMatchObject({ actor_sub: 'mallory', route: `/tenders/${id}/cancellation` });
    expect(logged.payload_bytes).toBeGreaterThan(90_000);
    expect(logged.excerpt).toBeLessThan(2_100);
    expect(await verify(id)).toMatchObject({ valid: true });
  });

  it('a command on a tender that does not exist goes to the security log, never to a chain', async () => {
    const ghost = 'REPRO-2026-99999';
    await request(sys.http)
      .post(`/tenders/${ghost}/cancellation`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ reason: 'x' })
      .expect(404);
    expect(await chain(ghost)).toHaveLength(0);
    const logged = await eventually(async () => {
      const [row] = await ds.query(`SELECT kind FROM security_events WHERE route = $1 ORDER BY id DESC LIMIT 1`, [
        `/tenders/${ghost}/cancellation`,
      ]);
      return row as { kind: string } | undefined;
    });
    expect(logged).toEqual({ kind: 'nonexistent_tender' });
  });

  it('a refusal found by an Update handler is recorded once, in the chain of its own organisation', async () => {
    const id = await approvedTender();
    // A deadline before the legal minimum is found by the handler (it needs the deadline activity).
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const res = await request(sys.http)
      .post(`/tenders/${id}/publication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ advertisingDatabase: 'e-Avrop', deadline: tomorrow });
    expect(res.status).toBe(422);
    const refusals = (await chain(id)).filter((e) => e.type === 'command.refused');
    expect(refusals).toHaveLength(1);
    expect(await verify(id)).toMatchObject({ valid: true });
  });

  it('a retried command with the same Idempotency-Key takes effect once and answers the first outcome', async () => {
    const id = await approvedTender();
    await request(sys.http)
      .post(`/tenders/${id}/publication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ advertisingDatabase: 'e-Avrop' })
      .expect(200);
    const ask = () =>
      request(sys.http)
        .post(`/tenders/${id}/questions`)
        .set('Authorization', `Bearer ${officer}`)
        .set('Idempotency-Key', 'question-1')
        .send({ question: 'May we offer an equivalent?' });
    const [a, b, c] = await Promise.all([ask(), ask(), ask()]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(a.body.version).toBe(b.body.version);
    expect(a.body.questions).toHaveLength(1);
    const later = await ask().expect(200);
    expect(later.body.version).toBe(a.body.version);
    const state = await request(sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(state.body.questions).toHaveLength(1);
    const other = await request(sys.http)
      .post(`/tenders/${id}/questions`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', 'question-1')
      .send({ question: 'Another question' })
      .expect(409);
    expect(other.body.rule).toBe('idempotency_key_reuse');
  });
});
