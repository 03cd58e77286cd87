/**
 * Procurement rules as pure checks. A check never throws for a broken rule: it returns the
 * violations, each naming a stable rule code (for clients and the 422 body) and the paragraph.
 */
import { compareDates } from './calendar';
import { classify, effectiveRegime, withinDirectAwardLimit, type Classification } from './classification';
import { earliestTenderDeadline, type TenderPeriodParams } from './deadlines';
import { formatSek } from './format';
import type { ThresholdRow } from './thresholds';
import type { ContractType, IsoDate, Procedure, Regime } from './types';

export const RULE_CODES = [
  'direct_award_limit',
  'direct_award_aggregate_limit',
  'negotiated_ground_missing',
  'framework_term_exceeded',
  'lot_division_reason_missing',
  'procedure_not_allowed',
  'tender_period_too_short',
  'deadline_shortened',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleViolation {
  /** Stable code; never renamed once released. */
  rule: RuleCode;
  /** The paragraph of the law (or the policy) the rule comes from. */
  paragraph: string;
  /** Human-readable reason, with the figures involved. */
  message: string;
  /** The request field at fault, when there is one. */
  field?: string;
  details?: Record<string, unknown>;
}

const none: RuleViolation[] = [];

// --- direct award (19 a kap.) ---------------------------------------------------------------

export interface DirectAwardLimitInput {
  procedure: Procedure;
  valueSek: number;
  /** The SEK limit in force (Classification.directAwardLimitSekUsed); null = direct award unavailable. */
  limitSek: number | null;
  /** Whether a value equal to the limit is allowed (row.allowsEqual). */
  allowsEqual: boolean;
  limitRowId?: string;
}

/** Direct award above the direct-award limit (19 a kap. 1 § LOU). */
export function checkDirectAwardLimit(input: DirectAwardLimitInput): RuleViolation[] {
  if (input.procedure !== 'direct_award') return none;
  if (withinDirectAwardLimit(input.valueSek, input.limitSek, input.allowsEqual)) return none;
  const limitText = input.limitSek === null ? 'no confirmed limit' : `the limit of ${formatSek(input.limitSek)}`;
  return [
    {
      rule: 'direct_award_limit',
      paragraph: '19 a kap. 1 § LOU',
      message:
        `Direct award is not allowed: the estimated value ${formatSek(input.valueSek)} is ` +
        `${input.allowsEqual ? 'above' : 'not below'} ${limitText}.`,
      field: 'estimatedValueSek',
      details: { valueSek: input.valueSek, limitSek: input.limitSek, allowsEqual: input.allowsEqual, limitRowId: input.limitRowId },
    },
  ];
}

export interface DirectAwardAggregateInput {
  valueSek: number;
  /** Sum of the organisation's earlier direct awards of the same kind (category) in the period. */
  runningTotalSek: number;
  limitSek: number | null;
  allowsEqual: boolean;
  category?: string;
  /** e.g. '2026' */
  financialYear?: string;
}

/**
 * The organisation's direct awards of the same kind in the same financial year would exceed the
 * limit. Since 1 February 2022 the law values a direct award under 5 kap. (19 a kap. 1 § LOU),
 * where recurring contracts of the same kind count together over the financial year or twelve
 * months (5 kap. 11 § LOU) and splitting to avoid the rules is forbidden (5 kap. 3 § LOU); the
 * region's policy applies it as a running total per category and financial year.
 */
export function checkDirectAwardAggregate(input: DirectAwardAggregateInput): RuleViolation[] {
  const resulting = input.runningTotalSek + input.valueSek;
  if (withinDirectAwardLimit(resulting, input.limitSek, input.allowsEqual)) return none;
  const where = [input.category && `category ${input.category}`, input.financialYear && `financial year ${input.financialYear}`]
    .filter(Boolean)
    .join(', ');
  return [
    {
      rule: 'direct_award_aggregate_limit',
      paragraph: '19 a kap. 1 § LOU jämförd med 5 kap. 3 och 11 §§ LOU',
      message:
        `Direct award refused: direct awards of the same kind${where ? ` (${where})` : ''} already total ` +
        `${formatSek(input.runningTotalSek)}; with this purchase of ${formatSek(input.valueSek)} the sum would be ` +
        `${formatSek(resulting)}, ${input.limitSek === null ? 'and no limit is confirmed' : `which is ${input.allowsEqual ? 'above' : 'not below'} the direct-award limit of ${formatSek(input.limitSek)}`}.`,
      field: 'estimatedValueSek',
      details: {
        runningTotalSek: input.runningTotalSek,
        valueSek: input.valueSek,
        resultingSek: resulting,
        limitSek: input.limitSek,
        category: input.category,
        financialYear: input.financialYear,
      },
    },
  ];
}

// --- procedures ------------------------------------------------------------------------------

export interface NegotiatedGroundInput {
  procedure: Procedure;
  regime: Regime;
  /** The recorded ground (the paragraph and point relied on, and why). */
  ground?: string | null;
}

const hasText = (s: string | null | undefined): boolean => typeof s === 'string' && s.trim().length > 0;

/**
 * Negotiation, competitive dialogue or negotiation without notice needs a recorded ground:
 * 6 kap. 11 § LOU (with notice / dialogue), 6 kap. 12 § LOU (without notice, above the
 * threshold), 19 kap. 7 § LOU (without notice, below it).
 */
export function checkNegotiatedGround(input: NegotiatedGroundInput): RuleViolation[] {
  let paragraph: string | null = null;
  if (input.procedure === 'negotiated_without_notice') {
    paragraph = input.regime === 'eu' ? '6 kap. 12 § LOU' : '19 kap. 7 § LOU';
  } else if (input.procedure === 'negotiated_with_notice' || input.procedure === 'competitive_dialogue') {
    paragraph = '6 kap. 11 § LOU';
  }
  if (paragraph === null || hasText(input.ground)) return none;
  return [
    {
      rule: 'negotiated_ground_missing',
      paragraph,
      message: `The procedure ${input.procedure} may only be used on a ground in ${paragraph}; record the ground relied on.`,
      field: 'negotiationGround',
      details: { procedure: input.procedure, regime: input.regime },
    },
  ];
}

export interface ProcedureAllowedInput {
  classification: Pick<Classification, 'regime' | 'procedures' | 'basis'>;
  procedure: Procedure;
}

/** A requested procedure that the regime does not offer. */
export function checkProcedureAllowed(input: ProcedureAllowedInput): RuleViolation[] {
  const { classification, procedure } = input;
  if (classification.procedures.includes(procedure)) return none;
  return [
    {
      rule: 'procedure_not_allowed',
      paragraph: classification.basis.join(', '),
      message: `The procedure ${procedure} is not allowed in the ${classification.regime} regime; allowed: ${classification.procedures.join(', ')}.`,
      field: 'procedure',
      details: { regime: classification.regime, allowed: classification.procedures },
    },
  ];
}

// --- framework agreements and lots ---------------------------------------------------------------

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

export interface LotDivisionInput {
  regime: Regime;
  /** Planned lots; a division means two or more. */
  lots?: ReadonlyArray<unknown> | null;
  lotJustification?: string | null;
}

/**
 * Above the threshold a contract not divided into lots needs the reason written down
 * ("dela eller motivera", 4 kap. 12 och 14 §§ LOU; the duty to state the reason is 4 kap. 14 §).
 */
export function checkLotDivision(input: LotDivisionInput): RuleViolation[] {
  if (input.regime !== 'eu') return none;
  if ((input.lots?.length ?? 0) >= 2 || hasText(input.lotJustification)) return none;
  return [
    {
      rule: 'lot_division_reason_missing',
      paragraph: '4 kap. 14 § LOU',
      message: 'Above the threshold the contract must be divided into lots, or the reason for not dividing it must be recorded.',
      field: 'lotJustification',
      details: { lots: input.lots?.length ?? 0 },
    },
  ];
}

// --- time limits --------------------------------------------------------------------------------

export interface TenderPeriodCheckInput extends TenderPeriodParams {
  sentDate: IsoDate;
  deadline: IsoDate;
}

/** A tender deadline earlier than the minimum period allows (11 kap. LOU / 19 kap. 15 § LOU). */
export function checkTenderPeriod(input: TenderPeriodCheckInput): RuleViolation[] {
  const { sentDate, deadline, ...params } = input;
  const earliest = earliestTenderDeadline(sentDate, params);
  if (compareDates(deadline, earliest.lastDay) >= 0) return none;
  return [
    {
      rule: 'tender_period_too_short',
      paragraph: earliest.basis,
      message: `The tender deadline ${deadline} is too early: with the notice sent ${sentDate}, the minimum period of ${earliest.days} days ends ${earliest.lastDay}.`,
      field: 'deadline',
      details: { sentDate, deadline, minimumDays: earliest.days, earliestDeadline: earliest.lastDay },
    },
  ];
}

/** (P, and equal treatment under 4 kap. 1 § LOU) A published deadline may be extended, never shortened. */
export function checkDeadlineChange(input: { current: IsoDate; proposed: IsoDate }): RuleViolation[] {
  if (compareDates(input.proposed, input.current) >= 0) return none;
  return [
    {
      rule: 'deadline_shortened',
      paragraph: '4 kap. 1 § LOU; organisationens policy',
      message: `The tender deadline can only be extended: ${input.proposed} is before the current deadline ${input.current}.`,
      field: 'deadline',
      details: { ...input },
    },
  ];
}

// --- aggregates ----------------------------------------------------------------------------------

export interface TenderStartInput {
  contractType: ContractType;
  estimatedValueSek: number;
  /** The day the tender starts (today, passed in). */
  date: IsoDate;
  /** Requested procedure; derived from the classification when absent. */
  procedure?: Procedure;
  frameworkAgreement?: boolean;
  frameworkCallOff?: boolean;
  contractTermMonths?: number;
  extensionOptionMonths?: number;
  frameworkSpecialReasons?: string | null;
  negotiationGround?: string | null;
  /** For direct awards: the category's running total of direct awards in the financial year. */
  directAwardRunningTotalSek?: number;
  category?: string;
  financialYear?: string;
  rows?: readonly ThresholdRow[];
}

export interface TenderStartResult {
  ok: boolean;
  violations: RuleViolation[];
  classification: Classification;
  procedure: Procedure;
  /** The regime the tender runs under with the chosen procedure. */
  regime: Regime;
}

/**
 * All checks at the start of a tender. Throws only for malformed input (DomainInputError,
 * InvalidDateError) or a gap in the rule set (RuleSetGapError); rule breaches are returned.
 */
export function validateTenderStart(input: TenderStartInput): TenderStartResult {
  const classification = classify({
    contractType: input.contractType,
    valueSek: input.estimatedValueSek,
    date: input.date,
    frameworkCallOff: input.frameworkCallOff,
    rows: input.rows,
  });
  const procedure = input.procedure ?? classification.defaultProcedure;
  const regime = effectiveRegime(classification, procedure);
  const limitSek = classification.directAwardLimitSekUsed;
  const allowsEqual = classification.directAwardLimit.allowsEqual ?? false;

  const violations: RuleViolation[] = [
    ...checkProcedureAllowed({ classification, procedure }),
    ...checkDirectAwardLimit({
      procedure,
      valueSek: input.estimatedValueSek,
      limitSek,
      allowsEqual,
      limitRowId: classification.directAwardLimit.id,
    }),
    ...(procedure === 'direct_award' && input.directAwardRunningTotalSek !== undefined
      ? checkDirectAwardAggregate({
          valueSek: input.estimatedValueSek,
          runningTotalSek: input.directAwardRunningTotalSek,
          limitSek,
          allowsEqual,
          category: input.category,
          financialYear: input.financialYear,
        })
      : none),
    ...checkNegotiatedGround({ procedure, regime, ground: input.negotiationGround }),
    ...(input.contractTermMonths !== undefined
      ? checkFrameworkTerm({
          frameworkAgreement: input.frameworkAgreement ?? false,
          contractTermMonths: input.contractTermMonths,
          extensionOptionMonths: input.extensionOptionMonths,
          specialReasons: input.frameworkSpecialReasons,
        })
      : none),
  ];
  // A requested direct award above the limit is reported once, as direct_award_limit.
  const deduped = violations.filter(
    (v, i) => !(v.rule === 'procedure_not_allowed' && procedure === 'direct_award' && violations.some((w, j) => j !== i && w.rule === 'direct_award_limit')),
  );
  return { ok: deduped.length === 0, violations: deduped, classification, procedure, regime };
}

export interface NeedsAnalysisInput {
  regime: Regime;
  lots?: ReadonlyArray<unknown> | null;
  lotJustification?: string | null;
}

/** Checks when the needs analysis is completed (the lot plan is part of it). */
export function validateNeedsAnalysis(input: NeedsAnalysisInput): RuleViolation[] {
  return checkLotDivision(input);
}
