/**
 * Procurement rules as pure checks. A check never throws for a broken rule: it returns the
 * violations, each naming a stable rule code (for clients and the 422 body) and the paragraph.
 */
import { classify, withinDirectAwardLimit, type Classification } from './classification';
import { earliestTenderDeadline, type TenderPeriodParams } from './deadlines';
import { formatSek } from './format';
import {
  defaultProcedureDescription,
  WITHOUT_NOTICE_GROUNDS,
  withoutNoticeGround,
  type WithoutNoticeGround,
} from './procedures';
import type { ThresholdRow } from './thresholds';
import type { ContractType, IsoDate, Procedure, Regime } from './types';
import { LOU_2022_REFORM_DATE } from './types';
import { checkFrameworkTerm, checkMinimumTimeLimit } from './checks';
import { hasText, none, type RuleViolation } from './violations';

export { RULE_CODES, type RuleCode, type RuleViolation } from './violations';
export * from './accelerated';
export * from './checks';

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

/**
 * Direct award above the direct-award limit (19 a kap. 2 § LOU): allowed when the value is estimated
 * to be below ("understiga") 700 000 SEK; for bilaga 2 services the limit is the threshold, which the
 * value must be below too. (A row may still allow the limit itself, `allowsEqual`: an
 * administrator's override.)
 */
export function checkDirectAwardLimit(input: DirectAwardLimitInput): RuleViolation[] {
  if (input.procedure !== 'direct_award') return none;
  if (withinDirectAwardLimit(input.valueSek, input.limitSek, input.allowsEqual)) return none;
  const value = formatSek(input.valueSek);
  const message =
    input.limitSek === null
      ? `Direct award is not available: no direct-award limit is confirmed for this contract type on this date (the estimated value is ${value}).`
      : input.allowsEqual
        ? `Direct award is allowed only when the value is at most ${formatSek(input.limitSek)} (the row in force allows the limit itself); the estimated value ${value} is above it.`
        : `Direct award is allowed only when the value is estimated to be below ("understiga") ${formatSek(input.limitSek)} (19 a kap. 2 § LOU); the estimated value ${value} is not below it.`;
  return [
    {
      rule: 'direct_award_limit',
      paragraph: '19 a kap. 2 § LOU',
      message,
      field: 'estimatedValueSek',
      details: {
        valueSek: input.valueSek,
        limitSek: input.limitSek,
        allowsEqual: input.allowsEqual,
        limitRowId: input.limitRowId,
      },
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
 * limit. Since 1 February 2022 5 kap. applies to direct awards (19 a kap. 1 § LOU) and the limit is 19 a kap. 2 §,
 * where recurring contracts of the same kind count together over the financial year or twelve
 * months (5 kap. 11 § LOU) and splitting to avoid the rules is forbidden (5 kap. 3 § LOU); the
 * region's policy applies it as a running total per category and financial year.
 */
export function checkDirectAwardAggregate(input: DirectAwardAggregateInput): RuleViolation[] {
  const resulting = input.runningTotalSek + input.valueSek;
  if (withinDirectAwardLimit(resulting, input.limitSek, input.allowsEqual)) return none;
  const where = [
    input.category && `category ${input.category}`,
    input.financialYear && `financial year ${input.financialYear}`,
  ]
    .filter(Boolean)
    .join(', ');
  return [
    {
      rule: 'direct_award_aggregate_limit',
      paragraph: '19 a kap. 2 § LOU jämförd med 5 kap. 3 och 11 §§ LOU',
      message:
        `Direct award refused: direct awards of the same kind${where ? ` (${where})` : ''} already total ` +
        `${formatSek(input.runningTotalSek)}; with this purchase of ${formatSek(input.valueSek)} the sum would be ` +
        `${formatSek(resulting)}, ${input.limitSek === null ? 'and no limit is confirmed' : input.allowsEqual ? `which is above the direct-award limit of ${formatSek(input.limitSek)}` : `which is not below the direct-award limit of ${formatSek(input.limitSek)}`}.`,
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
  /** The classification's regime: the value decides ('direct' within the direct-award limit). */
  regime: Regime;
  /** The recorded ground in words: why it applies. */
  ground?: string | null;
  /** A contract awarded without prior notice: which ground of the statute (procedures.ts WITHOUT_NOTICE_GROUNDS). */
  withoutNoticeGround?: WithoutNoticeGround | null;
}

/** Below the threshold, a contract awarded without notice is a direct award on a ground of 19 a kap. 3–6 §§. */
const NATIONAL_WITHOUT_NOTICE = '19 a kap. 3–6 §§ LOU';
const EU_WITHOUT_NOTICE = '6 kap. 12–19 §§ LOU';

/**
 * Negotiation, competitive dialogue or an award without prior notice needs a recorded ground:
 * 6 kap. 11 § LOU (with notice / dialogue, above the threshold); 6 kap. 12–19 §§ LOU (without
 * notice, above it); below it an award without notice is a direct award, allowed within the
 * direct-award limit by its value (19 a kap. 2 §) and above it only on a ground of 19 a kap. 3–6 §§
 * (19 a kap. 5–7 §§ below the threshold only). An advertised procedure below the threshold needs no
 * ground: the authority designs it (19 kap.). The ground is named (`withoutNoticeGround`) and
 * explained (`ground`).
 */
export function checkNegotiatedGround(input: NegotiatedGroundInput): RuleViolation[] {
  const details = { procedure: input.procedure, regime: input.regime };
  if (input.procedure === 'negotiated_without_notice') {
    if (input.regime === 'direct' || input.regime === 'framework_call_off') return none;
    const paragraph = input.regime === 'eu' ? EU_WITHOUT_NOTICE : NATIONAL_WITHOUT_NOTICE;
    const code = input.withoutNoticeGround;
    if (code === undefined || code === null) {
      return [
        {
          rule: 'negotiated_ground_missing',
          paragraph,
          message:
            input.regime === 'eu'
              ? `A negotiated procedure without prior notice may only be used on a ground of ${paragraph}; name it (withoutNoticeGround) and say why it applies (negotiationGround).`
              : `Below the threshold, a contract awarded without notice above the direct-award limit is a direct award allowed only on a ground of ${paragraph}; name it (withoutNoticeGround) and say why it applies (negotiationGround).`,
          field: 'withoutNoticeGround',
          details: {
            ...details,
            allowed: WITHOUT_NOTICE_GROUNDS.filter((g) => withoutNoticeGround(g, input.regime) !== null),
          },
        },
      ];
    }
    const rule = withoutNoticeGround(code, input.regime);
    if (rule === null) {
      return [
        {
          rule: 'without_notice_ground_not_available',
          paragraph: code === 'pending_review' ? '19 a kap. 7 § andra stycket LOU' : '19 a kap. 5 § andra stycket LOU',
          message: `The ground ${code} applies only below the threshold (or to bilaga 2 services); above it the grounds are those of ${EU_WITHOUT_NOTICE}.`,
          field: 'withoutNoticeGround',
          details: {
            ...details,
            allowed: WITHOUT_NOTICE_GROUNDS.filter((g) => withoutNoticeGround(g, input.regime) !== null),
          },
        },
      ];
    }
    if (hasText(input.ground)) return none;
    return [
      {
        rule: 'negotiated_ground_missing',
        paragraph: rule.paragraph,
        message: `Say why the ground applies (${rule.paragraph}: ${rule.label}).`,
        field: 'negotiationGround',
        details,
      },
    ];
  }
  if (
    (input.procedure === 'negotiated_with_notice' || input.procedure === 'competitive_dialogue') &&
    input.regime === 'eu' &&
    !hasText(input.ground)
  ) {
    return [
      {
        rule: 'negotiated_ground_missing',
        paragraph: '6 kap. 11 § LOU',
        message: `The procedure ${input.procedure} may only be used on a ground in 6 kap. 11 § LOU; record the ground relied on.`,
        field: 'negotiationGround',
        details,
      },
    ];
  }
  return none;
}

export interface ProcedureAllowedInput {
  classification: Pick<Classification, 'regime' | 'procedures' | 'basis'> &
    Partial<Pick<Classification, 'legacyNationalRules'>>;
  procedure: Procedure;
}

const LEGACY_LABELS: Partial<Record<Procedure, string>> = {
  simplified: 'förenklat förfarande',
  selective: 'urvalsförfarande',
};

/** A requested procedure that the regime does not offer. */
export function checkProcedureAllowed(input: ProcedureAllowedInput): RuleViolation[] {
  const { classification, procedure } = input;
  if (classification.procedures.includes(procedure)) return none;
  const legacy = LEGACY_LABELS[procedure];
  if (legacy && classification.legacyNationalRules === false) {
    return [
      {
        rule: 'procedure_not_allowed',
        paragraph: '19 kap. LOU (i lydelsen från den 1 februari 2022)',
        message:
          `The procedure ${procedure} (${legacy}) was abolished on ${LOU_2022_REFORM_DATE}: below the threshold the authority designs its ` +
          `own advertised procedure and describes it in the procurement documents (19 kap. 9 § LOU). Choose the shape that fits: ` +
          `${classification.procedures.join(', ')}.`,
        field: 'procedure',
        details: {
          regime: classification.regime,
          allowed: classification.procedures,
          abolishedOn: LOU_2022_REFORM_DATE,
        },
      },
    ];
  }
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

// --- time limits --------------------------------------------------------------------------------

export interface TenderPeriodCheckInput extends TenderPeriodParams {
  sentDate: IsoDate;
  deadline: IsoDate;
}

/** A tender deadline earlier than the minimum period allows (11 kap. LOU / skälig tid, 19 kap. 11 § LOU). */
export function checkTenderPeriod(input: TenderPeriodCheckInput): RuleViolation[] {
  const { sentDate, deadline, ...params } = input;
  return checkMinimumTimeLimit({
    requested: deadline,
    minimum: earliestTenderDeadline(sentDate, params),
    field: 'deadline',
  });
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
  /** A contract awarded without prior notice: the statute's ground (WITHOUT_NOTICE_GROUNDS). */
  withoutNoticeGround?: WithoutNoticeGround | null;
  /** Below the threshold: how the procedure is organised, as described in the documents (19 kap. 9 § LOU). */
  procedureDescription?: string | null;
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
  /**
   * Under 19 kap. (below the threshold, and bilaga 2 services): the procedure as described in the
   * documents (19 kap. 9 § LOU) — the one given, or a default description of the chosen shape.
   */
  procedureDescription?: string;
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
  // Below the threshold an award without notice is a direct award on a ground of 19 a kap. 3–6 §§:
  // only 19 a kap. applies to it (19 kap. 1 § tredje stycket LOU), as within the limit.
  const regime: Regime =
    classification.regime === 'national' && procedure === 'negotiated_without_notice'
      ? 'direct'
      : classification.regime;
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
    ...checkNegotiatedGround({
      procedure,
      regime: classification.regime,
      ground: input.negotiationGround,
      withoutNoticeGround: input.withoutNoticeGround,
    }),
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
    (v, i) =>
      !(
        v.rule === 'procedure_not_allowed' &&
        procedure === 'direct_award' &&
        violations.some((w, j) => j !== i && w.rule === 'direct_award_limit')
      ),
  );
  const designed =
    procedure !== 'direct_award' &&
    procedure !== 'call_off' &&
    regime !== 'direct' &&
    (regime === 'national' || classification.annex2);
  const procedureDescription = designed
    ? hasText(input.procedureDescription)
      ? input.procedureDescription!.trim()
      : defaultProcedureDescription(procedure)
    : undefined;
  return {
    ok: deduped.length === 0,
    violations: deduped,
    classification,
    procedure,
    regime,
    ...(procedureDescription ? { procedureDescription } : {}),
  };
}
