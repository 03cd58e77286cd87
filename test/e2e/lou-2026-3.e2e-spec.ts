import { stockholmDate } from '@tenderflow/domain/dates';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { pdfText } from '../support/pdf-text';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { auditChain, binaryBody } from '../support/tender-reads';
import { passDeadline } from '../support/time-skipping-http';
import { directAwardRecord } from '../support/direct-award-record';

/**
 * Rule set LOU-2026.3 over HTTP (issue 26), on the real API, worker and PostgreSQL with Temporal's
 * time-skipping server, each case naming its paragraph (libs/domain/CITATIONS.md has the statute
 * text): the direct-award limit of 19 a kap. 2 § ("understiga"); an advertised purchase within it
 * stays a direct award (19 kap. 1 § tredje stycket); an award without prior notice names its ground
 * (6 kap. 12–19 §§; 19 a kap. 3–6 §§) and runs to the contract without publication, with and without
 * an ex-ante notice (20 kap. 3 §); a direct award's documentation (19 a kap. 11 §) and the individual
 * report (12 kap. 15–16 §§, upphandlingsförordningen 16 §) from recorded facts only, as JSON and PDF,
 * each statement traceable to the chain; dates relative to today refused as rules (422).
 */
const ORG = 'LOU23';

type Report = {
  kind: string;
  heading: string;
  required: boolean;
  complete: boolean;
  note?: string;
  statements: {
    item: string;
    heading: string;
    paragraph: string;
    text: string;
    evidence: { index: number; type: string; hash: string }[];
  }[];
};

describe('rule set LOU-2026.3 over HTTP (time-skipping Temporal)', () => {
  let env: TestWorkflowEnvironment;
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const saved = { address: process.env.TEMPORAL_ADDRESS, queue: process.env.TEMPORAL_TASK_QUEUE };

  const post = (path: string, token: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = t.anna) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  const state = async (id: string) => (await get(`/tenders/${id}`).expect(200)).body as TenderState;
  const pass = (id: string, kind: string, next: string) => passDeadline(env, sys, state, id, kind, next);
  const today = async () => stockholmDate(await env.currentTimeMs());
  const addDays = (day: string, n: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  async function refused(
    res: request.Response,
    status: number,
  ): Promise<Record<string, unknown> & { rule?: string; paragraph?: string; detail?: string }> {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  }

  const tender = (over: object) => ({
    title: 'Reagenser',
    organization: ORG,
    category: 'lab',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    ...over,
  });
  const needs = {
    sustainability: { criteria: ['Kemikalieinnehåll'], level: 'bas' },
    laborConditions: { required: false, justification: 'Varor från grossister inom EU' },
    supplyPreparedness: { criticality: 'low' },
    lotJustification: 'En analysplattform; delning skulle höja kostnad och risk',
  };
  const smallNeeds = {
    sustainability: { notApplicableReason: 'Fönsterputs utan kemikaliekrav' },
    supplyPreparedness: { criticality: 'low' },
  };

  /** Created, needs analysed, decided, documents approved: ready to publish or to invite. */
  async function approved(body: object): Promise<string> {
    const created = await post('/tenders', t.anna, tender(body)).expect(201);
    const id = created.body.id as string;
    await post(`/tenders/${id}/needs-analysis`, t.anna, needs).expect(200);
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
      decision: 'approve',
      comment: 'OK',
    }).expect(200);
    await post(`/tenders/${id}/documents`, t.anna, {
      documents: [{ title: 'Förfrågningsunderlag', reference: `dms://${ORG}/${id}` }],
    }).expect(200);
    await post(`/tenders/${id}/gates/documents_approval/decision`, t.bo, { decision: 'approve' }).expect(200);
    return id;
  }

  async function report(id: string): Promise<Report> {
    return (await get(`/tenders/${id}/report`).expect(200)).body as Report;
  }

  async function reportPdf(id: string): Promise<string> {
    const pdf = await get(`/tenders/${id}/report?format=pdf`).buffer(true).parse(binaryBody).expect(200);
    expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
    return pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
  }

  /** Every statement's evidence is an event of the tender's chain, with its type and hash; the chain verifies. */
  async function traceable(id: string, r: Report): Promise<void> {
    const chain = await auditChain(sys.http, id, t.anna);
    for (const s of r.statements) {
      expect(s.evidence.length).toBeGreaterThan(0);
      for (const e of s.evidence) expect(chain.get(e.index)).toMatchObject({ type: e.type, hash: e.hash });
    }
    expect((await get(`/tenders/${id}/audit/verify`).expect(200)).body.valid).toBe(true);
  }

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `lou23-${process.pid}`;
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
    t.eva = await sys.token({ sub: 'eva', name: 'Eva Utvärderare', org: ORG, roles: ['contract_manager'] });
    t.cm = await sys.token({ sub: 'carl', name: 'Carl Avtalsansvarig', org: ORG, roles: ['contract_manager'] });
    t.ada = await sys.token({ sub: 'ada', name: 'Ada Admin', org: ORG, roles: ['admin'] });
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
  });

  describe('classification and grounds at POST /tenders', () => {
    it('a 500 000 SEK supply advertised ("procedure":"open") stays a direct award: regime direct, 19 a kap. only (Upphandlingsmyndigheten; 19 kap. 1 § tredje stycket)', async () => {
      const res = await post('/tenders', t.anna, tender({ estimatedValueSek: 500_000, procedure: 'open' })).expect(201);
      expect(res.body).toMatchObject({ regime: 'direct', procedure: 'open', ruleSet: 'LOU-2026.3' });
      expect(res.body.classification.basis).toEqual(
        expect.arrayContaining(['19 a kap. 2 § LOU', expect.stringContaining('19 kap. 1 § tredje stycket LOU')]),
      );
      expect((await state(res.body.id)).procedureDescription).toBeUndefined();
    });

    it('exactly 700 000 SEK is not below the limit (19 a kap. 2 §, "understiga"): no direct award; 699 999 SEK is one', async () => {
      const body = await refused(
        await post(
          '/tenders',
          t.anna,
          tender({ estimatedValueSek: 700_000, procedure: 'direct_award', category: 'lab-700' }),
        ),
        422,
      );
      expect(body).toMatchObject({ rule: 'direct_award_limit', paragraph: '19 a kap. 2 § LOU' });
      await post(
        '/tenders',
        t.anna,
        tender({ estimatedValueSek: 699_999, procedure: 'direct_award', category: 'lab-699' }),
      ).expect(201);
    });

    it('an award without prior notice names its ground: missing 422 (6 kap. 12–19 §§), a ground of 19 a kap. only above the threshold 422, a 6 kap. ground 201', async () => {
      const ground = 'Endast Acme Lab AB har rättigheterna till analysplattformen.';
      const missing = await refused(
        await post('/tenders', t.anna, tender({ procedure: 'negotiated_without_notice', negotiationGround: ground })),
        422,
      );
      expect(missing).toMatchObject({ rule: 'negotiated_ground_missing', paragraph: '6 kap. 12–19 §§ LOU' });
      const notHere = await refused(
        await post(
          '/tenders',
          t.anna,
          tender({
            procedure: 'negotiated_without_notice',
            negotiationGround: ground,
            withoutNoticeGround: 'pending_review',
          }),
        ),
        422,
      );
      expect(notHere).toMatchObject({
        rule: 'without_notice_ground_not_available',
        paragraph: '19 a kap. 7 § andra stycket LOU',
      });
      const bad = await refused(
        await post(
          '/tenders',
          t.anna,
          tender({ procedure: 'negotiated_without_notice', negotiationGround: ground, withoutNoticeGround: 'because' }),
        ),
        400,
      );
      expect(JSON.stringify(bad)).toContain('withoutNoticeGround');
      const ok = await post(
        '/tenders',
        t.anna,
        tender({
          procedure: 'negotiated_without_notice',
          negotiationGround: ground,
          withoutNoticeGround: 'single_supplier',
        }),
      ).expect(201);
      expect(ok.body).toMatchObject({ regime: 'eu', procedure: 'negotiated_without_notice' });
      // Below the threshold the same award is a direct award on a ground of 19 a kap. (here 5 § 2 with 6 kap. 14 §).
      const national = await post(
        '/tenders',
        t.anna,
        tender({
          estimatedValueSek: 1_500_000,
          procedure: 'negotiated_without_notice',
          negotiationGround: ground,
          withoutNoticeGround: 'single_supplier',
        }),
      ).expect(201);
      expect(national.body).toMatchObject({ regime: 'direct', procedure: 'negotiated_without_notice' });
    });

    it('renewedCompetition belongs to a call-off only (400); a call-off with it needs the individual report, one without does not (12 kap. 15 §)', async () => {
      const wrong = await refused(await post('/tenders', t.anna, tender({ renewedCompetition: true })), 400);
      expect(JSON.stringify(wrong)).toContain('renewedCompetition');
      const renewed = await post(
        '/tenders',
        t.anna,
        tender({ frameworkCallOff: true, renewedCompetition: true, category: 'calloff-a' }),
      ).expect(201);
      expect(renewed.body.regime).toBe('framework_call_off');
      expect(await report(renewed.body.id)).toMatchObject({
        kind: 'individual_report',
        required: true,
        note: expect.stringContaining('7 kap. 7–8 §§'),
      });
      const plain = await post('/tenders', t.anna, tender({ frameworkCallOff: true, category: 'calloff-b' })).expect(
        201,
      );
      expect(await report(plain.body.id)).toMatchObject({
        required: false,
        note: expect.stringContaining('7 kap. 4 eller 6 §'),
      });
    });
  });

  it('dates relative to today are rules, not schema errors: 422 date_in_past / date_too_far_ahead with the field', async () => {
    const id = await approved({
      procedure: 'negotiated_without_notice',
      negotiationGround: 'Endast en leverantör har ensamrätt.',
      withoutNoticeGround: 'single_supplier',
    });
    const day = await today();
    const past = await refused(
      await post(`/tenders/${id}/negotiation`, t.anna, {
        suppliers: [{ supplier: 'Acme Lab AB' }],
        deadline: addDays(day, -1),
      }),
      422,
    );
    expect(past).toMatchObject({
      rule: 'date_in_past',
      errors: [expect.objectContaining({ field: 'deadline', rule: 'date_in_past' })],
    });
    const far = await refused(
      await post(`/tenders/${id}/negotiation`, t.anna, {
        suppliers: [{ supplier: 'Acme Lab AB' }],
        deadline: addDays(day, 3 * 366),
      }),
      422,
    );
    expect(far).toMatchObject({ rule: 'date_too_far_ahead' });
    // Not a date at all is still the schema's 400.
    await refused(
      await post(`/tenders/${id}/negotiation`, t.anna, {
        suppliers: [{ supplier: 'Acme Lab AB' }],
        deadline: '2026-13-01',
      }),
      400,
    );
  });

  it('as an attacker: unstorable text, another organisation, twenty invitations at once — clear refusals, one invitation written', async () => {
    const id = await approved({
      procedure: 'negotiated_without_notice',
      negotiationGround: 'Endast en leverantör har ensamrätt.',
      withoutNoticeGround: 'single_supplier',
    });
    const deadline = addDays(await today(), 5);
    for (const bad of ['Acme\u0000AB', 'Acme \ud800 AB']) {
      const body = await refused(
        await post(`/tenders/${id}/negotiation`, t.anna, { suppliers: [{ supplier: bad }], deadline }),
        400,
      );
      expect(JSON.stringify(body.errors)).toContain('suppliers.0.supplier');
    }
    const outsider = await sys.token({
      sub: 'otto',
      name: 'Otto Utomstående',
      org: 'OTHER',
      roles: ['procurement_officer'],
    });
    await refused(
      await post(`/tenders/${id}/negotiation`, outsider, { suppliers: [{ supplier: 'Acme Lab AB' }], deadline }),
      404,
    );
    await refused(
      await post(`/tenders/${id}/ex-ante-notice`, outsider, {
        publishedOn: await today(),
        advertisingDatabase: 'TED',
        supplier: 'Acme Lab AB',
      }),
      404,
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(`/tenders/${id}/negotiation`, t.anna, { suppliers: [{ supplier: `Leverantör ${i} AB` }], deadline }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    const s = await state(id);
    expect(s.phase).toBe('negotiation');
    expect(s.candidates).toHaveLength(1);
    expect(s.commands.filter((c) => c.command === 'inviteToNegotiate')).toHaveLength(1);
    expect((await get(`/tenders/${id}/audit/verify`).expect(200)).body.valid).toBe(true);
  });

  describe('a negotiated procedure without prior notice from creation to contract (6 kap. 14 §)', () => {
    const ground = 'Endast Acme Lab AB kan leverera reagens till den befintliga analysplattformen (ensamrätt).';

    /** Invited, tendered, evaluated: the award decision is pending. */
    async function toAwardDecision(): Promise<string> {
      const id = await approved({
        procedure: 'negotiated_without_notice',
        negotiationGround: ground,
        withoutNoticeGround: 'single_supplier',
      });
      const publish = await refused(
        await post(`/tenders/${id}/publication`, t.anna, { advertisingDatabase: 'TED' }),
        409,
      );
      expect(publish).toMatchObject({ rule: 'without_notice', paragraph: '6 kap. 12–19 §§ LOU' });
      const day = await today();
      const invited = (
        await post(`/tenders/${id}/negotiation`, t.anna, {
          suppliers: [{ supplier: 'Acme Lab AB', orgNumber: '556000-0001' }],
          deadline: addDays(day, 5),
        }).expect(200)
      ).body as TenderState;
      expect(invited).toMatchObject({
        phase: 'negotiation',
        candidates: [{ supplier: 'Acme Lab AB', orgNumber: '556000-0001' }],
      });
      expect(invited.publication).toBeUndefined();
      await post(`/tenders/${id}/evaluators`, t.anna, { evaluators: [{ sub: 'eva', name: 'Eva Utvärderare' }] }).expect(
        200,
      );
      const opening = await pass(id, 'tender_deadline', 'opening');
      const deadline = opening.pastDeadlines.find((d) => d.kind === 'tender_deadline')!;
      await post(`/tenders/${id}/opening`, t.anna, {
        openers: ['anna', 'bo'],
        tenders: [
          {
            supplier: 'Acme Lab AB',
            orgNumber: '556000-0001',
            receivedAt: new Date(Date.parse(deadline.at) - 86_400_000).toISOString(),
          },
        ],
      }).expect(200);
      await post(`/tenders/${id}/conflict-declarations`, t.eva, { hasConflict: false, statement: 'Inga band' }).expect(
        200,
      );
      await post(`/tenders/${id}/evaluation`, t.anna, {
        proposals: [{ supplier: 'Acme Lab AB', score: 90, reasons: 'Uppfyller alla krav till ett förhandlat pris' }],
      }).expect(200);
      return id;
    }

    async function contractNow(id: string): Promise<TenderState> {
      const day = await today();
      return (
        await post(`/tenders/${id}/contract`, t.anna, {
          supplier: 'Acme Lab AB',
          valueSek: 3_800_000,
          startDate: day,
          endDate: addDays(day, 730),
          signedAt: day,
        }).expect(200)
      ).body as TenderState;
    }

    it('without an ex-ante notice: the award starts no standstill (20 kap. 2 § 1); contract at once; report and OCDS name the ground', async () => {
      const id = await toAwardDecision();
      const awarded = (
        await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, { decision: 'approve' }).expect(200)
      ).body as TenderState;
      expect(awarded).toMatchObject({ phase: 'contract', award: { standstillDays: null } });
      const done = await contractNow(id);
      expect(done.timeline.map((p) => p.phase)).toEqual([
        'needs_analysis',
        'documents',
        'negotiation',
        'opening',
        'evaluation',
        'award_decision',
        'contract',
        'follow_up',
      ]);
      const r = await report(id);
      expect(r).toMatchObject({ kind: 'individual_report', required: true, complete: true });
      const procedure = r.statements.find((s) => s.item === 'procedure')!;
      expect(procedure).toMatchObject({ paragraph: '12 kap. 16 § första stycket 4 LOU' });
      expect(procedure.text).toContain('endast en viss leverantör kan fullgöra kontraktet');
      expect(procedure.text).toContain('(6 kap. 14 § LOU)');
      expect(procedure.text).toContain(ground);
      expect(r.statements.find((s) => s.item === 'selected')!.text).toContain(
        'bjöds in att lämna anbud och förhandla: Acme Lab AB',
      );
      await traceable(id, r);
      const ocds = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
      expect(ocds.releases[0].tender).toMatchObject({
        procurementMethod: 'limited',
        procurementMethodRationale: expect.stringContaining('(6 kap. 14 § LOU)'),
        numberOfTenderers: 1,
      });
    });

    it('with an ex-ante notice (10 kap. 5 §): no contract before the 10-day wait has passed (20 kap. 3 §), then the contract; the report says so', async () => {
      const id = await toAwardDecision();
      const day = await today();
      const noticed = (
        await post(`/tenders/${id}/ex-ante-notice`, t.anna, {
          publishedOn: day,
          advertisingDatabase: 'TED',
          noticeReference: '2026/S 240-000001',
          supplier: 'Acme Lab AB',
        }).expect(200)
      ).body as TenderState;
      expect(noticed.exAnteNotice).toMatchObject({ publishedOn: day, paragraph: '10 kap. 5 § LOU' });
      await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, { decision: 'approve' }).expect(200);
      const early = await refused(
        await post(`/tenders/${id}/contract`, t.anna, {
          supplier: 'Acme Lab AB',
          valueSek: 3_800_000,
          startDate: day,
          endDate: addDays(day, 730),
          signedAt: day,
        }),
        422,
      );
      expect(early).toMatchObject({
        rule: 'ex_ante_waiting_period',
        paragraph: '20 kap. 3 § LOU',
        errors: [expect.objectContaining({ field: 'signedAt' })],
      });
      await pass(id, 'ex_ante_wait', 'contract');
      const done = await contractNow(id);
      expect(done.phase).toBe('follow_up');
      const r = await report(id);
      expect(r.statements.find((s) => s.item === 'procedure')!.text).toContain(
        `Annons om avsikt att ingå avtal med Acme Lab AB publicerades ${day} i TED (2026/S 240-000001) (10 kap. 5 § LOU)`,
      );
      await traceable(id, r);
      expect(await reportPdf(id)).toContain('20 kap. 3 § LOU');
    });
  });

  const register = (body: object) =>
    request(sys.http).put(`/organizations/${ORG}`).set('Authorization', `Bearer ${t.ada}`).send(body);
  const HSN = {
    name: 'Hälso- och sjukvårdsnämnden',
    orgNumber: '232100-0016',
    address: { street: 'Box 22550', postalCode: '104 22', city: 'Stockholm' },
  };

  it('the individual report of an open procedure above the threshold with an abnormally low tender rejected and subcontracting: complete, from recorded facts (12 kap. 16 § 1; UF 16 § 1, 5–6)', async () => {
    await register(HSN).expect(200);
    const badNumber = await refused(await register({ name: 'X', orgNumber: '232100-0017' }), 422);
    expect(badNumber).toMatchObject({
      rule: 'org_number_check_digit',
      errors: [expect.objectContaining({ field: 'orgNumber' })],
    });
    expect(JSON.stringify(await refused(await register({ name: 'X', orgNumber: '2321000016' }), 400))).toContain(
      'orgNumber',
    );
    const id = await approved({ title: 'Reagenser med underleverantör' });
    await post(`/tenders/${id}/evaluators`, t.anna, { evaluators: [{ sub: 'eva', name: 'Eva Utvärderare' }] }).expect(
      200,
    );
    const published = (await post(`/tenders/${id}/publication`, t.anna, { advertisingDatabase: 'e-Avrop' }).expect(200))
      .body as TenderState;
    const deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!;
    await pass(id, 'tender_deadline', 'opening');
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    await post(`/tenders/${id}/opening`, t.anna, {
      openers: ['anna', 'bo'],
      tenders: [
        { supplier: 'Acme Lab AB', orgNumber: '556000-0001', receivedAt },
        { supplier: 'Billig AB', orgNumber: '556000-0002', receivedAt },
      ],
    }).expect(200);
    await post(`/tenders/${id}/conflict-declarations`, t.eva, { hasConflict: false, statement: 'Inga band' }).expect(
      200,
    );
    const day = await today();
    const evaluation = {
      proposals: [{ supplier: 'Acme Lab AB', score: 88, reasons: 'Bäst förhållande mellan pris och kvalitet' }],
      abnormallyLow: [
        {
          supplier: 'Billig AB',
          explanationRequestedOn: addDays(day, -3),
          explanationReceivedOn: addDays(day, -1),
          explanation: 'Lagerrensning',
          outcome: 'rejected',
          reason: 'Priset ligger under självkostnad och förklaringen visar inte hur kraven uppfylls (16 kap. 7 §)',
        },
      ],
    };
    // A rejected tender cannot win; a request after today is not a recorded fact.
    expect(
      await refused(
        await post(`/tenders/${id}/evaluation`, t.anna, {
          ...evaluation,
          proposals: [{ supplier: 'Billig AB', reasons: 'x' }],
        }),
        422,
      ),
    ).toMatchObject({
      rule: 'abnormally_low_rejected',
      paragraph: '16 kap. 7–8 §§ LOU',
    });
    expect(
      await refused(
        await post(`/tenders/${id}/evaluation`, t.anna, {
          ...evaluation,
          abnormallyLow: [{ ...evaluation.abnormallyLow[0], explanationRequestedOn: addDays(day, 2) }],
        }),
        422,
      ),
    ).toMatchObject({ rule: 'date_in_future' });
    await post(`/tenders/${id}/evaluation`, t.anna, evaluation).expect(200);
    await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, {
      decision: 'approve',
      noticeChannel: 'electronic',
    }).expect(200);
    await pass(id, 'standstill', 'contract');
    const signed = await today();
    await post(`/tenders/${id}/contract`, t.anna, {
      supplier: 'Acme Lab AB',
      orgNumber: '556000-0001',
      valueSek: 3_900_000,
      startDate: signed,
      endDate: addDays(signed, 730),
      signedAt: signed,
      subcontracting: { sharePercent: 20, subcontractors: [{ name: 'Kyltransport AB', orgNumber: '556000-0003' }] },
    }).expect(200);
    const r = await report(id);
    expect(r).toMatchObject({ kind: 'individual_report', required: true, complete: true });
    const item = (k: string) => r.statements.find((s) => s.item === k)!;
    expect(item('authority_subject_value').text).toContain(
      'Hälso- och sjukvårdsnämnden (org.nr 232100-0016), Box 22550, 104 22 Stockholm',
    );
    expect(item('abnormally_low').text).toContain('Billig AB: förklaring begärd');
    expect(item('abnormally_low').text).toContain('anbudet förkastades. Skäl: Priset ligger under självkostnad');
    expect(item('not_accepted').text).toContain('förkastades som onormalt låga: Billig AB');
    expect(item('subcontracting').text).toBe(
      'Andel som leverantören avser att lägga ut på andra: 20 %. Underleverantörer: Kyltransport AB (556000-0003).',
    );
    expect(item('not_awarded').text).toBe('Kontrakt har tilldelats.');
    for (const s of r.statements)
      expect(s.text).not.toMatch(/förs inte i ärendet|har inte annonserats|inte registrerat/);
    await traceable(id, r);
    const text = await reportPdf(id);
    expect(text).toContain('Individuell rapport (12 kap. 15–16 §§ LOU)');
    expect(text).toContain('Kyltransport AB (556000-0003)');
    expect(text).toContain('Källa: organisationsregistret');
  }, 180_000);

  it('the individual report of a call-off with renewed competition (7 kap. 7–8 §§): required and complete, traceable, as JSON and PDF', async () => {
    await register(HSN).expect(200);
    const id = await approved({
      title: 'Avrop: konsulttjänster',
      category: 'calloff-run',
      contractType: 'services',
      estimatedValueSek: 1_200_000,
      frameworkCallOff: true,
      renewedCompetition: true,
    });
    expect((await state(id)).regime).toBe('framework_call_off');
    await post(`/tenders/${id}/evaluators`, t.anna, { evaluators: [{ sub: 'eva', name: 'Eva Utvärderare' }] }).expect(
      200,
    );
    const published = (
      await post(`/tenders/${id}/publication`, t.anna, { advertisingDatabase: 'Ramavtalsleverantörerna' }).expect(200)
    ).body as TenderState;
    const deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(deadline.basis).toContain('7 kap. LOU (förnyad konkurrensutsättning');
    await pass(id, 'tender_deadline', 'opening');
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    await post(`/tenders/${id}/opening`, t.anna, {
      openers: ['anna', 'bo'],
      tenders: [
        { supplier: 'Konsult Ett AB', orgNumber: '556000-0011', receivedAt },
        { supplier: 'Konsult Två AB', orgNumber: '556000-0012', receivedAt },
      ],
    }).expect(200);
    await post(`/tenders/${id}/conflict-declarations`, t.eva, { hasConflict: false, statement: 'Inga band' }).expect(
      200,
    );
    await post(`/tenders/${id}/evaluation`, t.anna, {
      proposals: [{ supplier: 'Konsult Ett AB', score: 91, reasons: 'Bäst enligt avropsvillkoren' }],
    }).expect(200);
    await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, {
      decision: 'approve',
      noticeChannel: 'electronic',
    }).expect(200);
    await pass(id, 'standstill', 'contract');
    const signed = await today();
    await post(`/tenders/${id}/contract`, t.anna, {
      supplier: 'Konsult Ett AB',
      orgNumber: '556000-0011',
      valueSek: 1_150_000,
      startDate: signed,
      endDate: addDays(signed, 365),
      signedAt: signed,
      subcontracting: { sharePercent: 0, subcontractors: [] },
    }).expect(200);
    const r = await report(id);
    expect(r).toMatchObject({
      kind: 'individual_report',
      required: true,
      complete: true,
      note: expect.stringContaining('7 kap. 7–8 §§'),
    });
    const item = (k: string) => r.statements.find((s) => s.item === k)!;
    expect(item('winner').text).toContain('Konsult Ett AB (poäng 91). Skäl: Bäst enligt avropsvillkoren');
    expect(item('not_accepted').text).toContain('prövades men inte antogs: Konsult Två AB');
    expect(item('subcontracting').text).toBe(
      'Andel som leverantören avser att lägga ut på andra: 0 %. Inga underleverantörer är namngivna.',
    );
    expect(item('abnormally_low').text).toBe(
      'Utvärderingen registrerade ingen kontroll av onormalt låga anbud och inget förkastat anbud.',
    );
    for (const s of r.statements) expect(s.text).not.toMatch(/förs inte i ärendet|inte registrerat/);
    await traceable(id, r);
    const text = await reportPdf(id);
    expect(text).toContain('Individuell rapport (12 kap. 15–16 §§ LOU)');
    expect(text).toContain('7 kap. 7–8 §§');
  }, 120_000);

  it('a direct award at 650 000 SEK: its documentation (19 a kap. 11 §) as a record, required before the milestone, then complete as JSON, PDF and OCDS', async () => {
    const created = await post(
      '/tenders',
      t.anna,
      tender({ title: 'Fönsterputs 2027', category: 'windows', contractType: 'services', estimatedValueSek: 650_000 }),
    ).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ regime: 'direct', procedure: 'direct_award' });
    await post(`/tenders/${id}/needs-analysis`, t.anna, smallNeeds).expect(200);
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
    const day = await today();
    const s = (
      await post(`/tenders/${id}/contract`, t.anna, {
        supplier: 'Fönsterputs AB',
        valueSek: 640_000,
        startDate: day,
        endDate: addDays(day, 365),
        signedAt: day,
      }).expect(200)
    ).body as TenderState;
    const before = await report(id);
    expect(before).toMatchObject({ kind: 'direct_award_documentation', required: true, complete: false });
    for (const st of before.statements)
      expect(st.text).not.toMatch(/har inte annonserats|har inte öppnats|Inget tilldelningsbeslut/);

    const contractId = s.followUp!.contractId;
    const c = (await get(`/contracts/${contractId}`, t.cm).expect(200)).body as ContractState;
    const documentation = c.milestones.find((m) => m.kind === 'documentation')!;
    expect(documentation.basis).toContain('19 a kap. 11 § LOU');
    const complete = (body: object) =>
      post(`/contracts/${contractId}/milestones/${documentation.id}/completion`, t.cm, {
        outcome: 'ok',
        note: 'Dokumenterad',
        ...body,
      });
    expect(await refused(await complete({}), 422)).toMatchObject({
      rule: 'direct_award_documentation_required',
      paragraph: '19 a kap. 11 § LOU',
    });
    const record = directAwardRecord;
    expect(
      await refused(
        await complete({
          directAwardDocumentation: { ...record, winner: { name: 'Glans AB', orgNumber: '556000-0005' } },
        }),
        422,
      ),
    ).toMatchObject({
      rule: 'winner_not_contract_supplier',
    });
    // The authority's organisation number comes from the register, never from the caller: without one there, 422.
    await register({ name: HSN.name }).expect(200);
    expect(await refused(await complete({ directAwardDocumentation: record }), 422)).toMatchObject({
      rule: 'authority_org_number_missing',
      paragraph: '19 a kap. 11 § LOU',
    });
    await register(HSN).expect(200);
    await complete({ directAwardDocumentation: record }).expect(200);

    const r = await report(id);
    expect(r).toMatchObject({
      kind: 'direct_award_documentation',
      heading: 'Dokumentation av direktupphandling (19 a kap. 11 § LOU)',
      required: true,
      complete: true,
    });
    const item = (k: string) => r.statements.find((x) => x.item === k)!;
    expect(r.statements.map((x) => x.item)).toEqual([
      'authority',
      'subject',
      'competition',
      'suppliers_asked',
      'winner',
      'value',
      'contract_dates',
    ]);
    expect(item('authority').text).toBe(
      'Hälso- och sjukvårdsnämnden, org.nr 232100-0016 (enligt organisationsregistret när dokumentationen gjordes).',
    );
    expect(item('suppliers_asked').text).toContain('Antal anbud: 2 av 3 tillfrågade.');
    expect(item('winner').text).toBe('Fönsterputs AB, org.nr 556000-0004. Skäl: Lägsta pris för jämförbar kvalitet.');
    expect(item('value').text).toContain('Kontraktets värde: 640 000 kr');
    expect(item('contract_dates').text).toContain(`Avtalet ingicks ${day} med Fönsterputs AB`);
    await traceable(id, r);
    const text = await reportPdf(id);
    expect(text).toContain('Dokumentation av direktupphandling (19 a kap. 11 § LOU)');
    expect(text).toContain('Antal anbud: 2 av 3 tillfrågade.');
    const ocds = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
    expect(ocds.releases[0].tender).toMatchObject({
      procurementMethod: 'direct',
      numberOfTenderers: 2,
      procurementMethodRationale:
        'Direktupphandling (19 a kap. 2 § LOU). Kontraktets värde, 640 000 SEK, understiger direktupphandlingsgränsen 700 000 SEK.',
    });
    expect(ocds.releases[0].awards[0].description).toBe('Huvudsakligt skäl: Lägsta pris för jämförbar kvalitet');
    expect(JSON.stringify(ocds)).not.toContain('690000');
  }, 120_000);
});
