import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';

/**
 * The procurement policy as versioned data over HTTP, against the real API, worker, PostgreSQL and
 * Temporal dev server (ARCHITECTURE §5a, issue 14): the region (the group) and a wholly-owned company as
 * reference data, policy versions adopted by their policy_admins, inheritance, the published JSON
 * Schema, the audit chain of policy changes, categories with category managers and their own
 * rules, and the pinning of each tender to the version in force at its creation.
 *
 * Every rule's effect runs on the time-skipping server in workflows/tender/tender.policy.spec.ts;
 * here the rules that need the HTTP layer or the real read model: dual approval (the approvals
 * inbox), a category's rule, the quotes and the follow-up plan through the DTOs, and the group-wide
 * coordination check against the read model.
 */
jest.setTimeout(60_000);

// Organisations of this run only: other suites (and the API fuzzer) never touch them.
const SUFFIX = Math.random().toString(36).slice(2, 7).toUpperCase();
const REGION = `REG${SUFFIX}`;
const BOLAG = `BOL${SUFFIX}`;
const REFERENCE = 'Regionstyrelsen 2026-11-20 § 112';

const euNeeds = {
  need: 'Reagents for the laboratories',
  sustainability: { criteria: ['Fossil-free transport'], level: 'bas' },
  laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
  supplyPreparedness: { criticality: 'low' },
  lotJustification: 'One integrated analyser platform',
};

function swedishDay(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

describe('the procurement policy as versioned data (real API, worker, PostgreSQL and Temporal)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const send = (method: 'post' | 'put', path: string, token: string, body: unknown = {}) => {
    const agent = request(sys.http);
    return agent[method](path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  };
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  async function refused(
    res: request.Response,
    status: number,
  ): Promise<Record<string, unknown> & { rule?: string; errors?: { field: string; rule: string }[]; detail?: string }> {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  }
  const createTender = async (token: string, body: Record<string, unknown>) =>
    (
      await send('post', '/tenders', token, {
        title: 'Laboratory reagents',
        contractType: 'supplies',
        organization: BOLAG,
        category: 'reagents',
        ...body,
      }).expect(201)
    ).body as {
      id: string;
      policyVersion: string;
    };
  const tender = async (id: string) => (await get(`/tenders/${id}`, t.anna).expect(200)).body as TenderState;

  beforeAll(async () => {
    sys = await startE2eSystem();
    const mint = sys.token;
    t.ada = await mint({ sub: 'ada', name: 'Ada Administratör', org: 'IT', roles: ['admin'] });
    t.rut = await mint({ sub: 'rut', name: 'Rut Regionpolicy', org: REGION, roles: ['policy_admin'] });
    t.rita = await mint({ sub: 'rita', name: 'Rita Regionupphandlare', org: REGION, roles: ['procurement_officer'] });
    t.bert = await mint({ sub: 'bert', name: 'Bert Bolagspolicy', org: BOLAG, roles: ['policy_admin'] });
    t.anna = await mint({ sub: 'anna', name: 'Anna Upphandlare', org: BOLAG, roles: ['procurement_officer'] });
    t.bo = await mint({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: BOLAG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
    t.cia = await mint({
      sub: 'cia',
      name: 'Cia Beslutsfattare',
      org: BOLAG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
    t.otto = await mint({
      sub: 'otto',
      name: 'Otto Annan',
      org: `OTH${SUFFIX}`,
      roles: ['procurement_officer', 'policy_admin'],
    });
  });
  afterAll(async () => {
    await sys?.close();
  });

  let before: { id: string; policyVersion: string };
  let after: { id: string; policyVersion: string };

  it('an administrator registers the region and its wholly-owned company (reference data); others may not', async () => {
    await send('put', `/organizations/${REGION}`, t.ada, { name: 'Regionen' }).expect(200);
    const bolag = await send('put', `/organizations/${BOLAG}`, t.ada, {
      name: 'Regionens Bolag AB',
      parent: REGION,
    }).expect(200);
    expect(bolag.body).toMatchObject({ code: BOLAG, parent: REGION, group: REGION, companies: [] });
    expect((await get(`/organizations/${REGION}`, t.anna).expect(200)).body).toMatchObject({
      group: REGION,
      companies: [BOLAG],
    });
    expect((await refused(await send('put', `/organizations/${BOLAG}`, t.bert, { name: 'x' }), 403)).detail).toContain(
      'admin',
    );
    expect(
      (
        await refused(
          await send('put', `/organizations/X${SUFFIX}`, t.ada, { name: 'x', parent: `NONE${SUFFIX}` }),
          422,
        )
      ).errors,
    ).toEqual([expect.objectContaining({ field: 'parent', rule: 'unknown_organisation' })]);
    expect(
      (await refused(await send('put', `/organizations/${REGION}`, t.ada, { name: 'Regionen', parent: BOLAG }), 422))
        .errors,
    ).toEqual([expect.objectContaining({ field: 'parent', rule: 'ownership_cycle' })]);
    await refused(
      await send('put', `/organizations/${REGION}`, t.ada, { name: 'Regionen', parent: 'lower-case' }),
      400,
    );
  });

  it('before any decision the defaults apply; a tender created now pins version 0 of both levels', async () => {
    const p = (await get(`/organizations/${BOLAG}/policy`, t.anna).expect(200)).body;
    expect(p).toMatchObject({
      organization: BOLAG,
      version: 0,
      validFrom: null,
      decidedBy: null,
      reference: null,
      policyVersion: `${REGION}@0/${BOLAG}@0`,
    });
    expect(p.rules).toMatchObject({
      questionCutoffDays: 10,
      dualApprovalFromSek: false,
      groupCoordinationCheck: false,
    });
    before = await createTender(t.anna, { title: 'Reagents (before the decision)', estimatedValueSek: 6_000_000 });
    expect(before.policyVersion).toBe(`${REGION}@0/${BOLAG}@0`);
  });

  it("an officer's PUT answers 403, and so does another organisation's policy_admin", async () => {
    const body = { rules: { dualApprovalFromSek: 5_000_000 }, reference: REFERENCE };
    expect((await refused(await send('put', `/organizations/${BOLAG}/policy`, t.anna, body), 403)).detail).toContain(
      'policy_admin',
    );
    expect((await refused(await send('put', `/organizations/${REGION}/policy`, t.bert, body), 403)).rule).toBe(
      'organization',
    );
    expect((await refused(await send('put', `/organizations/${BOLAG}/policy`, t.otto, body), 403)).rule).toBe(
      'organization',
    );
  });

  it('an invalid rule answers 400 naming the field; a well-formed one the store refuses, 422 naming it; nothing is adopted', async () => {
    const bad = async (body: unknown, status = 400) =>
      (await refused(await send('put', `/organizations/${REGION}/policy`, t.rut, body), status)).errors!.map((e) => [
        e.field,
        e.rule,
      ]);
    expect(await bad({ rules: { dualApprovalFromSek: -5 }, reference: REFERENCE })).toEqual([
      ['rules.dualApprovalFromSek', 'minimum'],
    ]);
    expect(await bad({ rules: { dualApprovalFromSek: 'off' }, reference: REFERENCE })).toEqual([
      ['rules.dualApprovalFromSek', 'type'],
    ]);
    expect(await bad({ rules: { lotsRequiredFromSek: null }, reference: REFERENCE })).toEqual([
      ['rules.lotsRequiredFromSek', 'not_null'],
    ]);
    expect(await bad({ rules: { questionCutoffDays: '10' }, reference: REFERENCE })).toEqual([
      ['rules.questionCutoffDays', 'type'],
    ]);
    expect(await bad({ rules: { dualApproval: 5 }, reference: REFERENCE })).toEqual([
      ['rules.dualApproval', 'unknown_field'],
    ]);
    expect(await bad({ rules: {} })).toEqual([['reference', 'required']]);
    expect(await bad({ rules: {}, categoryRules: [{ category: 'No Such', rules: {} }], reference: REFERENCE })).toEqual(
      [['categoryRules.0.category', 'pattern']],
    );
    expect(await bad({ rules: { coordinationReminderDays: 14 }, reference: REFERENCE }, 422)).toEqual([
      ['rules.coordinationReminderDays', 'policy_consistency'],
    ]);
    expect(
      await bad(
        {
          rules: {},
          categoryRules: [{ category: 'no-such', rules: { followUpPlanRequired: true } }],
          reference: REFERENCE,
        },
        422,
      ),
    ).toEqual([['categoryRules.0.category', 'unknown_category']]);
    expect((await get(`/organizations/${REGION}/policy/versions`, t.rut).expect(200)).body.items).toEqual([]);
  });

  it('the JSON Schema the API validates against is published in the OpenAPI document', async () => {
    const doc = (await request(sys.http).get('/docs-json').expect(200)).body;
    expect(doc.components.schemas.PolicyRules.properties.dualApprovalFromSek.oneOf).toEqual([
      expect.objectContaining({ type: 'integer', minimum: 0 }),
      { type: 'boolean', enum: [false] },
    ]);
    expect(doc.components.schemas.PolicyUpdate.required).toEqual(['rules', 'reference']);
    expect(doc.paths['/organizations/{org}/policy'].put.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PolicyUpdate',
    });
  });

  it('the region adopts version 1 (dual approval from 5 MSEK); its company inherits it and overrides a single rule', async () => {
    const region = await send('put', `/organizations/${REGION}/policy`, t.rut, {
      rules: { dualApprovalFromSek: 5_000_000, questionCutoffDays: 12 },
      reference: REFERENCE,
    }).expect(200);
    expect(region.body).toMatchObject({
      organization: REGION,
      version: 1,
      decidedBy: { sub: 'rut', name: 'Rut Regionpolicy' },
      reference: REFERENCE,
      policyVersion: `${REGION}@1`,
    });
    expect(Date.parse(region.body.validFrom)).toBeLessThanOrEqual(Date.now());
    const company = await send('put', `/organizations/${BOLAG}/policy`, t.bert, {
      rules: { questionCutoffDays: 8 },
      reference: 'Bolagsstyrelsen 2026-11-22 § 7',
    }).expect(200);
    expect(company.body).toMatchObject({
      organization: BOLAG,
      version: 1,
      policyVersion: `${REGION}@1/${BOLAG}@1`,
      overrides: { questionCutoffDays: 8 },
      inheritsFrom: [{ organization: REGION, version: 1 }],
    });
    expect(company.body.rules).toMatchObject({
      dualApprovalFromSek: 5_000_000,
      questionCutoffDays: 8,
      coordinationResponseDays: 14,
    });
    expect(company.body.sources).toMatchObject({
      dualApprovalFromSek: REGION,
      questionCutoffDays: BOLAG,
      coordinationResponseDays: 'default',
    });
    // Members of the company read the group's policy; outsiders read neither.
    await get(`/organizations/${REGION}/policy`, t.anna).expect(200);
    await refused(await get(`/organizations/${BOLAG}/policy`, t.otto), 403);
    const versions = (await get(`/organizations/${BOLAG}/policy/versions`, t.anna).expect(200)).body;
    expect(versions.items).toEqual([
      expect.objectContaining({
        version: 1,
        reference: 'Bolagsstyrelsen 2026-11-22 § 7',
        rules: { questionCutoffDays: 8 },
        decidedBy: { sub: 'bert', name: 'Bert Bolagspolicy' },
      }),
    ]);
  });

  it('the change is audited in the organisation’s own hash chain', async () => {
    const events = (await get(`/organizations/${REGION}/policy/audit`, t.rut).expect(200)).body.items as {
      type: string;
      actor: { sub: string } | null;
      reason: string;
      payload: { version?: number };
    }[];
    // The region's registration (the refused attempt to put it under its own company wrote nothing), then its version 1.
    expect(events.map((e) => e.type)).toEqual(['organization.saved', 'policy.version_created']);
    expect(events[1]).toMatchObject({
      actor: { sub: 'rut' },
      reason: REFERENCE,
      payload: { version: 1, rules: { dualApprovalFromSek: 5_000_000 } },
    });
    expect((await get(`/organizations/${REGION}/policy/audit/verify`, t.rut).expect(200)).body).toMatchObject({
      valid: true,
      events: 2,
    });
  });

  it('a tender created afterwards runs under the new version; the one created before keeps the old', async () => {
    after = await createTender(t.anna, { title: 'Reagents (after the decision)', estimatedValueSek: 6_000_000 });
    expect(after.policyVersion).toBe(`${REGION}@1/${BOLAG}@1`);
    const [old, fresh] = [await tender(before.id), await tender(after.id)];
    expect([old.policyVersion, old.policy!.dualApprovalFromSek, old.policy!.questionCutoffDays]).toEqual([
      `${REGION}@0/${BOLAG}@0`,
      false,
      10,
    ]);
    expect([fresh.policyVersion, fresh.policy!.dualApprovalFromSek, fresh.policy!.questionCutoffDays]).toEqual([
      `${REGION}@1/${BOLAG}@1`,
      5_000_000,
      8,
    ]);
    // The pinned version is in the tender's audit chain and in the list.
    // The chain and the read model follow the workflow's first commit.
    const created = await eventually(async () => {
      const res = await get(`/tenders/${after.id}/audit`, t.anna);
      return res.status === 200 ? res.body.items.find((e: { type: string }) => e.type === 'tender.created') : undefined;
    });
    expect(created.payload.input).toMatchObject({
      policyVersion: `${REGION}@1/${BOLAG}@1`,
      policy: { dualApprovalFromSek: 5_000_000 },
    });
    const listed = await eventually(async () => {
      const items = (await get(`/tenders?organization=${BOLAG}`, t.anna).expect(200)).body.items as {
        id: string;
        policyVersion: string | null;
      }[];
      return items.find((i) => i.id === after.id && i.policyVersion) ? items : undefined;
    });
    expect(listed.find((i) => i.id === before.id)!.policyVersion).toBe(`${REGION}@0/${BOLAG}@0`);
  });

  it('dualApprovalFromSek at 5 MSEK: the 6 MSEK tender needs two different approvers, the same approver twice is 409; the older tender one', async () => {
    await send('post', `/tenders/${after.id}/needs-analysis`, t.anna, euNeeds).expect(200);
    let s = (
      await send('post', `/tenders/${after.id}/gates/decision_to_procure/decision`, t.bo, {
        decision: 'approve',
        comment: 'Budget in place',
      }).expect(200)
    ).body as TenderState;
    expect(s.phase).toBe('needs_analysis');
    expect(s.pendingGates[0]).toMatchObject({ approvalsRequired: 2, approvals: [{ by: { sub: 'bo' } }] });
    const twice = await refused(
      await send('post', `/tenders/${after.id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }),
      409,
    );
    expect(twice).toMatchObject({
      rule: 'dual_approval_same_approver',
      paragraph: `inköpspolicy: dualApprovalFromSek (${REGION}@1/${BOLAG}@1)`,
    });
    // The inbox: the first approver no longer sees the gate, the second does.
    const inbox = async (token: string) =>
      ((await get('/approvals', token).expect(200)).body.items as { tenderId: string }[]).map((i) => i.tenderId);
    await eventually(async () =>
      (await inbox(t.cia)).includes(after.id) && !(await inbox(t.bo)).includes(after.id) ? true : undefined,
    );
    s = (
      await send('post', `/tenders/${after.id}/gates/decision_to_procure/decision`, t.cia, {
        decision: 'approve',
      }).expect(200)
    ).body as TenderState;
    expect(s.phase).toBe('documents');
    expect(s.gateDecisions[0].approvedBy!.map((p) => p.sub)).toEqual(['bo', 'cia']);

    await send('post', `/tenders/${before.id}/needs-analysis`, t.anna, euNeeds).expect(200);
    const old = (
      await send('post', `/tenders/${before.id}/gates/decision_to_procure/decision`, t.bo, {
        decision: 'approve',
      }).expect(200)
    ).body as TenderState;
    expect(old.phase).toBe('documents');
  });

  it('a follow-up plan goes through the documents command to the tender', async () => {
    const plan = [
      {
        what: 'Delivery precision ≥ 98 %',
        how: 'Monthly delivery report',
        byWhom: 'Laboratory manager',
        everyMonths: 3,
      },
    ];
    const s = (
      await send('post', `/tenders/${after.id}/documents`, t.anna, {
        documents: [{ title: 'Tender documents', reference: 'dms://1' }],
        followUpPlan: plan,
      }).expect(200)
    ).body as TenderState;
    expect(s.documents!.followUpPlan).toEqual(plan);
    const bad = await refused(
      await send('post', `/tenders/${before.id}/documents`, t.anna, {
        documents: [{ title: 'D', reference: 'r' }],
        followUpPlan: [{ ...plan[0], everyMonths: 0 }],
      }),
      400,
    );
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'followUpPlan.0.everyMonths' })]);
  });

  it('categories: a category manager, shown on the tender; the category overrides a rule of the organisation', async () => {
    const saved = await send('put', `/organizations/${BOLAG}/categories/lab-supplies`, t.bert, {
      name: 'Laboratory supplies',
      manager: { sub: 'karin', name: 'Karin Kategoriansvarig' },
    }).expect(200);
    expect(saved.body).toMatchObject({ code: 'lab-supplies', name: 'Laboratory supplies', manager: { sub: 'karin' } });
    await refused(await send('put', `/organizations/${BOLAG}/categories/lab-supplies`, t.anna, { name: 'x' }), 403);
    const v2 = await send('put', `/organizations/${BOLAG}/policy`, t.bert, {
      rules: { questionCutoffDays: 8 },
      categoryRules: [{ category: 'lab-supplies', rules: { sustainabilityCriteriaRequiredFromSek: 0 } }],
      reference: 'Bolagsstyrelsen 2026-11-29 § 3',
    }).expect(200);
    expect(v2.body).toMatchObject({
      version: 2,
      categoryRules: [{ category: 'lab-supplies', rules: { sustainabilityCriteriaRequiredFromSek: 0 } }],
    });
    const list = (await get(`/organizations/${BOLAG}/categories`, t.anna).expect(200)).body.items;
    expect(list).toEqual([
      expect.objectContaining({
        code: 'lab-supplies',
        rules: expect.objectContaining({ sustainabilityCriteriaRequiredFromSek: 0, dualApprovalFromSek: 5_000_000 }),
        sources: expect.objectContaining({ sustainabilityCriteriaRequiredFromSek: `${BOLAG}#lab-supplies` }),
      }),
    ]);

    const created = await createTender(t.anna, {
      category: 'lab-supplies',
      estimatedValueSek: 400_000,
      contractType: 'supplies',
    });
    expect(created.policyVersion).toBe(`${REGION}@1/${BOLAG}@2`);
    const s = await tender(created.id);
    expect(s.categoryInfo).toEqual({
      code: 'lab-supplies',
      name: 'Laboratory supplies',
      manager: { sub: 'karin', name: 'Karin Kategoriansvarig' },
    });
    const err = await refused(
      await send('post', `/tenders/${created.id}/needs-analysis`, t.anna, {
        sustainability: { notApplicableReason: 'Standard goods' },
        supplyPreparedness: { criticality: 'low' },
      }),
      422,
    );
    expect(err).toMatchObject({
      rule: 'sustainability_criteria_required',
      paragraph: expect.stringContaining('sustainabilityCriteriaRequiredFromSek'),
    });
    // Another category of the same organisation keeps the organisation's rule.
    const other = await createTender(t.anna, { category: 'office', estimatedValueSek: 400_000 });
    await send('post', `/tenders/${other.id}/needs-analysis`, t.anna, {
      sustainability: { notApplicableReason: 'Standard goods' },
      supplyPreparedness: { criticality: 'low' },
    }).expect(200);
  });

  it('directAwardQuotesFromSek through the contract command: quotes are recorded (422 without them)', async () => {
    await send('put', `/organizations/${BOLAG}/policy`, t.bert, {
      rules: { questionCutoffDays: 8, directAwardQuotesFromSek: 100_000, directAwardMinQuotes: 2 },
      reference: 'Bolagsstyrelsen 2026-11-29 § 4',
    }).expect(200);
    const { id } = await createTender(t.anna, {
      title: 'Window cleaning',
      category: 'windows',
      contractType: 'services',
      estimatedValueSek: 250_000,
      procedure: 'direct_award',
    });
    await send('post', `/tenders/${id}/needs-analysis`, t.anna, {
      sustainability: { criteria: ['Ecolabelled agents'], level: 'bas' },
      supplyPreparedness: { criticality: 'low' },
    }).expect(200);
    await send('post', `/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
    const signed = {
      supplier: 'Fönsterputs AB',
      valueSek: 240_000,
      startDate: swedishDay(30),
      endDate: swedishDay(30 + 365),
      signedAt: swedishDay(0),
    };
    expect((await refused(await send('post', `/tenders/${id}/contract`, t.anna, signed), 422)).rule).toBe(
      'direct_award_quotes',
    );
    const quotes = [
      { supplier: 'Fönsterputs AB', amountSek: 240_000 },
      { supplier: 'Glansen AB', amountSek: 270_000 },
    ];
    const s = (await send('post', `/tenders/${id}/contract`, t.anna, { ...signed, quotes }).expect(200))
      .body as TenderState;
    expect(s.contract!.quotes).toEqual(quotes);
    expect(s.phase).toBe('follow_up');
  });

  it('groupCoordinationCheck against the read model: the region’s running tender in the category asks for a reason at the decision to procure', async () => {
    await send('put', `/organizations/${REGION}/policy`, t.rut, {
      rules: { dualApprovalFromSek: 5_000_000, questionCutoffDays: 12, groupCoordinationCheck: true },
      reference: 'Regionstyrelsen 2026-12-04 § 130',
    }).expect(200);
    const running = (
      await send('post', '/tenders', t.rita, {
        title: 'Cleaning services for the region',
        organization: REGION,
        category: 'cleaning',
        contractType: 'services',
        estimatedValueSek: 900_000,
      }).expect(201)
    ).body as { id: string };
    const ds = sys.app.get(DataSource);
    await eventually(async () =>
      (await ds.query(`SELECT 1 FROM tenders WHERE id = $1`, [running.id])).length ? true : undefined,
    );

    const { id } = await createTender(t.anna, {
      title: 'Cleaning of the company’s offices',
      category: 'cleaning',
      contractType: 'services',
      estimatedValueSek: 400_000,
    });
    const needs = {
      sustainability: { criteria: ['Ecolabelled agents'], level: 'bas' },
      supplyPreparedness: { criticality: 'low' },
    };
    const err = await refused(await send('post', `/tenders/${id}/needs-analysis`, t.anna, needs), 422);
    expect(err).toMatchObject({
      rule: 'group_coordination_reason_missing',
      errors: [{ field: 'separateProcurementReason', rule: 'group_coordination_reason_missing' }],
    });
    expect(err.detail).toContain(running.id);
    const reason = 'The region’s tender covers hospitals only, not our offices';
    const s = (
      await send('post', `/tenders/${id}/needs-analysis`, t.anna, {
        ...needs,
        separateProcurementReason: reason,
      }).expect(200)
    ).body as TenderState;
    expect(s.groupCoordination).toMatchObject({
      organizations: [BOLAG, REGION].sort(),
      tenders: [{ id: running.id, organization: REGION }],
      separateProcurementReason: reason,
    });
    // A category nobody in the group buys needs no reason.
    const alone = await createTender(t.anna, {
      title: 'Forklift service',
      category: 'forklifts',
      contractType: 'services',
      estimatedValueSek: 400_000,
    });
    expect(
      ((await send('post', `/tenders/${alone.id}/needs-analysis`, t.anna, needs).expect(200)).body as TenderState)
        .groupCoordination,
    ).toMatchObject({ tenders: [], contracts: [] });
  });

  it('an adoption retried with its Idempotency-Key (the answer lost) adopts one version, not two; the key with another body is 409', async () => {
    const before = (await get(`/organizations/${BOLAG}/policy`, t.bert).expect(200)).body.version as number;
    const body = { rules: { questionCutoffDays: 9 }, reference: 'Bolagsstyrelsen 2026-12-05 § 3' };
    const key = `bolag-policy-${Date.now()}`;
    const first = await send('put', `/organizations/${BOLAG}/policy`, t.bert, body)
      .set('Idempotency-Key', key)
      .expect(200);
    const again = await send('put', `/organizations/${BOLAG}/policy`, t.bert, body)
      .set('Idempotency-Key', key)
      .expect(200);
    expect(first.body.version).toBe(before + 1);
    expect(again.body.version).toBe(before + 1);
    const other = await refused(
      await send('put', `/organizations/${BOLAG}/policy`, t.bert, { ...body, rules: { questionCutoffDays: 7 } }).set(
        'Idempotency-Key',
        key,
      ),
      409,
    );
    expect(other.rule).toBe('idempotency_key_reuse');
    const versions = (await get(`/organizations/${BOLAG}/policy/versions`, t.bert).expect(200)).body.items as {
      version: number;
    }[];
    expect(versions[0].version).toBe(before + 1);
    expect(versions.filter((v) => v.version > before)).toHaveLength(1);
  });
});
