import { addDays, addMonths, stockholmDate } from '@tenderflow/domain/dates';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { OutboxDispatcher } from '../../apps/worker/src/outbox/outbox-dispatcher';
import { freePort } from '../../scripts/lib/services';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { mailsOf, TestSmtpServer } from '../support/test-smtp-server';
import { auditChain } from '../support/tender-reads';
import { passDeadline } from '../support/time-skipping-http';
import { pdfText } from '../support/pdf-text';

/**
 * One open procedure from the requirements register to the award's documents over HTTP (issue 30),
 * with the real API, worker and PostgreSQL on Temporal's time-skipping server, and a real SMTP server
 * started by the test: an EU tender with two lots registers its mandatory requirements and an award
 * criterion, the opening records three tenders with their lots, prices and contact addresses, each
 * tender is assessed (one rejected on a mandatory requirement, one abnormally low price explained and
 * accepted), two evaluators score on their own and agree, the ranking is computed, the award is
 * flagged (the lowest bid was disqualified) and approved with a justification; then the three kinds
 * of document (the opening protocol, the evaluation report, a notice to each tenderer) with each
 * digest in the chain, and each notice e-mailed to its tenderer. After the standstill the contract
 * is registered, and the register's two contract conditions are its controls (issue 31).
 */
jest.setTimeout(180_000);

const ORG = 'ASMT';

describe('an open procedure from the register to the award documents (time-skipping Temporal, real API, PostgreSQL and SMTP)', () => {
  let env: TestWorkflowEnvironment;
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  let smtp: TestSmtpServer;
  const saved = {
    address: process.env.TEMPORAL_ADDRESS,
    queue: process.env.TEMPORAL_TASK_QUEUE,
    smtp: process.env.SMTP_URL,
  };
  const post = (path: string, who: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${t[who]}`).send(body);
  const state = async (id: string) =>
    (await request(sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${t.anna}`).expect(200))
      .body as TenderState;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    smtp = new TestSmtpServer(await freePort());
    await smtp.start();
    process.env.SMTP_URL = smtp.url;
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `assessment-${process.pid}`;
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    t.eva = await sys.token({ sub: 'eva', name: 'Eva Utvärderare', org: ORG, roles: ['contract_manager'] });
    t.erik = await sys.token({ sub: 'erik', name: 'Erik Utvärderare', org: ORG, roles: ['category_manager'] });
    t.ulla = await sys.token({ sub: 'ulla', name: 'Ulla Upphandlingschef', org: ORG, roles: ['approver'] });
    t.policy = await sys.token({ sub: 'pia', name: 'Pia Policy', org: ORG, roles: ['policy_admin'] });
    t.admin = await sys.token({ sub: 'ada', name: 'Ada Admin', org: ORG, roles: ['admin'] });
    // The delegation order in force when the tender starts (it pins it): sanctions against a
    // contract's supplier up to 500 000 kr are the head of procurement's (item 7.1).
    const put = (path: string, who: string, body: object) =>
      request(sys.http).put(path).set('Authorization', `Bearer ${t[who]}`).send(body);
    await put(`/organizations/${ORG}/functions/upphandlingschef`, 'policy', { name: 'Upphandlingschef' }).expect(200);
    await put(`/organizations/${ORG}/delegation-order`, 'policy', {
      reference: 'Regionstyrelsen 2026-03-11 § 31',
      items: [
        {
          id: '7.1',
          decision: 'contract_sanction',
          delegate: 'upphandlingschef',
          limit: { sek: 500_000 },
          reportToBoard: true,
          substitute: { nearestSuperior: true },
        },
      ],
    }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await env?.teardown();
    await smtp?.stop();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
    if (saved.smtp === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = saved.smtp;
  });

  it('assesses three tenders on two lots, ranks the admitted ones, and issues and e-mails the award decision documents', async () => {
    const id = (
      await post('/tenders', 'anna', {
        title: 'Laboratoriereagens i två delområden',
        organization: ORG,
        category: 'lab-supplies',
        contractType: 'supplies',
        estimatedValueSek: 4_000_000,
        contractTermMonths: 24,
      }).expect(201)
    ).body.id as string;
    await post(`/tenders/${id}/needs-analysis`, 'anna', {
      need: 'Reagenser till laboratorierna',
      sustainability: { criteria: ['Fossilfria transporter'], level: 'bas' },
      laborConditions: { required: false, justification: 'Varor från grossister inom EU' },
      supplyPreparedness: { criticality: 'high', measures: 'Säkerhetslager 8 veckor' },
      lots: [
        { title: 'Kemi', estimatedValueSek: 2_500_000 },
        { title: 'Hematologi', estimatedValueSek: 1_500_000 },
      ],
    }).expect(200);
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, 'bo', { decision: 'approve' }).expect(200);
    await post(`/tenders/${id}/requirements`, 'anna', {
      kind: 'supplier_requirement',
      text: 'Omsättning minst 10 MSEK per år',
      reference: 'AF 3.2',
    }).expect(200);
    await post(`/tenders/${id}/requirements`, 'anna', {
      kind: 'object_requirement',
      text: 'Hållbarhet minst 12 månader från leverans',
      reference: 'KS 2.1',
      lot: 'Kemi',
    }).expect(200);
    await post(`/tenders/${id}/requirements`, 'anna', {
      kind: 'award_criterion',
      text: 'Leveranstid i arbetsdagar',
      reference: 'Utvärdering 5',
      lot: 'Kemi',
      scoring: { maxScore: 5, weight: 40 },
    }).expect(200);
    // Two contract conditions, with how each is followed up (the controls of the contract, issue 31).
    await post(`/tenders/${id}/requirements`, 'anna', {
      kind: 'contract_condition',
      text: 'Leveransprecision minst 95 procent per kvartal',
      reference: 'AV 4.1',
      followUp: {
        method: 'statistics',
        frequency: 'quarterly',
        owner: 'using_unit',
        evidence: 'Leverantörens leveransstatistik',
      },
    }).expect(200);
    await post(`/tenders/${id}/requirements`, 'anna', {
      kind: 'contract_condition',
      text: 'Transporterna sker med fossilfria drivmedel',
      reference: 'AV 4.2',
      sustainabilityCriterionId: '10137',
      followUp: { method: 'self_declaration', frequency: 'yearly', owner: 'procurement', evidence: 'Egenförsäkran' },
    }).expect(200);
    await post(`/tenders/${id}/documents`, 'anna', {
      documents: [{ title: 'Upphandlingsdokument', reference: 'dms://ASMT/1' }],
    }).expect(200);
    await post(`/tenders/${id}/gates/documents_approval/decision`, 'bo', { decision: 'approve' }).expect(200);
    await post(`/tenders/${id}/evaluators`, 'anna', {
      evaluators: [
        { sub: 'eva', name: 'Eva Utvärderare' },
        { sub: 'erik', name: 'Erik Utvärderare' },
      ],
    }).expect(200);
    const published = (await post(`/tenders/${id}/publication`, 'anna', { advertisingDatabase: 'e-Avrop' }).expect(200))
      .body as TenderState;
    const deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!;
    await passDeadline(env, sys, state, id, 'tender_deadline', 'opening');
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();

    // A price in öre, or for a lot the tender is not for, is refused by its field.
    const fraction = await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [{ supplier: 'Kemlab AB', receivedAt, lots: ['Kemi'], prices: [{ lot: 'Kemi', priceSek: 1.5 }] }],
    }).expect(400);
    expect(fraction.body.errors).toEqual([expect.objectContaining({ field: 'tenders.0.prices.0.priceSek' })]);
    const offLot = await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [{ supplier: 'Kemlab AB', receivedAt, lots: ['Kemi'], prices: [{ lot: 'Hematologi', priceSek: 1 }] }],
    }).expect(400);
    expect(offLot.body.errors).toEqual([expect.objectContaining({ field: 'tenders[0].prices[0].lot' })]);
    await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [
        {
          supplier: 'Kemlab AB',
          contactEmail: 'anbud@kemlab.example',
          orgNumber: '556000-0001',
          receivedAt,
          lots: ['Kemi'],
          prices: [{ lot: 'Kemi', priceSek: 1_900_000 }],
        },
        {
          supplier: 'Billig Kemi AB',
          contactEmail: 'anbud@billig.example',
          orgNumber: '556000-0002',
          receivedAt,
          lots: ['Kemi'],
          prices: [{ lot: 'Kemi', priceSek: 1_200_000 }],
        },
        {
          supplier: 'Hemo AB',
          contactEmail: 'anbud@hemo.example',
          orgNumber: '556000-0003',
          receivedAt,
          lots: ['Hematologi'],
          prices: [{ lot: 'Hematologi', priceSek: 1_500_000 }],
        },
      ],
    }).expect(200);
    for (const who of ['eva', 'erik'])
      await post(`/tenders/${id}/conflict-declarations`, who, { hasConflict: false, statement: 'Inga band' }).expect(
        200,
      );

    const early = await post(`/tenders/${id}/evaluation`, 'anna', {
      proposals: [{ supplier: 'Kemlab AB', lot: 'Kemi', reasons: 'Bäst' }],
    }).expect(422);
    expect(early.body.rule).toBe('assessments_missing');

    const ok = { exclusion: { groundFound: false, note: 'Skatteverket kontrollerat' }, qualification: { met: true } };
    const admittedFailing = await post(`/tenders/${id}/assessments`, 'anna', {
      ...ok,
      supplier: 'Billig Kemi AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false, note: 'Hållbarhet 6 månader enligt produktbladet' },
      ],
      result: 'admitted',
    }).expect(422);
    expect(admittedFailing.body.rule).toBe('admitted_with_failure');
    expect(admittedFailing.body.detail).toContain('requirement K2 is not met');
    await post(`/tenders/${id}/assessments`, 'anna', {
      ...ok,
      supplier: 'Billig Kemi AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false, note: 'Hållbarhet 6 månader enligt produktbladet' },
      ],
      result: 'rejected',
      reason: 'Ska-krav K2 uppfylls inte',
    }).expect(200);
    await post(`/tenders/${id}/assessments`, 'anna', {
      ...ok,
      supplier: 'Kemlab AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: true },
      ],
      result: 'admitted',
    }).expect(200);
    const today = stockholmDate(await env.currentTimeMs());
    const s = (
      await post(`/tenders/${id}/assessments`, 'anna', {
        ...ok,
        supplier: 'Hemo AB',
        requirements: [{ requirementId: 'K1', met: true }],
        abnormallyLow: [
          {
            lot: 'Hematologi',
            explanationRequestedOn: today,
            explanationReceivedOn: today,
            outcome: 'accepted',
            explanation: 'Egen tillverkning av reagenserna',
            reason: 'Förklaringen visar hur priset är möjligt',
          },
        ],
        result: 'admitted',
      }).expect(200)
    ).body as TenderState;
    expect(s.tendersReceived.map((x) => [x.supplier, x.prices])).toEqual([
      ['Kemlab AB', [{ lot: 'Kemi', priceSek: 1_900_000 }]],
      ['Billig Kemi AB', [{ lot: 'Kemi', priceSek: 1_200_000 }]],
      ['Hemo AB', [{ lot: 'Hematologi', priceSek: 1_500_000 }]],
    ]);
    expect(s.assessments!.map((a) => [a.supplier, a.result])).toEqual([
      ['Billig Kemi AB', 'rejected'],
      ['Kemlab AB', 'admitted'],
      ['Hemo AB', 'admitted'],
    ]);
    // The notes and reasons are read back from the read model with the state.
    expect(s.assessments![0]).toMatchObject({
      reason: 'Ska-krav K2 uppfylls inte',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false, note: 'Hållbarhet 6 månader enligt produktbladet' },
      ],
      exclusion: { groundFound: false, note: 'Skatteverket kontrollerat' },
    });
    expect(s.assessments![2]).toMatchObject({
      abnormallyLow: [{ lot: 'Hematologi', outcome: 'accepted', explanation: 'Egen tillverkning av reagenserna' }],
    });

    const rejectedWins = await post(`/tenders/${id}/evaluation`, 'anna', {
      proposals: [{ supplier: 'Billig Kemi AB', lot: 'Kemi', reasons: 'Lägst pris' }],
    }).expect(422);
    expect(rejectedWins.body.rule).toBe('supplier_rejected');

    // Two evaluators score the admitted Kemi tender on their own, then agree on it with a reason.
    const sheet = (score: number) => ({ supplier: 'Kemlab AB', lot: 'Kemi', scores: [{ criterionId: 'K3', score }] });
    await post(`/tenders/${id}/scores`, 'eva', sheet(4)).expect(200);
    await post(`/tenders/${id}/scores`, 'erik', sheet(3)).expect(200);
    const unranked = await post(`/tenders/${id}/evaluation`, 'anna', {
      proposals: [{ supplier: 'Kemlab AB', lot: 'Kemi', reasons: 'Bäst' }],
    }).expect(422);
    expect(unranked.body.rule).toBe('ranking_incomplete');
    await post(`/tenders/${id}/consensus`, 'anna', { ...sheet(4), reason: 'Leverans inom fem arbetsdagar' }).expect(
      200,
    );
    // Kemi: 60 price points (the only admitted price) + 40 × 4 ÷ 5 = 92; Hematologi: lowest price.
    const ranking = (
      await request(sys.http).get(`/tenders/${id}/ranking`).set('Authorization', `Bearer ${t.anna}`).expect(200)
    ).body;
    expect(ranking.lots.map((l: { lot: string; ranking: { ranked: object[] } }) => [l.lot, l.ranking.ranked])).toEqual([
      ['Kemi', [expect.objectContaining({ tenderer: 'Kemlab AB', rank: 1, total: 92 })]],
      ['Hematologi', [expect.objectContaining({ tenderer: 'Hemo AB', rank: 1, priceSek: 1_500_000 })]],
    ]);
    const evaluated = (
      await post(`/tenders/${id}/evaluation`, 'anna', {
        proposals: [
          { supplier: 'Kemlab AB', lot: 'Kemi', reasons: 'Enda godkända anbudet, 92 poäng' },
          { supplier: 'Hemo AB', lot: 'Hematologi', reasons: 'Enda anbudet' },
        ],
      }).expect(200)
    ).body as TenderState;
    expect(evaluated.phase).toBe('award_decision');
    // The lowest bid (Billig Kemi AB) was disqualified: a red flag (R036) on the award, in the approver's inbox.
    const inbox = (
      await request(sys.http).get('/approvals?status=pending').set('Authorization', `Bearer ${t.bo}`).expect(200)
    ).body.items as { tenderId: string; gate: string; redFlags?: { code: string }[] }[];
    const gate = inbox.find((x) => x.tenderId === id && x.gate === 'award_decision')!;
    expect(gate.redFlags?.map((f) => f.code)).toEqual(['R036']);
    const bare = await post(`/tenders/${id}/gates/award_decision/decision`, 'bo', {
      decision: 'approve',
      noticeChannel: 'electronic',
    }).expect(422);
    expect(bare.body).toMatchObject({ rule: 'red_flag_justification' });
    const approved = (
      await post(`/tenders/${id}/gates/award_decision/decision`, 'bo', {
        decision: 'approve',
        noticeChannel: 'electronic',
        justification: 'Billig Kemi AB uppfyllde inte ska-krav K2; prövningen är dokumenterad.',
      }).expect(200)
    ).body as TenderState;
    expect(approved.gateDecisions.at(-1)).toMatchObject({
      redFlags: [{ code: 'R036', value: 1 }],
      justification: 'Billig Kemi AB uppfyllde inte ska-krav K2; prövningen är dokumenterad.',
    });
    // After the award decision the tenders are public as bids, with the assessment as their status.
    const ocds = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
    const details = ocds.releases[0].bids.details as {
      tenderers: { name: string }[];
      status: string;
      value: { amount: number };
    }[];
    expect(details.map((b) => [b.tenderers[0].name, b.status, b.value.amount])).toEqual([
      ['Kemlab AB', 'valid', 1_900_000],
      ['Billig Kemi AB', 'disqualified', 1_200_000],
      ['Hemo AB', 'valid', 1_500_000],
    ]);
    expect(ocds.extensions).toEqual(expect.arrayContaining([expect.stringContaining('ocds_bid_extension')]));
    expect(JSON.stringify(ocds)).not.toContain('Ska-krav K2 uppfylls inte');

    const events = [...(await auditChain(sys.http, id, t.anna)).values()] as unknown as {
      type: string;
      payload: { kind?: string; sha256?: string };
    }[];
    const chain = events.map((e) => e.type);
    expect(chain.filter((x) => x === 'tender.assessed')).toHaveLength(3);
    expect(chain).toContain('award.red_flags_justified');

    // The three kinds of document, from the recorded facts, each digest in the chain and re-computable.
    const get = (path: string) => request(sys.http).get(path).set('Authorization', `Bearer ${t.anna}`);
    const documents = (await get(`/tenders/${id}/decision-documents`).expect(200)).body as {
      items: { kind: string; sha256: string; path: string }[];
    };
    expect(documents.items.map((d) => d.kind)).toEqual([
      'opening_protocol',
      'evaluation_report',
      'award_notice',
      'award_notice',
      'award_notice',
    ]);
    expect(
      events
        .filter((e) => e.type === 'document.issued' || e.type === 'award.notice_issued')
        .map((e) => e.payload.sha256),
    ).toEqual(documents.items.map((d) => d.sha256));
    const read = async (path: string) =>
      (await get(path).expect(200)).body as { document: { text: string[] }; sha256: string; verified: boolean };
    const issued = [];
    for (const d of documents.items) {
      const doc = await read(d.path);
      expect(doc).toMatchObject({ sha256: d.sha256, verified: true });
      expect(documentSha256(doc.document)).toBe(d.sha256);
      issued.push(doc.document.text);
    }
    const [protocol, report, ...notices] = issued;
    expect(protocol).toContain(
      '2. Billig Kemi AB (556000-0002), inkom ' + receivedAt + '; delområden Kemi; pris Kemi 1 200 000 kr.',
    );
    expect(report).toEqual(
      expect.arrayContaining([
        'Prövning: Billig Kemi AB: förkastat (Ska-krav K2 uppfylls inte).',
        `Onormalt lågt pris: Hemo AB, Hematologi: förklaring begärd ${today}, mottagen ${today}; förklaringen godtogs. Skäl: Förklaringen visar hur priset är möjligt.`,
        'Kemi: Utvärderingsmodell: bästa förhållande mellan pris och kvalitet (viktade kriterier). Rangordning: 1. Kemlab AB (92 poäng) [konsensus K3 4; Leverans inom fem arbetsdagar].',
        'Varningsflaggor: R036 (1). Motivering för att ändå tilldela: Billig Kemi AB uppfyllde inte ska-krav K2; prövningen är dokumenterad.',
      ]),
    );
    expect(JSON.stringify(report)).not.toContain('Egen tillverkning');
    expect(notices.map((n) => n.find((line) => line.startsWith('Ert anbud')))).toEqual([
      'Ert anbud har antagits för Kemi.',
      'Ert anbud förkastades vid prövningen: Ska-krav K2 uppfylls inte.',
      'Ert anbud har antagits för Hematologi.',
    ]);

    // The worker's outbox e-mails each notice to the tenderer's contact address over real SMTP.
    await sys.worker.get(OutboxDispatcher).drainOnce(1000);
    const mails = await mailsOf(smtp, id, 'award_notice');
    expect(mails.map((m) => m.to).sort()).toEqual([
      'anbud@billig.example',
      'anbud@hemo.example',
      'anbud@kemlab.example',
    ]);
    expect(mails.find((m) => m.to === 'anbud@billig.example')!.text).toContain(
      `SHA-256 för underrättelsen: ${documents.items[3].sha256}`,
    );

    // Issue 31: after the standstill the contract is registered, and the register's contract
    // conditions are its controls: what is checked, how, how often, by whom, from the start.
    await passDeadline(env, sys, state, id, 'standstill', 'contract');
    const signedAt = stockholmDate(await env.currentTimeMs());
    const startDate = addDays(signedAt, 14);
    const registered = (
      await post(`/tenders/${id}/contract`, 'anna', {
        supplier: 'Kemlab AB',
        valueSek: 1_900_000,
        signedAt,
        startDate,
        endDate: addDays(addMonths(startDate, 24), -1),
        sanctions: [
          { kind: 'penalty', clauseReference: 'Avtalsvillkor 12.3', maxAmountSek: 100_000 },
          { kind: 'termination', clauseReference: 'Avtalsvillkor 13.1' },
        ],
      }).expect(200)
    ).body as TenderState;
    const contract = (
      await request(sys.http)
        .get(`/contracts/${registered.followUp!.contractId}`)
        .set('Authorization', `Bearer ${t.anna}`)
        .expect(200)
    ).body as ContractState;
    const controls = contract.milestones.filter((m) => m.kind === 'control');
    expect(controls.map((m) => [m.dueDate, m.owner, m.title])).toEqual([
      [addMonths(startDate, 3), 'using_unit', 'Control 1: K4 (statistics)'],
      [addMonths(startDate, 6), 'using_unit', 'Control 2: K4 (statistics)'],
      [addMonths(startDate, 9), 'using_unit', 'Control 3: K4 (statistics)'],
      [addMonths(startDate, 12), 'using_unit', 'Control 4: K4 (statistics)'],
      [addMonths(startDate, 12), 'procurement', "Control 1: K5 (supplier's self-declaration)"],
      [addMonths(startDate, 15), 'using_unit', 'Control 5: K4 (statistics)'],
      [addMonths(startDate, 18), 'using_unit', 'Control 6: K4 (statistics)'],
      [addMonths(startDate, 21), 'using_unit', 'Control 7: K4 (statistics)'],
    ]);
    expect(controls[4].control).toEqual({ requirementId: 'K5', method: 'self_declaration', criterionId: '10137' });
    expect(controls[4].basis).toContain("Upphandlingsmyndigheten's criterion 10137");

    // A change under 17 kap. 12 § LOU: within 50 % of 1 900 000, so taken, its notice planned (16 §);
    // a low-value change (9 §) cannot be shown below a threshold that has no confirmed SEK figure.
    const contractPath = `/contracts/${registered.followUp!.contractId}`;
    const changed = (
      await post(`${contractPath}/changes`, 'anna', {
        ground: 'unforeseen',
        valueChangeSek: 500_000,
        overallNatureChanged: false,
        description: 'Nya analyskrav från Läkemedelsverket',
      }).expect(200)
    ).body as ContractState;
    expect(changed.valueSek).toBe(2_400_000);
    expect(changed.milestones.find((m) => m.id === changed.changes![0].noticeMilestoneId)).toMatchObject({
      kind: 'modification_notice',
    });
    const unconfirmed = await post(`${contractPath}/changes`, 'anna', {
      ground: 'low_value',
      valueChangeSek: 10_000,
      overallNatureChanged: false,
      description: 'En leveransadress till',
    }).expect(422);
    expect(unconfirmed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unconfirmed.body).toMatchObject({ rule: 'threshold_unconfirmed', paragraph: '17 kap. 9 § LOU' });
    const badGround = await post(`${contractPath}/changes`, 'anna', {
      ground: 'because',
      valueChangeSek: 1,
      overallNatureChanged: false,
      description: 'x',
    }).expect(400);
    expect(badGround.body.errors).toContainEqual(expect.objectContaining({ field: 'ground', rule: 'isIn' }));
    await post(`${contractPath}/changes`, 'eva', {
      ground: 'unforeseen',
      valueChangeSek: 1,
      overallNatureChanged: false,
      description: 'x',
    }).expect(403);
    // The follow-up report as of a date: the controls from the register, the change, in Swedish; as a PDF too.
    const asOf = addMonths(startDate, 7);
    const followUp = (
      await request(sys.http)
        .get(`${contractPath}/follow-up-report?asOf=${asOf}`)
        .set('Authorization', `Bearer ${t.anna}`)
        .expect(200)
    ).body as { controls: object[]; changes: object[]; text: string[]; sha256: string };
    expect(followUp.controls).toEqual([
      {
        requirementId: 'K4',
        method: 'statistics',
        planned: 2,
        done: 0,
        deviations: 0,
        overdue: 2, // due by the date and not done by it
        next: addMonths(startDate, 9),
      },
      {
        requirementId: 'K5',
        method: 'self_declaration',
        criterionId: '10137',
        planned: 0,
        done: 0,
        deviations: 0,
        overdue: 0,
        next: addMonths(startDate, 12),
      },
    ]);
    expect(followUp.text).toContain(
      `Ändring C1 den ${stockholmDate(await env.currentTimeMs())} enligt 17 kap. 12 § LOU: Nya analyskrav från Läkemedelsverket; värdet ökat med 500 000 kr till 2 400 000 kr; annons om ändringen senast ${changed.milestones.find((m) => m.kind === 'modification_notice')!.dueDate}.`,
    );
    const reportPdf = await request(sys.http)
      .get(`${contractPath}/follow-up-report?asOf=${asOf}&format=pdf`)
      .set('Authorization', `Bearer ${t.anna}`)
      .buffer(true)
      .expect(200);
    expect(reportPdf.headers['content-type']).toBe('application/pdf');
    const reportText = pdfText(reportPdf.body as Buffer).replace(/\s+/g, ' ');
    expect(reportText).toContain('Uppföljningsrapport');
    expect(reportText).toContain(`SHA-256 (kanonisk JSON): ${followUp.sha256}`);
    const badDay = await request(sys.http)
      .get(`${contractPath}/follow-up-report?asOf=2027-02-30`)
      .set('Authorization', `Bearer ${t.anna}`)
      .expect(400);
    expect(badDay.body.errors).toContainEqual(expect.objectContaining({ field: 'asOf' }));
    // The OCDS release carries the change as the contract's amendment.
    const released = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
    expect(released.releases[0].contracts[0].amendments).toEqual([
      expect.objectContaining({
        id: 'C1',
        rationale: 'Changed under 17 kap. 12 § LOU: the value raised by 500000 SEK to 2400000 SEK.',
        description: 'Nya analyskrav från Läkemedelsverket',
      }),
    ]);

    // Sanctions (issue 31): the contract reserves a penalty of at most 100 000 kr and a termination
    // right. A major deviation in a control puts them to a decision; the delegation order the tender
    // pinned gives it to the head of procurement (item 7.1), whom the directory names today.
    await request(sys.http)
      .put(`/organizations/${ORG}/people`)
      .set('Authorization', `Bearer ${t.admin}`)
      .send({
        Resources: [
          {
            userName: 'ulla',
            displayName: 'Ulla Upphandlingschef',
            roles: [{ value: 'approver' }],
            'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User': {
              functions: [{ code: 'upphandlingschef', validFrom: '2024-01-01' }],
            },
          },
        ],
      })
      .expect(200);
    const deviated = (
      await post(`${contractPath}/milestones/${controls[0].id}/completion`, 'eva', {
        outcome: 'deviation',
        note: 'Kvartalets leveransstatistik saknas',
        severity: 'major',
      }).expect(200)
    ).body as ContractState;
    expect(deviated.sanctions).toEqual({
      declared: [
        { kind: 'penalty', clauseReference: 'Avtalsvillkor 12.3', maxAmountSek: 100_000 },
        { kind: 'termination', clauseReference: 'Avtalsvillkor 13.1' },
      ],
      delegation: { version: expect.any(Number), items: [expect.objectContaining({ id: '7.1' })] },
    });
    const decisionId = deviated.milestones.find((m) => m.id === controls[0].id)!.completion!.sanctionDecisionId!;
    const waiting = (await request(sys.http).get('/approvals').set('Authorization', `Bearer ${t.ulla}`).expect(200))
      .body as { sanctionDecisions: object[] };
    expect(waiting.sanctionDecisions).toEqual([
      expect.objectContaining({
        contractId: registered.followUp!.contractId,
        milestoneId: decisionId,
        deviation: expect.objectContaining({ milestoneId: controls[0].id, severity: 'major' }),
        decide: `${contractPath}/milestones/${decisionId}/completion`,
      }),
    ]);
    const decisionPath = `${contractPath}/milestones/${decisionId}/completion`;
    const penalty = { decision: 'impose', kind: 'penalty', amountSek: 40_000 };
    // Bo's token says 10 MSEK, but the order gives sanctions to a function he does not hold.
    const notHis = await post(decisionPath, 'bo', { outcome: 'ok', note: 'Vite', sanction: penalty }).expect(403);
    expect(notHis.body).toMatchObject({ rule: 'delegation_order' });
    // The authority is the API's to find in the directory, never the caller's to claim.
    await post(decisionPath, 'ulla', {
      outcome: 'ok',
      note: 'Vite',
      sanction: penalty,
      authority: { item: '7.1', function: 'upphandlingschef', via: 'delegate' },
    }).expect(400);
    const tooMuch = await post(decisionPath, 'ulla', {
      outcome: 'ok',
      note: 'Vite',
      sanction: { ...penalty, amountSek: 100_001 },
    }).expect(422);
    expect(tooMuch.body).toMatchObject({ rule: 'sanction_amount_limit' });
    const decided = (
      await post(decisionPath, 'ulla', {
        outcome: 'ok',
        note: 'Vite enligt avtalsvillkor 12.3',
        sanction: penalty,
      }).expect(200)
    ).body as ContractState;
    expect(decided.milestones.find((m) => m.id === decisionId)!.completion!.sanction).toEqual({
      ...penalty,
      valueSek: 40_000,
      authority: { order: expect.any(Number), item: '7.1', function: 'upphandlingschef', via: 'delegate' },
    });
    // Decided: the inbox no longer lists it; the public release shows the decision as a met approval milestone.
    const after = await eventually(async () => {
      const body = (await request(sys.http).get('/approvals').set('Authorization', `Bearer ${t.ulla}`).expect(200))
        .body as { sanctionDecisions: object[] };
      return body.sanctionDecisions.length === 0 ? body : undefined;
    });
    expect(after.sanctionDecisions).toEqual([]);
    const release = (await request(sys.http).get(`/tenders/${id}/ocds`).expect(200)).body;
    expect(release.releases[0].contracts[0].implementation.milestones).toContainEqual(
      expect.objectContaining({ id: decisionId, type: 'approval', status: 'met' }),
    );
    expect(
      (await request(sys.http).get(`/tenders/${id}/audit/verify`).set('Authorization', `Bearer ${t.anna}`).expect(200))
        .body.valid,
    ).toBe(true);
  });
});
