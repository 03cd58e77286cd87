import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  passDeadline,
  readModel,
  refusal,
  ruleOf,
  startHarness,
  startTender,
  state,
  type TenderHandle,
} from '../../test/support/tender-harness';

/**
 * Scores, consensus and the computed ranking in the tender workflow (issue 30, part 3), on the
 * time-skipping server. Chemistry is weighted (K1 delivery 30 %, K2 service 10 %, both 0–5: the
 * price weighs 60 %); Haematology has no award criterion (the lowest price). Each evaluator scores
 * on their own after declaring no conflict; the consensus waits for both; the evaluation must
 * propose the computed winners and keeps each lot's ranking.
 */
jest.setTimeout(60_000);

describe('tender workflow: scores, consensus and the computed ranking', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-scoring');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  const texts = (handle: TenderHandle) => readModel.entry(handle.workflowId).texts;
  const sheet = (supplier: string, delivery: number, service: number, note?: string) => ({
    supplier,
    lot: 'Chemistry',
    scores: [
      { criterionId: 'K1', score: delivery, ...(note ? { note } : {}) },
      { criterionId: 'K2', score: service },
    ],
  });

  it('scores on their own, agrees, and proposes only the winner the model computes', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'documents');
    for (const [text, weight] of [
      ['Delivery time in working days', 30],
      ['Service and support', 10],
    ] as const)
      await cmd(handle, 'registerRequirement', actors.anna, {
        kind: 'award_criterion',
        text,
        reference: 'Utvärdering 5',
        lot: 'Chemistry',
        scoring: { maxScore: 5, weight },
      });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    let s = await passDeadline(h, handle, 'tender_deadline');
    const deadline = [...s.pastDeadlines].reverse().find((d) => d.kind === 'tender_deadline')!;
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    await cmd(handle, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: [
        { supplier: 'A AB', receivedAt, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 1_000_000 }] },
        { supplier: 'B AB', receivedAt, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 800_000 }] },
        {
          supplier: 'C AB',
          receivedAt,
          lots: ['Chemistry', 'Haematology'],
          prices: [
            { lot: 'Chemistry', priceSek: 1_200_000 },
            { lot: 'Haematology', priceSek: 400_000 },
          ],
        },
        { supplier: 'D AB', receivedAt, lots: ['Haematology'], prices: [{ lot: 'Haematology', priceSek: 450_000 }] },
      ],
    });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });

    // Only an evaluator who has declared scores; the procurement officer is not one.
    expect(ruleOf(await refusal(cmd(handle, 'scoreTender', actors.erik, sheet('A AB', 4, 5))))).toBe(
      'not_a_declared_evaluator',
    );
    expect(ruleOf(await refusal(cmd(handle, 'scoreTender', actors.anna, sheet('A AB', 4, 5))))).toBe(
      'not_an_evaluator',
    );
    // A sheet scores every criterion of its lot once, on the scale; a lowest-price lot has nothing to score.
    const partial = await refusal(
      cmd(handle, 'scoreTender', actors.eva, { ...sheet('A AB', 4, 5), scores: [{ criterionId: 'K1', score: 4 }] }),
    );
    expect(ruleOf(partial)).toBe('criteria_unscored');
    expect(partial.cause?.message).toContain('K2');
    expect(ruleOf(await refusal(cmd(handle, 'scoreTender', actors.eva, sheet('A AB', 6, 5))))).toBe(
      'score_out_of_scale',
    );
    expect(
      ruleOf(
        await refusal(
          cmd(handle, 'scoreTender', actors.eva, {
            supplier: 'D AB',
            lot: 'Haematology',
            scores: [{ criterionId: 'K1', score: 3 }],
          }),
        ),
      ),
    ).toBe('no_award_criteria');

    await cmd(handle, 'scoreTender', actors.eva, sheet('A AB', 3, 5, 'Five working days'));
    // Scored again before the consensus: the newer sheet stands.
    await cmd(handle, 'scoreTender', actors.eva, sheet('A AB', 4, 5, 'Four working days on a second read'));
    await cmd(handle, 'scoreTender', actors.eva, sheet('B AB', 2, 3));
    s = await cmd(handle, 'scoreTender', actors.eva, sheet('C AB', 5, 4));
    // The state keeps that each sheet exists; the scores are the evaluator's own, in the read model.
    expect(s.scoreSheets!.map((x) => [x.supplier, x.evaluator.sub])).toEqual([
      ['A AB', 'eva'],
      ['B AB', 'eva'],
      ['C AB', 'eva'],
    ]);
    expect(JSON.stringify(s.scoreSheets)).not.toContain('working days');
    expect(texts(handle).get(s.scoreSheets![0].textRef!)).toEqual({
      scores: [
        { criterionId: 'K1', score: 4, note: 'Four working days on a second read' },
        { criterionId: 'K2', score: 5 },
      ],
    });

    // The consensus waits for every evaluator taking part.
    const early = await refusal(
      cmd(handle, 'recordConsensus', actors.anna, { ...sheet('A AB', 4, 5), reason: 'Agreed at the meeting' }),
    );
    expect(ruleOf(early)).toBe('independent_scores_missing');
    expect(early.cause?.message).toContain('Erik Utvärderare');

    await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties' });
    for (const [supplier, delivery, service] of [
      ['A AB', 4, 4],
      ['B AB', 2, 3],
      ['C AB', 5, 5],
    ] as const)
      await cmd(handle, 'scoreTender', actors.erik, sheet(supplier, delivery, service));
    const noReason = await refusal(
      cmd(handle, 'recordConsensus', actors.anna, { ...sheet('A AB', 4, 5), reason: ' ' }),
    );
    expect(noReason.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'reason' }] });
    await cmd(handle, 'recordConsensus', actors.anna, {
      ...sheet('A AB', 4, 5, 'Four days, as the tender states'),
      reason: 'Eva and Erik agreed on 4 and 5',
    });
    await cmd(handle, 'recordConsensus', actors.anna, { ...sheet('B AB', 2, 3), reason: 'As both scored' });
    // Closed for the evaluators once the consensus is recorded.
    expect(ruleOf(await refusal(cmd(handle, 'scoreTender', actors.eva, sheet('A AB', 1, 1))))).toBe(
      'consensus_recorded',
    );

    // With consensus recorded the evaluation follows the ranking: first every admitted tender's consensus…
    const incomplete = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, {
        proposals: [{ lot: 'Chemistry', supplier: 'A AB', reasons: 'Highest total' }],
      }),
    );
    expect(ruleOf(incomplete)).toBe('ranking_incomplete');
    expect(incomplete.cause?.message).toContain('C AB (consensus)');
    s = await cmd(handle, 'recordConsensus', actors.anna, { ...sheet('C AB', 5, 5), reason: 'Both best' });
    expect(s.consensus!.map((c) => [c.supplier, c.scores])).toEqual([
      ['A AB', { K1: 4, K2: 5 }],
      ['B AB', { K1: 2, K2: 3 }],
      ['C AB', { K1: 5, K2: 5 }],
    ]);
    // The reason is in the read model (the answer lays it over the state), not in the workflow's state.
    expect(s.consensus![0].reason).toBe('Eva and Erik agreed on 4 and 5');
    expect(JSON.stringify((await state(handle)).consensus)).not.toContain('agreed');

    // …then only the computed winners: A in Chemistry (82 against C's 80 and B's 78), C in Haematology (the lowest price).
    const cheapest = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, {
        proposals: [{ lot: 'Chemistry', supplier: 'B AB', reasons: 'Lowest price' }],
      }),
    );
    expect(ruleOf(cheapest)).toBe('not_the_computed_winner');
    expect(cheapest.cause?.message).toContain('ranks A AB first for Chemistry');
    expect(
      ruleOf(
        await refusal(
          cmd(handle, 'submitEvaluation', actors.anna, {
            proposals: [{ lot: 'Haematology', supplier: 'D AB', reasons: 'Known supplier' }],
          }),
        ),
      ),
    ).toBe('not_the_computed_winner');
    // A proposal for no lot in a procurement with lots, or a score other than the model's, is refused.
    const lotless = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, { proposals: [{ supplier: 'B AB', reasons: 'Lowest price' }] }),
    );
    expect(lotless.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'proposals' }] });
    expect(
      ruleOf(
        await refusal(
          cmd(handle, 'submitEvaluation', actors.anna, {
            proposals: [{ lot: 'Chemistry', supplier: 'A AB', score: 90, reasons: 'Highest total' }],
          }),
        ),
      ),
    ).toBe('score_not_computed');
    s = await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [
        { lot: 'Chemistry', supplier: 'A AB', score: 82, reasons: 'Highest total: 48 price points and 34 quality' },
        { lot: 'Haematology', supplier: 'C AB', reasons: 'Lowest price' },
      ],
    });
    expect(s.phase).toBe('award_decision');
    expect(s.evaluation!.ranking).toEqual([
      {
        lot: 'Chemistry',
        model: 'weighted',
        ranked: [
          { supplier: 'A AB', rank: 1, priceSek: 1_000_000, total: 82 },
          { supplier: 'C AB', rank: 2, priceSek: 1_200_000, total: 80 },
          { supplier: 'B AB', rank: 3, priceSek: 800_000, total: 78 },
        ],
        winner: 'A AB',
      },
      {
        lot: 'Haematology',
        model: 'lowest_price',
        ranked: [
          { supplier: 'C AB', rank: 1, priceSek: 400_000 },
          { supplier: 'D AB', rank: 2, priceSek: 450_000 },
        ],
        winner: 'C AB',
      },
    ]);
    expect((await state(handle)).evaluation!.ranking).toHaveLength(2);
  });
});
