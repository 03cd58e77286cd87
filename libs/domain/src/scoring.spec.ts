import {
  modelFromRegister,
  rankLots,
  scoreSheetProblem,
  type ConsensusScores,
  type RegisteredCriterion,
} from './scoring';

/** A register with two lots: Kemi is weighted (K2 30 %, K3 10 % on 0–5), Hematologi a value deduction (K4 100 000 kr on 0–5). */
const register: RegisteredCriterion[] = [
  { id: 'K1', kind: 'supplier_requirement' },
  { id: 'K2', kind: 'award_criterion', lot: 'Kemi', scoring: { maxScore: 5, weight: 30 } },
  { id: 'K3', kind: 'award_criterion', lot: 'Kemi', scoring: { maxScore: 5, weight: 10 } },
  { id: 'K4', kind: 'award_criterion', lot: 'Hematologi', scoring: { maxScore: 5, maxDeductionSek: 100_000 } },
  { id: 'K5', kind: 'award_criterion', lot: 'Hematologi', scoring: { maxScore: 5, maxDeductionSek: 1 }, withdrawn: {} },
];
const ctx = {
  admitted: [
    { supplier: 'Acme AB', lots: ['Kemi', 'Hematologi'] },
    { supplier: 'Billig AB', lots: ['Kemi', 'Hematologi'] },
    { supplier: 'Cellab AB', lots: ['Kemi'] },
  ],
  lots: ['Kemi', 'Hematologi'],
  register,
};

describe('the evaluation model from the register', () => {
  it('weights the price with what the criteria leave of 100; an amount per criterion is a value deduction; none is the lowest price', () => {
    expect(modelFromRegister(register, 'Kemi')).toEqual({
      kind: 'weighted',
      priceWeight: 60,
      criteria: [
        { id: 'K2', maxScore: 5, weight: 30 },
        { id: 'K3', maxScore: 5, weight: 10 },
      ],
      tieBreak: 'lots',
    });
    expect(modelFromRegister(register, 'Hematologi')).toEqual({
      kind: 'value_deduction',
      criteria: [{ id: 'K4', maxScore: 5, maxDeductionSek: 100_000 }],
      tieBreak: 'lots',
    });
    expect(modelFromRegister(register, 'Mikrobiologi', 'lower_price')).toEqual({
      kind: 'lowest_price',
      tieBreak: 'lower_price',
    });
  });
});

describe('a score sheet', () => {
  const sheet = {
    supplier: 'Acme AB',
    lot: 'Kemi',
    scores: [
      { criterionId: 'K2', score: 4 },
      { criterionId: 'K3', score: 5 },
    ],
  };
  it('scores every criterion of the lot once, on its scale, for an admitted tender', () => {
    expect(scoreSheetProblem(sheet, ctx)).toBeNull();
    expect(scoreSheetProblem({ ...sheet, supplier: 'Sen AB' }, ctx)).toMatchObject({ rule: 'supplier_not_admitted' });
    expect(scoreSheetProblem({ ...sheet, lot: undefined }, ctx)).toMatchObject({ field: 'lot', type: 'BadRequest' });
    expect(scoreSheetProblem({ ...sheet, supplier: 'Cellab AB', lot: 'Hematologi' }, ctx)).toMatchObject({
      field: 'lot',
    });
    expect(scoreSheetProblem({ ...sheet, scores: [{ criterionId: 'K2', score: 4 }] }, ctx)).toMatchObject({
      rule: 'criteria_unscored',
      message: expect.stringContaining('K3 is not'),
    });
    expect(
      scoreSheetProblem({ ...sheet, scores: [...sheet.scores, { criterionId: 'K4', score: 1 }] }, ctx),
    ).toMatchObject({ rule: 'not_an_award_criterion', field: 'scores[2].criterionId' });
    expect(
      scoreSheetProblem(
        {
          ...sheet,
          scores: [
            { criterionId: 'K2', score: 6 },
            { criterionId: 'K3', score: 5 },
          ],
        },
        ctx,
      ),
    ).toMatchObject({ rule: 'score_out_of_scale', field: 'scores[0].score' });
    expect(
      scoreSheetProblem({ ...sheet, scores: [{ criterionId: 'K2', score: Number.NaN }, sheet.scores[1]] }, ctx),
    ).toMatchObject({ rule: 'score_out_of_scale' });
    expect(
      scoreSheetProblem({ ...sheet, scores: [sheet.scores[0], sheet.scores[0], sheet.scores[1]] }, ctx),
    ).toMatchObject({ field: 'scores[1].criterionId', type: 'BadRequest' });
    // A withdrawn criterion is not scored.
    expect(
      scoreSheetProblem(
        {
          supplier: 'Acme AB',
          lot: 'Hematologi',
          scores: [
            { criterionId: 'K4', score: 5 },
            { criterionId: 'K5', score: 1 },
          ],
        },
        ctx,
      ),
    ).toMatchObject({ rule: 'not_an_award_criterion' });
  });
  it('a lot without award criteria has nothing to score', () => {
    const priceOnly = { ...ctx, register: [register[0]] };
    expect(scoreSheetProblem({ supplier: 'Acme AB', lot: 'Kemi', scores: [] }, priceOnly)).toMatchObject({
      rule: 'no_award_criteria',
    });
  });
});

describe('the ranking per lot, worked by hand', () => {
  const prices = [
    { supplier: 'Acme AB', lot: 'Kemi', priceSek: 1_000_000 },
    { supplier: 'Billig AB', lot: 'Kemi', priceSek: 800_000 },
    { supplier: 'Cellab AB', lot: 'Kemi', priceSek: 1_200_000 },
    { supplier: 'Acme AB', lot: 'Hematologi', priceSek: 1_000_000 },
    { supplier: 'Billig AB', lot: 'Hematologi', priceSek: 950_000 },
  ];
  const consensus: ConsensusScores[] = [
    { supplier: 'Acme AB', lot: 'Kemi', scores: { K2: 4, K3: 5 } },
    { supplier: 'Billig AB', lot: 'Kemi', scores: { K2: 2, K3: 3 } },
    { supplier: 'Cellab AB', lot: 'Kemi', scores: { K2: 5, K3: 5 } },
    { supplier: 'Acme AB', lot: 'Hematologi', scores: { K4: 5 } },
    { supplier: 'Billig AB', lot: 'Hematologi', scores: { K4: 2 } },
  ];

  it('Kemi, weighted: price points 60 × lowest ÷ price, quality weight × score ÷ 5; Hematologi: price less 100 000 × score ÷ 5', () => {
    const [kemi, hema] = rankLots({ ...ctx, prices, consensus });
    // Acme: 60 × 800 000 ÷ 1 000 000 = 48, 30 × 4/5 + 10 × 5/5 = 34, total 82.
    // Cellab: 60 × 800 000 ÷ 1 200 000 = 40, 30 + 10 = 40, total 80.
    // Billig: 60, 30 × 2/5 + 10 × 3/5 = 18, total 78.
    expect(kemi.ranking!.ranked.map((r) => [r.tenderer, r.rank, r.pricePoints, r.qualityPoints, r.total])).toEqual([
      ['Acme AB', 1, 48, 34, 82],
      ['Cellab AB', 2, 40, 40, 80],
      ['Billig AB', 3, 60, 18, 78],
    ]);
    expect(kemi.ranking!.winner).toBe('Acme AB');
    // Acme: 1 000 000 − 100 000 = 900 000; Billig: 950 000 − 40 000 = 910 000.
    expect(hema.ranking!.ranked.map((r) => [r.tenderer, r.comparisonPriceSek])).toEqual([
      ['Acme AB', 900_000],
      ['Billig AB', 910_000],
    ]);
    expect(hema.missing).toEqual([]);
  });

  it('a price of 0 ranks nothing (the models divide by the price); a tender left out for a lot is not ranked there', () => {
    const zero = prices.map((p) => (p.supplier === 'Billig AB' && p.lot === 'Kemi' ? { ...p, priceSek: 0 } : p));
    const [kemi] = rankLots({ ...ctx, prices: zero, consensus });
    expect(kemi.ranking).toBeUndefined();
    expect(kemi.missing).toEqual([{ supplier: 'Billig AB', price: true, consensus: false }]);
    const [withoutAcme, hema] = rankLots({
      ...ctx,
      prices,
      consensus,
      excluded: [{ supplier: 'Acme AB', lot: 'Kemi' }],
    });
    expect(withoutAcme.ranking!.ranked.map((r) => r.tenderer)).toEqual(['Cellab AB', 'Billig AB']);
    expect(hema.ranking!.winner).toBe('Acme AB');
  });

  it('waits for every admitted tender’s price and consensus', () => {
    const [kemi, hema] = rankLots({ ...ctx, prices, consensus: consensus.filter((c) => c.supplier !== 'Cellab AB') });
    expect(kemi.ranking).toBeUndefined();
    expect(kemi.missing).toEqual([{ supplier: 'Cellab AB', price: false, consensus: true }]);
    expect(hema.ranking?.winner).toBe('Acme AB');
  });
});
