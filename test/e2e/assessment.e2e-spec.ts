import { stockholmDate } from '@tenderflow/domain/dates';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { auditChain } from '../support/tender-reads';
import { passDeadline } from '../support/time-skipping-http';

/**
 * From the requirements register to the evaluation over HTTP (issue 30, part 2), with the real API,
 * worker and PostgreSQL on Temporal's time-skipping server: an EU tender with two lots registers its
 * mandatory requirements, the opening records each tender's lots and prices, each tender is assessed
 * (one rejected on a mandatory requirement, one abnormally low price explained and accepted), the
 * evaluation is refused until every tender is assessed and for the rejected one, and the state and
 * the chain show the assessments with their notes.
 */
jest.setTimeout(180_000);

const ORG = 'ASMT';

describe('the assessment of the tenders received (time-skipping Temporal, real API and PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const saved = { address: process.env.TEMPORAL_ADDRESS, queue: process.env.TEMPORAL_TASK_QUEUE };
  const post = (path: string, who: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${t[who]}`).send(body);
  const state = async (id: string) =>
    (await request(sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${t.anna}`).expect(200))
      .body as TenderState;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
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
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
  });

  it('assesses three tenders on two lots against the register, then evaluates the admitted ones', async () => {
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
          orgNumber: '556000-0001',
          receivedAt,
          lots: ['Kemi'],
          prices: [{ lot: 'Kemi', priceSek: 1_900_000 }],
        },
        {
          supplier: 'Billig Kemi AB',
          orgNumber: '556000-0002',
          receivedAt,
          lots: ['Kemi'],
          prices: [{ lot: 'Kemi', priceSek: 1_200_000 }],
        },
        {
          supplier: 'Hemo AB',
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
    const evaluated = (
      await post(`/tenders/${id}/evaluation`, 'anna', {
        proposals: [
          { supplier: 'Kemlab AB', lot: 'Kemi', reasons: 'Enda godkända anbudet' },
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

    const chain = [...(await auditChain(sys.http, id, t.anna)).values()].map((e) => e.type);
    expect(chain.filter((x) => x === 'tender.assessed')).toHaveLength(3);
    expect(chain).toContain('award.red_flags_justified');
    expect(
      (await request(sys.http).get(`/tenders/${id}/audit/verify`).set('Authorization', `Bearer ${t.anna}`).expect(200))
        .body.valid,
    ).toBe(true);
  });
});
