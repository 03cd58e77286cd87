import request from 'supertest';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * Rule set LOU-2026.2 over HTTP (issue 13): the 2022 rules below the threshold, current citations,
 * welfare services, accelerated procedures and the rule set's edges. Tenders are created "today"
 * (the server's date, in 2026: the 2026–2027 thresholds have no confirmed SEK figure, so values are
 * compared with the lowest confirmed earlier figure, 2 236 731 SEK for supplies and services);
 * the calculator cases are dated.
 */
const ORG = 'LOU22';

describe('rule set LOU-2026.2 over HTTP', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};

  const post = (path: string, token: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = t.anna) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);

  async function refused(
    res: request.Response,
    status: number,
  ): Promise<Record<string, unknown> & { rule?: string; paragraph?: string; detail?: string }> {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  }

  const tender = (over: object) => ({
    title: 'Konsulttjänster för verksamhetsutveckling',
    organization: ORG,
    category: 'consulting',
    contractType: 'services',
    estimatedValueSek: 1_500_000,
    ...over,
  });

  beforeAll(async () => {
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    });
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
  });

  describe('POST /tenders below the threshold (19 kap. since 2022-02-01)', () => {
    it('"procedure":"open" at 1.5 MSEK of services: 201 national, the described procedure recorded, rule set LOU-2026.3', async () => {
      const res = await post('/tenders', t.anna, tender({ procedure: 'open' })).expect(201);
      expect(res.body).toMatchObject({ regime: 'national', procedure: 'open', ruleSet: 'LOU-2026.3' });
      expect(res.body.classification.basis).toEqual(
        expect.arrayContaining([
          '19 kap. 9 § LOU (förfarandet beskrivs i upphandlingsdokumenten)',
          '19 kap. 11 § LOU (skälig tid)',
        ]),
      );
      expect(res.body.classification.procedures).toEqual([
        'open',
        'restricted',
        'negotiated_with_notice',
        'competitive_dialogue',
        'innovation_partnership',
        'negotiated_without_notice',
      ]);
      const s = (await get(`/tenders/${res.body.id}`).expect(200)).body as TenderState;
      expect(s).toMatchObject({ ruleSet: 'LOU-2026.3', procedureDescription: expect.stringContaining('ett steg') });
    });

    it('keeps the officer’s own description of a two-stage procedure with negotiation', async () => {
      const procedureDescription =
        'Två steg: ansökan om att delta, sedan anbud från högst fem; förhandling med de tre bästa.';
      const res = await post(
        '/tenders',
        t.anna,
        tender({ procedure: 'negotiated_with_notice', procedureDescription }),
      ).expect(201);
      expect(res.body).toMatchObject({ regime: 'national', procedure: 'negotiated_with_notice' });
      expect(((await get(`/tenders/${res.body.id}`).expect(200)).body as TenderState).procedureDescription).toBe(
        procedureDescription,
      );
    });

    it('"simplified" (förenklat förfarande) is refused with 422: abolished on 2022-02-01', async () => {
      const body = await refused(await post('/tenders', t.anna, tender({ procedure: 'simplified' })), 422);
      expect(body).toMatchObject({
        rule: 'procedure_not_allowed',
        paragraph: '19 kap. LOU (i lydelsen från den 1 februari 2022)',
      });
      expect(body.detail).toContain('abolished on 2022-02-01');
      expect(body.detail).toContain('19 kap. 9 § LOU');
    });

    it('negotiation without notice below the threshold needs a ground of 19 a kap. 3–6 §§ (a direct award), not 19 kap. 7 §', async () => {
      const body = await refused(
        await post('/tenders', t.anna, tender({ procedure: 'negotiated_without_notice' })),
        422,
      );
      expect(body).toMatchObject({ rule: 'negotiated_ground_missing', paragraph: '19 a kap. 3–6 §§ LOU' });
    });

    it('a direct award of 700 000 SEK is refused in the statute’s words ("understiga", 19 a kap. 2 §)', async () => {
      const body = await refused(
        await post('/tenders', t.anna, tender({ procedure: 'direct_award', estimatedValueSek: 700_000 })),
        422,
      );
      expect(body).toMatchObject({ rule: 'direct_award_limit', paragraph: '19 a kap. 2 § LOU' });
      expect(body.detail).toContain('below ("understiga") 700 000 SEK');
    });
  });

  describe('welfare services (bilaga 2, formerly bilaga 2 a)', () => {
    it('3 MSEK of welfare services: a direct award (the limit is the bilaga 2 threshold), classified with its basis', async () => {
      const res = await post(
        '/tenders',
        t.anna,
        tender({ contractType: 'welfare_services', estimatedValueSek: 3_000_000, title: 'Personlig assistans' }),
      ).expect(201);
      expect(res.body).toMatchObject({
        regime: 'direct',
        procedure: 'direct_award',
        threshold: { id: 'thr-2026-social-services' },
      });
      expect(res.body.classification.basis.join(' ')).toContain('tidigare bilaga 2 a');
    });

    it('the calculator gives bilaga 2 services above the threshold "skälig tid" (19 kap. 11 §), not 11 kap.', async () => {
      const res = await get(
        '/reference/deadlines?kind=tender_period&from=2026-03-02&regime=eu&procedure=open&contractType=welfare_services',
      ).expect(200);
      expect(res.body).toMatchObject({ days: 15, lastDay: '2026-03-17' });
      expect(res.body.basis).toContain('19 kap. 11 § LOU');
    });
  });

  describe('dated time limits (GET /reference/deadlines)', () => {
    it('national, sent 2026-12-10: 15 days of skälig tid end on Christmas Day → Monday 2026-12-28 (19 kap. 11 §)', async () => {
      const res = await get(
        '/reference/deadlines?kind=tender_period&from=2026-12-10&regime=national&procedure=open',
      ).expect(200);
      expect(res.body).toMatchObject({ days: 15, lastDay: '2026-12-28', moved: true });
      expect(res.body.basis).toContain('19 kap. 11 § LOU');
    });

    it('urgency: answers four days before the deadline of 2026-09-30 → 2026-09-26 (12 kap. 11 §); six otherwise', async () => {
      expect(
        (await get('/reference/deadlines?kind=latest_answer&from=2026-09-30&urgent=true').expect(200)).body,
      ).toMatchObject({ lastDay: '2026-09-26' });
      expect((await get('/reference/deadlines?kind=latest_answer&from=2026-09-30').expect(200)).body).toMatchObject({
        lastDay: '2026-09-24',
      });
    });

    it('documents not electronic: sent 2026-03-02, open, 30 + 5 days end on Easter Monday → 2026-04-07', async () => {
      const res = await get(
        '/reference/deadlines?kind=tender_period&from=2026-03-02&regime=eu&procedure=open&documentsAvailableElectronically=false',
      ).expect(200);
      expect(res.body).toMatchObject({ days: 35, lastDay: '2026-04-07' });
      expect(res.body.basis).toContain('fem dagar');
    });

    it('post-award notice and documentation each cite their regime (10 kap. 4 §; 19 kap.; 19 a kap. 11 §)', async () => {
      expect(
        (await get('/reference/deadlines?kind=post_award_notice&from=2026-05-08&regime=eu').expect(200)).body,
      ).toMatchObject({
        lastDay: '2026-06-08',
        basis: expect.stringContaining('10 kap. 4 § LOU'),
      });
      expect(
        (await get('/reference/deadlines?kind=post_award_notice&from=2026-05-08&regime=national').expect(200)).body
          .basis,
      ).toContain('19 kap. 7 § LOU');
      const doc = (await get('/reference/deadlines?kind=documentation&from=2026-03-02&regime=direct').expect(200)).body;
      expect(doc).toMatchObject({ lastDay: '2026-04-01', basis: expect.stringContaining('19 a kap. 11 § LOU') });
      expect(doc.basis).not.toContain('12 kap.');
    });

    it('a tender period agreed with the candidates of 0 days is refused (400, agreedWithCandidates)', async () => {
      const res = await refused(
        await get(
          '/reference/deadlines?kind=tender_period&from=2026-06-01&regime=eu&procedure=restricted&agreedWithCandidates=0',
        ),
        400,
      );
      expect(JSON.stringify(res.errors)).toContain('agreedWithCandidates');
    });
  });

  describe('a date with no published thresholds', () => {
    it('2028-03-01: 422 naming what is missing and that an administrator can add the row; no exception text', async () => {
      const body = await refused(
        await get('/reference/classification?contractType=services&valueSek=1000000&date=2028-03-01'),
        422,
      );
      expect(body).toMatchObject({
        rule: 'rule_set_gap',
        missing: { kind: 'threshold', contractType: 'services', date: '2028-03-01' },
      });
      expect(body.detail).toContain('An administrator can add the row');
      expect(JSON.stringify(body)).not.toMatch(/RuleSetGapError|at \w+ \(|\.ts:\d+/);
    });
  });

  describe('accelerated procedures at publication', () => {
    let id: string;
    beforeAll(async () => {
      const created = await post(
        '/tenders',
        t.anna,
        tender({
          contractType: 'supplies',
          estimatedValueSek: 4_000_000,
          title: 'Reagenser 2027–2029',
          contractTermMonths: 24,
        }),
      ).expect(201);
      id = created.body.id;
      expect(created.body.regime).toBe('eu');
      await post(`/tenders/${id}/needs-analysis`, t.anna, {
        sustainability: { criteria: ['Kemikalieinnehåll'], level: 'bas' },
        laborConditions: { required: false, justification: 'Varor från grossister inom EU' },
        supplyPreparedness: { criticality: 'low' },
        lotJustification: 'En analysplattform; delning skulle höja kostnad och risk',
      }).expect(200);
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
        decision: 'approve',
        comment: 'OK',
      }).expect(200);
      await post(`/tenders/${id}/documents`, t.anna, {
        documents: [{ title: 'Förfrågningsunderlag', reference: 'dms://LOU22/1' }],
      }).expect(200);
      await post(`/tenders/${id}/gates/documents_approval/decision`, t.bo, { decision: 'approve' }).expect(200);
    }, 60_000);

    it('urgent without a justification: 422 (11 kap. 10 §)', async () => {
      const body = await refused(await post(`/tenders/${id}/publication`, t.anna, { urgent: true }), 422);
      expect(body).toMatchObject({ rule: 'urgency_justification_missing', paragraph: '11 kap. 10 § LOU' });
    });

    it('a prior information notice sent 10 days ago does not shorten the limits: 422 (11 kap. 5 § andra stycket 2 p.)', async () => {
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      const body = await refused(
        await post(`/tenders/${id}/publication`, t.anna, {
          priorInformationNotice: true,
          priorInformationNoticeSentAt: tenDaysAgo,
        }),
        422,
      );
      expect(body).toMatchObject({ rule: 'pin_out_of_range', paragraph: '11 kap. 5 § andra stycket 2 p. LOU' });
    });

    it('urgent with a recorded justification: 15 days, answers due four days before the deadline (12 kap. 11 §)', async () => {
      const justification = 'Nuvarande leverantör har gått i konkurs; lagret räcker sex veckor.';
      const s = (
        await post(`/tenders/${id}/publication`, t.anna, { urgent: true, urgencyJustification: justification }).expect(
          200,
        )
      ).body as TenderState;
      const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
      expect(deadline).toMatchObject({ days: 15, basis: expect.stringContaining('11 kap. 10 § LOU') });
      const latest = s.deadlines.find((d) => d.kind === 'latest_answer')!;
      expect(Date.parse(`${deadline.lastDay}T00:00:00Z`) - Date.parse(`${latest.lastDay}T00:00:00Z`)).toBe(
        4 * 86_400_000,
      );
      expect(s.publication).toMatchObject({ urgent: true, urgencyJustification: justification });
    });
  });
});
