/**
 * Statutory and policy time limits of a tender. Every result names its basis.
 *
 * Periods "from" a day are counted from the day after it (the day of the event is not counted:
 * Council Regulation (EEC, Euratom) No 1182/71 art. 3.1, which the preparatory works apply to every
 * time limit of LOU, prop. 2015/16:195 p. 1059) and a last day on a Saturday, Sunday, public holiday,
 * Midsummer Eve, Christmas Eve or New Year's Eve moves to the next working day (lag 1930:173 2 §,
 * which 20 kap. 18 § LOU applies to the standstill and the review periods; art. 3.4 of the regulation
 * for the others). Limits counted BACKWARDS from a deadline ("at least six days before")
 * are not moved: 1930:173 only extends a period that ends on a holiday.
 *
 * Defaults marked (P) are organisation policy and are parameters; (L) are law.
 */
import { addDays, addMonths, daysBetween, endOfDayStockholmIso, periodLastDay, WORKING_DAY_RULE } from './calendar';
import { DomainInputError } from './errors';
import type { IsoDate, NoticeChannel, Procedure, Regime } from './types';
import {
  assertDate,
  DEADLINE_KINDS,
  latestAnswerDate,
  nonNegativeInt,
  POLICY_DEFAULTS,
  questionCutoff,
  STATUTORY,
  type DeadlineKind,
  type DeadlineResult,
} from './time-limits';

// The limits that need no holiday calendar live in ./time-limits, which workflow code may import too.
export * from './time-limits';

const NON_ELECTRONIC_BASIS =
  '11 kap. 9 § LOU (upphandlingsdokumenten görs inte tillgängliga med elektroniska medel: tidsfristen förlängs med fem dagar)';

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
  /** Bilaga 2 services: 19 kap. applies ("skälig tid") at any value, not the 11 kap. minimum periods. */
  annex2?: boolean;
  /** The procurement documents are not available electronically: five more days (EU procedures). */
  documentsNotElectronic?: boolean;
}

export interface PeriodRule {
  days: number;
  basis: string;
}

function positiveInt(n: number | undefined, fallback: number, field: string, why: string): number {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new DomainInputError(`${field} must be a whole number of days ≥ 1: ${why}`, field);
  return v;
}

const REASONABLE_TIME = (days: number) => `19 kap. 11 § LOU (skälig tid; organisationens standard ${days} dagar)`;

/** The shortest of the applicable statutory periods, with its paragraph. */
function shortest(candidates: Array<PeriodRule | false>): PeriodRule {
  const applicable = candidates.filter((c): c is PeriodRule => c !== false);
  return applicable.reduce((a, b) => (b.days < a.days ? b : a));
}

/**
 * The minimum tender period (anbudstid) in days from the day after the notice or invitation was
 * sent: 11 kap. LOU above the threshold; "skälig tid" (19 kap. 11 § LOU) below it and for bilaga 2
 * services at any value, where the number of days is the organisation's policy.
 */
export function minimumTenderPeriod(params: TenderPeriodParams): PeriodRule {
  const {
    regime,
    procedure,
    electronic = true,
    pin = false,
    urgent = false,
    subCentral = true,
    annex2 = false,
  } = params;
  const reasonable = positiveInt(
    params.reasonableDays,
    POLICY_DEFAULTS.reasonableTenderDays,
    'reasonableDays',
    'a reasonable time is never zero days',
  );
  const extra = nonNegativeInt(params.policyExtraDays, POLICY_DEFAULTS.policyExtraDays, 'policyExtraDays');

  let rule: PeriodRule;
  let statutory = false;
  if (procedure === 'direct_award') {
    rule = { days: 0, basis: '19 a kap. LOU (direktupphandling: ingen lagstadgad anbudstid)' };
  } else if (regime === 'direct') {
    // An advertised or negotiated direct award (LOU-2026.3): 19 a kap. sets no time limit; the
    // principles apply to direct awards (19 a kap. 8 §), so suppliers get the policy's reasonable time.
    rule = {
      days: reasonable,
      basis: `19 a kap. 8 § LOU (direktupphandling: de grundläggande principerna; organisationens skäliga tid ${reasonable} dagar)`,
    };
  } else if (procedure === 'call_off') {
    rule = {
      days: reasonable,
      basis: `7 kap. LOU (förnyad konkurrensutsättning: skälig tid; organisationens standard ${reasonable} dagar)`,
    };
  } else if (regime !== 'eu' || annex2 || procedure === 'simplified' || procedure === 'selective') {
    rule = { days: reasonable, basis: REASONABLE_TIME(reasonable) };
  } else if (procedure === 'open') {
    statutory = true;
    rule = shortest([
      { days: 35, basis: '11 kap. 2 § LOU' },
      electronic && { days: 30, basis: '11 kap. 2 och 6 §§ LOU (elektroniska anbud)' },
      pin && { days: 15, basis: '11 kap. 5 § LOU (förhandsannons)' },
      urgent && { days: 15, basis: '11 kap. 10 § LOU (brådskande skäl)' },
    ]);
  } else if (procedure === 'restricted' || procedure === 'negotiated_with_notice') {
    statutory = true;
    if (subCentral) {
      const agreed = params.agreedWithCandidates;
      rule =
        agreed !== undefined
          ? {
              days: positiveInt(
                agreed,
                1,
                'agreedWithCandidates',
                'a tender period agreed with the candidates (11 kap. 7 § LOU) is at least one day',
              ),
              basis: '11 kap. 7 § LOU (tidsfrist enligt överenskommelse med anbudssökandena)',
            }
          : {
              days: STATUTORY.subCentralRestrictedTenderDays,
              basis: '11 kap. 7 § LOU (ingen överenskommelse: minst 10 dagar)',
            };
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
  if (statutory && params.documentsNotElectronic) {
    rule = {
      days: rule.days + STATUTORY.nonElectronicDocumentsExtraDays,
      basis: `${rule.basis} + 5 dagar: ${NON_ELECTRONIC_BASIS}`,
    };
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
  /** (P) below the threshold and for bilaga 2: "skälig tid" for requests, default 10 days. */
  nationalRequestDays?: number;
  annex2?: boolean;
}

const TWO_STAGE: readonly Procedure[] = [
  'restricted',
  'negotiated_with_notice',
  'competitive_dialogue',
  'innovation_partnership',
  'selective',
];

/**
 * The minimum period for requests to participate (anbudsansökningar), or null when the
 * procedure has no request stage.
 */
export function requestPeriod(params: RequestPeriodParams): PeriodRule | null {
  const { regime, procedure, urgent = false, annex2 = false } = params;
  if (!TWO_STAGE.includes(procedure)) return null;
  if (regime === 'eu' && !annex2 && procedure !== 'selective') {
    if (procedure === 'restricted' || procedure === 'negotiated_with_notice') {
      return urgent
        ? { days: 15, basis: '11 kap. 10 § LOU (brådskande skäl)' }
        : { days: 30, basis: '11 kap. 3 § LOU' };
    }
    return { days: 30, basis: '11 kap. 3 § LOU' };
  }
  // 19 kap. 11 § LOU: a reasonable time; the law sets no number of days (the pre-2022 floor of
  // 10 days for urvalsförfarande is gone), so the days are the organisation's policy.
  const days = positiveInt(
    params.nationalRequestDays,
    POLICY_DEFAULTS.nationalRequestDays,
    'nationalRequestDays',
    'a reasonable time is never zero days',
  );
  return { days, basis: REASONABLE_TIME(days) };
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

// --- after the award decision -------------------------------------------------------------------

/**
 * Last day of the standstill (avtalsspärr) after the award notice was sent: 10 days when sent
 * electronically, 15 otherwise (20 kap. 1 § LOU). The contract may be signed the day after.
 */
export function standstillEnd(sentDate: IsoDate, notice: NoticeChannel): DeadlineResult {
  if (notice !== 'electronic' && notice !== 'other')
    throw new DomainInputError("notice must be 'electronic' or 'other'", 'notice');
  const days = notice === 'electronic' ? STATUTORY.standstillElectronicDays : STATUTORY.standstillOtherDays;
  return forward(
    'standstill',
    sentDate,
    days,
    `20 kap. 1 § LOU (avtalsspärr ${days} dagar, underrättelse ${notice === 'electronic' ? 'elektroniskt' : 'på annat sätt'})`,
  );
}

/** Last day of the extended standstill after the court decided a review: 10 days (20 kap. 10 § LOU). */
export function reviewHoldEnd(rulingDate: IsoDate): DeadlineResult {
  return forward(
    'review_hold',
    rulingDate,
    STATUTORY.reviewHoldDays,
    '20 kap. 10 § LOU (förlängd avtalsspärr tio dagar efter rättens avgörande)',
  );
}

/**
 * Last day of the wait after a voluntary ex-ante transparency notice (annons om avsikt, 10 kap. 5 §
 * or 19 a kap. 9 § LOU): no contract "förrän 10 dagar har gått från det att annonsen publicerats"
 * (20 kap. 3 § LOU), an avtalsspärr, so the working-day rule applies (20 kap. 18 § LOU). The
 * contract may be signed the day after. Kept, it protects the contract against invalidity
 * (20 kap. 15 § 4 LOU).
 */
export function exAnteWaitEnd(publishedDate: IsoDate): DeadlineResult {
  return forward(
    'ex_ante_wait',
    publishedDate,
    STATUTORY.exAnteWaitDays,
    '20 kap. 3 § LOU (avtal får inte ingås förrän 10 dagar har gått från att annonsen om avsikt publicerades; skyddar mot ogiltighet, 20 kap. 15 § 4)',
  );
}

/**
 * Last day to send the contract award notice (efterannons), per regime:
 * - eu: 30 days after the contract was concluded (10 kap. 4 § LOU);
 * - national: 30 days too (19 kap. 7 § LOU); no value exception (an advertised purchase below the
 *   direct-award limit is a direct award, under 19 a kap.);
 * - direct: from 700 000 SEK a direct award is post-advertised in a registered advertising database
 *   within 30 days of the contract (19 a kap. 13–14 §§ LOU).
 * A call-off from a framework agreement has none (10 kap. 4 § tredje stycket LOU).
 */
export function postAwardNoticeDue(signedDate: IsoDate, regime: Regime = 'eu'): DeadlineResult {
  switch (regime) {
    case 'eu':
      return forward(
        'post_award_notice',
        signedDate,
        STATUTORY.postAwardNoticeDays,
        '10 kap. 4 § LOU (efterannons senast 30 dagar efter att kontraktet ingicks)',
      );
    case 'national':
      return forward(
        'post_award_notice',
        signedDate,
        STATUTORY.postAwardNoticeDays,
        '19 kap. 7 § LOU (efterannons senast 30 dagar efter att avtalet ingicks)',
      );
    case 'direct':
      return forward(
        'post_award_notice',
        signedDate,
        STATUTORY.postAwardNoticeDays,
        '19 a kap. 13–14 §§ LOU (efterannons av direktupphandling från 700 000 kronor i en registrerad annonsdatabas, senast 30 dagar efter att avtalet ingicks)',
      );
    case 'framework_call_off':
      throw new DomainInputError(
        'a call-off from a framework agreement has no post-award notice (10 kap. 4 § tredje stycket LOU)',
        'regime',
      );
    default: {
      const unknown: never = regime;
      throw new DomainInputError(`unknown regime ${String(unknown)}`, 'regime');
    }
  }
}

/** The duty to document, per regime; the 30 days are Konkurrensverket's guidance, applied as policy. */
const DOCUMENTATION_DUTY: Record<Regime, string> = {
  eu: '12 kap. 14–16 §§ LOU (dokumentation och individuell rapport)',
  framework_call_off:
    '12 kap. 14 § LOU (dokumentation; individuell rapport enligt 12 kap. 15–16 §§ vid förnyad konkurrensutsättning)',
  national:
    '19 kap. 22 § LOU (dokumentation av upphandlingen; för tjänster enligt bilaga 2 med individuell rapport enligt 12 kap. 15–16 §§)',
  direct: '19 a kap. 11 § LOU (dokumentation av direktupphandling över 100 000 kronor)',
};

/**
 * Last day to complete the documentation (and, where required, the individual report): 30 days after
 * the contract was concluded or the procurement cancelled, in the regime's own paragraph (12 kap.
 * 14 § andra stycket and 16 § andra stycket, 19 kap. 22 § tredje stycket, 19 a kap. 11 § andra
 * stycket LOU, each in the wording of SFS 2023:815). The days are the policy's, 30 by default.
 */
export function documentationDue(date: IsoDate, regime: Regime = 'eu'): DeadlineResult {
  const duty = DOCUMENTATION_DUTY[regime];
  if (!duty) throw new DomainInputError(`unknown regime ${String(regime)}`, 'regime');
  const days = POLICY_DEFAULTS.documentationDays;
  return forward(
    'documentation',
    date,
    days,
    `${duty}; slutförd senast ${days} dagar efter att avtal ingicks eller beslut fattades om att avbryta upphandlingen`,
  );
}

export interface InvalidityParams {
  signedDate: IsoDate;
  /** The day a notice of the concluded contract was published or tenderers were informed, if any. */
  noticeDate?: IsoDate;
}

/**
 * Until when a court may be asked to declare the contract invalid (ogiltighet): 30 days after a
 * notice of the concluded contract, otherwise six months after signing (20 kap. 17 § LOU; 20 kap. 18 §
 * applies the working-day rule of lag 1930:173 2 § to it).
 */
export function invalidityExposure(params: InvalidityParams): DeadlineResult {
  assertDate(params.signedDate, 'signedDate');
  if (params.noticeDate !== undefined) {
    return forward(
      'invalidity',
      params.noticeDate,
      STATUTORY.invalidityAfterNoticeDays,
      '20 kap. 17 § andra stycket LOU (30 dagar efter efterannons eller underrättelse om att avtal slutits)',
    );
  }
  const days = daysBetween(params.signedDate, addMonths(params.signedDate, STATUTORY.invalidityAfterSigningMonths));
  return forward(
    'invalidity',
    params.signedDate,
    days,
    '20 kap. 17 § första stycket LOU (sex månader från den dag då avtalet slöts); lag (1930:173) 1 §',
  );
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
  annex2?: boolean;
  documentsNotElectronic?: boolean;
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
        annex2: params.annex2,
        documentsNotElectronic: params.documentsNotElectronic,
      });
    case 'request_deadline':
      return earliestRequestDeadline(params.from, {
        regime: need(params.regime, 'regime', kind),
        procedure: need(params.procedure, 'procedure', kind),
        urgent: params.urgent,
        nationalRequestDays: params.nationalRequestDays,
        annex2: params.annex2,
      });
    case 'question_cutoff':
      return questionCutoff(params.from, params.policyDays);
    case 'latest_answer':
      return latestAnswerDate(params.from, params.urgent ?? false);
    case 'standstill':
      return standstillEnd(params.from, params.notice ?? 'electronic');
    case 'review_hold':
      return reviewHoldEnd(params.from);
    case 'ex_ante_wait':
      return exAnteWaitEnd(params.from);
    case 'post_award_notice':
      return postAwardNoticeDue(params.from, params.regime ?? 'eu');
    case 'documentation':
      return documentationDue(params.from, params.regime ?? 'eu');
    case 'invalidity':
      return invalidityExposure({ signedDate: params.from, noticeDate: params.noticeDate });
    case 'period': {
      const days = nonNegativeInt(need(params.days, 'days', kind), 0, 'days');
      return forward(
        'period',
        params.from,
        days,
        'rådets förordning (EEG, Euratom) nr 1182/71 artikel 3.1 (dagen för händelsen räknas inte; tillämplig på LOU:s tidsfrister enligt prop. 2015/16:195 s. 1059)',
      );
    }
    default: {
      const unknown: never = kind;
      throw new DomainInputError(
        `unknown deadline kind ${String(unknown)}; one of ${DEADLINE_KINDS.join(', ')}`,
        'kind',
      );
    }
  }
}
