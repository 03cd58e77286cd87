/**
 * The time limits that need no holiday calendar: the statutory and policy day counts, and the
 * limits counted BACKWARDS from a deadline ("at least six days before"), which lag (1930:173)
 * never moves. Pure date arithmetic (./dates), so workflow code may import it; deadlines.ts
 * re-exports everything here and adds the periods that end on a working day.
 */
import { answerDays } from './accelerated';
import { addDays, compareDates, endOfDayStockholmIso, InvalidDateError, isIsoDate } from './dates';
import { DomainInputError } from './errors';
import { DEFAULT_POLICY_RULES } from './policy';
import type { IsoDate } from './types';

export const DEADLINE_KINDS = [
  'tender_deadline',
  'request_deadline',
  'question_cutoff',
  'latest_answer',
  'standstill',
  'review_hold',
  'ex_ante_wait',
  'post_award_notice',
  'documentation',
  'invalidity',
  'period',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface DeadlineResult {
  kind: DeadlineKind;
  /** The day the period is counted from (not itself counted), or the deadline counted back from. */
  from: IsoDate;
  /** Length in days; negative when counted back from `from`. */
  days: number;
  /** The last day of the period after the working-day rule (when it applies). */
  lastDay: IsoDate;
  /** `from + days` before the working-day rule. */
  rawLastDay: IsoDate;
  /** True when the working-day rule moved the last day. */
  moved: boolean;
  /** End of `lastDay` in Stockholm, for timers. */
  endsAt: string;
  basis: string;
}

/** (P) The policy's defaults where a caller gives no value; the organisation's own are pinned on each tender (policy.ts). */
export const POLICY_DEFAULTS = Object.freeze({
  /** Below threshold and bilaga 2: "skälig tid" (19 kap. 11 § LOU), default 15 days for tenders. */
  reasonableTenderDays: DEFAULT_POLICY_RULES.reasonableTenderDays,
  /** Below threshold and bilaga 2, two stages: "skälig tid" for requests to participate, default 10 days. */
  nationalRequestDays: 10,
  /** Questions close this many days before the tender deadline. */
  questionCutoffDays: DEFAULT_POLICY_RULES.questionCutoffDays,
  /** Days added to every statutory minimum tender period (0 = the legal minimum). */
  policyExtraDays: 0,
  /**
   * Documentation (and the individual report) complete within 30 days of the contract or the
   * cancellation: 12 kap. 14 och 16 §§, 19 kap. 22 §, 19 a kap. 11 § LOU (SFS 2023:815).
   */
  documentationDays: 30,
});

/** Statutory day counts; the answer period of 12 kap. 11 § is answerDays() (accelerated.ts), defined once. */
export const STATUTORY = Object.freeze({
  standstillElectronicDays: 10, // 20 kap. 1 § LOU
  standstillOtherDays: 15, // 20 kap. 1 § LOU
  reviewHoldDays: 10, // 20 kap. 10 § LOU
  exAnteWaitDays: 10, // 20 kap. 3 § LOU
  postAwardNoticeDays: 30, // 10 kap. 4 §, 19 kap. 7 §, 19 a kap. 13 § LOU
  invalidityAfterNoticeDays: 30, // 20 kap. 17 § andra stycket LOU
  invalidityAfterSigningMonths: 6, // 20 kap. 17 § första stycket LOU
  subCentralRestrictedTenderDays: 10, // 11 kap. 7 § LOU
  /** Documents not available electronically: five more days (11 kap. 9 § LOU). */
  nonElectronicDocumentsExtraDays: 5,
});

const ANSWER_BASIS = '12 kap. 11 § LOU (senast sex dagar före sista anbudsdag)';
const ANSWER_BASIS_URGENT =
  '12 kap. 11 § andra stycket LOU (vid påskyndat förfarande enligt 11 kap. 10 §: senast fyra dagar före sista anbudsdag)';
export function assertDate(date: unknown, field: string): asserts date is IsoDate {
  if (!isIsoDate(date)) throw new InvalidDateError(date === undefined ? `${field} (missing)` : date);
}

export function nonNegativeInt(n: number | undefined, fallback: number, field: string): number {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new DomainInputError(`${field} must be a whole number of days ≥ 0`, field);
  return v;
}

export function backward(kind: DeadlineKind, deadline: IsoDate, daysBefore: number, basis: string): DeadlineResult {
  assertDate(deadline, 'deadline');
  const day = addDays(deadline, -daysBefore);
  return {
    kind,
    from: deadline,
    days: -daysBefore,
    lastDay: day,
    rawLastDay: day,
    moved: false,
    endsAt: endOfDayStockholmIso(day),
    basis,
  };
}

// --- questions and answers ----------------------------------------------------------------------

/** (P) The last day for questions: `policyDays` before the tender deadline. */
export function questionCutoff(
  deadline: IsoDate,
  policyDays: number = POLICY_DEFAULTS.questionCutoffDays,
): DeadlineResult {
  const days = nonNegativeInt(policyDays, POLICY_DEFAULTS.questionCutoffDays, 'policyDays');
  return backward(
    'question_cutoff',
    deadline,
    days,
    `organisationens policy: frågor senast ${days} dagar före sista anbudsdag (jfr 12 kap. 11 § LOU)`,
  );
}

/**
 * The last day an answer (kompletterande upplysning) may be sent: six days before the deadline, four
 * under urgency (12 kap. 11 § LOU). Counted back from the deadline and never moved.
 */
export function latestAnswerDate(deadline: IsoDate, urgent = false): DeadlineResult {
  return backward('latest_answer', deadline, answerDays(urgent), urgent ? ANSWER_BASIS_URGENT : ANSWER_BASIS);
}

/** True when an answer sent on `answerDate` is too late for `deadline`, which must then be extended. */
export function answerForcesExtension(answerDate: IsoDate, deadline: IsoDate, urgent = false): boolean {
  assertDate(answerDate, 'answerDate');
  return compareDates(answerDate, latestAnswerDate(deadline, urgent).lastDay) > 0;
}

/** The earliest deadline that an answer sent on `answerDate` still respects (12 kap. 11 § LOU). */
export function minimumDeadlineAfterAnswer(answerDate: IsoDate, urgent = false): IsoDate {
  assertDate(answerDate, 'answerDate');
  return addDays(answerDate, answerDays(urgent));
}
