/**
 * Who holds a function on a day, and who stands in for whom (issue 29): the delegation order
 * delegates to functions (upphandlingschef, förvaltningschef, …), people hold functions for a
 * period, and a person's recorded absence names a substitute. Pure and deterministic: dates are
 * calendar days `YYYY-MM-DD`, every period includes both its first and its last day, so the ISO
 * strings compare as the days they name.
 */
import type { IsoDate } from './types';

/** A function code: lower-case, as the directory and the delegation order name it (`upphandlingschef`). */
export const FUNCTION_CODE = /^[a-z][a-z0-9_-]{1,63}$/;

/** A person's holding of a function: from `validFrom` to `validTo` (both included; open-ended without it). */
export interface PersonFunction {
  sub: string;
  code: string;
  validFrom: IsoDate;
  validTo?: IsoDate | null;
}

/** A person's absence from `from` to `to` (both included), with the person standing in, when named. */
export interface Absence {
  sub: string;
  from: IsoDate;
  to: IsoDate;
  substitute?: string | null;
}

/** The day falls in the period (its ends included; no end means open). */
export function within(date: IsoDate, from: IsoDate, to?: IsoDate | null): boolean {
  return from <= date && (to === undefined || to === null || date <= to);
}

/** Two periods share at least one day. */
export function overlaps(a: { from: IsoDate; to: IsoDate }, b: { from: IsoDate; to: IsoDate }): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** The person is absent on the day. */
export function isAbsent(sub: string, date: IsoDate, absences: readonly Absence[]): boolean {
  return absences.some((a) => a.sub === sub && within(date, a.from, a.to));
}

/** The people who hold the function on the day, absent or not, each once, in order of sub. */
export function holdersOn(functionCode: string, date: IsoDate, personFunctions: readonly PersonFunction[]): string[] {
  const subs = personFunctions
    .filter((f) => f.code === functionCode && within(date, f.validFrom, f.validTo))
    .map((f) => f.sub);
  return [...new Set(subs)].sort();
}

/** The people who hold the function on the day and are not absent then. */
export function presentHolders(
  functionCode: string,
  date: IsoDate,
  personFunctions: readonly PersonFunction[],
  absences: readonly Absence[],
): string[] {
  return holdersOn(functionCode, date, personFunctions).filter((sub) => !isAbsent(sub, date, absences));
}

/** Who stands in for whom on the day: each absence that covers the day and names a substitute, by absent sub. */
export function substitutesOn(date: IsoDate, absences: readonly Absence[]): { absent: string; substitute: string }[] {
  return absences
    .filter((a) => within(date, a.from, a.to) && a.substitute)
    .map((a) => ({ absent: a.sub, substitute: a.substitute as string }))
    .sort((x, y) => (x.absent < y.absent ? -1 : x.absent > y.absent ? 1 : 0));
}
