import request from 'supertest';
import { TemporalService } from '../../apps/api/src/temporal/temporal.service';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/**
 * A tender's commands over HTTP against the real API, worker, PostgreSQL and Temporal dev server,
 * on the real clock: an EU open procedure from POST /tenders through needs analysis, the decision
 * to procure, documents and their approval, publication, the Q&A log, a deadline extension,
 * evaluators and their conflict-of-interest declarations, and a cancellation asked for and
 * rejected — with the refusals an approver, an officer or a partner meets on the way.
 *
 * NOT HERE (time cannot pass on the dev server): the 30/35-day tender period running out, so
 * opening, evaluation, award decision, standstill (10/15 days), review and its 10-day hold,
 * contract and its follow-up. Those phases run on the time-skipping server in
 *   workflows/tender/tender.workflow.spec.ts    (eu open to completed; restricted; national; direct award; call-offs; coordination timers)
 *   workflows/tender/tender.deadlines.spec.ts   (minimum periods, extensions, forced extension by a late answer, question cut-off, opening, standstill, an overdue post-award notice)
 *   workflows/tender/tender.evaluation.spec.ts  (conflict declarations before evaluation, review rejected/correction/redo, framework term)
 *   workflows/tender/tender.gates.spec.ts       (reject, request_changes per gate, authority at the gates, cancellation)
 *   workflows/coordination/, workflows/contract/ (joint procurement; four years of follow-up); test/e2e/follow-up.e2e-spec.ts over HTTP
 * This spec proves the HTTP layer: path and body validation, the Update per command, the mapping of
 * every refusal type to its status with the rule named, and the refusal audit.
 */

const ORG = 'HSN';
const VALUE = 4_000_000;

const tenderBody = {
  title: 'Laboratory reagents 2027–2029',
  organization: ORG,
  category: 'lab-supplies',
  contractType: 'supplies',
  estimatedValueSek: VALUE,
  contractTermMonths: 36,
};

const needsAnalysis = {
  need: 'Reagents for the clinical chemistry laboratories',
  sustainability: { criteria: ['Fossil-free transport', 'No PFAS in packaging'], level: 'avancerad' },
  laborConditions: { required: true, justification: 'Transport services in the supply chain' },
  supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks at the supplier' },
  lots: [
    { title: 'Lot 1: chemistry', estimatedValueSek: 2_500_000 },
    { title: 'Lot 2: haematology', estimatedValueSek: 1_500_000 },
  ],
};

/** Today in Sweden, plus `days`, as YYYY-MM-DD. */
function swedishDay(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('tender lifecycle over HTTP (real API, worker, PostgreSQL and Temporal)', () => {
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  let id: string;

  const post = (path: string, token: string, body: unknown = {}) =>
    request(sys.http)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  /** Expects a problem+json answer with this status and returns its body. */
  async function refused(
    res: request.Response,
    status: number,
  ): Promise<Record<string, unknown> & { rule?: string; errors?: { field: string }[] }> {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  }

  beforeAll(async () => {
    sys = await startE2eSystem();
    const mint = sys.token;
    t.anna = await mint({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    // Both roles: she may ask for a decision and holds the approver role, but four-eyes forbids deciding her own request.
    t.olof = await mint({
      sub: 'olof',
      name: 'Olof Upphandlare',
      org: ORG,
      roles: ['procurement_officer', 'approver'],
      approvalLimitSek: 50_000_000,
    });
    t.bo = await mint({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    t.lisa = await mint({
      sub: 'lisa',
      name: 'Lisa Låggräns',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 1_000_000,
    });
    t.other = await mint({
      sub: 'otto',
      name: 'Otto Annan',
      org: 'OTHER',
      roles: ['approver', 'procurement_officer'],
      approvalLimitSek: 50_000_000,
    });
    // Evaluators: any role. Eva is also an approver, so she may not decide this tender's gates.
    t.eva = await mint({
      sub: 'eva',
      name: 'Eva Utvärderare',
      org: ORG,
      roles: ['approver', 'contract_manager'],
      approvalLimitSek: 50_000_000,
    });
    t.erik = await mint({ sub: 'erik', name: 'Erik Utvärderare', org: ORG, roles: ['category_manager'] });
    t.stranger = await mint({ sub: 'sten', name: 'Sten Utanför', org: ORG, roles: ['contract_manager'] });
    t.pia = await mint({ sub: 'pia', name: 'Pia Partner', org: 'KOMMUN1', roles: ['partner'] });
    t.per = await mint({ sub: 'per', name: 'Per Partner', org: 'KOMMUN2', roles: ['partner'] });
    // Run first in a fresh clone (the largest suite), it compiles the whole app and bundles the
    // workflows with cold caches: more than jest's 5 s on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('documents every command in the OpenAPI document with its 200 and problem answers', async () => {
    const doc = (await request(sys.http).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: object; security?: object[]; tags?: string[] }>>;
    };
    const commands = [
      'needs-analysis',
      'documents',
      'publication',
      'candidates',
      'deadline-extensions',
      'questions',
      'questions/{qid}/answer',
      'evaluators',
      'opening',
      'conflict-declarations',
      'evaluation',
      'reviews',
      'reviews/{rid}/ruling',
      'contract',
      'cancellation',
      'gates/{gate}/decision',
      'coordination/{org}/response',
    ];
    for (const c of commands) {
      const op = doc.paths[`/tenders/{id}/${c}`]?.post;
      expect({ c, responses: Object.keys(op?.responses ?? {}).sort() }).toEqual({
        c,
        responses: ['200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503'],
      });
      expect(op!.tags).toEqual(['tenders']);
      expect(op!.security).toEqual([{ bearer: [] }]);
    }
  });

  it('starts an EU open-procedure tender in needs_analysis', async () => {
    const res = await post('/tenders', t.olof, tenderBody).expect(201);
    expect(res.body).toMatchObject({ phase: 'needs_analysis', regime: 'eu', procedure: 'open' });
    id = res.body.id;
  });

  it('refuses malformed paths and bodies with 400 naming the field, before the workflow is asked', async () => {
    const badId = await refused(await post('/tenders/not-a-tender/needs-analysis', t.olof, needsAnalysis), 400);
    expect(badId.errors).toEqual([expect.objectContaining({ field: 'id' })]);

    const badGate = await refused(
      await post(`/tenders/${id}/gates/lunch/decision`, t.bo, { decision: 'approve' }),
      400,
    );
    expect(badGate.errors).toEqual([expect.objectContaining({ field: 'gate', rule: 'isIn' })]);

    const badBody = await refused(
      await post(`/tenders/${id}/needs-analysis`, t.olof, {
        ...needsAnalysis,
        supplyPreparedness: { criticality: 'apocalyptic' },
        lots: [{ title: 'Lot 1', estimatedValueSek: -1 }],
        colour: 'red',
      }),
      400,
    );
    expect(badBody.errors!.map((e) => e.field)).toEqual(
      expect.arrayContaining(['supplyPreparedness.criticality', 'lots.0.estimatedValueSek', 'colour']),
    );

    const badDate = await refused(
      await post(`/tenders/${id}/deadline-extensions`, t.anna, { deadline: '2026-02-30', reason: 'x' }),
      400,
    );
    expect(badDate.errors).toEqual([expect.objectContaining({ field: 'deadline', rule: 'isIsoDate' })]);
  });

  it('refuses a role the route does not admit (403, guard) and an unknown tender (404)', async () => {
    await refused(await post(`/tenders/${id}/needs-analysis`, t.bo, needsAnalysis), 403);
    await refused(
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.anna, { decision: 'approve' }),
      403,
    );
    const missing = await refused(await post(`/tenders/${ORG}-2026-99999/needs-analysis`, t.olof, needsAnalysis), 404);
    expect(missing.detail).toMatch(/does not exist/);
  });

  it('refuses a command of the wrong phase with 409', async () => {
    const res = await refused(await post(`/tenders/${id}/publication`, t.olof, {}), 409);
    expect(res.rule).toBe('phase');
    expect(res.detail).toMatch(/needs_analysis/);
  });

  it('refuses a needs analysis that breaks a procurement rule with 422 naming the rule and paragraph', async () => {
    const { laborConditions: _omitted, ...withoutLabour } = needsAnalysis;
    const labour = await refused(await post(`/tenders/${id}/needs-analysis`, t.olof, withoutLabour), 422);
    expect(labour).toMatchObject({ rule: 'labour_conditions', paragraph: '17 kap. 2 § LOU' });
    expect(labour.errors).toEqual([expect.objectContaining({ field: 'laborConditions', rule: 'labour_conditions' })]);

    const { lots: _lots, ...undivided } = needsAnalysis;
    const lots = await refused(await post(`/tenders/${id}/needs-analysis`, t.olof, undivided), 422);
    expect(lots).toMatchObject({ rule: 'lot_division_reason_missing', paragraph: '4 kap. 14 § LOU' });

    // One lot is not a division: still the duty to give reasons (4 kap. 14 § LOU).
    const single = await refused(
      await post(`/tenders/${id}/needs-analysis`, t.olof, {
        ...undivided,
        lots: [{ title: 'Hela leveransen', estimatedValueSek: 1_000_000 }],
      }),
      422,
    );
    expect(single).toMatchObject({ rule: 'lot_division_reason_missing', paragraph: '4 kap. 14 § LOU' });
    expect(single.errors).toEqual([
      expect.objectContaining({ field: 'lotJustification', rule: 'lot_division_reason_missing' }),
    ]);

    // Another organisation's officer is told what a missing tender tells (no existence oracle).
    const foreign = await refused(await post(`/tenders/${id}/needs-analysis`, t.other, needsAnalysis), 404);
    expect(foreign.detail).toBe(`Tender ${id} does not exist`);
  });

  it('completes the needs analysis: 200 with the new state and the decision_to_procure gate pending', async () => {
    const res = await post(`/tenders/${id}/needs-analysis`, t.olof, needsAnalysis).expect(200);
    const s = res.body as TenderState;
    expect(s.phase).toBe('needs_analysis');
    expect(s.lots).toHaveLength(2);
    expect(s.needsAnalysis?.completedBy).toEqual({ sub: 'olof', name: 'Olof Upphandlare' });
    expect(s.pendingGates).toEqual([
      expect.objectContaining({ gate: 'decision_to_procure', requestedBy: { sub: 'olof', name: 'Olof Upphandlare' } }),
    ]);

    const again = await refused(await post(`/tenders/${id}/needs-analysis`, t.olof, needsAnalysis), 409);
    expect(again.rule).toBe('gate_pending');
  });

  it('GET /tenders/:id shows the pending gate with who asked and since when', async () => {
    const res = await get(`/tenders/${id}`, t.bo).expect(200);
    expect(res.body.pendingGates).toEqual([
      expect.objectContaining({
        gate: 'decision_to_procure',
        requestedBy: { sub: 'olof', name: 'Olof Upphandlare' },
        since: expect.any(String),
        eligibility: expect.objectContaining({
          role: 'approver',
          organization: ORG,
          minApprovalLimitSek: VALUE,
          excluded: ['olof'],
        }),
      }),
    ]);
  });

  it('refuses the gate to the requester (four-eyes) and to a limit below the value (403 naming the rule); another organisation gets 404', async () => {
    const self = await refused(
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.olof, { decision: 'approve' }),
      403,
    );
    expect(self.rule).toBe('four_eyes');
    const low = await refused(
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.lisa, { decision: 'approve' }),
      403,
    );
    expect(low.rule).toBe('approval_limit');
    expect(low.detail).toMatch(/1000000 SEK/);
    const foreign = await refused(
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.other, { decision: 'approve' }),
      404,
    );
    expect(foreign.detail).toBe(`Tender ${id} does not exist`);
    // A gate that is not pending is a conflict, not a permission question.
    const notPending = await refused(
      await post(`/tenders/${id}/gates/documents_approval/decision`, t.bo, { decision: 'approve' }),
      409,
    );
    expect(notPending.rule).toBe('gate_not_pending');
    // reject needs a comment: the body is refused before the workflow sees it.
    const bare = await refused(
      await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'reject' }),
      400,
    );
    expect(bare.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'comment' })]));
  });

  it('an eligible approver decides to procure: documents phase, decision recorded with requester and decider', async () => {
    const res = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
      decision: 'approve',
      comment: 'Within budget 2027',
    }).expect(200);
    const s = res.body as TenderState;
    expect(s.phase).toBe('documents');
    expect(s.pendingGates).toEqual([]);
    expect(s.gateDecisions).toEqual([
      expect.objectContaining({
        gate: 'decision_to_procure',
        decision: 'approve',
        comment: 'Within budget 2027',
        requestedBy: { sub: 'olof', name: 'Olof Upphandlare' },
        decidedBy: { sub: 'bo', name: 'Bo Beslutsfattare' },
      }),
    ]);
  });

  it('registers documents, which wait for approval; publication before approval is a conflict', async () => {
    const res = await post(`/tenders/${id}/documents`, t.anna, {
      documents: [
        { title: 'Administrative provisions', reference: 'dms://HSN/2026/17/1', version: '1.0' },
        { title: 'Requirements specification', reference: 'dms://HSN/2026/17/2' },
      ],
    }).expect(200);
    const s = res.body as TenderState;
    expect(s.documents).toMatchObject({ approved: false, registeredBy: { sub: 'anna' } });
    expect(s.pendingGates).toEqual([
      expect.objectContaining({ gate: 'documents_approval', requestedBy: { sub: 'anna', name: 'Anna Upphandlare' } }),
    ]);

    const early = await refused(await post(`/tenders/${id}/publication`, t.anna, {}), 409);
    expect(early.rule).toBe('documents_not_approved');
  });

  it('documents_approval: olof did not ask this time, so he may decide it', async () => {
    const res = await post(`/tenders/${id}/gates/documents_approval/decision`, t.olof, { decision: 'approve' }).expect(
      200,
    );
    expect(res.body.documents.approved).toBe(true);
    expect(res.body.phase).toBe('documents');
  });

  it('appoints evaluators before publication', async () => {
    const res = await post(`/tenders/${id}/evaluators`, t.anna, {
      evaluators: [
        { sub: 'eva', name: 'Eva Utvärderare' },
        { sub: 'erik', name: 'Erik Utvärderare' },
      ],
    }).expect(200);
    expect(res.body.evaluators.map((e: { sub: string; status: string }) => [e.sub, e.status])).toEqual([
      ['eva', 'appointed'],
      ['erik', 'appointed'],
    ]);
  });

  it('refuses a deadline earlier than the legal minimum (422, 11 kap. LOU), then publishes with the minimum', async () => {
    const early = await refused(await post(`/tenders/${id}/publication`, t.anna, { deadline: swedishDay(7) }), 422);
    expect(early.rule).toBe('minimum_time_limit');
    expect(early.paragraph).toMatch(/11 kap/);

    const res = await post(`/tenders/${id}/publication`, t.anna, {
      advertisingDatabase: 'e-Avrop',
      noticeReference: 'EA-2026-1',
    }).expect(200);
    const s = res.body as TenderState;
    expect(s.phase).toBe('published');
    expect(s.stage).toBe('tendering');
    expect(s.publication).toMatchObject({
      advertisingDatabase: 'e-Avrop',
      noticeReference: 'EA-2026-1',
      electronicSubmission: true,
    });
    expect(s.deadlines.map((d) => d.kind).sort()).toEqual(['latest_answer', 'question_cutoff', 'tender_deadline']);
    const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    // Open procedure, electronic submission: at least 30 days counted from the day after sending.
    expect(deadline.lastDay >= swedishDay(30)).toBe(true);
    expect(s.tenderPeriod?.minimum?.lastDay).toBe(deadline.lastDay);
  });

  it('extends the deadline (never shortens it: 422)', async () => {
    const before = (await get(`/tenders/${id}`, t.anna).expect(200)).body as TenderState;
    const current = before.deadlines.find((d) => d.kind === 'tender_deadline')!.lastDay;

    const same = await refused(
      await post(`/tenders/${id}/deadline-extensions`, t.anna, { deadline: current, reason: 'Same day' }),
      422,
    );
    expect(same).toMatchObject({ rule: 'deadline_shortened', paragraph: '4 kap. 1 § LOU; organisationens policy' });

    const later = dayAfter(current, 14);
    const res = await post(`/tenders/${id}/deadline-extensions`, t.anna, {
      deadline: later,
      reason: 'Clarified requirement 4.2',
    }).expect(200);
    const s = res.body as TenderState;
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')!.lastDay >= later).toBe(true);
    expect(s.tenderPeriod?.extensions).toEqual([
      expect.objectContaining({ from: current, reason: 'Clarified requirement 4.2', forced: false }),
    ]);
  });

  it('keeps the Q&A log: a question, its answer (qid from the path), and no second answer', async () => {
    let res = await post(`/tenders/${id}/questions`, t.anna, {
      question: 'May lot 2 be offered with a rental analyser?',
      askedBy: 'Lab AB',
    }).expect(200);
    const q = (res.body as TenderState).questions.at(-1)!;
    // The tender carries the question's metadata; its texts are read from GET /tenders/{id}/questions.
    expect(q).toEqual({
      id: expect.any(String),
      receivedAt: expect.any(String),
      registeredBy: { sub: 'anna', name: 'Anna Upphandlare' },
    });

    res = await post(`/tenders/${id}/questions/${q.id}/answer`, t.anna, {
      answer: 'Yes, see the amended specification 4.2.',
    }).expect(200);
    const answered = (res.body as TenderState).questions.find((x) => x.id === q.id)!;
    expect(answered).toMatchObject({
      answeredAt: expect.any(String),
      answeredBy: { sub: 'anna', name: 'Anna Upphandlare' },
    });
    expect(answered).not.toHaveProperty('answer');
    expect(answered.forcedExtension).toBeUndefined(); // answered well before six days ahead of the deadline
    const log = (await get(`/tenders/${id}/questions`, t.anna).expect(200)).body as {
      items: TenderState['questions'];
      nextCursor: string | null;
    };
    expect(log).toEqual({
      items: [
        {
          ...answered,
          question: 'May lot 2 be offered with a rental analyser?',
          askedBy: 'Lab AB',
          answer: 'Yes, see the amended specification 4.2.',
        },
      ],
      nextCursor: null,
    });

    const twice = await refused(
      await post(`/tenders/${id}/questions/${q.id}/answer`, t.anna, { answer: 'Again' }),
      409,
    );
    expect(twice.rule).toBe('already_answered');
    const unknown = await refused(
      await post(`/tenders/${id}/questions/Q999/answer`, t.anna, { answer: 'To what?' }),
      400,
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'questionId' })]);
  });

  it('reads the Q&A log a page at a time with its texts, in registration order; for the tender’s organisation only', async () => {
    const texts = ['Is a 12-month shelf life enough?', 'Ska priset anges inklusive frakt – även till ö-enheter? ✓'];
    for (const question of texts)
      await post(`/tenders/${id}/questions`, t.anna, { question, askedBy: 'Reagens AB' }).expect(200);
    const all = ((await get(`/tenders/${id}`, t.anna).expect(200)).body as TenderState).questions;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: { id: string; question?: string; answer?: string }[] = [];
    let pages = 0;
    for (let cursor: string | null = ''; cursor !== null; pages++) {
      const page: request.Response = await get(
        `/tenders/${id}/questions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        t.anna,
      ).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen.map((x) => x.id)).toEqual(all.map((x) => x.id));
    expect(seen.slice(-2).map((x) => x.question)).toEqual(texts);
    expect(seen.slice(-2).every((x) => x.answer === undefined)).toBe(true);

    // Another organisation's officer: the 404 of a missing tender. Malformed paging: 400 naming the field.
    const outsider = await refused(await get(`/tenders/${id}/questions`, t.other), 404);
    expect(outsider.detail).toBe(`Tender ${id} does not exist`);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1000', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['cursor=-1', 'cursor'],
    ]) {
      const bad = await refused(await get(`/tenders/${id}/questions?${query}`, t.anna), 400);
      expect({ query, fields: [...new Set(bad.errors?.map((e) => e.field))] }).toEqual({ query, fields: [field] });
    }
  });

  it("takes each evaluator's own conflict declaration; one who declares a conflict is out for good", async () => {
    let res = await post(`/tenders/${id}/conflict-declarations`, t.eva, {
      hasConflict: false,
      statement: 'No ties to any tenderer',
    }).expect(200);
    expect((res.body as TenderState).evaluators.find((e) => e.sub === 'eva')).toMatchObject({ status: 'declared' });

    res = await post(`/tenders/${id}/conflict-declarations`, t.erik, {
      hasConflict: true,
      statement: 'My brother works for Lab AB',
    }).expect(200);
    expect((res.body as TenderState).evaluators.find((e) => e.sub === 'erik')).toMatchObject({ status: 'removed' });

    const twice = await refused(
      await post(`/tenders/${id}/conflict-declarations`, t.erik, { hasConflict: false, statement: 'Changed my mind' }),
      409,
    );
    expect(twice.rule).toBe('already_declared');
    const stranger = await refused(
      await post(`/tenders/${id}/conflict-declarations`, t.stranger, { hasConflict: false, statement: 'None' }),
      403,
    );
    expect(stranger.rule).toBe('not_an_evaluator');
    const back = await refused(
      await post(`/tenders/${id}/evaluators`, t.anna, { evaluators: [{ sub: 'erik', name: 'Erik Utvärderare' }] }),
      422,
    );
    expect(back).toMatchObject({ rule: 'conflict_of_interest', paragraph: '4 kap. 4 § LOU' });
  });

  it('refuses the opening while the tender period runs (409)', async () => {
    const res = await refused(
      await post(`/tenders/${id}/opening`, t.anna, {
        openers: ['anna', 'olof'],
        tenders: [{ supplier: 'Lab AB', receivedAt: new Date().toISOString() }],
      }),
      409,
    );
    expect(res.rule).toBe('phase');
  });

  it('a cancellation is asked for, refused to an evaluator, rejected by an approver; the tender goes on', async () => {
    let res = await post(`/tenders/${id}/cancellation`, t.anna, { reason: 'Budget cut for 2027' }).expect(200);
    expect((res.body as TenderState).pendingGates).toEqual([
      expect.objectContaining({
        gate: 'cancellation',
        reason: 'Budget cut for 2027',
        requestedBy: { sub: 'anna', name: 'Anna Upphandlare' },
      }),
    ]);

    const evaluator = await refused(
      await post(`/tenders/${id}/gates/cancellation/decision`, t.eva, { decision: 'approve' }),
      403,
    );
    expect(evaluator.rule).toBe('evaluator_excluded');

    res = await post(`/tenders/${id}/gates/cancellation/decision`, t.bo, {
      decision: 'reject',
      comment: 'The budget was restored',
    }).expect(200);
    const s = res.body as TenderState;
    expect(s.phase).toBe('published');
    expect(s.pendingGates).toEqual([]);
    expect(s.deadlines.map((d) => d.kind)).toContain('tender_deadline');
  });

  it('records every refusal in the audit log, and the chain stays valid', async () => {
    const events: { type: string; actor: { sub: string } | null; payload: { command?: string; status?: number } }[] =
      [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(
        `/tenders/${id}/audit${cursor ? `?cursor=${cursor}` : ''}`,
        t.anna,
      ).expect(200);
      events.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const refusals = events.filter((e) => e.type === 'command.refused' && e.payload.status !== undefined);
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: expect.objectContaining({ sub: 'olof' }),
          payload: expect.objectContaining({ command: 'decideGate', status: 403 }),
        }),
        expect.objectContaining({
          actor: expect.objectContaining({ sub: 'lisa' }),
          payload: expect.objectContaining({ command: 'decideGate', status: 403 }),
        }),
        expect.objectContaining({ payload: expect.objectContaining({ command: 'publish', status: 409 }) }),
        expect.objectContaining({
          payload: expect.objectContaining({ command: 'completeNeedsAnalysis', status: 422 }),
        }),
        expect.objectContaining({ payload: expect.objectContaining({ command: 'extendDeadline', status: 422 }) }),
      ]),
    );
    // 400s are the caller's typing errors, not refused decisions.
    expect(refusals.every((e) => e.payload.status !== 400)).toBe(true);
    const verify = await get(`/tenders/${id}/audit/verify`, t.anna).expect(200);
    expect(verify.body).toMatchObject({ valid: true, events: events.length });
  });

  describe('a joint procurement, cancelled', () => {
    let joint: string;

    it('with an invited body, the approved decision to procure opens coordination', async () => {
      const created = await post('/tenders', t.anna, {
        ...tenderBody,
        title: 'Joint lab reagents',
        invitedBodies: [{ organization: 'KOMMUN1', name: 'Kommun Ett', contactEmail: 'upphandling@kommun1.se' }],
      }).expect(201);
      joint = created.body.id;
      await post(`/tenders/${joint}/needs-analysis`, t.anna, needsAnalysis).expect(200);
      const res = await post(`/tenders/${joint}/gates/decision_to_procure/decision`, t.bo, {
        decision: 'approve',
      }).expect(200);
      expect(res.body.phase).toBe('coordination');
      expect(res.body.deadlines.map((d: { kind: string }) => d.kind)).toContain('coordination_response');
    });

    it('a partner answers only for its own body; a body not invited is told the tender does not exist; a mandate is needed to join (422)', async () => {
      // KOMMUN2 is not invited to this tender: for it, the tender does not exist, whichever body it names.
      const forOther = await refused(
        await post(`/tenders/${joint}/coordination/KOMMUN1/response`, t.per, {
          answer: 'join',
          mandateReference: 'KF 2026-12',
        }),
        404,
      );
      expect(forOther.detail).toBe(`Tender ${joint} does not exist`);
      const notInvited = await refused(
        await post(`/tenders/${joint}/coordination/KOMMUN2/response`, t.per, {
          answer: 'join',
          mandateReference: 'KF 2026-12',
        }),
        404,
      );
      expect(notInvited.detail).toBe(`Tender ${joint} does not exist`);
      await refused(await post(`/tenders/${joint}/coordination/KOMMUN1/response`, t.anna, { answer: 'join' }), 403); // not a partner
      const noMandate = await refused(
        await post(`/tenders/${joint}/coordination/KOMMUN1/response`, t.pia, {
          answer: 'join',
          estimatedVolume: '30 %',
        }),
        422,
      );
      expect(noMandate.rule).toBe('mandate_required');
    });

    it('the body joins; with every body answered, documents follow', async () => {
      const res = await post(`/tenders/${joint}/coordination/KOMMUN1/response`, t.pia, {
        answer: 'join',
        estimatedVolume: '30 % of the volume',
        mandateReference: 'KF 2026-03-12 § 45',
      }).expect(200);
      // The body's answer comes back in its own view of the tender: its invitation and the public fields.
      expect(res.body).toMatchObject({
        view: 'partner',
        phase: 'documents',
        invitation: {
          organization: 'KOMMUN1',
          status: 'joined',
          mandateReference: 'KF 2026-03-12 § 45',
          answeredBy: { sub: 'pia', name: 'Pia Partner' },
        },
      });
      const s = (await get(`/tenders/${joint}`, t.anna).expect(200)).body as TenderState;
      expect(s.participants).toEqual([
        expect.objectContaining({ organization: 'KOMMUN1', status: 'joined', mandateReference: 'KF 2026-03-12 § 45' }),
      ]);
      expect(s.phase).toBe('documents');
      // A joined body sees the tender, as its view; not its Q&A log (403: it knows the tender).
      expect((await get(`/tenders/${joint}`, t.pia).expect(200)).body.view).toBe('partner');
      await refused(await get(`/tenders/${joint}/questions`, t.pia), 403);
    });

    it('an approved cancellation ends the tender; later commands are 409, not 404', async () => {
      await post(`/tenders/${joint}/cancellation`, t.anna, { reason: 'The partner withdrew its funding' }).expect(200);
      const self = await refused(
        await post(`/tenders/${joint}/gates/cancellation/decision`, t.anna, { decision: 'approve' }),
        403,
      ); // guard: not an approver
      expect(self.detail).toMatch(/roles/);
      const res = await post(`/tenders/${joint}/gates/cancellation/decision`, t.olof, {
        decision: 'approve',
        comment: 'Agreed',
      }).expect(200);
      const s = res.body as TenderState;
      expect(s.phase).toBe('cancelled');
      expect(s.outcome).toMatchObject({
        phase: 'cancelled',
        reason: 'The partner withdrew its funding',
        by: { sub: 'olof' },
      });

      // Once the workflow has closed, Temporal answers NOT_FOUND "already completed": still a 409.
      await sys.app.get(TemporalService).client.workflow.getHandle(`tender-${joint}`).result();
      const after = await refused(
        await post(`/tenders/${joint}/documents`, t.anna, { documents: [{ title: 'Late', reference: 'x' }] }),
        409,
      );
      expect(after).toMatchObject({ rule: 'tender_ended', detail: expect.stringMatching(/has ended/) });
      const state = await get(`/tenders/${joint}`, t.anna).expect(200);
      expect(state.body.phase).toBe('cancelled');
    });
  });
});
