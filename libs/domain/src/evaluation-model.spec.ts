import {
  EvaluationModelError,
  modelProblems,
  pricesToWin,
  qualityToWin,
  rank,
  weightSensitivity,
  type EvaluatedTender,
  type EvaluationModel,
} from './evaluation-model';

/**
 * Worked examples a procurement officer can check by hand (issue 30): three tenders for the same
 * services, scored 0–5 on delivery and support by consensus.
 *
 *              price      delivery  support
 *   A      1 000 000 kr       4        3
 *   B        800 000 kr       2        2
 *   C        900 000 kr       5        4
 */
const TENDERS: EvaluatedTender[] = [
  { tenderer: 'A', priceSek: 1_000_000, scores: { delivery: 4, support: 3 } },
  { tenderer: 'B', priceSek: 800_000, scores: { delivery: 2, support: 2 } },
  { tenderer: 'C', priceSek: 900_000, scores: { delivery: 5, support: 4 } },
];

describe('lowest price (lägsta pris)', () => {
  const model: EvaluationModel = { kind: 'lowest_price', tieBreak: 'lots' };

  it('ranks by price: B 800 000, C 900 000, A 1 000 000', () => {
    const r = rank(model, TENDERS);
    expect(r.ranked.map((x) => [x.tenderer, x.rank])).toEqual([
      ['B', 1],
      ['C', 2],
      ['A', 3],
    ]);
    expect(r.winner).toBe('B');
  });

  it('the price each other tender needed: 799 999 kr (at 800 000 it ties with B, and lots are drawn)', () => {
    expect(pricesToWin(model, TENDERS)).toEqual([
      { tenderer: 'A', priceSek: 799_999 },
      { tenderer: 'C', priceSek: 799_999 },
    ]);
  });

  it('a tie at the first place is left to lots: no winner, both first', () => {
    const r = rank(model, [
      { tenderer: 'A', priceSek: 500_000 },
      { tenderer: 'B', priceSek: 500_000 },
    ]);
    expect(r.winner).toBeUndefined();
    expect(r.tie).toEqual({ tenderers: ['A', 'B'], decidedBy: 'lots', undecided: true });
    expect(r.ranked.map((x) => [x.tenderer, x.rank, x.tied])).toEqual([
      ['A', 1, true],
      ['B', 1, true],
    ]);
  });
});

describe('best price-quality ratio with relative price scoring (poängmodell)', () => {
  // Price 60 %, delivery 25 %, support 15 %; price points = 60 × lowest price ÷ the tender's price.
  const model: EvaluationModel = {
    kind: 'weighted',
    priceWeight: 60,
    criteria: [
      { id: 'delivery', weight: 25, maxScore: 5 },
      { id: 'support', weight: 15, maxScore: 5 },
    ],
    tieBreak: 'lower_price',
  };

  it('computes the points: A 48 + 29 = 77, B 60 + 16 = 76, C 53.333333 + 37 = 90.333333; C wins', () => {
    const r = rank(model, TENDERS);
    expect(r.ranked).toEqual([
      { tenderer: 'C', rank: 1, priceSek: 900_000, pricePoints: 53.333333, qualityPoints: 37, total: 90.333333 },
      { tenderer: 'A', rank: 2, priceSek: 1_000_000, pricePoints: 48, qualityPoints: 29, total: 77 },
      { tenderer: 'B', rank: 3, priceSek: 800_000, pricePoints: 60, qualityPoints: 16, total: 76 },
    ]);
    expect(r.winner).toBe('C');
  });

  it('what would change the winner: A at 780 000 kr (89 = 89, the lower price wins the tie), B at 585 000 kr; or 13.33 and 14.33 more quality points', () => {
    // A at 780 000 becomes the lowest: A 60 + 29 = 89; C 60 × 780/900 + 37 = 52 + 37 = 89.
    // B at 585 000: B 60 + 16 = 76; C 60 × 585/900 + 37 = 39 + 37 = 76.
    expect(pricesToWin(model, TENDERS)).toEqual([
      { tenderer: 'A', priceSek: 780_000 },
      { tenderer: 'B', priceSek: 585_000 },
    ]);
    expect(qualityToWin(model, TENDERS)).toEqual([
      { tenderer: 'A', gap: 13.333333, unit: 'points' },
      { tenderer: 'B', gap: 14.333333, unit: 'points' },
    ]);
  });

  it('how the ranking moves with each weight: price at 70 % puts B before A; C wins at every weight tried', () => {
    const shifts = weightSensitivity(model, TENDERS);
    // Price 70, delivery 18.75, support 11.25: A 56 + 15 + 6.75 = 77.75; B 70 + 7.5 + 4.5 = 82; C 62.22 + 18.75 + 9 = 89.97.
    expect(shifts.find((s) => s.criterion === 'price' && s.delta === 10)).toEqual({
      criterion: 'price',
      delta: 10,
      winner: 'C',
      order: ['C', 'B', 'A'],
    });
    expect(shifts.find((s) => s.criterion === 'price' && s.delta === -10)!.order).toEqual(['C', 'A', 'B']);
    expect(new Set(shifts.map((s) => s.winner))).toEqual(new Set(['C']));
    expect(shifts.map((s) => `${s.criterion}${s.delta > 0 ? '+' : ''}${s.delta}`)).toEqual([
      'price-10',
      'price+10',
      'delivery-10',
      'delivery+10',
      'support-10',
      'support+10',
    ]);
  });

  it('a tie in points goes by the documents’ rule: the higher quality, or the lower price', () => {
    // Price 50 %, quality 50 % on 0–10. A: 50 × 80/100 + 50 × 6/10 = 40 + 30 = 70; B: 50 + 50 × 4/10 = 70.
    const tied: EvaluatedTender[] = [
      { tenderer: 'A', priceSek: 100_000, scores: { q: 6 } },
      { tenderer: 'B', priceSek: 80_000, scores: { q: 4 } },
    ];
    const base = { kind: 'weighted' as const, priceWeight: 50, criteria: [{ id: 'q', weight: 50, maxScore: 10 }] };
    const byQuality = rank({ ...base, tieBreak: 'higher_quality' }, tied);
    expect(byQuality.winner).toBe('A');
    expect(byQuality.tie).toEqual({ tenderers: ['A', 'B'], decidedBy: 'higher_quality', undecided: false });
    expect(rank({ ...base, tieBreak: 'lower_price' }, tied).winner).toBe('B');
    const byLots = rank({ ...base, tieBreak: 'lots' }, tied);
    expect(byLots.winner).toBeUndefined();
    expect(byLots.tie).toEqual({ tenderers: ['A', 'B'], decidedBy: 'lots', undecided: true });
  });
});

describe('value deduction (mervärdesavdrag)', () => {
  // Delivery is worth up to 150 000 kr, support up to 100 000 kr, each in proportion to its score of 5.
  const model: EvaluationModel = {
    kind: 'value_deduction',
    criteria: [
      { id: 'delivery', maxDeductionSek: 150_000, maxScore: 5 },
      { id: 'support', maxDeductionSek: 100_000, maxScore: 5 },
    ],
    tieBreak: 'lower_price',
  };

  it('compares prices less the quality: A 1 000 000 − 120 000 − 60 000 = 820 000, B 700 000, C 670 000; C wins', () => {
    const r = rank(model, TENDERS);
    expect(r.ranked.map((x) => [x.tenderer, x.rank, x.comparisonPriceSek])).toEqual([
      ['C', 1, 670_000],
      ['B', 2, 700_000],
      ['A', 3, 820_000],
    ]);
    expect(r.winner).toBe('C');
  });

  it('what would change the winner: B at 770 000 kr, A at 850 000 kr (a tie at 670 000, the lower price wins); or 30 000 and 150 000 kr more quality', () => {
    expect(pricesToWin(model, TENDERS)).toEqual([
      { tenderer: 'A', priceSek: 850_000 },
      { tenderer: 'B', priceSek: 770_000 },
    ]);
    expect(qualityToWin(model, TENDERS)).toEqual([
      { tenderer: 'B', gap: 30_000, unit: 'SEK' },
      { tenderer: 'A', gap: 150_000, unit: 'SEK' },
    ]);
  });
});

describe('a model that does not hold, and scores that do not fit it', () => {
  it('names the field: weights that do not add up to 100, a missing weight or amount, a criterion twice', () => {
    expect(
      modelProblems({
        kind: 'weighted',
        priceWeight: 60,
        criteria: [
          { id: 'q', weight: 30, maxScore: 5 },
          { id: 'q', maxScore: 0 },
        ],
        tieBreak: 'lots',
      }),
    ).toEqual([
      { field: 'criteria.1.id', message: 'criterion q is given twice' },
      { field: 'criteria.1.maxScore', message: 'the scale needs a maximum above 0' },
      { field: 'criteria.1.weight', message: 'a weighted criterion needs a weight above 0' },
      { field: 'priceWeight', message: 'the weights add up to 90, not 100' },
    ]);
    expect(modelProblems({ kind: 'value_deduction', criteria: [{ id: 'q', maxScore: 5 }], tieBreak: 'lots' })).toEqual([
      { field: 'criteria.0.maxDeductionSek', message: 'a value deduction needs an amount above 0' },
    ]);
  });

  it('refuses a score outside the scale and a price that is not whole SEK above 0', () => {
    const model: EvaluationModel = {
      kind: 'weighted',
      priceWeight: 70,
      criteria: [{ id: 'q', weight: 30, maxScore: 5 }],
      tieBreak: 'lots',
    };
    expect(() => rank(model, [{ tenderer: 'A', priceSek: 100, scores: { q: 6 } }])).toThrow(
      new EvaluationModelError('scores.q', 'A has no score 0–5 for q'),
    );
    expect(() => rank(model, [{ tenderer: 'A', priceSek: 0.5, scores: { q: 1 } }])).toThrow(EvaluationModelError);
    expect(rank(model, [])).toEqual({ ranked: [] });
  });
});
