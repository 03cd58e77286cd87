/**
 * Rule checks that need no holiday calendar (dates, numbers and this library's vocabulary only), so
 * that the tender workflow's validators and handlers call the very checks the API and the specs
 * do: the same rule ids and paragraphs reach every caller. rules.ts re-exports them. Where a check
 * compares with a period that ends on a working day (lag 1930:173 2 §), the caller computes the
 * period first (deadlines.ts, or the worker's deadline activity) and passes it in.
 */
import { addMonths, compareDates, isIsoDate, InvalidDateError } from './dates';
import type { IsoDate, Regime } from './types';
import { hasText, none, type RuleViolation } from './violations';

// --- framework agreements ----------------------------------------------------------------------

/** 7 kap. 2 § LOU: a framework agreement runs at most four years, options included, unless special reasons are recorded. */
export const FRAMEWORK_MAX_MONTHS = 48;

export interface FrameworkTermInput {
  frameworkAgreement: boolean;
  contractTermMonths: number;
  extensionOptionMonths?: number;
  /** Recorded special reasons (särskilda skäl) for a longer term. */
  specialReasons?: string | null;
}

/** A framework agreement longer than four years including options needs special reasons (7 kap. 2 § LOU). */
export function checkFrameworkTerm(input: FrameworkTermInput): RuleViolation[] {
  if (!input.frameworkAgreement) return none;
  const total = input.contractTermMonths + (input.extensionOptionMonths ?? 0);
  if (total <= FRAMEWORK_MAX_MONTHS || hasText(input.specialReasons)) return none;
  return [
    {
      rule: 'framework_term_exceeded',
      paragraph: '7 kap. 2 § LOU',
      message: `A framework agreement may run at most ${FRAMEWORK_MAX_MONTHS} months including options unless special reasons are recorded; this one runs ${total} months (${input.contractTermMonths} + ${input.extensionOptionMonths ?? 0} option).`,
      field: 'contractTermMonths',
      details: { totalMonths: total, maxMonths: FRAMEWORK_MAX_MONTHS },
    },
  ];
}

/**
 * The last day a framework agreement starting on `startDate` may run without special reasons,
 * when `optionMonths` of options may extend it (7 kap. 2 § LOU): the term ends before the day
 * FRAMEWORK_MAX_MONTHS - optionMonths months after the start (lag 1930:173 1 § andra stycket).
 */
export function frameworkTermEnd(startDate: IsoDate, optionMonths: number): IsoDate {
  if (!isIsoDate(startDate)) throw new InvalidDateError(startDate);
  return addMonths(startDate, FRAMEWORK_MAX_MONTHS - optionMonths);
}

// --- lots ---------------------------------------------------------------------------------------

export interface LotDivisionInput {
  regime: Regime;
  /** Bilaga 2 services: 19 kap. applies at any value, without the duty of 4 kap. 14 §. */
  annex2?: boolean;
  /** Planned lots; a division means two or more (one "lot" is the whole contract). */
  lots?: ReadonlyArray<unknown> | null;
  lotJustification?: string | null;
}

/**
 * Above the threshold a contract that is not divided into lots needs the reason for not dividing
 * it written down (4 kap. 14 § LOU; the reasons go in the procurement documents or the individual
 * report of 12 kap. 15 §). It does not apply below the threshold or to bilaga 2 services, which
 * 19 kap. governs. One lot is not a division.
 */
export function checkLotDivision(input: LotDivisionInput): RuleViolation[] {
  if (input.regime !== 'eu' || input.annex2 === true) return none;
  const lots = input.lots?.length ?? 0;
  if (lots >= 2 || hasText(input.lotJustification)) return none;
  return [
    {
      rule: 'lot_division_reason_missing',
      paragraph: '4 kap. 14 § LOU',
      message:
        lots === 1
          ? 'One lot is not a division: above the threshold, divide the contract into two or more lots, or record the reason for not dividing it.'
          : 'Above the threshold the contract must be divided into lots, or the reason for not dividing it must be recorded.',
      field: 'lotJustification',
      details: { lots },
    },
  ];
}

export type NeedsAnalysisInput = LotDivisionInput;

/** Checks when the needs analysis is completed (the lot plan is part of it). */
export function validateNeedsAnalysis(input: NeedsAnalysisInput): RuleViolation[] {
  return checkLotDivision(input);
}

// --- time limits --------------------------------------------------------------------------------

/** A period's minimum, as deadlines.ts (or the worker's deadline activity) computed it. */
export interface MinimumTimeLimit {
  lastDay: IsoDate;
  basis: string;
  /** The period's length in days, when it is one. */
  days?: number;
  /** The day the period is counted from. */
  from?: IsoDate;
}

/**
 * A requested last day earlier than the minimum the law or the policy allows (11 kap. LOU, "skälig
 * tid" of 19 kap. 11 § LOU, the answer period of 12 kap. 11 § LOU): the paragraph is the minimum's
 * own basis.
 */
export function checkMinimumTimeLimit(input: {
  requested: IsoDate;
  minimum: MinimumTimeLimit;
  field: string;
}): RuleViolation[] {
  const { requested, minimum, field } = input;
  if (!isIsoDate(requested)) throw new InvalidDateError(requested);
  if (compareDates(requested, minimum.lastDay) >= 0) return none;
  return [
    {
      rule: 'minimum_time_limit',
      paragraph: minimum.basis,
      message:
        `${requested} is earlier than the minimum ${minimum.lastDay} (${minimum.basis})` +
        `${minimum.from !== undefined && minimum.days !== undefined ? `: ${minimum.days} days from ${minimum.from}` : ''}.`,
      field,
      details: {
        requested,
        earliestDeadline: minimum.lastDay,
        ...(minimum.days !== undefined ? { minimumDays: minimum.days } : {}),
        ...(minimum.from !== undefined ? { from: minimum.from } : {}),
      },
    },
  ];
}

/**
 * A published deadline may be extended, never shortened (equal treatment, 4 kap. 1 § LOU, and the
 * organisation's policy): an "extension" to the same day or an earlier one is refused.
 */
export function checkDeadlineChange(input: { current: IsoDate; proposed: IsoDate }): RuleViolation[] {
  if (compareDates(input.proposed, input.current) > 0) return none;
  return [
    {
      rule: 'deadline_shortened',
      paragraph: '4 kap. 1 § LOU; organisationens policy',
      message: `The deadline ${input.current} may be extended, never shortened: ${input.proposed} is not later.`,
      field: 'deadline',
      details: { ...input },
    },
  ];
}
