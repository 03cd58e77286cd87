import fc from 'fast-check';
import Holidays from 'date-holidays';
import {
  addDays,
  addMonths,
  endOfDayStockholmIso,
  InvalidDateError,
  isSwedishWorkingDay,
  nextWorkingDayOnOrAfter,
  nonWorkingReason,
  periodLastDay,
  WORKING_DAY_RULE,
} from './calendar';
import {
  documentationDue,
  invalidityExposure,
  latestAnswerDate,
  postAwardNoticeDue,
  reviewHoldEnd,
  standstillEnd,
  earliestTenderDeadline,
} from './deadlines';

const R1930 = 'lag (1930:173) 2 §';

/**
 * Dated cases 2025–2028. `kind`:
 *  - next: nextWorkingDayOnOrAfter(date) (the last-day rule of lag 1930:173 2 §)
 *  - standstill-e / standstill-o: standstillEnd(date, electronic/other) (20 kap. 1 § LOU)
 *  - review: reviewHoldEnd (20 kap. 10 § LOU)
 *  - notice: postAwardNoticeDue (10 kap. 4 § LOU)
 *  - doc: documentationDue (12 kap. 14–16 §§ LOU; 30 days, 12 kap. 14 och 16 §§)
 *  - invalidity: invalidityExposure after signing (20 kap. 17 § LOU)
 *  - open-e: earliest tender deadline, open procedure, electronic (11 kap. 2 och 6 §§ LOU)
 *  - answer: latestAnswerDate (12 kap. 11 § LOU; counted back, never moved)
 */
type Kind = 'next' | 'standstill-e' | 'standstill-o' | 'review' | 'notice' | 'doc' | 'invalidity' | 'open-e' | 'answer';
const CASES: Array<[string, Kind, string, string, string]> = [
  // date in, kind, expected, paragraph, why
  ['2025-01-01', 'next', '2025-01-02', R1930, "New Year's Day (Wed)"],
  ['2025-01-06', 'next', '2025-01-07', R1930, 'Epiphany (Mon)'],
  ['2025-03-15', 'next', '2025-03-17', R1930, 'plain Saturday'],
  ['2025-03-12', 'next', '2025-03-12', R1930, 'plain Wednesday is a working day'],
  ['2025-04-18', 'next', '2025-04-22', R1930, 'Good Friday → Easter Sat, Sun, Easter Monday → Tue'],
  ['2025-04-19', 'next', '2025-04-22', R1930, 'Easter Saturday (a Saturday anyway)'],
  ['2025-04-21', 'next', '2025-04-22', R1930, 'Easter Monday'],
  ['2025-04-30', 'next', '2025-04-30', R1930, 'Walpurgis Eve is a working day'],
  ['2025-05-01', 'next', '2025-05-02', R1930, 'May Day (Thu)'],
  ['2025-05-29', 'next', '2025-05-30', R1930, 'Ascension Day (Thu)'],
  ['2025-06-06', 'next', '2025-06-09', R1930, 'National Day (Fri) → weekend → Whit Monday is a working day'],
  ['2025-06-09', 'next', '2025-06-09', R1930, 'Whit Monday: not a holiday since 2005'],
  ['2025-06-20', 'next', '2025-06-23', R1930, 'Midsummer Eve (Fri) → Midsummer Day (Sat), Sun'],
  ['2025-11-01', 'next', '2025-11-03', R1930, "All Saints' Day (Sat)"],
  ['2025-12-24', 'next', '2025-12-29', R1930, 'Christmas Eve (Wed) → Christmas, Boxing Day, weekend'],
  ['2025-12-31', 'next', '2026-01-02', R1930, "New Year's Eve (Wed) → New Year's Day → Fri (year end)"],
  ['2026-01-06', 'next', '2026-01-07', R1930, 'Epiphany (Tue)'],
  ['2026-04-03', 'next', '2026-04-07', R1930, 'Good Friday 2026'],
  ['2026-04-06', 'next', '2026-04-07', R1930, 'Easter Monday 2026'],
  ['2026-05-14', 'next', '2026-05-15', R1930, 'Ascension Day 2026'],
  ['2026-05-25', 'next', '2026-05-25', R1930, 'Whit Monday 2026 is a working day'],
  ['2026-06-06', 'next', '2026-06-08', R1930, 'National Day on a Saturday'],
  ['2026-06-19', 'next', '2026-06-22', R1930, 'Midsummer Eve 2026'],
  ['2026-10-30', 'next', '2026-10-30', R1930, "All Saints' Eve is a working day"],
  ['2026-10-31', 'next', '2026-11-02', R1930, "All Saints' Day 2026 (Sat)"],
  ['2026-12-24', 'next', '2026-12-28', R1930, 'Christmas Eve (Thu) → Christmas (Fri), weekend'],
  ['2026-12-31', 'next', '2027-01-04', R1930, "New Year's Eve (Thu) → New Year's Day (Fri), weekend (year end)"],
  ['2027-01-01', 'next', '2027-01-04', R1930, "New Year's Day (Fri)"],
  ['2027-03-26', 'next', '2027-03-30', R1930, 'Good Friday 2027'],
  ['2027-05-06', 'next', '2027-05-07', R1930, 'Ascension Day 2027'],
  ['2027-05-17', 'next', '2027-05-17', R1930, 'Whit Monday 2027 is a working day'],
  ['2027-06-06', 'next', '2027-06-07', R1930, 'National Day on a Sunday (no substitute day)'],
  ['2027-06-25', 'next', '2027-06-28', R1930, 'Midsummer Eve 2027'],
  ['2027-11-06', 'next', '2027-11-08', R1930, "All Saints' Day 2027 (Sat)"],
  ['2027-12-24', 'next', '2027-12-27', R1930, 'Christmas Eve (Fri); Christmas on the weekend, no substitute'],
  ['2027-12-31', 'next', '2028-01-03', R1930, "New Year's Eve (Fri) → weekend incl. New Year's Day (year end)"],
  ['2028-01-06', 'next', '2028-01-07', R1930, 'Epiphany (Thu)'],
  ['2028-04-14', 'next', '2028-04-18', R1930, 'Good Friday 2028'],
  ['2028-04-17', 'next', '2028-04-18', R1930, 'Easter Monday 2028'],
  ['2028-05-01', 'next', '2028-05-02', R1930, 'May Day (Mon)'],
  ['2028-05-25', 'next', '2028-05-26', R1930, 'Ascension Day 2028'],
  ['2028-06-05', 'next', '2028-06-05', R1930, 'Whit Monday 2028 is a working day'],
  ['2028-06-06', 'next', '2028-06-07', R1930, 'National Day (Tue)'],
  ['2028-06-23', 'next', '2028-06-26', R1930, 'Midsummer Eve 2028'],
  ['2028-11-04', 'next', '2028-11-06', R1930, "All Saints' Day 2028 (Sat)"],
  ['2028-12-24', 'next', '2028-12-27', R1930, 'Christmas Eve on a Sunday → Christmas, Boxing Day'],
  ['2028-12-31', 'next', '2029-01-02', R1930, "New Year's Eve on a Sunday → New Year's Day (Mon) (year end)"],
  // periods counted from a day, with the law's paragraph
  ['2025-06-10', 'standstill-e', '2025-06-23', '20 kap. 1 § LOU', '10 days → Midsummer Eve → Monday'],
  ['2025-12-09', 'standstill-o', '2025-12-29', '20 kap. 1 § LOU', '15 days → Christmas Eve → Monday 29th'],
  ['2026-12-21', 'standstill-e', '2027-01-04', '20 kap. 1 § LOU', "10 days → New Year's Eve → Monday"],
  ['2027-03-16', 'standstill-e', '2027-03-30', '20 kap. 1 § LOU', '10 days → Good Friday → Tue after Easter'],
  ['2027-12-14', 'review', '2027-12-27', '20 kap. 10 § LOU', '10 days → Christmas Eve → Monday'],
  ['2028-05-06', 'notice', '2028-06-05', '10 kap. 4 § LOU', '30 days → Whit Monday, a working day'],
  ['2028-05-07', 'doc', '2028-06-07', '12 kap. 14–16 §§ LOU', '30 days → National Day → Wednesday'],
  ['2025-12-31', 'invalidity', '2026-06-30', '20 kap. 17 § första stycket LOU', 'six months → 30 June (Tue)'],
  [
    '2026-08-31',
    'invalidity',
    '2027-03-01',
    '20 kap. 17 § första stycket LOU',
    'six months → 28 Feb (no 31st; Sunday) → Monday',
  ],
  [
    '2026-03-05',
    'open-e',
    '2026-04-07',
    '11 kap. 2 och 6 §§ LOU',
    '30 days → Easter Saturday → Tue after Easter Monday',
  ],
  ['2026-06-22', 'answer', '2026-06-16', '12 kap. 11 § LOU', 'six days before the deadline'],
  ['2025-12-30', 'answer', '2025-12-24', '12 kap. 11 § LOU', 'counted back: Christmas Eve is not moved'],
];

function run(kind: Kind, date: string): { lastDay: string; basis: string } {
  switch (kind) {
    case 'next':
      return { lastDay: nextWorkingDayOnOrAfter(date), basis: WORKING_DAY_RULE };
    case 'standstill-e':
      return standstillEnd(date, 'electronic');
    case 'standstill-o':
      return standstillEnd(date, 'other');
    case 'review':
      return reviewHoldEnd(date);
    case 'notice':
      return postAwardNoticeDue(date);
    case 'doc':
      return documentationDue(date);
    case 'invalidity':
      return invalidityExposure({ signedDate: date });
    case 'open-e':
      return earliestTenderDeadline(date, { regime: 'eu', procedure: 'open', electronic: true });
    case 'answer':
      return latestAnswerDate(date);
  }
}

describe('dated cases 2025–2028', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('%s %s → %s (%s; %s)', (date, kind, expected, paragraph) => {
    const result = run(kind, date);
    expect(result.lastDay).toBe(expected);
    expect(result.basis).toContain(paragraph === R1930 ? WORKING_DAY_RULE : paragraph);
    if (kind !== 'answer') expect(result.basis).toContain(WORKING_DAY_RULE);
  });
});

describe('non-working days', () => {
  it.each([
    ['2025-06-20', 'midsummer_eve'],
    ['2026-12-24', 'christmas_eve'],
    ['2026-12-31', 'new_years_eve'],
    ['2026-01-01', 'public_holiday'],
    ['2026-06-06', 'saturday'],
    ['2027-06-06', 'sunday'],
    ['2026-05-25', null], // Whit Monday
    ['2026-04-30', null], // Walpurgis Eve
    ['2026-01-05', null], // Twelfth Night eve
    ['2026-11-06', null], // Gustavus Adolphus Day (observance only)
  ] as const)('%s is %s', (date, reason) => {
    expect(nonWorkingReason(date)).toBe(reason);
  });

  it('date-holidays still classes the eves as non-public and Whit Monday as an observance (our additions depend on it)', () => {
    const types = new Map(new Holidays('SE').getHolidays(2026).map((h) => [h.date.slice(0, 10), h.type]));
    expect(types.get('2026-06-19')).not.toBe('public'); // Midsummer Eve: added by us
    expect(types.get('2026-12-24')).not.toBe('public'); // Christmas Eve: added by us
    expect(types.get('2026-12-31')).not.toBe('public'); // New Year's Eve: added by us
    expect(types.get('2026-05-25')).toBe('observance'); // Whit Monday: working day
    expect(types.get('2026-04-04')).toBe('observance'); // Easter Saturday: a Saturday anyway
    expect(types.get('2026-06-06')).toBe('public'); // National Day
  });
});

describe('date arithmetic', () => {
  it('adds days across month, year and DST changes', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // CET → CEST on 29 March
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26'); // CEST → CET on 25 October
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('adds months clamping to the month end (lag 1930:173 1 §)', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('rejects malformed dates', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(InvalidDateError);
    expect(() => addDays('26-01-01', 1)).toThrow(InvalidDateError);
    expect(() => periodLastDay('2026-01-01', -1)).toThrow(RangeError);
  });

  it('periodLastDay counts from the day after (lag 1930:173 1 §)', () => {
    expect(periodLastDay('2026-03-02', 10)).toBe('2026-03-12');
    expect(periodLastDay('2026-03-02', 0)).toBe('2026-03-02');
  });
});

describe('endOfDayStockholmIso', () => {
  it.each([
    ['2025-12-29', '2025-12-29T23:59:59+01:00'],
    ['2025-06-23', '2025-06-23T23:59:59+02:00'],
    ['2026-03-29', '2026-03-29T23:59:59+02:00'], // DST starts that night
    ['2026-03-28', '2026-03-28T23:59:59+01:00'],
    ['2026-10-25', '2026-10-25T23:59:59+01:00'], // DST ends that night
    ['2026-10-24', '2026-10-24T23:59:59+02:00'],
  ])('%s → %s', (date, iso) => {
    expect(endOfDayStockholmIso(date)).toBe(iso);
    // the instant is one second before local midnight
    const next = new Date(new Date(iso).getTime() + 1000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('00:00');
  });
});

describe('calendar properties (fast-check)', () => {
  const dayIndex = fc.integer({ min: 0, max: 365 * 40 });
  const toDate = (i: number) => addDays('2000-01-01', i);

  it('nextWorkingDayOnOrAfter returns a working day, never before the input, and is idempotent', () => {
    fc.assert(
      fc.property(dayIndex, (i) => {
        const d = toDate(i);
        const n = nextWorkingDayOnOrAfter(d);
        return (
          isSwedishWorkingDay(n) &&
          n >= d &&
          nextWorkingDayOnOrAfter(n) === n &&
          (isSwedishWorkingDay(d) ? n === d : n > d)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('every day strictly between the raw day and the moved day is a non-working day', () => {
    fc.assert(
      fc.property(dayIndex, (i) => {
        const d = toDate(i);
        const n = nextWorkingDayOnOrAfter(d);
        for (let x = d; x < n; x = addDays(x, 1)) if (isSwedishWorkingDay(x)) return false;
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('periodLastDay is a working day on or after from+days, and at most a week later', () => {
    fc.assert(
      fc.property(dayIndex, fc.integer({ min: 0, max: 400 }), (i, days) => {
        const from = toDate(i);
        const raw = addDays(from, days);
        const last = periodLastDay(from, days);
        return isSwedishWorkingDay(last) && last >= raw && last <= addDays(raw, 7);
      }),
      { numRuns: 2000 },
    );
  });

  it('Saturdays and Sundays are never working days', () => {
    fc.assert(
      fc.property(dayIndex, (i) => {
        const d = toDate(i);
        const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
        return dow === 0 || dow === 6 ? !isSwedishWorkingDay(d) : true;
      }),
      { numRuns: 1000 },
    );
  });
});
