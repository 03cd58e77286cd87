/**
 * Statutory and policy time limits of a tender. Every result names its basis.
 *
 * Periods "from" a day are counted from the day after it and a last day on a Saturday, Sunday,
 * public holiday, Midsummer Eve, Christmas Eve or New Year's Eve moves to the next working day
 * (lag 1930:173 1–2 §§). Limits counted BACKWARDS from a deadline ("at least six days before")
 * are not moved: 1930:173 only extends a period that ends on a holiday.
 *
 * Defaults marked (P) are organisation policy and are parameters; (L) are law.
 */
import { DEFAULT_POLICY_RULES } from './policy';
import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  endOfDayStockholmIso,
  InvalidDateError,
  isIsoDate,
  periodLastDay,
  WORKING_DAY_RULE,
} from './calendar';
import { DomainInputError } from './errors';
import type { IsoDate, Procedure, Regime } from './types';

export const DEADLINE_KINDS = [
  'tender_deadline',
  'request_deadline',
  'question_cutoff',
  'latest_answer',
  'standstill',
  'review_hold',
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

/** Policy defaults (P), overridable per organisation. */
/** (P) The policy's defaults where a caller gives no value; the organisation's own are pinned on each tender (policy.ts). */
export const POLICY_DEFAULTS = Object.freeze({
  /** Below threshold: "skälig tid", default 15 days. */
  reasonableTenderDays: DEFAULT_POLICY_RULES.reasonableTenderDays,
  /** Questions close this many days before the tender deadline. */
  questionCutoffDays: DEFAULT_POLICY_RULES.questionCutoffDays,
  /** Days added to every statutory minimum tender period (0 = the legal minimum). */
  policyExtraDays: 0,
});

export const STATUTORY = Object.freeze({
  answerDaysBeforeDeadline: 6, // 12 kap. 11 § LOU
  standstillElectronicDays: 10, // 20 kap. 1 § LOU
  standstillOtherDays: 15, // 20 kap. 1 § LOU
  reviewHoldDays: 10, // 20 kap. 10 § LOU
  postAwardNoticeDays: 30, // 10 kap. 4 § LOU
  documentationDays: 30, // 12 kap. 14 § LOU
  invalidityAfterNoticeDays: 30, // 20 kap. 18 § LOU
  invalidityAfterSigningMonths: 6, // 20 kap. 18 § LOU
  nationalRequestDays: 10, // 19 kap. 15 § LOU
  subCentralRestrictedTenderDays: 10, // 11 kap. 7 § LOU
});

function assertDate(date: unknown, field: string): asserts date is IsoDate {
  if (!isIsoDate(date)) throw new InvalidDateError(date === undefined ? `${field} (missing)` : date);
}

function forward(kind: DeadlineKind, from: IsoDate, days: number, basis: string): DeadlineResult {
  assertDate(from, 'from');
  const rawLastDay = addDays(from, days);
  const lastDay = periodLastDay(from, days);
  return {
    kind,
    from,
    days,
    lastDay,
    rawLastDay,
    moved: lastDay !== rawLastDay,
    endsAt: endOfDayStockholmIso(lastDay),
    basis: `${basis}; ${WORKING_DAY_RULE}`,
  };
}

function backward(kind: DeadlineKind, deadline: IsoDate, daysBefore: number, basis: string): DeadlineResult {
  assertDate(deadline, 'deadline');
  const day = addDays(deadline, -daysBefore);
  return { kind, from: deadline, days: -daysBefore, lastDay: day, rawLastDay: day, moved: false, endsAt: endOfDayStockholmIso(day), basis };
}

// --- tender and request periods ---------------------------------------------------------------

export interface TenderPeriodParams {
  regime: Regime;
  procedure: Procedure;
  /** Tenders may be submitted electronically (11 kap. 6 § LOU). Default true. */
  electronic?: boolean;
  /** A prior information notice was published in time (11 kap. 5 § LOU). */
  pin?: boolean;
  /** Urgency the authority can show (11 kap. 10 § LOU). */
  urgent?: boolean;
  /**
   * Restricted / negotiated with notice, sub-central authority: the tender period agreed with all
   * selected candidates, in days (11 kap. 7 § LOU). Without agreement the minimum is 10 days.
   */
  agreedWithCandidates?: number;
  /** The authority is sub-central (a region, municipality or their company). Default true. */
  subCentral?: boolean;
  /** (P) "skälig tid" where the law sets no number of days. Default 15. */
  reasonableDays?: number;
  /** (P) days added to the statutory minimum. Default 0. */
  policyExtraDays?: number;
}

export interface PeriodRule {
  days: number;
  basis: string;
}

function nonNegativeInt(n: number | undefined, fallback: number, field: string): number {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new DomainInputError(`${field} must be a whole number of days ≥ 0`, field);
  return v;
}

/** The shortest of the applicable statutory periods, with its paragraph. */
function shortest(candidates: Array<PeriodRule | false>): PeriodRule {
  const applicable = candidates.filter((c): c is PeriodRule => c !== false);
  return applicable.reduce((a, b) => (b.days < a.days ? b : a));
}

/**
 * The minimum tender period (anbudstid) in days from the day after the notice or invitation was
 * sent (11 kap. LOU above the threshold; 19 kap. 15 § LOU "skälig tid" below it).
 */
export function minimumTenderPeriod(params: TenderPeriodParams): PeriodRule {
  const { regime, procedure, electronic = true, pin = false, urgent = false, subCentral = true } = params;
  const reasonable = nonNegativeInt(params.reasonableDays, POLICY_DEFAULTS.reasonableTenderDays, 'reasonableDays');
  const extra = nonNegativeInt(params.policyExtraDays, POLICY_DEFAULTS.policyExtraDays, 'policyExtraDays');

  let rule: PeriodRule;
  if (procedure === 'direct_award') {
    rule = { days: 0, basis: '19 a kap. 1 § LOU (direktupphandling: ingen lagstadgad anbudstid)' };
  } else if (procedure === 'call_off') {
    rule = { days: reasonable, basis: `7 kap. LOU (förnyad konkurrensutsättning: skälig tid; organisationens standard ${reasonable} dagar)` };
  } else if (regime !== 'eu' || procedure === 'simplified' || procedure === 'selective') {
    rule = { days: reasonable, basis: `19 kap. 15 § LOU (skälig tid; organisationens standard ${reasonable} dagar)` };
  } else if (procedure === 'open') {
    rule = shortest([
      { days: 35, basis: '11 kap. 2 § LOU' },
      electronic && { days: 30, basis: '11 kap. 2 och 6 §§ LOU (elektroniska anbud)' },
      pin && { days: 15, basis: '11 kap. 5 § LOU (förhandsannons)' },
      urgent && { days: 15, basis: '11 kap. 10 § LOU (brådskande skäl)' },
    ]);
  } else if (procedure === 'restricted' || procedure === 'negotiated_with_notice') {
    if (subCentral) {
      const agreed = params.agreedWithCandidates;
      rule =
        agreed !== undefined
          ? { days: nonNegativeInt(agreed, 0, 'agreedWithCandidates'), basis: '11 kap. 7 § LOU (tidsfrist enligt överenskommelse med anbudssökandena)' }
          : { days: STATUTORY.subCentralRestrictedTenderDays, basis: '11 kap. 7 § LOU (ingen överenskommelse: minst 10 dagar)' };
    } else {
      rule = shortest([
        { days: 30, basis: '11 kap. 4 § LOU' },
        electronic && { days: 25, basis: '11 kap. 4 och 6 §§ LOU (elektroniska anbud)' },
        pin && { days: 10, basis: '11 kap. 5 § LOU (förhandsannons)' },
        urgent && { days: 10, basis: '11 kap. 10 § LOU (brådskande skäl)' },
      ]);
    }
  } else {
    // Competitive dialogue, innovation partnership, negotiated without notice: no number of
    // days in the law for the tenders, only a reasonable time.
    rule = { days: reasonable, basis: `11 kap. 1 § LOU (skälig tid; organisationens standard ${reasonable} dagar)` };
  }
  if (extra > 0 && rule.days > 0) {
    return { days: rule.days + extra, basis: `${rule.basis} + ${extra} dagar enligt organisationens policy` };
  }
  return rule;
}

export interface RequestPeriodParams {
  regime: Regime;
  procedure: Procedure;
  urgent?: boolean;
  /** (P) below threshold; never shorter than 10 days (19 kap. 15 § LOU). */
  nationalRequestDays?: number;
}

/**
 * The minimum period for requests to participate (anbudsansökningar), or null when the
 * procedure has no request stage.
 */
export function requestPeriod(params: RequestPeriodParams): PeriodRule | null {
  const { regime, procedure, urgent = false } = params;
  if (regime === 'eu') {
    if (procedure === 'restricted' || procedure === 'negotiated_with_notice') {
      return urgent ? { days: 15, basis: '11 kap. 10 § LOU (brådskande skäl)' } : { days: 30, basis: '11 kap. 3 § LOU' };
    }
    if (procedure === 'competitive_dialogue' || procedure === 'innovation_partnership') {
      return { days: 30, basis: '11 kap. 3 § LOU' };
    }
  }
  if (procedure === 'selective') {
    const days = Math.max(
      STATUTORY.nationalRequestDays,
      nonNegativeInt(params.nationalRequestDays, STATUTORY.nationalRequestDays, 'nationalRequestDays'),
    );
    return { days, basis: '19 kap. 15 § LOU (minst 10 dagar)' };
  }
  return null;
}

/** The earliest tender deadline for a notice/invitation sent on `sentDate`. */
export function earliestTenderDeadline(sentDate: IsoDate, params: TenderPeriodParams): DeadlineResult {
  const rule = minimumTenderPeriod(params);
  return forward('tender_deadline', sentDate, rule.days, rule.basis);
}

/** The earliest deadline for requests to participate; throws when the procedure has none. */
export function earliestRequestDeadline(sentDate: IsoDate, params: RequestPeriodParams): DeadlineResult {
  const rule = requestPeriod(params);
  if (!rule) throw new DomainInputError(`procedure ${params.procedure} has no request stage`, 'procedure');
  return forward('request_deadline', sentDate, rule.days, rule.basis);
}

// --- questions and answers ----------------------------------------------------------------------

/** (P) The last day for questions: `policyDays` before the tender deadline. */
export function questionCutoff(deadline: IsoDate, policyDays: number = POLICY_DEFAULTS.questionCutoffDays): DeadlineResult {
  const days = nonNegativeInt(policyDays, POLICY_DEFAULTS.questionCutoffDays, 'policyDays');
  return backward(
    'question_cutoff',
    deadline,
    days,
    `organisationens policy: frågor senast ${days} dagar före sista anbudsdag (jfr 12 kap. 11 § LOU)`,
  );
}

/** The last day an answer (kompletterande upplysning) may be sent: six days before the deadline (12 kap. 11 § LOU). */
export function latestAnswerDate(deadline: IsoDate): DeadlineResult {
  return backward('latest_answer', deadline, STATUTORY.answerDaysBeforeDeadline, '12 kap. 11 § LOU (senast sex dagar före sista anbudsdag)');
}

/** True when an answer sent on `answerDate` is too late for `deadline`, which must then be extended. */
export function answerForcesExtension(answerDate: IsoDate, deadline: IsoDate): boolean {
  assertDate(answerDate, 'answerDate');
  return compareDates(answerDate, latestAnswerDate(deadline).lastDay) > 0;
}

/** The earliest deadline that an answer sent on `answerDate` still respects (12 kap. 11 § LOU). */
export function minimumDeadlineAfterAnswer(answerDate: IsoDate): IsoDate {
  assertDate(answerDate, 'answerDate');
  return addDays(answerDate, STATUTORY.answerDaysBeforeDeadline);
}

// --- after the award decision -------------------------------------------------------------------

export type NoticeChannel = 'electronic' | 'other';

/**
 * Last day of the standstill (avtalsspärr) after the award notice was sent: 10 days when sent
 * electronically, 15 otherwise (20 kap. 1 § LOU). The contract may be signed the day after.
 */
export function standstillEnd(sentDate: IsoDate, notice: NoticeChannel): DeadlineResult {
  if (notice !== 'electronic' && notice !== 'other') throw new DomainInputError("notice must be 'electronic' or 'other'", 'notice');
  const days = notice === 'electronic' ? STATUTORY.standstillElectronicDays : STATUTORY.standstillOtherDays;
  return forward('standstill', sentDate, days, `20 kap. 1 § LOU (avtalsspärr ${days} dagar, underrättelse ${notice === 'electronic' ? 'elektroniskt' : 'på annat sätt'})`);
}

/** Last day of the extended standstill after the court decided a review: 10 days (20 kap. 10 § LOU). */
export function reviewHoldEnd(rulingDate: IsoDate): DeadlineResult {
  return forward('review_hold', rulingDate, STATUTORY.reviewHoldDays, '20 kap. 10 § LOU (förlängd avtalsspärr tio dagar efter rättens avgörande)');
}

/** Last day to send the contract award notice (efterannons): 30 days after the contract was concluded (10 kap. 4 § LOU). */
export function postAwardNoticeDue(signedDate: IsoDate): DeadlineResult {
  return forward('post_award_notice', signedDate, STATUTORY.postAwardNoticeDays, '10 kap. 4 § LOU (efterannons senast 30 dagar efter att kontraktet ingicks)');
}

/**
 * Last day to complete the documentation / individual report: 30 days after the contract was
 * concluded or the procurement cancelled (12 kap. 14 § LOU; below the threshold 19 kap. LOU).
 */
export function documentationDue(date: IsoDate): DeadlineResult {
  return forward('documentation', date, STATUTORY.documentationDays, '12 kap. 14 § LOU (dokumentation senast 30 dagar efter avtal eller avbrytande)');
}

export interface InvalidityParams {
  signedDate: IsoDate;
  /** The day a notice of the concluded contract was published or tenderers were informed, if any. */
  noticeDate?: IsoDate;
}

/**
 * Until when a court may be asked to declare the contract invalid (ogiltighet): 30 days after a
 * notice of the concluded contract, otherwise six months after signing (20 kap. 18 § LOU).
 */
export function invalidityExposure(params: InvalidityParams): DeadlineResult {
  assertDate(params.signedDate, 'signedDate');
  if (params.noticeDate !== undefined) {
    return forward('invalidity', params.noticeDate, STATUTORY.invalidityAfterNoticeDays, '20 kap. 18 § LOU, första stycket (30 dagar efter annons/underrättelse om att avtal slutits)');
  }
  const days = daysBetween(params.signedDate, addMonths(params.signedDate, STATUTORY.invalidityAfterSigningMonths));
  return forward('invalidity', params.signedDate, days, '20 kap. 18 § LOU, andra stycket (sex månader från det att avtalet slöts); lag (1930:173) 1 §');
}

// --- the calculator behind GET /reference/deadlines -----------------------------------------

export interface ComputeDeadlineParams {
  /** The day counted from (sent/signed/ruling date), or for question_cutoff/latest_answer the tender deadline. */
  from: IsoDate;
  /** period: length in days. */
  days?: number;
  /** standstill */
  notice?: NoticeChannel;
  /** invalidity: notice of the concluded contract */
  noticeDate?: IsoDate;
  /** tender_deadline / request_deadline */
  regime?: Regime;
  procedure?: Procedure;
  electronic?: boolean;
  pin?: boolean;
  urgent?: boolean;
  agreedWithCandidates?: number;
  subCentral?: boolean;
  reasonableDays?: number;
  policyExtraDays?: number;
  nationalRequestDays?: number;
  /** question_cutoff */
  policyDays?: number;
}

function need<T>(value: T | undefined, field: string, kind: DeadlineKind): T {
  if (value === undefined) throw new DomainInputError(`${field} is required for kind=${kind}`, field);
  return value;
}

/** One entry point for every kind of deadline; the HTTP calculator calls this. */
export function computeDeadline(kind: DeadlineKind, params: ComputeDeadlineParams): DeadlineResult {
  assertDate(params.from, 'from');
  switch (kind) {
    case 'tender_deadline':
      return earliestTenderDeadline(params.from, {
        regime: need(params.regime, 'regime', kind),
        procedure: need(params.procedure, 'procedure', kind),
        electronic: params.electronic,
        pin: params.pin,
        urgent: params.urgent,
        agreedWithCandidates: params.agreedWithCandidates,
        subCentral: params.subCentral,
        reasonableDays: params.reasonableDays,
        policyExtraDays: params.policyExtraDays,
      });
    case 'request_deadline':
      return earliestRequestDeadline(params.from, {
        regime: need(params.regime, 'regime', kind),
        procedure: need(params.procedure, 'procedure', kind),
        urgent: params.urgent,
        nationalRequestDays: params.nationalRequestDays,
      });
    case 'question_cutoff':
      return questionCutoff(params.from, params.policyDays);
    case 'latest_answer':
      return latestAnswerDate(params.from);
    case 'standstill':
      return standstillEnd(params.from, params.notice ?? 'electronic');
    case 'review_hold':
      return reviewHoldEnd(params.from);
    case 'post_award_notice':
      return postAwardNoticeDue(params.from);
    case 'documentation':
      return documentationDue(params.from);
    case 'invalidity':
      return invalidityExposure({ signedDate: params.from, noticeDate: params.noticeDate });
    case 'period': {
      const days = nonNegativeInt(need(params.days, 'days', kind), 0, 'days');
      return forward('period', params.from, days, 'lag (1930:173) 1 § (dagen då tiden börjar räknas medräknas inte)');
    }
    default: {
      const unknown: never = kind;
      throw new DomainInputError(`unknown deadline kind ${String(unknown)}; one of ${DEADLINE_KINDS.join(', ')}`, 'kind');
    }
  }
}
