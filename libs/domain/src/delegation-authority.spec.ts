import type { DelegationItem, DelegationOrder } from './delegation';
import {
  authorityFits,
  authorityOn,
  decidersOn,
  delegationPin,
  levelsFor,
  levelWithDeciders,
  substituteFunction,
  type AuthorityDirectory,
} from './delegation-authority';

/**
 * A region's order as a board writes it: the award decision goes to the head of procurement up to
 * 1 MSEK (further delegable to the category lead), to the administration's director up to 100
 * prisbasbelopp, and above that to the regional director; the decision to procure of the IT
 * category only to the IT director.
 */
const award = (id: string, delegate: string, limit: DelegationItem['limit'], extra: Partial<DelegationItem> = {}) =>
  ({
    id,
    decision: 'award_decision',
    delegate,
    ...(limit ? { limit } : {}),
    reportToBoard: true,
    substitute: { nearestSuperior: true },
    ...extra,
  }) as DelegationItem;

const ORDER: DelegationOrder = {
  items: [
    award('3.9', 'regiondirektor', undefined, { substitute: { function: 'bitr_regiondirektor' } }),
    award('3.4', 'forvaltningschef', { prisbasbelopp: 100 }),
    award(
      '3.1',
      'upphandlingschef',
      { sek: 1_000_000 },
      { furtherDelegation: { allowed: true, to: ['kategorichef'] } },
    ),
    {
      id: '2.1',
      decision: 'decision_to_procure',
      delegate: 'it_direktor',
      conditions: { categories: ['it'] },
      reportToBoard: false,
      substitute: { function: 'upphandlingschef' },
    },
  ],
};

const DIR: AuthorityDirectory = {
  functions: [
    { code: 'regiondirektor' },
    { code: 'forvaltningschef', superior: 'regiondirektor' },
    { code: 'upphandlingschef', superior: 'forvaltningschef' },
    { code: 'kategorichef', superior: 'upphandlingschef' },
  ],
  personFunctions: [
    { sub: 'rut', code: 'regiondirektor', validFrom: '2020-01-01' },
    { sub: 'fia', code: 'forvaltningschef', validFrom: '2024-03-01' },
    { sub: 'ulla', code: 'upphandlingschef', validFrom: '2025-01-01' },
    { sub: 'olle', code: 'upphandlingschef', validFrom: '2022-01-01', validTo: '2024-12-31' },
    { sub: 'kim', code: 'kategorichef', validFrom: '2025-01-01' },
  ],
  absences: [
    // Ulla's summer leave names Sam; Fia's leave names nobody.
    { sub: 'ulla', from: '2026-07-01', to: '2026-07-31', substitute: 'sam' },
    { sub: 'fia', from: '2026-07-13', to: '2026-08-09' },
  ],
};
const PEOPLE = ['fia', 'kim', 'olle', 'rut', 'sam', 'ulla'];

describe('the delegation order pinned by a tender', () => {
  it('pins, per gate, the items whose conditions the tender meets, lowest limit first', () => {
    const pin = delegationPin(4, ORDER, { category: 'lab', regime: 'eu', procedure: 'open' });
    expect(pin.version).toBe(4);
    expect(pin.ladders.award_decision!.map((i) => i.id)).toEqual(['3.1', '3.4', '3.9']);
    // 2.1 is for the IT category only; a lab tender has no decision_to_procure ladder: the token's limit decides it.
    expect(pin.ladders.decision_to_procure).toBeUndefined();
    expect(delegationPin(4, ORDER, { category: 'it' }).ladders.decision_to_procure!.map((i) => i.id)).toEqual(['2.1']);
  });

  it('takes a direct award’s decision to procure, which is its award, under the order’s direct_award items', () => {
    const withDirect: DelegationOrder = {
      items: [
        ...ORDER.items,
        {
          id: '4.1',
          decision: 'direct_award',
          delegate: 'enhetschef',
          limit: { prisbasbelopp: 10 },
          reportToBoard: false,
          substitute: { nearestSuperior: true },
        },
      ],
    };
    const direct = delegationPin(5, withDirect, { category: 'it', regime: 'direct', directAward: true });
    expect(direct.ladders.decision_to_procure!.map((i) => i.id)).toEqual(['4.1']);
    // An order without direct_award items: the decision to procure's own items, as for any tender.
    expect(
      delegationPin(4, ORDER, { category: 'it', directAward: true }).ladders.decision_to_procure!.map((i) => i.id),
    ).toEqual(['2.1']);
  });

  it('puts a value above a function’s limit at the next level (100 prisbasbelopp: 5 920 000 SEK in 2026)', () => {
    const ladder = delegationPin(1, ORDER, {}).ladders.award_decision!;
    expect(levelsFor(ladder, 1_000_000, '2026-05-04').map((i) => i.id)).toEqual(['3.1', '3.4', '3.9']);
    expect(levelsFor(ladder, 1_000_001, '2026-05-04').map((i) => i.id)).toEqual(['3.4', '3.9']);
    expect(levelsFor(ladder, 5_920_000, '2026-05-04').map((i) => i.id)).toEqual(['3.4', '3.9']);
    expect(levelsFor(ladder, 5_920_001, '2026-05-04').map((i) => i.id)).toEqual(['3.9']);
    // 2024's prisbasbelopp was 57 300: the same value was above the director's limit then.
    expect(levelsFor(ladder, 5_800_000, '2024-05-06').map((i) => i.id)).toEqual(['3.9']);
    // A year the table lacks: the limit in prisbasbelopp covers nothing, the amount is not guessed.
    expect(levelsFor(ladder, 2_000_000, '2031-03-03').map((i) => i.id)).toEqual(['3.9']);
  });
});

describe('who may decide under an item on a day', () => {
  const [item31, item34, item39] = delegationPin(1, ORDER, {}).ladders.award_decision!;

  it('a present holder of the function, and a further delegate only where the item allows it', () => {
    expect(authorityOn('ulla', item31, '2026-05-04', DIR)).toEqual({
      item: '3.1',
      function: 'upphandlingschef',
      via: 'delegate',
    });
    expect(authorityOn('kim', item31, '2026-05-04', DIR)).toEqual({
      item: '3.1',
      function: 'kategorichef',
      via: 'further',
    });
    // 3.4 allows no further delegation: the head of procurement, below the director, may not take it.
    expect(authorityOn('ulla', item34, '2026-05-04', DIR)).toBeUndefined();
    // Olle's holding ended on 2024-12-31.
    expect(authorityOn('olle', item31, '2026-05-04', DIR)).toBeUndefined();
    expect(authorityOn('olle', item31, '2024-12-31', DIR)).toMatchObject({ via: 'delegate' });
  });

  it('during an absence: the delegate sees nothing, the substitute their absence names stands in', () => {
    expect(authorityOn('ulla', item31, '2026-07-01', DIR)).toBeUndefined();
    expect(authorityOn('sam', item31, '2026-07-01', DIR)).toEqual({
      item: '3.1',
      function: 'upphandlingschef',
      via: 'substitute',
      asSubstituteFor: 'ulla',
    });
    // The day after the leave ends, Ulla decides again and Sam no longer.
    expect(authorityOn('sam', item31, '2026-08-01', DIR)).toBeUndefined();
    expect(authorityOn('ulla', item31, '2026-08-01', DIR)).toMatchObject({ via: 'delegate' });
  });

  it('an absence that names nobody: the item’s substitute rule (the nearest superior) stands in', () => {
    expect(substituteFunction(item34, DIR)).toBe('regiondirektor');
    expect(authorityOn('rut', item34, '2026-07-13', DIR)).toEqual({
      item: '3.4',
      function: 'forvaltningschef',
      via: 'substitute',
      asSubstituteFor: 'fia',
    });
    expect(authorityOn('rut', item34, '2026-07-12', DIR)).toBeUndefined();
  });

  it('lists the deciders of each level, leaving out the requester and the evaluators', () => {
    expect(decidersOn(item31, '2026-05-04', DIR, PEOPLE).map((d) => d.sub)).toEqual(['kim', 'ulla']);
    expect(decidersOn(item31, '2026-05-04', DIR, PEOPLE, ['kim']).map((d) => d.sub)).toEqual(['ulla']);
    expect(decidersOn(item31, '2026-07-15', DIR, PEOPLE).map((d) => d.sub)).toEqual(['kim', 'sam']);
    expect(decidersOn(item39, '2026-07-15', DIR, PEOPLE).map((d) => d.sub)).toEqual(['rut']);
  });

  it('escalates past a level with nobody present, and waits at the first when no level has anybody', () => {
    const away: AuthorityDirectory = {
      ...DIR,
      absences: [{ sub: 'fia', from: '2026-07-13', to: '2026-08-09' }],
      functions: DIR.functions.map((f) => (f.code === 'forvaltningschef' ? { code: f.code } : f)),
    };
    const levels = levelsFor([item31, item34, item39], 2_000_000, '2026-07-20');
    const chosen = levelWithDeciders(levels, (i) => decidersOn(i, '2026-07-20', away, PEOPLE));
    expect(chosen!.level.id).toBe('3.9');
    expect(chosen!.passedOver.map((i) => i.id)).toEqual(['3.4']);
    expect(chosen!.deciders).toEqual([
      { sub: 'rut', authority: { item: '3.9', function: 'regiondirektor', via: 'delegate' } },
    ]);
    const nobody = levelWithDeciders(levels, () => []);
    expect(nobody).toEqual({ level: item34, passedOver: [], deciders: [] });
    expect(levelWithDeciders([], () => [1])).toBeUndefined();
  });

  it('checks a claimed authority against the item it names', () => {
    expect(authorityFits({ item: '3.1', function: 'upphandlingschef', via: 'delegate' }, item31)).toBe(true);
    expect(authorityFits({ item: '3.1', function: 'kategorichef', via: 'further' }, item31)).toBe(true);
    expect(authorityFits({ item: '3.1', function: 'forvaltningschef', via: 'further' }, item31)).toBe(false);
    expect(authorityFits({ item: '3.4', function: 'kategorichef', via: 'further' }, item34)).toBe(false);
    expect(authorityFits({ item: '3.1', function: 'upphandlingschef', via: 'delegate' }, item34)).toBe(false);
    expect(authorityFits({ item: '3.4', function: 'forvaltningschef', via: 'substitute' }, item34)).toBe(true);
  });
});
