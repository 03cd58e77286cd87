/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings (a day in Sweden), on UTC midnights so that
 * daylight-saving changes never shift a date. Pure and deterministic, with no holiday calendar:
 * workflow code may import it (test/unit/workflow-imports.spec.ts). Working days are calendar.ts's.
 */
import type { IsoDate } from './types';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Thrown for a malformed date; the API maps it to 400. */
export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  constructor(readonly value: unknown) {
    super(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(value)}`);
  }
}

export function toUtcMs(date: IsoDate): number {
  const m = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (!m) throw new InvalidDateError(date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InvalidDateError(date);
  }
  return ms;
}

export function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True when `date` is a valid `YYYY-MM-DD` calendar date. */
export function isIsoDate(date: unknown): date is IsoDate {
  try {
    toUtcMs(date as IsoDate);
    return true;
  } catch {
    return false;
  }
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(date) + n * MS_PER_DAY);
}

/**
 * `date` plus `n` months. A day number missing in the target month becomes that month's last day
 * (lag 1930:173 1 § andra stycket: a period of months ends on the day with the same number, or the
 * month's last day when there is none).
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addMonths: n must be an integer, got ${n}`);
  const d = new Date(toUtcMs(date));
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)));
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / MS_PER_DAY);
}

/** -1, 0 or 1, for sorting and comparing dates. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  const d = toUtcMs(a) - toUtcMs(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

const stockholmDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Sweden at an instant (ms since the epoch, or an ISO instant). */
export function stockholmDate(instant: number | string): IsoDate {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new InvalidDateError(instant);
  return stockholmDay.format(new Date(ms));
}
