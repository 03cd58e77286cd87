/**
 * Swedish calendar arithmetic for statutory time limits.
 *
 * Dates are `YYYY-MM-DD` strings meaning a calendar day in Sweden. All arithmetic is done on
 * UTC midnights of those days, so daylight-saving changes can never shift a date.
 *
 * A period of a number of days "from" a day does not count that day, so its last day is
 * `from + days` (Regulation (EEC, Euratom) No 1182/71 art. 3.1, applied to LOU's time limits by
 * prop. 2015/16:195 p. 1059; lag 1930:173 1 § is about periods of weeks, months and years).
 * Lag (1930:173) om beräkning av lagstadgad tid:
 *  - 2 §: when the last day falls on a Saturday, Sunday or other public holiday (allmän helgdag),
 *    Midsummer Eve, Christmas Eve or New Year's Eve, the period ends on the next working day.
 *
 * Public holidays (lag 1989:253 om allmänna helgdagar) come from the maintained `date-holidays`
 * calendar ('SE', type 'public'). That library classes the three eves as 'bank' and Easter
 * Saturday, Whitsun Eve and Whit Monday as 'observance'; the eves are added here by their legal
 * definition (not by name and not per year), the others are deliberately NOT added: Easter
 * Saturday and Whitsun Eve are Saturdays anyway, and Whit Monday has been an ordinary working day
 * since 2005 (National Day, 6 June, replaced it).
 */
import Holidays from 'date-holidays';
import { addDays, dayOfWeek, fromUtcMs } from './dates';
import type { IsoDate } from './types';

// The day arithmetic needs no holidays and lives in ./dates, which workflow code may import too.
export * from './dates';

export const WORKING_DAY_RULE = 'lag (1930:173) om beräkning av lagstadgad tid, 2 §';

// --- holidays -------------------------------------------------------------------------------

export type NonWorkingReason =
  'saturday' | 'sunday' | 'public_holiday' | 'midsummer_eve' | 'christmas_eve' | 'new_years_eve';

const calendar = new Holidays('SE');
/** Per-year cache; a pure function of the year, so memoising does not change results. */
const yearCache = new Map<number, Map<IsoDate, NonWorkingReason>>();

/** Midsummer Day is the Saturday 20–26 June (lag 1989:253); the eve is the Friday before it. */
function midsummerEve(year: number): IsoDate {
  for (let day = 19; day <= 25; day++) {
    const iso = fromUtcMs(Date.UTC(year, 5, day));
    if (dayOfWeek(iso) === 5) return iso;
  }
  /* istanbul ignore next -- some Friday always falls in a 7-day window */
  throw new Error(`no Friday 19–25 June ${year}`);
}

function nonWorkingDaysOf(year: number): Map<IsoDate, NonWorkingReason> {
  let days = yearCache.get(year);
  if (days) return days;
  days = new Map();
  for (const h of calendar.getHolidays(year)) {
    if (h.type === 'public') days.set(h.date.slice(0, 10), 'public_holiday');
  }
  // Added by their definition in lag 1930:173 2 §, whatever type the library gives them.
  days.set(midsummerEve(year), 'midsummer_eve');
  days.set(`${year}-12-24`, 'christmas_eve');
  days.set(`${year}-12-31`, 'new_years_eve');
  yearCache.set(year, days);
  return days;
}

/**
 * Why `date` is not a working day under lag (1930:173) 2 §, or null when it is one.
 * Weekends are reported before holidays (a holiday on a Sunday is reported as 'sunday').
 */
export function nonWorkingReason(date: IsoDate): NonWorkingReason | null {
  const dow = dayOfWeek(date);
  if (dow === 6) return 'saturday';
  if (dow === 0) return 'sunday';
  return nonWorkingDaysOf(Number(date.slice(0, 4))).get(date) ?? null;
}

/** A day on which a statutory period may end (lag 1930:173 2 §). */
export function isSwedishWorkingDay(date: IsoDate): boolean {
  return nonWorkingReason(date) === null;
}

/** `date` itself if it is a working day, otherwise the next working day. */
export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let d = date;
  // The longest run of non-working days in Sweden is well under two weeks; the bound guards
  // against a corrupt calendar rather than a real case.
  for (let i = 0; i < 31; i++) {
    if (isSwedishWorkingDay(d)) return d;
    d = addDays(d, 1);
  }
  throw new Error(`no working day within 31 days of ${date}`);
}

/**
 * The last day of a period of `days` days counted from the day after `from` (the event's day is not
 * counted: Regulation (EEC, Euratom) No 1182/71 art. 3.1),
 * moved to the next working day when it falls on a Saturday, Sunday, public holiday, Midsummer
 * Eve, Christmas Eve or New Year's Eve (lag 1930:173 2 §).
 */
export function periodLastDay(from: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`period length must be a whole number of days ≥ 0, got ${days}`);
  return nextWorkingDayOnOrAfter(addDays(from, days));
}
