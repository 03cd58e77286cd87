import {
  FUNCTION_CODE,
  holdersOn,
  overlaps,
  presentHolders,
  substitutesOn,
  type Absence,
  type PersonFunction,
} from './absences';

describe('functions held and absences (issue 29)', () => {
  const functions: PersonFunction[] = [
    { sub: 'ulla', code: 'upphandlingschef', validFrom: '2026-01-01' },
    { sub: 'olle', code: 'upphandlingschef', validFrom: '2025-01-01', validTo: '2026-06-30' },
    { sub: 'fia', code: 'forvaltningschef', validFrom: '2026-01-01', validTo: '2026-12-31' },
  ];
  const absences: Absence[] = [{ sub: 'ulla', from: '2026-07-01', to: '2026-07-31', substitute: 'sam' }];

  it('an absence 2026-07-01..2026-07-31: absent on its first and last day, back on 08-01', () => {
    expect(presentHolders('upphandlingschef', '2026-06-30', functions, absences)).toEqual(['olle', 'ulla']);
    expect(presentHolders('upphandlingschef', '2026-07-01', functions, absences)).toEqual([]);
    expect(presentHolders('upphandlingschef', '2026-07-31', functions, absences)).toEqual([]);
    expect(presentHolders('upphandlingschef', '2026-08-01', functions, absences)).toEqual(['ulla']);
  });

  it('a function valid to 2026-06-30 is held on that day and not on 07-01', () => {
    expect(holdersOn('upphandlingschef', '2026-06-30', functions)).toEqual(['olle', 'ulla']);
    expect(holdersOn('upphandlingschef', '2026-07-01', functions)).toEqual(['ulla']);
    expect(holdersOn('upphandlingschef', '2024-12-31', functions)).toEqual([]);
    expect(holdersOn('forvaltningschef', '2027-01-01', functions)).toEqual([]);
  });

  it('names the substitutes of the day, and none outside the absence', () => {
    const more: Absence[] = [...absences, { sub: 'fia', from: '2026-07-15', to: '2026-07-20' }];
    expect(substitutesOn('2026-07-15', more)).toEqual([{ absent: 'ulla', substitute: 'sam' }]);
    expect(substitutesOn('2026-07-31', more)).toEqual([{ absent: 'ulla', substitute: 'sam' }]);
    expect(substitutesOn('2026-08-01', more)).toEqual([]);
    expect(presentHolders('forvaltningschef', '2026-07-20', functions, more)).toEqual([]);
    expect(presentHolders('forvaltningschef', '2026-07-21', functions, more)).toEqual(['fia']);
  });

  it('periods overlap when they share a day', () => {
    const july = { from: '2026-07-01', to: '2026-07-31' };
    expect(overlaps(july, { from: '2026-07-31', to: '2026-08-10' })).toBe(true);
    expect(overlaps(july, { from: '2026-08-01', to: '2026-08-10' })).toBe(false);
    expect(overlaps(july, { from: '2026-06-01', to: '2026-06-30' })).toBe(false);
  });

  it('function codes are lower-case', () => {
    expect(FUNCTION_CODE.test('upphandlingschef')).toBe(true);
    expect(FUNCTION_CODE.test('regiondirektor_2')).toBe(true);
    expect(FUNCTION_CODE.test('Upphandlingschef')).toBe(false);
    expect(FUNCTION_CODE.test('x')).toBe(false);
  });
});
