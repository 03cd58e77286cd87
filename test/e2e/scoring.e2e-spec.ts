import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import { OutboxDispatcher } from '../../apps/worker/src/outbox/outbox-dispatcher';
import { freePort } from '../../scripts/lib/services';
import { mailsOf, TestSmtpServer } from '../support/test-smtp-server';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { pdfText } from '../support/pdf-text';
import { auditChain } from '../support/tender-reads';
import { passDeadline } from '../support/time-skipping-http';

/**
 * Scores, consensus and the computed ranking over HTTP (issue 30, part 3), with the real API, worker
 * and PostgreSQL on Temporal's time-skipping server. Kemi is weighted (K1 delivery 30 %, K2 service
 * 10 %, both 0–5; the price weighs 60 % with relative price points); Hematologi is a value deduction
 * (K3 worth up to 100 000 kr on 0–5). Two evaluators score on their own and read only their own
 * sheets until the consensus; the ranking and what would change the winner are worked by hand:
 *
 * Kemi: Kemlab 1 000 000 kr (4, 5): 60 × 0.8 + 24 + 10 = 82; Cellab 1 200 000 kr (5, 5): 40 + 40 = 80;
 * Billig 800 000 kr (2, 3): 60 + 12 + 6 = 78. Cellab wins at 1 142 857 kr (60 × 800 000 ÷ p > 42);
 * Billig at 733 333 kr (then Kemlab's price points fall to 60 × p ÷ 1 000 000 < 44).
 * Hematologi: Cellab 1 000 000 − 100 000 = 900 000; Hemo 950 000 − 40 000 = 910 000; Hemo wins below 940 000.
 *
 * Then the award (issue 30, part 4): each tenderer's award decision notice, its SHA-256 in the
 * chain, e-mailed by the worker's outbox to the contact address from the opening over real SMTP,
 * downloadable as JSON and PDF, and listed in the OCDS release.
 */
jest.setTimeout(180_000);

const ORG = 'SCOR';

describe('scores, consensus and the ranking (time-skipping Temporal, real API and PostgreSQL)', () => {
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
  const get = (path: string, who: string) => request(sys.http).get(path).set('Authorization', `Bearer ${t[who]}`);
  const state = async (id: string) => (await get(`/tenders/${id}`, 'anna').expect(200)).body as TenderState;
  const kemi = (supplier: string, delivery: number, service: number) => ({
    supplier,
    lot: 'Kemi',
    scores: [
      { criterionId: 'K1', score: delivery },
      { criterionId: 'K2', score: service },
    ],
  });
  const hema = (supplier: string, score: number) => ({
    supplier,
    lot: 'Hematologi',
    scores: [{ criterionId: 'K3', score }],
  });

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    smtp = new TestSmtpServer(await freePort());
    await smtp.start();
    process.env.SMTP_URL = smtp.url;
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `scoring-${process.pid}`;
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
    t.stranger = await sys.token({ sub: 'sara', name: 'Sara Annan', org: 'OTHER', roles: ['procurement_officer'] });
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

  it('scores on their own, agrees, ranks by the model and proposes only its winners', async () => {
    const id = (
      await post('/tenders', 'anna', {
        title: 'Laboratoriereagens med kvalitetsutvärdering',
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
    for (const criterion of [
      { text: 'Leveranstid i arbetsdagar', lot: 'Kemi', scoring: { maxScore: 5, weight: 30 } },
      { text: 'Service och support', lot: 'Kemi', scoring: { maxScore: 5, weight: 10 } },
      { text: 'Användarvänlighet', lot: 'Hematologi', scoring: { maxScore: 5, maxDeductionSek: 100_000 } },
    ])
      await post(`/tenders/${id}/requirements`, 'anna', {
        kind: 'award_criterion',
        reference: 'Utvärdering 5',
        ...criterion,
      }).expect(200);
    await post(`/tenders/${id}/documents`, 'anna', {
      documents: [{ title: 'Upphandlingsdokument', reference: 'dms://SCOR/1' }],
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
    const tender = (supplier: string, prices: [string, number][]) => ({
      supplier,
      contactEmail: `anbud@${supplier.split(' ')[0].toLowerCase()}.example`,
      receivedAt,
      lots: prices.map(([lot]) => lot),
      prices: prices.map(([lot, priceSek]) => ({ lot, priceSek })),
    });
    await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [
        tender('Kemlab AB', [['Kemi', 1_000_000]]),
        tender('Billig AB', [['Kemi', 800_000]]),
        tender('Cellab AB', [
          ['Kemi', 1_200_000],
          ['Hematologi', 1_000_000],
        ]),
        tender('Hemo AB', [['Hematologi', 950_000]]),
      ],
    }).expect(200);

    // Before the declaration an evaluator may not score (403, the rule and the paragraph named).
    // A contact address that is not one mailbox is refused at the door, naming the field.
    const noMailbox = await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [{ ...tender('Kemlab AB', [['Kemi', 1]]), contactEmail: 'a@b.example, c@d.example' }],
    }).expect(400);
    // Nor one PostgreSQL could not store.
    const nulMail = await post(`/tenders/${id}/opening`, 'anna', {
      openers: ['anna', 'olof'],
      tenders: [{ ...tender('Kemlab AB', [['Kemi', 1]]), contactEmail: 'anbud\u0000@kemlab.example' }],
    }).expect(400);
    expect(nulMail.body.errors).toContainEqual(expect.objectContaining({ rule: 'nul_character' }));
    expect(noMailbox.body.errors).toContainEqual(
      expect.objectContaining({ field: 'tenders.0.contactEmail', rule: 'isEmail' }),
    );
    const undeclared = await post(`/tenders/${id}/scores`, 'eva', kemi('Kemlab AB', 4, 5)).expect(403);
    expect(undeclared.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(undeclared.body).toMatchObject({ rule: 'not_a_declared_evaluator', paragraph: '4 kap. 4 § LOU' });
    for (const who of ['eva', 'erik'])
      await post(`/tenders/${id}/conflict-declarations`, who, { hasConflict: false, statement: 'Inga band' }).expect(
        200,
      );

    // Bad sheets: refused by field and rule, before and in the workflow.
    const text = await post(`/tenders/${id}/scores`, 'eva', {
      ...kemi('Kemlab AB', 4, 5),
      scores: [{ criterionId: 'K1', score: 'fyra' }],
    }).expect(400);
    expect(text.body.errors).toContainEqual(expect.objectContaining({ field: 'scores.0.score', rule: 'isNumber' }));
    const nul = await post(`/tenders/${id}/scores`, 'eva', {
      ...kemi('Kemlab AB', 4, 5),
      scores: [{ criterionId: 'K1', score: 4, note: 'fyra\u0000dagar' }],
    }).expect(400);
    expect(nul.body.errors).toEqual([expect.objectContaining({ rule: 'nul_character' })]);
    expect((await post(`/tenders/${id}/scores`, 'eva', kemi('Kemlab AB', 6, 5)).expect(422)).body).toMatchObject({
      rule: 'score_out_of_scale',
      errors: [expect.objectContaining({ field: 'scores[0].score' })],
    });
    expect(
      (await post(`/tenders/${id}/scores`, 'eva', { ...kemi('Kemlab AB', 4, 5), scores: [kemi('', 4, 5).scores[0]] }))
        .body,
    ).toMatchObject({ status: 422, rule: 'criteria_unscored' });
    expect((await post(`/tenders/${id}/scores`, 'anna', kemi('Kemlab AB', 4, 5)).expect(403)).body.rule).toBe(
      'not_an_evaluator',
    );
    await post(`/tenders/${id}/scores`, 'stranger', kemi('Kemlab AB', 4, 5)).expect(404);

    // Each on their own.
    for (const [who, sheets] of [
      [
        'eva',
        [
          kemi('Kemlab AB', 4, 5),
          kemi('Billig AB', 2, 3),
          kemi('Cellab AB', 5, 4),
          hema('Cellab AB', 5),
          hema('Hemo AB', 2),
        ],
      ],
      [
        'erik',
        [
          kemi('Kemlab AB', 3, 5),
          kemi('Billig AB', 2, 3),
          kemi('Cellab AB', 5, 5),
          hema('Cellab AB', 4),
          hema('Hemo AB', 2),
        ],
      ],
    ] as const)
      for (const sheet of sheets) await post(`/tenders/${id}/scores`, who, sheet).expect(200);
    const ownOnly = (await get(`/tenders/${id}/scores`, 'eva').expect(200)).body as {
      sheets: { evaluator: { sub: string }; supplier: string; scores: { score: number }[] }[];
    };
    expect(new Set(ownOnly.sheets.map((x) => x.evaluator.sub))).toEqual(new Set(['eva']));
    expect(ownOnly.sheets).toHaveLength(5);
    const all = (await get(`/tenders/${id}/scores`, 'anna').expect(200)).body as typeof ownOnly;
    expect(all.sheets).toHaveLength(10);
    await get(`/tenders/${id}/scores`, 'stranger').expect(404);
    // Nor through the chain: Erik's scores reach Eva's reading of the audit trail only as withheld.
    const scoredEvents = async (who: string) =>
      [...(await auditChain(sys.http, id, t[who])).values()].filter((e) => e.type === 'tender.scored') as unknown as {
        actor: { sub: string };
        payload: { payload: { scores?: unknown }; withheld?: string };
      }[];
    const evasChain = await scoredEvents('eva');
    expect(evasChain).toHaveLength(10);
    expect(
      evasChain.filter((e) => e.actor.sub === 'erik').every((e) => e.payload.withheld && !e.payload.payload.scores),
    ).toBe(true);
    expect(evasChain.filter((e) => e.actor.sub === 'eva').every((e) => e.payload.payload.scores)).toBe(true);
    expect((await scoredEvents('anna')).every((e) => e.payload.payload.scores && !e.payload.withheld)).toBe(true);
    expect((await get(`/tenders/${id}/audit/verify`, 'eva').expect(200)).body.valid).toBe(true);

    // Twenty re-scorings of one sheet at once: each is taken or refused whole, and one sheet stands.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_v, i) => post(`/tenders/${id}/scores`, 'eva', kemi('Billig AB', i % 3, 3))),
    );
    expect(burst.filter((r) => r.status !== 200 && r.status !== 409 && r.status !== 429)).toEqual([]);
    expect(burst.some((r) => r.status === 200)).toBe(true);
    await post(`/tenders/${id}/scores`, 'eva', kemi('Billig AB', 2, 3)).expect(200);
    expect(
      (await state(id)).scoreSheets!.filter((x) => x.evaluator.sub === 'eva' && x.supplier === 'Billig AB'),
    ).toHaveLength(1);
    // The consensus, with the reason; the ranking waits for every admitted tender's.
    const consensus = async (sheet: object, reason: string) =>
      post(`/tenders/${id}/consensus`, 'anna', { ...sheet, reason }).expect(200);
    await consensus(kemi('Kemlab AB', 4, 5), 'Eva och Erik enades om fyra för leveranstiden');
    const partly = (await get(`/tenders/${id}/ranking`, 'anna').expect(200)).body;
    expect(partly.lots[0]).toMatchObject({
      lot: 'Kemi',
      model: { kind: 'weighted', priceWeight: 60 },
      missing: [
        { supplier: 'Billig AB', price: false, consensus: true },
        { supplier: 'Cellab AB', price: false, consensus: true },
      ],
    });
    expect(partly.lots[0].ranking).toBeUndefined();
    // After the consensus for Kemlab, Eva reads Erik's sheet for it (and still not his others).
    const afterOne = (await get(`/tenders/${id}/scores`, 'eva').expect(200)).body as typeof ownOnly;
    expect(afterOne.sheets.filter((x) => x.evaluator.sub === 'erik').map((x) => x.supplier)).toEqual(['Kemlab AB']);
    expect(
      (
        await post(`/tenders/${id}/evaluation`, 'anna', {
          proposals: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
        }).expect(422)
      ).body.rule,
    ).toBe('ranking_incomplete');
    await consensus(kemi('Billig AB', 2, 3), 'Samstämmiga poäng');
    await consensus(kemi('Cellab AB', 5, 5), 'Erik övertygade om fem för service');
    await consensus(hema('Cellab AB', 5), 'Enigt efter demonstrationen');
    await consensus(hema('Hemo AB', 2), 'Samstämmiga poäng');
    expect((await post(`/tenders/${id}/scores`, 'eva', kemi('Kemlab AB', 1, 1)).expect(409)).body.rule).toBe(
      'consensus_recorded',
    );

    const ranking = (await get(`/tenders/${id}/ranking`, 'anna').expect(200)).body;
    expect(ranking.lots[0].ranking.ranked).toEqual([
      { tenderer: 'Kemlab AB', rank: 1, priceSek: 1_000_000, pricePoints: 48, qualityPoints: 34, total: 82 },
      { tenderer: 'Cellab AB', rank: 2, priceSek: 1_200_000, pricePoints: 40, qualityPoints: 40, total: 80 },
      { tenderer: 'Billig AB', rank: 3, priceSek: 800_000, pricePoints: 60, qualityPoints: 18, total: 78 },
    ]);
    expect(ranking.lots[0].simulation.pricesToWin).toEqual([
      { tenderer: 'Billig AB', priceSek: 733_333 },
      { tenderer: 'Cellab AB', priceSek: 1_142_857 },
    ]);
    expect(ranking.lots[0].simulation.qualityToWin).toEqual([
      { tenderer: 'Cellab AB', gap: 2, unit: 'points' },
      { tenderer: 'Billig AB', gap: 4, unit: 'points' },
    ]);
    expect(ranking.lots[1]).toMatchObject({
      lot: 'Hematologi',
      model: { kind: 'value_deduction' },
      ranking: {
        winner: 'Cellab AB',
        ranked: [
          { tenderer: 'Cellab AB', comparisonPriceSek: 900_000 },
          { tenderer: 'Hemo AB', comparisonPriceSek: 910_000 },
        ],
      },
      simulation: { pricesToWin: [{ tenderer: 'Hemo AB', priceSek: 939_999 }] },
    });

    // Only the computed winners may be proposed.
    const cheapest = await post(`/tenders/${id}/evaluation`, 'anna', {
      proposals: [{ lot: 'Kemi', supplier: 'Billig AB', reasons: 'Lägst pris' }],
    }).expect(422);
    expect(cheapest.body).toMatchObject({ rule: 'not_the_computed_winner' });
    expect(cheapest.body.detail).toContain('Kemlab AB');
    const evaluated = (
      await post(`/tenders/${id}/evaluation`, 'anna', {
        proposals: [
          {
            lot: 'Kemi',
            supplier: 'Kemlab AB',
            score: 82,
            reasons: 'Högst totalpoäng: 48 för priset och 34 för kvaliteten',
          },
          { lot: 'Hematologi', supplier: 'Cellab AB', reasons: 'Lägst jämförelsepris: 900 000 kr' },
        ],
      }).expect(200)
    ).body as TenderState;
    expect(evaluated.phase).toBe('award_decision');
    expect(evaluated.evaluation!.ranking!.map((l) => [l.lot, l.model, l.winner])).toEqual([
      ['Kemi', 'weighted', 'Kemlab AB'],
      ['Hematologi', 'value_deduction', 'Cellab AB'],
    ]);
    // The state keeps the consensus with its reason, never an evaluator's own scores.
    expect(evaluated.consensus!.find((c) => c.supplier === 'Cellab AB' && c.lot === 'Kemi')).toMatchObject({
      scores: { K1: 5, K2: 5 },
      reason: 'Erik övertygade om fem för service',
    });
    expect(JSON.stringify(evaluated.scoreSheets)).not.toContain('"score"');

    // The award: flagged, so approved with a justification; then one notice to each tenderer, a
    // document with its digest in the chain.
    const bare = await post(`/tenders/${id}/gates/award_decision/decision`, 'bo', { decision: 'approve' }).expect(422);
    expect(bare.body.rule).toBe('red_flag_justification');
    // Twenty approvals at once: one decides, the others are refused, and one set of notices is issued.
    const tries = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(`/tenders/${id}/gates/award_decision/decision`, 'bo', {
          decision: 'approve',
          justification: 'Flaggorna är kontrollerade mot anbuden och utvärderingen.',
        }),
      ),
    );
    expect(tries.filter((r) => r.status === 200)).toHaveLength(1);
    expect(new Set(tries.filter((r) => r.status !== 200).map((r) => r.status))).toEqual(new Set([409]));
    const awarded = tries.find((r) => r.status === 200)!.body as TenderState;
    expect(awarded.phase).toBe('standstill');
    const lastDay = awarded.deadlines.find((d) => d.kind === 'standstill')!.lastDay;
    const list = (await get(`/tenders/${id}/award-notices`, 'anna').expect(200)).body as {
      items: { n: number; supplier: string; outcome: string; sha256: string; recipient: string }[];
    };
    expect(list.items.map((x) => [x.n, x.supplier, x.outcome, x.recipient])).toEqual([
      [1, 'Kemlab AB', 'awarded', 'email:anbud@kemlab.example'],
      [2, 'Billig AB', 'not_awarded', 'email:anbud@billig.example'],
      [3, 'Cellab AB', 'awarded', 'email:anbud@cellab.example'],
      [4, 'Hemo AB', 'not_awarded', 'email:anbud@hemo.example'],
    ]);
    const chain = [...(await auditChain(sys.http, id, t.anna)).values()] as unknown as {
      type: string;
      payload: { sha256: string };
    }[];
    expect(chain.filter((e) => e.type === 'award.notice_issued').map((e) => e.payload.sha256)).toEqual(
      list.items.map((x) => x.sha256),
    );
    const billig = (await get(`/tenders/${id}/award-notices/2`, 'anna').expect(200)).body as {
      document: { text: string[]; standstill: { lastDay: string } };
      sha256: string;
      verified: boolean;
    };
    expect(billig).toMatchObject({
      sha256: list.items[1].sha256,
      verified: true,
      document: { standstill: { lastDay } },
    });
    expect(documentSha256(billig.document)).toBe(billig.sha256);
    expect(billig.document.text).toContain(
      'Kemi: Rangordning enligt utvärderingsmodellen (bästa förhållande mellan pris och kvalitet (viktade kriterier)): 1. Kemlab AB (82 poäng), 2. Cellab AB (80 poäng), 3. Billig AB (78 poäng).',
    );
    const pdf = await get(`/tenders/${id}/award-notices/2?format=pdf`, 'anna').buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    await get(`/tenders/${id}/award-notices/9`, 'anna').expect(404);
    const bad = await get(`/tenders/${id}/award-notices/1x`, 'anna').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'n', rule: 'format' })]);

    // The opening protocol and the evaluation report, each with its digest in the chain.
    const documents = (await get(`/tenders/${id}/decision-documents`, 'anna').expect(200)).body as {
      items: { kind: string; sha256: string; path: string }[];
    };
    expect(documents.items.map((d) => d.kind)).toEqual([
      'opening_protocol',
      'evaluation_report',
      'award_notice',
      'award_notice',
      'award_notice',
      'award_notice',
    ]);
    expect(chain.filter((e) => e.type === 'document.issued').map((e) => e.payload.sha256)).toEqual(
      documents.items.slice(0, 2).map((d) => d.sha256),
    );
    const report = (await get(documents.items[1].path, 'anna').expect(200)).body as {
      document: { text: string[] };
      sha256: string;
      verified: boolean;
    };
    expect(report).toMatchObject({ sha256: documents.items[1].sha256, verified: true });
    expect(documentSha256(report.document)).toBe(report.sha256);
    expect(report.document.text.at(-1)).toContain(
      'Motivering för att ändå tilldela: Flaggorna är kontrollerade mot anbuden och utvärderingen.',
    );
    expect(report.document.text).toContain(
      'Kemi: Tilldelas Kemlab AB. Skäl: Högst totalpoäng: 48 för priset och 34 för kvaliteten',
    );
    const protocol = await get(`${documents.items[0].path}?format=pdf`, 'anna').buffer(true).expect(200);
    expect(protocol.headers['content-type']).toBe('application/pdf');
    const printed = pdfText(protocol.body as Buffer).replace(/\s+/g, ' ');
    expect(printed).toContain('Protokoll från anbudsöppning');
    expect(printed).toContain(`SHA-256 (kanonisk JSON): ${documents.items[0].sha256}`);
    await get(`/tenders/${id}/decision-documents/minutes`, 'anna').expect(400);
    await get(`/tenders/${id}/decision-documents`, 'stranger').expect(404);
    await get(`/tenders/${id}/award-notices`, 'stranger').expect(404);
    // The OCDS release lists the evaluation report and the notices with their digests.
    const ocds = (await get(`/tenders/${id}/ocds`, 'anna').expect(200)).body as {
      releases: { awards: { documents?: { id: string; documentType: string; description: string }[] }[] }[];
    };
    expect(ocds.releases[0].awards[0].documents!.map((d) => [d.id, d.documentType, d.description])).toEqual([
      ['evaluation-report', 'evaluationReports', `SHA-256 ${documents.items[1].sha256}`],
      ...list.items.map((x) => [`award-notice-${x.n}`, 'awardNotice', `SHA-256 ${x.sha256}`]),
    ]);

    // The worker's outbox e-mails each notice to its tenderer over real SMTP.
    await sys.worker.get(OutboxDispatcher).drainOnce(1000);
    const mails = await mailsOf(smtp, id, 'award_notice');
    expect(mails.map((m) => m.to).sort()).toEqual([
      'anbud@billig.example',
      'anbud@cellab.example',
      'anbud@hemo.example',
      'anbud@kemlab.example',
    ]);
    const toBillig = mails.find((m) => m.to === 'anbud@billig.example')!;
    expect(toBillig.text).toContain('Ert anbud har inte antagits.');
    expect(toBillig.text).toContain(`sista dagen är ${lastDay}`);
    expect(toBillig.text).toContain(`SHA-256 för underrättelsen: ${billig.sha256}`);
  });
});
