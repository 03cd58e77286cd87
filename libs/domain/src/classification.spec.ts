import { classify } from './classification';
import { DomainInputError } from './errors';
import {
  effectiveDirectAwardLimit,
  findRow,
  RULE_SET_VERSION,
  RuleSetGapError,
  rowsInForce,
  THRESHOLD_ROWS,
  validateRows,
  withOverrides,
} from './thresholds';
import type { ContractType, Regime } from './types';

describe('threshold rows', () => {
  it('are consistent (no overlaps, confirmed rows have a SEK value)', () => {
    expect(validateRows()).toEqual([]);
  });

  it('2026–2027 rows carry the EUR amounts of Delegated Regulation (EU) 2025/2152 and no invented SEK figure', () => {
    const rows = rowsInForce('2026-06-01').filter((r) => r.kind === 'threshold');
    expect(rows.map((r) => [r.id, r.eur, r.sek, r.confirmed])).toEqual([
      ['thr-2026-supplies-services', 216_000, null, false],
      ['thr-2026-works', 5_404_000, null, false],
      ['thr-2026-social-services', 750_000, null, false],
    ]);
    for (const r of rows) expect(r.source).toContain('2025/2152');
  });

  it.each([
    ['supplies', '2024-01-01', 'thr-2024-supplies-services', 2_389_585],
    ['services', '2025-12-31', 'thr-2024-supplies-services', 2_389_585],
    ['works', '2025-06-30', 'thr-2024-works', 59_880_179],
    ['social_services', '2024-07-01', 'thr-2024-social-services', 8_109_450],
    ['supplies', '2023-12-31', 'thr-2022-supplies-services', 2_236_731],
    ['works', '2026-01-01', 'thr-2026-works', null],
  ] as const)('%s on %s → %s (%s SEK)', (ct, date, id, sek) => {
    const row = findRow('threshold', ct, date);
    expect(row.id).toBe(id);
    expect(row.sek).toBe(sek);
  });

  it('direct-award limit is 700 000 SEK from 2022-02-01 for supplies, services and works, the limit itself excluded (19 a kap. 2 § LOU: "understiga")', () => {
    for (const ct of ['supplies', 'services', 'works'] as const) {
      const row = findRow('direct_award_limit', ct, '2027-03-01');
      expect(row).toMatchObject({
        id: 'dal-2022-700k',
        sek: 700_000,
        confirmed: true,
        allowsEqual: false,
        basis: '19 a kap. 2 § LOU',
      });
    }
  });

  it('for social services the direct-award limit equals the threshold', () => {
    expect(effectiveDirectAwardLimit('social_services', '2025-03-01').sek).toBe(8_109_450);
    expect(effectiveDirectAwardLimit('social_services', '2026-03-01')).toMatchObject({ sek: null, confirmed: false });
  });

  it('a date without rows is a RuleSetGapError, not a guess', () => {
    expect(() => findRow('threshold', 'supplies', '2021-06-01')).toThrow(RuleSetGapError);
    expect(() => findRow('direct_award_limit', 'supplies', '2022-01-15')).toThrow(RuleSetGapError);
  });

  it('an administrator override confirms a SEK value and keeps the provenance', () => {
    const rows = withOverrides([{ id: 'thr-2026-social-services', sek: 8_000_000, source: 'admin test' }]);
    const row = findRow('threshold', 'social_services', '2026-02-01', rows);
    expect(row).toMatchObject({ sek: 8_000_000, confirmed: true });
    expect(row.source).toContain('admin test');
    expect(row.source).toContain('2025/2152');
    // the social-services direct-award limit follows the threshold
    expect(effectiveDirectAwardLimit('social_services', '2026-02-01', rows)).toMatchObject({
      sek: 8_000_000,
      confirmed: true,
    });
    expect(() => withOverrides([{ id: 'nope', sek: 1, source: 'x' }])).toThrow(/unknown/);
    expect(() => withOverrides([{ id: 'thr-2026-works', sek: -5, source: 'x' }])).toThrow(RangeError);
  });

  it('detects overlapping rows', () => {
    const dup = { ...THRESHOLD_ROWS.find((r) => r.id === 'thr-2024-works')!, id: 'thr-x', validFrom: '2025-01-01' };
    expect(validateRows([...THRESHOLD_ROWS, dup])).toEqual([expect.stringContaining('overlap')]);
  });
});

describe('classify — boundaries of every threshold and limit (one krona below, at, above)', () => {
  type Row = [ContractType, string, number, Regime];
  const cases: Row[] = [
    // direct-award limit 700 000 SEK: "understiga" (19 a kap. 2 §) → the limit itself is not a direct award
    ['supplies', '2025-05-01', 699_999, 'direct'],
    ['supplies', '2025-05-01', 700_000, 'national'],
    ['supplies', '2025-05-01', 700_001, 'national'],
    ['works', '2026-05-01', 699_999, 'direct'],
    ['works', '2026-05-01', 700_000, 'national'],
    ['works', '2026-05-01', 700_001, 'national'],
    ['services', '2022-02-01', 699_999, 'direct'],
    // supplies & services threshold 2024–2025: 2 389 585 SEK, at the threshold EU rules apply
    ['services', '2025-05-01', 2_389_584, 'national'],
    ['services', '2025-05-01', 2_389_585, 'eu'],
    ['services', '2025-05-01', 2_389_586, 'eu'],
    ['supplies', '2024-01-01', 2_389_584, 'national'],
    ['supplies', '2024-01-01', 2_389_585, 'eu'],
    // works threshold 2024–2025: 59 880 179 SEK
    ['works', '2025-05-01', 59_880_178, 'national'],
    ['works', '2025-05-01', 59_880_179, 'eu'],
    ['works', '2025-05-01', 59_880_180, 'eu'],
    // social services 2024–2025: direct award below 8 109 450, EU at and above
    ['social_services', '2025-05-01', 8_109_449, 'direct'],
    ['social_services', '2025-05-01', 8_109_450, 'eu'],
    ['social_services', '2025-05-01', 8_109_451, 'eu'],
    // 2022–2023 rows
    ['supplies', '2023-06-01', 2_236_730, 'national'],
    ['supplies', '2023-06-01', 2_236_731, 'eu'],
    // 2026–2027, SEK unconfirmed → provisional comparison with the lowest confirmed earlier figure
    ['supplies', '2026-03-01', 2_236_730, 'national'],
    ['supplies', '2026-03-01', 2_236_731, 'eu'],
    ['supplies', '2026-03-01', 2_389_584, 'eu'], // would have been national in 2025: conservative
    ['works', '2026-03-01', 55_991_098, 'national'],
    ['works', '2026-03-01', 55_991_099, 'eu'],
    ['social_services', '2026-03-01', 7_802_549, 'direct'],
    ['social_services', '2026-03-01', 7_802_550, 'eu'],
  ];
  it.each(cases)('%s on %s, %d SEK → %s', (contractType, date, valueSek, regime) => {
    expect(classify({ contractType, valueSek, date }).regime).toBe(regime);
  });
});

describe('classify — result shape and provenance', () => {
  it('names the rows used and the rule set', () => {
    const c = classify({ contractType: 'services', valueSek: 3_000_000, date: '2025-05-01' });
    expect(c).toMatchObject({
      regime: 'eu',
      defaultProcedure: 'open',
      ruleSet: RULE_SET_VERSION,
      thresholdStatus: 'confirmed',
      thresholdSekUsed: 2_389_585,
      threshold: {
        id: 'thr-2024-supplies-services',
        validFrom: '2024-01-01',
        validTo: '2025-12-31',
        sek: 2_389_585,
        eur: 221_000,
        confirmed: true,
      },
      directAwardLimit: { id: 'dal-2022-700k', sek: 700_000, allowsEqual: false },
      warnings: [],
    });
    expect(c.procedures).toEqual([
      'open',
      'restricted',
      'negotiated_with_notice',
      'competitive_dialogue',
      'innovation_partnership',
      'negotiated_without_notice',
    ]);
  });

  it('makes an unconfirmed threshold visible', () => {
    const c = classify({ contractType: 'supplies', valueSek: 1_000_000, date: '2026-03-01' });
    expect(c.regime).toBe('national');
    expect(c.thresholdStatus).toBe('provisional');
    expect(c.threshold).toMatchObject({ id: 'thr-2026-supplies-services', sek: null, eur: 216_000, confirmed: false });
    expect(c.thresholdSekUsed).toBe(2_236_731);
    expect(c.warnings.join(' ')).toMatch(/no confirmed SEK value/);
  });

  it('becomes confirmed once an administrator sets the official figure', () => {
    const rows = withOverrides([{ id: 'thr-2026-supplies-services', sek: 2_300_000, source: 'admin' }]);
    const c = classify({ contractType: 'supplies', valueSek: 2_299_999, date: '2026-03-01', rows });
    expect(c).toMatchObject({
      regime: 'national',
      thresholdStatus: 'confirmed',
      thresholdSekUsed: 2_300_000,
      warnings: [],
    });
    expect(classify({ contractType: 'supplies', valueSek: 2_300_000, date: '2026-03-01', rows }).regime).toBe('eu');
  });

  it('without any confirmed earlier figure, everything above the direct-award limit is EU', () => {
    const rows = THRESHOLD_ROWS.filter((r) => !r.id.startsWith('thr-2022') && !r.id.startsWith('thr-2024'));
    const c = classify({ contractType: 'supplies', valueSek: 700_000, date: '2026-03-01', rows });
    expect(c).toMatchObject({ regime: 'eu', thresholdSekUsed: null, thresholdStatus: 'provisional' });
    expect(classify({ contractType: 'supplies', valueSek: 699_999, date: '2026-03-01', rows }).regime).toBe('direct');
  });

  it('procedures per regime (19 kap. since 2022-02-01: every advertised shape)', () => {
    const shapes = [
      'open',
      'restricted',
      'negotiated_with_notice',
      'competitive_dialogue',
      'innovation_partnership',
      'negotiated_without_notice',
    ];
    expect(classify({ contractType: 'supplies', valueSek: 100_000, date: '2025-05-01' }).procedures).toEqual([
      'direct_award',
      ...shapes,
    ]);
    expect(classify({ contractType: 'supplies', valueSek: 1_000_000, date: '2025-05-01' })).toMatchObject({
      procedures: shapes,
      defaultProcedure: 'open',
    });
    const social = classify({ contractType: 'social_services', valueSek: 9_000_000, date: '2025-05-01' });
    expect(social.procedures).toEqual(expect.arrayContaining(shapes));
    expect(social.procedures).not.toContain('simplified');
  });

  it('framework call-off', () => {
    const c = classify({ contractType: 'services', valueSek: 5_000_000, date: '2025-05-01', frameworkCallOff: true });
    expect(c).toMatchObject({ regime: 'framework_call_off', procedures: ['call_off'], defaultProcedure: 'call_off' });
  });

  it('rejects bad input', () => {
    expect(() => classify({ contractType: 'supplies', valueSek: -1, date: '2025-05-01' })).toThrow(DomainInputError);
    expect(() => classify({ contractType: 'supplies', valueSek: 1.5, date: '2025-05-01' })).toThrow(DomainInputError);
    expect(() => classify({ contractType: 'goods' as ContractType, valueSek: 1, date: '2025-05-01' })).toThrow(
      DomainInputError,
    );
    expect(() => classify({ contractType: 'supplies', valueSek: 1, date: '2025-13-01' })).toThrow(/YYYY-MM-DD/);
  });
});
