/**
 * Calendar-date arithmetic without holidays: light enough for workflow code. The Swedish
 * working-day rule (lag 1930:173 2 §) and the holiday calendar are in calendar.ts, which re-exports
 * everything here.
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

// --- time of day in Stockholm ---------------------------------------------------------------

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Stockholm',
  timeZoneName: 'longOffset',
});

/** Stockholm's UTC offset in minutes at an instant (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(instantMs: number): number {
  const name = offsetFormat.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0; // 'GMT' alone means offset zero
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The instant 23:59:59 Europe/Stockholm on `date`, as an ISO 8601 string with the local offset,
 * e.g. `2025-06-23T23:59:59+02:00` (CEST) or `2025-12-29T23:59:59+01:00` (CET). A period's last
 * day lasts until its end, so timers fire at this instant. DST changes happen at night, never at
 * 23:59, so the offset of that wall-clock time is unambiguous.
 */
export function endOfDayStockholmIso(date: IsoDate): string {
  const wallClockAsUtc = toUtcMs(date) + (23 * 3600 + 59 * 60 + 59) * 1000;
  let offset = stockholmOffsetMinutes(wallClockAsUtc - 60 * 60_000);
  offset = stockholmOffsetMinutes(wallClockAsUtc - offset * 60_000);
  return `${date}T23:59:59${formatOffset(offset)}`;
}

/** The calendar date in Stockholm at an instant (the day a notice "is sent", for the law's periods). */
export function stockholmDateOf(instantMs: number): IsoDate {
  return new Date(instantMs + stockholmOffsetMinutes(instantMs) * 60_000).toISOString().slice(0, 10);
}

const stockholmDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Sweden at an instant (ms since the epoch, or an ISO instant). */
export function stockholmDate(instant: number | string): IsoDate {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new InvalidDateError(instant);
  return stockholmDay.format(new Date(ms));
}
