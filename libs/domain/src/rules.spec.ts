import {
  checkDeadlineChange,
  checkDirectAwardAggregate,
  checkDirectAwardLimit,
  checkFrameworkTerm,
  checkLotDivision,
  checkMinimumTimeLimit,
  checkNegotiatedGround,
  checkProcedureAllowed,
  checkTenderPeriod,
  RULE_CODES,
  validateNeedsAnalysis,
  validateTenderStart,
} from './rules';
import { classify } from './classification';

describe('checkDirectAwardLimit (19 a kap. 2 § LOU)', () => {
  const base = { procedure: 'direct_award' as const, limitSek: 700_000, allowsEqual: false };
  it.each([
    [699_999, []],
    [700_000, ['direct_award_limit']],
    [700_001, ['direct_award_limit']],
  ])('%d SEK → %j', (valueSek, rules) => {
    expect(checkDirectAwardLimit({ ...base, valueSek }).map((v) => v.rule)).toEqual(rules);
  });

  it('names the paragraph and the figures', () => {
    const [v] = checkDirectAwardLimit({ ...base, valueSek: 750_000 });
    expect(v).toMatchObject({ rule: 'direct_award_limit', paragraph: '19 a kap. 2 § LOU', field: 'estimatedValueSek' });
    expect(v.message).toContain('750 000 SEK');
    expect(v.message).toContain('700 000 SEK');
  });

  it('an inclusive limit allows the value at the limit', () => {
    expect(checkDirectAwardLimit({ ...base, allowsEqual: true, valueSek: 700_000 })).toEqual([]);
    expect(checkDirectAwardLimit({ ...base, allowsEqual: true, valueSek: 700_001 })).toHaveLength(1);
  });

  it('does not apply to other procedures', () => {
    expect(checkDirectAwardLimit({ ...base, procedure: 'open', valueSek: 9_000_000 })).toEqual([]);
  });
});

describe('checkDirectAwardAggregate (running total per category and financial year)', () => {
  const base = { limitSek: 700_000, allowsEqual: false, category: 'IT-konsulter', financialYear: '2026' };
  it.each([
    [600_000, 99_999, []],
    [600_000, 100_000, ['direct_award_aggregate_limit']],
    [600_000, 100_001, ['direct_award_aggregate_limit']],
  ])('running %d + %d', (runningTotalSek, valueSek, rules) => {
    expect(checkDirectAwardAggregate({ ...base, runningTotalSek, valueSek }).map((v) => v.rule)).toEqual(rules);
  });

  it('states the running sum and the resulting sum', () => {
    const [v] = checkDirectAwardAggregate({ ...base, runningTotalSek: 650_000, valueSek: 120_000 });
    expect(v.message).toContain('650 000 SEK');
    expect(v.message).toContain('770 000 SEK');
    expect(v.message).toContain('IT-konsulter');
    expect(v.details).toMatchObject({
      runningTotalSek: 650_000,
      valueSek: 120_000,
      resultingSek: 770_000,
      limitSek: 700_000,
    });
    expect(v.paragraph).toContain('19 a kap. 2 §');
  });
});

describe('checkNegotiatedGround', () => {
  it.each([
    ['negotiated_without_notice', 'eu', '6 kap. 12–19 §§ LOU', 'withoutNoticeGround'],
    ['negotiated_without_notice', 'national', '19 a kap. 3–6 §§ LOU', 'withoutNoticeGround'],
  ] as const)('%s in %s without a named ground → %s (%s)', (procedure, regime, paragraph, field) => {
    expect(checkNegotiatedGround({ procedure, regime, ground: 'tekniska skäl' })).toEqual([
      expect.objectContaining({ rule: 'negotiated_ground_missing', paragraph, field }),
    ]);
    expect(checkNegotiatedGround({ procedure, regime, withoutNoticeGround: 'single_supplier' })).toEqual([
      expect.objectContaining({ rule: 'negotiated_ground_missing', field: 'negotiationGround' }),
    ]);
    expect(
      checkNegotiatedGround({
        procedure,
        regime,
        withoutNoticeGround: 'single_supplier',
        ground: 'Endast Lab AB har ensamrätt till reagenset.',
      }),
    ).toEqual([]);
  });

  it('the named ground cites its paragraph: 6 kap. above the threshold, 19 a kap. below (as a direct award)', () => {
    const ask = (regime: 'eu' | 'national', g: 'single_supplier' | 'extreme_urgency') =>
      checkNegotiatedGround({ procedure: 'negotiated_without_notice', regime, withoutNoticeGround: g })[0].paragraph;
    expect(ask('eu', 'single_supplier')).toBe('6 kap. 14 § LOU');
    expect(ask('eu', 'extreme_urgency')).toBe('6 kap. 15 § LOU');
    expect(ask('national', 'single_supplier')).toBe('19 a kap. 5 § 2 LOU (förhållandena i 6 kap. 14 §)');
    expect(ask('national', 'extreme_urgency')).toBe('19 a kap. 5 § 1 LOU');
  });

  it('synnerliga skäl and a pending review are grounds below the threshold only (19 a kap. 5 § andra stycket, 7 § andra stycket)', () => {
    expect(
      checkNegotiatedGround({
        procedure: 'negotiated_without_notice',
        regime: 'eu',
        withoutNoticeGround: 'pending_review',
        ground: 'x',
      }),
    ).toEqual([
      expect.objectContaining({
        rule: 'without_notice_ground_not_available',
        paragraph: '19 a kap. 7 § andra stycket LOU',
      }),
    ]);
    expect(
      checkNegotiatedGround({
        procedure: 'negotiated_without_notice',
        regime: 'eu',
        withoutNoticeGround: 'exceptional_reasons',
        ground: 'x',
      })[0].rule,
    ).toBe('without_notice_ground_not_available');
    expect(
      checkNegotiatedGround({
        procedure: 'negotiated_without_notice',
        regime: 'national',
        withoutNoticeGround: 'pending_review',
        ground: 'Avtalsspärr under överprövning.',
      }),
    ).toEqual([]);
  });

  it('within the direct-award limit the value is the ground (19 a kap. 2 §): none to name', () => {
    expect(checkNegotiatedGround({ procedure: 'negotiated_without_notice', regime: 'direct' })).toEqual([]);
  });

  it.each([
    ['negotiated_with_notice', 'eu', '6 kap. 11 § LOU'],
    ['competitive_dialogue', 'eu', '6 kap. 11 § LOU'],
  ] as const)('%s in %s without a ground → %s', (procedure, regime, paragraph) => {
    expect(checkNegotiatedGround({ procedure, regime })).toEqual([
      expect.objectContaining({ rule: 'negotiated_ground_missing', paragraph, field: 'negotiationGround' }),
    ]);
    expect(checkNegotiatedGround({ procedure, regime, ground: '   ' })).toHaveLength(1);
    expect(checkNegotiatedGround({ procedure, regime, ground: '6 kap. 14 § 1: tekniska skäl' })).toEqual([]);
  });

  it('open procedure needs no ground', () => {
    expect(checkNegotiatedGround({ procedure: 'open', regime: 'eu' })).toEqual([]);
  });
});

describe('checkFrameworkTerm (7 kap. 2 § LOU)', () => {
  it.each([
    [24, 23, []],
    [24, 24, []],
    [24, 25, ['framework_term_exceeded']],
    [49, 0, ['framework_term_exceeded']],
  ])('%d + %d months', (contractTermMonths, extensionOptionMonths, rules) => {
    expect(
      checkFrameworkTerm({ frameworkAgreement: true, contractTermMonths, extensionOptionMonths }).map((v) => v.rule),
    ).toEqual(rules);
  });

  it('special reasons allow a longer term; ordinary contracts are not limited', () => {
    expect(
      checkFrameworkTerm({
        frameworkAgreement: true,
        contractTermMonths: 60,
        specialReasons: 'investeringar som kräver längre avskrivning',
      }),
    ).toEqual([]);
    expect(checkFrameworkTerm({ frameworkAgreement: false, contractTermMonths: 120 })).toEqual([]);
    expect(
      checkFrameworkTerm({ frameworkAgreement: true, contractTermMonths: 36, extensionOptionMonths: 24 })[0],
    ).toMatchObject({
      paragraph: '7 kap. 2 § LOU',
      details: { totalMonths: 60, maxMonths: 48 },
    });
  });
});

describe('checkLotDivision (dela eller motivera)', () => {
  it('above the threshold without lots and without a reason', () => {
    expect(checkLotDivision({ regime: 'eu' })).toEqual([
      expect.objectContaining({ rule: 'lot_division_reason_missing', paragraph: '4 kap. 14 § LOU' }),
    ]);
  });
  it('one lot is not a division (4 kap. 14 § LOU)', () => {
    const [v] = checkLotDivision({ regime: 'eu', lots: [{ title: 'Hela leveransen' }] });
    expect(v).toMatchObject({
      rule: 'lot_division_reason_missing',
      paragraph: '4 kap. 14 § LOU',
      field: 'lotJustification',
      details: { lots: 1 },
    });
    expect(v.message).toContain('One lot is not a division');
    expect(
      validateNeedsAnalysis({
        regime: 'eu',
        lots: [{ title: 'Hela leveransen' }],
        lotJustification: 'en odelbar systemleverans',
      }),
    ).toEqual([]);
  });
  it('bilaga 2 services above the threshold (19 kap.) have no duty to give reasons', () => {
    expect(checkLotDivision({ regime: 'eu', annex2: true })).toEqual([]);
    expect(validateNeedsAnalysis({ regime: 'eu', annex2: false, lots: [] })).toHaveLength(1);
  });
  it('lots, or a written reason, or below the threshold: fine', () => {
    expect(checkLotDivision({ regime: 'eu', lots: [{}, {}] })).toEqual([]);
    expect(checkLotDivision({ regime: 'eu', lotJustification: 'odelbar leverans' })).toEqual([]);
    expect(checkLotDivision({ regime: 'national' })).toEqual([]);
    expect(validateNeedsAnalysis({ regime: 'eu', lots: [] })).toHaveLength(1);
  });
});

describe('checkProcedureAllowed', () => {
  it('2025-05-01, 1 MSEK supplies (19 kap.): open is allowed; simplified was abolished on 2022-02-01', () => {
    const classification = classify({ contractType: 'supplies', valueSek: 1_000_000, date: '2025-05-01' });
    expect(checkProcedureAllowed({ classification, procedure: 'open' })).toEqual([]);
    const [v] = checkProcedureAllowed({ classification, procedure: 'simplified' });
    expect(v).toMatchObject({
      rule: 'procedure_not_allowed',
      paragraph: '19 kap. LOU (i lydelsen från den 1 februari 2022)',
      field: 'procedure',
    });
    expect(v.message).toContain('abolished on 2022-02-01');
    expect(v.message).toContain('19 kap. 9 § LOU');
  });
  it('refuses simplified above the threshold', () => {
    const classification = classify({ contractType: 'works', valueSek: 70_000_000, date: '2025-05-01' });
    expect(checkProcedureAllowed({ classification, procedure: 'simplified' })[0].rule).toBe('procedure_not_allowed');
  });
});

describe('checkTenderPeriod', () => {
  const params = { regime: 'eu' as const, procedure: 'open' as const, electronic: true, sentDate: '2026-03-05' };
  it('deadline before the minimum (30 days, moved past Easter) is refused', () => {
    const [v] = checkTenderPeriod({ ...params, deadline: '2026-04-06' });
    expect(v).toMatchObject({
      rule: 'minimum_time_limit',
      field: 'deadline',
      details: { minimumDays: 30, earliestDeadline: '2026-04-07', from: '2026-03-05' },
    });
    expect(v.paragraph).toContain('11 kap. 2 och 6 §§ LOU');
  });
  it('deadline at or after the earliest last day is fine', () => {
    expect(checkTenderPeriod({ ...params, deadline: '2026-04-07' })).toEqual([]);
    expect(checkTenderPeriod({ ...params, deadline: '2026-05-01' })).toEqual([]);
  });
});

describe('checkMinimumTimeLimit (the workflow passes the minimum its deadline activity computed)', () => {
  const minimum = { lastDay: '2026-04-21', basis: '12 kap. 11 § LOU', days: 6, from: '2026-04-15' };
  it('an answer on 2026-04-15 forces 2026-04-21 or later: 2026-04-20 is refused, 2026-04-21 is fine', () => {
    const [v] = checkMinimumTimeLimit({ requested: '2026-04-20', minimum, field: 'extendTo' });
    expect(v).toMatchObject({
      rule: 'minimum_time_limit',
      paragraph: '12 kap. 11 § LOU',
      field: 'extendTo',
      details: { earliestDeadline: '2026-04-21', minimumDays: 6 },
    });
    expect(checkMinimumTimeLimit({ requested: '2026-04-21', minimum, field: 'extendTo' })).toEqual([]);
  });
});

describe('checkDeadlineChange', () => {
  it('extending is fine, shortening is refused', () => {
    expect(checkDeadlineChange({ current: '2026-04-07', proposed: '2026-04-14' })).toEqual([]);
    expect(checkDeadlineChange({ current: '2026-04-07', proposed: '2026-04-06' })[0]).toMatchObject({
      rule: 'deadline_shortened',
      paragraph: '4 kap. 1 § LOU; organisationens policy',
      field: 'deadline',
    });
  });
  it('an "extension" to the same day is not one', () => {
    expect(checkDeadlineChange({ current: '2026-04-07', proposed: '2026-04-07' })[0].rule).toBe('deadline_shortened');
  });
});

describe('validateTenderStart', () => {
  it('accepts a plain EU open procedure and derives it when absent', () => {
    const r = validateTenderStart({ contractType: 'services', estimatedValueSek: 3_000_000, date: '2025-05-01' });
    expect(r).toMatchObject({ ok: true, violations: [], procedure: 'open', regime: 'eu' });
  });

  it('refuses a direct award above the limit once, as direct_award_limit', () => {
    const r = validateTenderStart({
      contractType: 'supplies',
      estimatedValueSek: 800_000,
      date: '2025-05-01',
      procedure: 'direct_award',
    });
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => v.rule)).toEqual(['direct_award_limit']);
  });

  it('refuses a direct award that would push the category over the limit', () => {
    const r = validateTenderStart({
      contractType: 'services',
      estimatedValueSek: 200_000,
      date: '2026-02-01',
      directAwardRunningTotalSek: 550_000,
      category: 'konsulttjänster',
      financialYear: '2026',
    });
    expect(r.procedure).toBe('direct_award');
    expect(r.violations.map((v) => v.rule)).toEqual(['direct_award_aggregate_limit']);
    expect(r.violations[0].message).toContain('750 000 SEK');
  });

  it('collects several violations', () => {
    const r = validateTenderStart({
      contractType: 'services',
      estimatedValueSek: 5_000_000,
      date: '2025-05-01',
      procedure: 'negotiated_without_notice',
      frameworkAgreement: true,
      contractTermMonths: 48,
      extensionOptionMonths: 12,
    });
    expect(r.violations.map((v) => v.rule).sort()).toEqual(['framework_term_exceeded', 'negotiated_ground_missing']);
  });

  it('an advertised procedure below the direct-award limit stays a direct award (19 a kap. only, LOU-2026.3)', () => {
    const r = validateTenderStart({
      contractType: 'supplies',
      estimatedValueSek: 300_000,
      date: '2025-05-01',
      procedure: 'open',
    });
    expect(r).toMatchObject({ ok: true, regime: 'direct', procedure: 'open' });
    expect(r.procedureDescription).toBeUndefined();
  });

  it('every rule code is covered by a check', () => {
    expect(RULE_CODES).toHaveLength(13);
  });
});
