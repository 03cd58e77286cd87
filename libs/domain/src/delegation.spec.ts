import Ajv from 'ajv';
import {
  DELEGATION_ORDER_UPDATE_SCHEMA,
  delegationOrderProblems,
  itemsFor,
  limitInSek,
  prisbasbelopp,
  PrisbasbeloppUnknownError,
  type DelegationItem,
  type DelegationOrder,
} from './delegation';

const item = (over: Partial<DelegationItem> & Pick<DelegationItem, 'id'>): DelegationItem => ({
  decision: 'award_decision',
  delegate: 'upphandlingschef',
  reportToBoard: true,
  substitute: { nearestSuperior: true },
  ...over,
});

/** A region's order as its board might write it: three levels for the award decision, a committee above. */
const ORDER: DelegationOrder = {
  items: [
    item({
      id: '3.1',
      delegate: 'upphandlingschef',
      limit: { sek: 2_000_000 },
      substitute: { function: 'biträdande_upphandlingschef' },
    }),
    item({ id: '3.2', delegate: 'förvaltningschef', limit: { sek: 10_000_000 } }),
    item({ id: '3.3', delegate: 'regiondirektör', limit: { prisbasbelopp: 500 } }),
    item({ id: '3.4', delegate: 'upphandlingsutskottet' }),
    item({
      id: '4.1',
      decision: 'direct_award',
      delegate: 'enhetschef',
      limit: { prisbasbelopp: 50 },
      conditions: { regimes: ['direct'] },
      reportToBoard: false,
    }),
    item({
      id: '5.1',
      decision: 'award_decision',
      delegate: 'hälso_och_sjukvårdsdirektör',
      limit: { sek: 5_000_000 },
      conditions: { categories: ['lab-supplies'] },
    }),
  ],
};

describe('prisbasbelopp and limits in SEK', () => {
  it('takes the amount of the date’s year', () => {
    expect(prisbasbelopp('2024-06-30')).toBe(57_300);
    expect(prisbasbelopp('2025-01-01')).toBe(58_800);
    expect(prisbasbelopp('2026-12-31')).toBe(59_200);
  });

  it('50 prisbasbelopp at a 2026 date is 2 960 000 SEK; in 2025 it was 2 940 000', () => {
    const fifty = { limit: { prisbasbelopp: 50 } };
    expect(limitInSek(fifty, '2026-03-15')).toBe(2_960_000);
    expect(limitInSek(fifty, '2025-03-15')).toBe(2_940_000);
    expect(limitInSek({ limit: { prisbasbelopp: 2.5 } }, '2024-01-02')).toBe(143_250);
  });

  it('a limit in SEK is itself; no limit is unlimited', () => {
    expect(limitInSek({ limit: { sek: 2_000_000 } }, '2031-01-01')).toBe(2_000_000);
    expect(limitInSek({}, '2026-01-01')).toBe(Infinity);
  });

  it('does not guess a year the government has not decided (or the table lacks)', () => {
    expect(() => limitInSek({ limit: { prisbasbelopp: 1 } }, '2027-01-01')).toThrow(PrisbasbeloppUnknownError);
    expect(() => limitInSek({ limit: { prisbasbelopp: 1 } }, '2023-12-31')).toThrow(/2023 is not known/);
    expect(() => prisbasbelopp('2026-13-01')).toThrow(RangeError);
  });
});

describe('itemsFor: the items that may take a decision, lowest limit first', () => {
  const ids = (items: DelegationItem[]) => items.map((i) => i.id);
  const award = { decision: 'award_decision' as const, date: '2026-05-04' };

  it('a 3 MSEK award decision is above the upphandlingschef’s 2 MSEK: the förvaltningschef’s item first', () => {
    const found = itemsFor(ORDER, { ...award, valueSek: 3_000_000 });
    expect(ids(found)).toEqual(['3.2', '3.3', '3.4']);
    expect(found[0].delegate).toBe('förvaltningschef');
  });

  it('up to the limit is within it: exactly 2 MSEK stays with the upphandlingschef', () => {
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 2_000_000 }))[0]).toBe('3.1');
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 2_000_001 }))[0]).toBe('3.2');
  });

  it('500 prisbasbelopp is 29.6 MSEK in 2026: 25 MSEK goes to the regiondirektör, 30 MSEK to the committee', () => {
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 25_000_000 }))).toEqual(['3.3', '3.4']);
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 30_000_000 }))).toEqual(['3.4']);
    // In 2024 the same 500 prisbasbelopp was 28.65 MSEK: 29 MSEK was already above it.
    expect(ids(itemsFor(ORDER, { ...award, date: '2024-05-04', valueSek: 29_000_000 }))).toEqual(['3.4']);
  });

  it('an item with conditions applies only when the decision meets them', () => {
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 4_000_000, category: 'lab-supplies' }))).toEqual([
      '5.1',
      '3.2',
      '3.3',
      '3.4',
    ]);
    expect(ids(itemsFor(ORDER, { ...award, valueSek: 4_000_000, category: 'cleaning' }))[0]).toBe('3.2');
    // A direct award of 2.9 MSEK under 50 prisbasbelopp (2 960 000 SEK in 2026), but only as a direct award.
    const direct = { decision: 'direct_award' as const, valueSek: 2_900_000, date: '2026-05-04' };
    expect(ids(itemsFor(ORDER, { ...direct, regime: 'direct' }))).toEqual(['4.1']);
    expect(itemsFor(ORDER, { ...direct, regime: 'national' })).toEqual([]);
    expect(itemsFor(ORDER, direct)).toEqual([]);
  });

  it('a decision the order does not delegate has no item (the board decides)', () => {
    expect(itemsFor(ORDER, { decision: 'contract_change', valueSek: 1, date: '2026-01-01' })).toEqual([]);
  });
});

describe('delegationOrderProblems', () => {
  it('the example order holds together', () => {
    expect(delegationOrderProblems(ORDER)).toEqual([]);
  });

  it('names the field of each problem', () => {
    const bad = {
      items: [
        item({ id: '1.1', limit: { sek: 0 } }),
        item({ id: '1.1', decision: 'veto' as never, limit: { prisbasbelopp: -2 } }),
        item({ id: '1.2', substitute: {} as never, furtherDelegation: { allowed: true } }),
        item({ id: '1.3', substitute: { function: 'upphandlingschef' }, conditions: { categories: [] } }),
        item({ id: '1.4', furtherDelegation: { allowed: false, to: ['enhetschef'] }, limit: { sek: 1.5 } }),
        item({ id: '1.5', limit: { sek: 1, prisbasbelopp: 1 } as never }),
      ],
    };
    expect(delegationOrderProblems(bad).map((p) => `${p.field} ${p.rule}`)).toEqual([
      'items.0.limit.sek delegation_limit',
      'items.1.id unique',
      'items.1.decision enum',
      'items.1.limit.prisbasbelopp delegation_limit',
      'items.2.substitute delegation_substitute',
      'items.2.furtherDelegation.to further_delegation_targets',
      'items.3.substitute.function delegation_substitute',
      'items.3.conditions.categories required',
      'items.4.limit.sek delegation_limit',
      'items.4.furtherDelegation.to further_delegation_targets',
      'items.5.limit delegation_limit',
    ]);
  });

  it('two functions for the same decision at the same level is ambiguous; an order without items is empty', () => {
    const twice = {
      items: [
        item({ id: '2.1', delegate: 'förvaltningschef', limit: { sek: 1_000_000 } }),
        item({ id: '2.2', delegate: 'ekonomidirektör', limit: { sek: 1_000_000 } }),
      ],
    };
    expect(delegationOrderProblems(twice)).toEqual([
      expect.objectContaining({ field: 'items.1.limit', rule: 'delegation_ambiguous' }),
    ]);
    expect(delegationOrderProblems({ items: [] })).toEqual([
      expect.objectContaining({ field: 'items', rule: 'required' }),
    ]);
  });
});

describe('the published schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addKeyword('example');
  const validate = ajv.compile(DELEGATION_ORDER_UPDATE_SCHEMA);

  it('takes the example order with a reference, and refuses a limit that is both or neither', () => {
    expect(validate({ ...ORDER, reference: 'RS 2026-11-20 § 113' })).toBe(true);
    expect(
      validate({ items: [item({ id: '1', limit: { sek: 1, prisbasbelopp: 1 } as never })], reference: 'RS 1' }),
    ).toBe(false);
    expect(
      validate({ items: [item({ id: '1', substitute: { nearestSuperior: false } as never })], reference: 'RS 1' }),
    ).toBe(false);
  });
});
