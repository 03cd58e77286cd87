/**
 * Which rules apply to a purchase: the regime (direct award, national rules under 19 kap.,
 * EU-directive rules, or a call-off from a framework agreement) and the procedures allowed in it.
 *
 * Values are whole SEK excluding VAT, over the whole term including options (5 kap. LOU).
 */
import { isIsoDate, InvalidDateError } from './calendar';
import { DomainInputError } from './errors';

/** Re-exported here too: callers imported it from this module first. */
export { DomainInputError };
import { formatSek } from './format';
import { effectiveDirectAwardLimit, findRow, RULE_SET_VERSION, THRESHOLD_ROWS, type ThresholdRow } from './thresholds';
import type { ContractType, IsoDate, Procedure, Regime } from './types';
import { CONTRACT_TYPES } from './types';

/** The reference row a decision used, as shown to the user (provenance). */
export interface RowRef {
  id: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  sek: number | null;
  eur: number | null;
  confirmed: boolean;
  source: string;
  basis: string;
  /** Direct-award limits only: whether a value equal to the limit is allowed. */
  allowsEqual?: boolean;
}

export interface ClassifyInput {
  contractType: ContractType;
  /** Estimated value in whole SEK excl. VAT, whole term including options. */
  valueSek: number;
  /** The day the tender starts; decides which rows are in force. */
  date: IsoDate;
  frameworkCallOff?: boolean;
  rows?: readonly ThresholdRow[];
}

export interface Classification {
  regime: Regime;
  /** Procedures allowed in the regime, the default first. */
  procedures: Procedure[];
  defaultProcedure: Procedure;
  threshold: RowRef;
  directAwardLimit: RowRef;
  ruleSet: string;
  /**
   * 'confirmed' when the threshold's SEK figure is official; 'provisional' when the row in force
   * has no confirmed SEK figure and the comparison used `thresholdSekUsed` instead (see below).
   */
  thresholdStatus: 'confirmed' | 'provisional';
  /** The SEK figure the value was compared with (null: none known, every value above the direct-award limit is 'eu'). */
  thresholdSekUsed: number | null;
  /** The SEK figure the direct-award test used (null: direct award not available). */
  directAwardLimitSekUsed: number | null;
  /** Why a provisional figure was used, for the UI to show. Empty when everything is confirmed. */
  warnings: string[];
  /** Paragraphs behind the regime decision. */
  basis: string[];
}

export const EU_PROCEDURES: readonly Procedure[] = [
  'open',
  'restricted',
  'negotiated_with_notice',
  'competitive_dialogue',
  'innovation_partnership',
  'negotiated_without_notice',
];
/** 19 kap.: the authority designs the procedure; these are the advertised shapes it offers, plus negotiation without notice on a ground (19 kap. 7 §). */
export const NATIONAL_PROCEDURES: readonly Procedure[] = ['simplified', 'selective', 'negotiated_without_notice'];

function ref(row: ThresholdRow): RowRef {
  return {
    id: row.id,
    validFrom: row.validFrom,
    validTo: row.validTo,
    sek: row.sek,
    eur: row.eur,
    confirmed: row.confirmed,
    source: row.source,
    basis: row.basis,
    ...(row.kind === 'direct_award_limit' ? { allowsEqual: row.allowsEqual ?? false } : {}),
  };
}

/**
 * The figure to compare with when the threshold in force has no confirmed SEK value.
 *
 * Policy (defensible, documented): use the LOWEST confirmed SEK figure of an earlier row of the
 * same kind for the same contract type. Under-classifying (national rules where EU rules apply)
 * makes the procurement unlawful; over-classifying only costs a heavier procedure. EU amounts move
 * little between periods (216 000 vs 221 000 / 215 000 EUR), so the lowest earlier figure is a
 * reasonable floor. Values between that floor and the (unknown) official figure are classed 'eu'
 * and the result says it is provisional. An administrator removes the doubt by setting the
 * official figure (thresholds.withOverrides). No earlier confirmed figure → null → every value
 * above the direct-award limit is classed 'eu'.
 */
function provisionalSek(row: ThresholdRow, contractType: ContractType, rows: readonly ThresholdRow[]): number | null {
  const earlier = rows.filter(
    (r) =>
      r.kind === row.kind &&
      r.contractTypes.includes(contractType) &&
      r.confirmed &&
      r.sek !== null &&
      r.validTo !== null &&
      r.validTo < row.validFrom,
  );
  if (earlier.length === 0) return null;
  return Math.min(...earlier.map((r) => r.sek as number));
}

/** True when `valueSek` may be directly awarded under a limit (19 a kap. 1 § LOU). */
export function withinDirectAwardLimit(valueSek: number, limitSek: number | null, allowsEqual: boolean): boolean {
  if (limitSek === null) return false;
  return allowsEqual ? valueSek <= limitSek : valueSek < limitSek;
}

/** Classify a purchase. Throws DomainInputError / InvalidDateError for bad input, RuleSetGapError when no row is in force. */
export function classify(input: ClassifyInput): Classification {
  const { contractType, valueSek, date, frameworkCallOff = false, rows = THRESHOLD_ROWS } = input;
  if (!CONTRACT_TYPES.includes(contractType)) {
    throw new DomainInputError(`contractType must be one of ${CONTRACT_TYPES.join(', ')}`, 'contractType');
  }
  if (!Number.isSafeInteger(valueSek) || valueSek < 0) {
    throw new DomainInputError('valueSek must be a whole number of SEK ≥ 0', 'valueSek');
  }
  if (!isIsoDate(date)) throw new InvalidDateError(date);

  const thresholdRow = findRow('threshold', contractType, date, rows);
  const limitRow = effectiveDirectAwardLimit(contractType, date, rows);
  const warnings: string[] = [];

  let thresholdSekUsed = thresholdRow.sek;
  if (!thresholdRow.confirmed || thresholdRow.sek === null) {
    thresholdSekUsed = provisionalSek(thresholdRow, contractType, rows);
    warnings.push(
      `threshold ${thresholdRow.id} has no confirmed SEK value; compared with ` +
        (thresholdSekUsed === null
          ? 'nothing: every value above the direct-award limit is classed as EU'
          : `${formatSek(thresholdSekUsed)}, the lowest confirmed earlier threshold (conservative)`),
    );
  }
  let directAwardLimitSekUsed = limitRow.sek;
  if (!limitRow.confirmed || limitRow.sek === null) {
    // Only the social-services limit (= the threshold) can be unconfirmed; it follows the threshold's fallback.
    directAwardLimitSekUsed = limitRow.equalsThreshold ? thresholdSekUsed : null;
    warnings.push(
      `direct-award limit ${limitRow.id} has no confirmed SEK value; ` +
        (directAwardLimitSekUsed === null ? 'direct award is not offered' : `used ${formatSek(directAwardLimitSekUsed)} (conservative)`),
    );
  }

  const common = {
    threshold: ref(thresholdRow),
    directAwardLimit: ref(limitRow),
    ruleSet: RULE_SET_VERSION,
    thresholdStatus: (warnings.length === 0 ? 'confirmed' : 'provisional') as Classification['thresholdStatus'],
    thresholdSekUsed,
    directAwardLimitSekUsed,
    warnings,
  };

  if (frameworkCallOff) {
    return {
      ...common,
      regime: 'framework_call_off',
      procedures: ['call_off'],
      defaultProcedure: 'call_off',
      basis: ['7 kap. LOU (tilldelning av kontrakt enligt ramavtal)'],
    };
  }
  if (withinDirectAwardLimit(valueSek, directAwardLimitSekUsed, limitRow.allowsEqual ?? false)) {
    return {
      ...common,
      regime: 'direct',
      // Below the limit the authority may still choose to advertise.
      procedures: ['direct_award', ...NATIONAL_PROCEDURES],
      defaultProcedure: 'direct_award',
      basis: ['19 a kap. 1 § LOU'],
    };
  }
  if (thresholdSekUsed === null || valueSek >= thresholdSekUsed) {
    // Social and other special services (bilaga 2) above the threshold follow 19 kap. with EU
    // advertising, so the authority may also design the procedure (19 kap. 1–3 §§ LOU).
    const procedures: Procedure[] =
      contractType === 'social_services' ? [...EU_PROCEDURES, 'simplified', 'selective'] : [...EU_PROCEDURES];
    return {
      ...common,
      regime: 'eu',
      procedures,
      defaultProcedure: 'open',
      basis: contractType === 'social_services' ? ['5 kap. 1 § LOU', '19 kap. 1–3 §§ LOU'] : ['5 kap. 1 § LOU', '6 kap. 1 § LOU'],
    };
  }
  return {
    ...common,
    regime: 'national',
    procedures: [...NATIONAL_PROCEDURES],
    defaultProcedure: 'simplified',
    basis: ['19 kap. 1 § LOU'],
  };
}

/**
 * The regime a tender actually runs under once its procedure is chosen: a purchase that may be
 * directly awarded but is advertised instead runs under the national rules (19 kap.).
 */
export function effectiveRegime(classification: Pick<Classification, 'regime'>, procedure: Procedure): Regime {
  if (classification.regime === 'direct' && procedure !== 'direct_award') return 'national';
  return classification.regime;
}
