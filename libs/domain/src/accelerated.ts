/**
 * Checks of accelerated procedures, extensions and the duties after a direct award. Pure and
 * light (no holiday calendar): the tender workflow's validators call them too.
 */
import { addDays, addMonths, compareDates, daysBetween, InvalidDateError, isIsoDate } from './dates';
import { inForce, RULE_SET_VERSION, ruleSetAtLeast, THRESHOLD_ROWS, type ThresholdRow } from './thresholds';
import type { IsoDate } from './types';
import { hasText, none, type RuleViolation } from './violations';

/** Time limits these checks use (the rest of the statutory days are in deadlines.ts). */
export const ACCELERATED = Object.freeze({
  answerDaysBeforeDeadline: 6, // 12 kap. 11 § LOU
  /** Under urgency (11 kap. 10 §): four days (12 kap. 11 § andra stycket LOU). */
  answerDaysBeforeDeadlineUrgent: 4,
  /** 11 kap. 5 § andra stycket 2 p. LOU: a PIN shortens limits only if sent 35 days–12 months before the notice. */
  pinMinDaysBefore: 35,
  pinMaxMonthsBefore: 12,
});

/** Days before the deadline by which answers must be out (12 kap. 11 § LOU): six, four under urgency. */
export function answerDays(urgent = false): number {
  return urgent ? ACCELERATED.answerDaysBeforeDeadlineUrgent : ACCELERATED.answerDaysBeforeDeadline;
}

// --- accelerated procedures ---------------------------------------------------------------------

/** Urgency shortens the EU time limits only when the authority can show it: the reason is recorded (11 kap. 10 § LOU). */
export function checkUrgency(input: { urgent?: boolean | null; justification?: string | null }): RuleViolation[] {
  if (input.urgent !== true || hasText(input.justification)) return none;
  return [
    {
      rule: 'urgency_justification_missing',
      paragraph: '11 kap. 10 § LOU',
      message:
        'Urgency shortens the time limits only for a reason the authority can show (11 kap. 10 § LOU): record the justification.',
      field: 'urgencyJustification',
    },
  ];
}

export interface PriorInformationNoticeInput {
  /** The authority relies on a prior information notice to shorten the limits. */
  pin?: boolean | null;
  /** The day the prior information notice was sent for publication. */
  pinSentDate?: IsoDate | null;
  /** The day the contract notice is sent. */
  noticeSentDate: IsoDate;
}

const PIN_PARAGRAPH = '11 kap. 5 § andra stycket 2 p. LOU';

/**
 * A prior information notice shortens the limits only when it was sent for publication at least
 * 35 days and at most 12 months before the contract notice (11 kap. 5 § andra stycket 2 p. LOU).
 */
export function checkPriorInformationNotice(input: PriorInformationNoticeInput): RuleViolation[] {
  if (input.pin !== true) return none;
  if (!input.pinSentDate) {
    return [
      {
        rule: 'pin_date_missing',
        paragraph: PIN_PARAGRAPH,
        message:
          'A prior information notice shortens the limits only if it was sent 35 days to 12 months before the contract notice: give the day it was sent.',
        field: 'priorInformationNoticeSentAt',
      },
    ];
  }
  if (!isIsoDate(input.pinSentDate)) throw new InvalidDateError(input.pinSentDate);
  if (!isIsoDate(input.noticeSentDate)) throw new InvalidDateError(input.noticeSentDate);
  const latest = addDays(input.noticeSentDate, -ACCELERATED.pinMinDaysBefore);
  const earliest = addMonths(input.noticeSentDate, -ACCELERATED.pinMaxMonthsBefore);
  if (compareDates(input.pinSentDate, latest) <= 0 && compareDates(input.pinSentDate, earliest) >= 0) return none;
  return [
    {
      rule: 'pin_out_of_range',
      paragraph: PIN_PARAGRAPH,
      message:
        `The prior information notice of ${input.pinSentDate} does not shorten the limits for a notice sent ${input.noticeSentDate}: ` +
        `it must have been sent between ${earliest} and ${latest} (at least 35 days and at most 12 months before).`,
      field: 'priorInformationNoticeSentAt',
      details: {
        pinSentDate: input.pinSentDate,
        noticeSentDate: input.noticeSentDate,
        daysBefore: daysBetween(input.pinSentDate, input.noticeSentDate),
        earliest,
        latest,
      },
    },
  ];
}

export interface ExtensionAfterChangeInput {
  /** The day the significant change to the documents is published. */
  changeDate: IsoDate;
  current: IsoDate;
  proposed: IsoDate;
  urgent?: boolean;
}

/**
 * After a significant change to the procurement documents the tender period must be extended, in
 * proportion to the change (11 kap. 8 § 2 p. LOU; the law sets no number of days). The floor here
 * is the organisation's policy: the new deadline is later than the current one and leaves at least
 * the answer period of 12 kap. 11 § (six days, four under urgency) after the change.
 */
export function checkExtensionAfterChange(input: ExtensionAfterChangeInput): RuleViolation[] {
  for (const d of [input.changeDate, input.current, input.proposed]) if (!isIsoDate(d)) throw new InvalidDateError(d);
  const floor = addDays(input.changeDate, answerDays(input.urgent ?? false));
  const minimum = compareDates(floor, input.current) > 0 ? floor : addDays(input.current, 1);
  if (compareDates(input.proposed, minimum) >= 0) return none;
  return [
    {
      rule: 'extension_after_change_too_short',
      paragraph: '11 kap. 8 § 2 p. LOU; organisationens policy',
      message:
        `A significant change to the documents on ${input.changeDate} requires a longer tender period (11 kap. 8 § 2 p. LOU): ` +
        `the new deadline must be ${minimum} or later (later than ${input.current}, and at least ${answerDays(input.urgent ?? false)} days after the change).`,
      field: 'deadline',
      details: { ...input, minimum },
    },
  ];
}

// --- after the contract -------------------------------------------------------------------------

/**
 * The duty to decide guidelines (riktlinjer) for the use of direct award: 19 a kap. 15 § LOU
 * (Upphandlingsmyndigheten's frågeportalen). For the organisation policy's direct-award rules to cite.
 */
export const DIRECT_AWARD_GUIDELINES_PARAGRAPH = '19 a kap. 15 § LOU';

/**
 * 19 a kap. 11 § LOU: a direct award is documented when its value "överstiger 100 000 kronor" (rule
 * set LOU-2026.3; earlier rule sets read Upphandlingsmyndigheten's "uppgår till minst" and required
 * it from 100 000 SEK itself, which tenders started under them keep).
 */
export const DIRECT_AWARD_DOCUMENTATION_SEK = 100_000;

export function directAwardDocumentationRequired(valueSek: number, ruleSet: string = RULE_SET_VERSION): boolean {
  return ruleSetAtLeast(ruleSet, 'LOU-2026.3')
    ? valueSek > DIRECT_AWARD_DOCUMENTATION_SEK
    : valueSek >= DIRECT_AWARD_DOCUMENTATION_SEK;
}

/**
 * A direct award is post-advertised in a registered advertising database within 30 days of the
 * contract (19 a kap. 13–14 §§ LOU), except "när upphandlingens värde understiger 700 000 kronor": so
 * from 700 000 SEK itself (a bilaga 2 service below its threshold, a direct award on a ground of
 * 19 a kap. 3–6 §§). Rule sets before LOU-2026.3 required it only above 700 000 SEK; tenders
 * started under them keep that.
 */
export function directAwardNoticeRequired(
  valueSek: number,
  date: IsoDate,
  ruleSet: string = RULE_SET_VERSION,
  rows: readonly ThresholdRow[] = THRESHOLD_ROWS,
): boolean {
  // Before 2022-02-01 (no row) the rule did not exist in this form: no notice from this rule.
  const row = rows.find(
    (r) => r.kind === 'direct_award_limit' && r.contractTypes.includes('services') && inForce(r, date),
  );
  if (row === undefined || row.sek === null) return false;
  return ruleSetAtLeast(ruleSet, 'LOU-2026.3') ? valueSek >= row.sek : valueSek > row.sek;
}
