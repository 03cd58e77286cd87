import { checkContractChange, type ChangeContract, type ChangeProposal } from './contract-changes';

/**
 * 17 kap. 8–16 §§ LOU with figures a procurement officer can check by hand: a services contract of
 * 4 000 000 kr under the 2024 threshold for services (2 389 585 kr), a works contract of 80 000 000
 * kr under the works threshold (59 880 179 kr).
 */
const services: ChangeContract = {
  contractType: 'services',
  frameworkAgreement: false,
  valueSek: 4_000_000,
  thresholdSek: 2_389_585,
  aboveThreshold: true,
  earlier: [],
};
const change = (p: Partial<ChangeProposal>): ChangeProposal => ({
  ground: 'low_value',
  valueChangeSek: 0,
  overallNatureChanged: false,
  ...p,
});

describe('changes to a contract (17 kap. LOU)', () => {
  it('low value (9 §): below both the threshold and 10 % of the value, 15 % for works; several changes by their net total', () => {
    // 10 % of 4 000 000 is 400 000: 399 999 passes, 400 000 is not below it.
    expect(checkContractChange(services, change({ valueChangeSek: 399_999 }))).toEqual({
      allowed: true,
      paragraph: '17 kap. 9 § LOU',
      noticeDue: false,
    });
    expect(checkContractChange(services, change({ valueChangeSek: 400_000 }))).toMatchObject({
      allowed: false,
      rule: 'change_above_low_value',
      field: 'valueChangeSek',
    });
    // A decrease counts by its size.
    expect(checkContractChange(services, change({ valueChangeSek: -400_000 })).allowed).toBe(false);
    // 250 000 earlier and 150 000 now: 400 000 net, not below; an earlier decrease of 100 000 makes room.
    const after = (earlier: number[]) => ({
      ...services,
      earlier: earlier.map((v) => ({ ground: 'low_value' as const, valueChangeSek: v })),
    });
    expect(checkContractChange(after([250_000]), change({ valueChangeSek: 150_000 })).allowed).toBe(false);
    expect(checkContractChange(after([250_000, -100_000]), change({ valueChangeSek: 150_000 })).allowed).toBe(true);
    // Works: 15 % of 80 000 000 is 12 000 000, but the threshold 59 880 179 is not the binding one here.
    const works: ChangeContract = {
      ...services,
      contractType: 'works',
      valueSek: 80_000_000,
      thresholdSek: 59_880_179,
    };
    expect(checkContractChange(works, change({ valueChangeSek: 11_999_999 })).allowed).toBe(true);
    expect(checkContractChange(works, change({ valueChangeSek: 12_000_000 })).allowed).toBe(false);
    // A contract of 30 000 000 kr: 10 % is 3 000 000, so the threshold 2 389 585 binds.
    const large = { ...services, valueSek: 30_000_000 };
    expect(checkContractChange(large, change({ valueChangeSek: 2_389_584 })).allowed).toBe(true);
    expect(checkContractChange(large, change({ valueChangeSek: 2_389_585 })).allowed).toBe(false);
    // The value before the change follows the indexation clause (15 §): 4 400 000 indexed lets 439 999 through.
    expect(
      checkContractChange({ ...services, indexedValueSek: 4_400_000 }, change({ valueChangeSek: 439_999 })).allowed,
    ).toBe(true);
    // Without a confirmed threshold figure the rule cannot be shown to hold.
    expect(checkContractChange({ ...services, thresholdSek: null }, change({ valueChangeSek: 1 }))).toMatchObject({
      allowed: false,
      rule: 'threshold_unconfirmed',
    });
  });

  it('refuses a change of the overall nature under 9, 10, 12 and 14 §§: it needs a new procurement (8 §)', () => {
    for (const ground of ['low_value', 'review_clause', 'unforeseen', 'not_substantial'] as const)
      expect(
        checkContractChange(services, change({ ground, overallNatureChanged: true, clauseReference: 'AV 9.2' })),
      ).toMatchObject({ allowed: false, rule: 'change_overall_nature', field: 'overallNatureChanged' });
  });

  it('a review clause (10 §) names where the documents state it', () => {
    expect(checkContractChange(services, change({ ground: 'review_clause', valueChangeSek: 900_000 }))).toMatchObject({
      allowed: false,
      rule: 'review_clause_missing',
      field: 'clauseReference',
    });
    expect(
      checkContractChange(
        services,
        change({ ground: 'review_clause', valueChangeSek: 900_000, clauseReference: 'AV 9.2' }),
      ),
    ).toEqual({ allowed: true, paragraph: '17 kap. 10 § LOU', noticeDue: false });
  });

  it('additional orders (11 §) and unforeseen circumstances (12 §): at most 50 % each; a notice is due above the threshold (16 §)', () => {
    // 50 % of 4 000 000 is 2 000 000: allowed at it, refused above it.
    expect(checkContractChange(services, change({ ground: 'additional', valueChangeSek: 2_000_000 }))).toEqual({
      allowed: true,
      paragraph: '17 kap. 11 § LOU',
      noticeDue: true,
    });
    expect(checkContractChange(services, change({ ground: 'unforeseen', valueChangeSek: 2_000_001 }))).toMatchObject({
      allowed: false,
      rule: 'change_above_half',
    });
    // Each change on its own: an earlier 2 000 000 does not count against the next.
    const earlier = { ...services, earlier: [{ ground: 'unforeseen' as const, valueChangeSek: 2_000_000 }] };
    expect(checkContractChange(earlier, change({ ground: 'unforeseen', valueChangeSek: 2_000_000 })).allowed).toBe(
      true,
    );
    // Below the threshold no notice of 16 §; a framework agreement takes no additional order.
    expect(
      checkContractChange({ ...services, aboveThreshold: false }, change({ ground: 'unforeseen', valueChangeSek: 10 })),
    ).toEqual({ allowed: true, paragraph: '17 kap. 12 § LOU', noticeDue: false });
    expect(
      checkContractChange(
        { ...services, frameworkAgreement: true },
        change({ ground: 'additional', valueChangeSek: 10 }),
      ),
    ).toMatchObject({ allowed: false, rule: 'additional_not_framework' });
  });

  it('a succession (13 §) names the successor and changes nothing else; 14 § answers every test of a substantial change', () => {
    expect(checkContractChange(services, change({ ground: 'supplier_succession' }))).toMatchObject({
      rule: 'successor_missing',
    });
    expect(
      checkContractChange(
        services,
        change({ ground: 'supplier_succession', newSupplier: 'Kemlab Nordic AB', valueChangeSek: 5 }),
      ),
    ).toMatchObject({ rule: 'succession_changes_value' });
    expect(
      checkContractChange(services, change({ ground: 'supplier_succession', newSupplier: 'Kemlab Nordic AB' })),
    ).toEqual({
      allowed: true,
      paragraph: '17 kap. 13 § LOU',
      noticeDue: false,
    });
    const none = { changesCompetition: false, favoursSupplier: false, extendsScope: false, replacesSupplier: false };
    expect(checkContractChange(services, change({ ground: 'not_substantial' }))).toMatchObject({
      rule: 'substantial_tests_missing',
    });
    expect(checkContractChange(services, change({ ground: 'not_substantial', substantial: none })).allowed).toBe(true);
    expect(
      checkContractChange(
        services,
        change({ ground: 'not_substantial', substantial: { ...none, favoursSupplier: true } }),
      ),
    ).toMatchObject({ allowed: false, rule: 'substantial_change', field: 'substantial.favoursSupplier' });
  });
});
