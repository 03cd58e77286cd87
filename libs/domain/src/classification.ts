/**
 * Which rules apply to a purchase: the regime (direct award, national rules under 19 kap.,
 * EU-directive rules, or a call-off from a framework agreement) and the procedures allowed in it.
 *
 * Values are whole SEK excluding VAT, over the whole term including options (5 kap. LOU).
 */
import { compareDates, isIsoDate, InvalidDateError } from './calendar';
import { DomainInputError } from './errors';

/** Re-exported here too: callers imported it from this module first. */
export { DomainInputError };
import { formatSek } from './format';
import { effectiveDirectAwardLimit, findRow, RULE_SET_VERSION, THRESHOLD_ROWS, type ThresholdRow } from './thresholds';
import type { ContractType, IsoDate, Procedure, Regime } from './types';
import { CONTRACT_TYPES, isAnnex2, LOU_2022_REFORM_DATE } from './types';

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
  /** Bilaga 2 services (social, other special and welfare services): 19 kap. applies at any value. */
  annex2: boolean;
  /** True for a date before 2022-02-01: the older rules below the threshold (legacy procedures). */
  legacyNationalRules: boolean;
}

export const EU_PROCEDURES: readonly Procedure[] = [
  'open',
  'restricted',
  'negotiated_with_notice',
  'competitive_dialogue',
  'innovation_partnership',
  'negotiated_without_notice',
];
/**
 * 19 kap. since 2022-02-01: no procedure is prescribed; the authority designs its advertised
 * procedure and describes it in the procurement documents (19 kap. 9 §; Upphandlingsmyndigheten,
 * "Nya upphandlingsregler 1 februari 2022"). Every shape is therefore open to it: one stage open to
 * all (`open`), two stages with selection (`restricted`), with negotiation
 * (`negotiated_with_notice`), dialogue-like (`competitive_dialogue`, `innovation_partnership`).
 * `negotiated_without_notice` below the threshold is a direct award on the grounds of
 * 19 a kap. 3–6 §§ (rules.ts checkNegotiatedGround; CITATIONS.md).
 */
export const NATIONAL_PROCEDURES: readonly Procedure[] = [
  'open',
  'restricted',
  'negotiated_with_notice',
  'competitive_dialogue',
  'innovation_partnership',
  'negotiated_without_notice',
];
/** Before 2022-02-01: förenklat förfarande, urvalsförfarande, and negotiation without notice on a ground. */
export const LEGACY_NATIONAL_PROCEDURES: readonly Procedure[] = [
  'simplified',
  'selective',
  'negotiated_without_notice',
];

/** The advertised procedures below the threshold (and for bilaga 2 services) for a tender started on `date`. */
export function nationalProcedures(date: IsoDate): readonly Procedure[] {
  return compareDates(date, LOU_2022_REFORM_DATE) < 0 ? LEGACY_NATIONAL_PROCEDURES : NATIONAL_PROCEDURES;
}

/** Paragraphs of the national regime for a tender started on `date`. */
function nationalBasis(date: IsoDate): string[] {
  return compareDates(date, LOU_2022_REFORM_DATE) < 0
    ? ['19 kap. LOU i lydelsen före den 1 februari 2022 (förenklat förfarande, urvalsförfarande)']
    : [
        '19 kap. LOU (annonspliktig upphandling under tröskelvärdet, i lydelsen från den 1 februari 2022)',
        '19 kap. 6 och 8 §§ LOU (annons om upphandling i en registrerad annonsdatabas)',
        '19 kap. 9 § LOU (förfarandet beskrivs i upphandlingsdokumenten)',
        '19 kap. 11 § LOU (skälig tid)',
      ];
}

const WELFARE_BASIS =
  'bilaga 2 LOU: välfärdstjänster (tidigare bilaga 2 a) räknas sedan den 1 februari 2022 till bilaga 2 (Upphandlingsmyndigheten)';

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

/** True when `valueSek` may be directly awarded under a limit (19 a kap. 2 § LOU: below it, unless the row allows the limit itself). */
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
        (directAwardLimitSekUsed === null
          ? 'direct award is not offered'
          : `used ${formatSek(directAwardLimitSekUsed)} (conservative)`),
    );
  }

  const annex2 = isAnnex2(contractType);
  const legacyNationalRules = compareDates(date, LOU_2022_REFORM_DATE) < 0;
  const national = nationalProcedures(date);
  const welfare = contractType === 'welfare_services' && !legacyNationalRules ? [WELFARE_BASIS] : [];
  const common = {
    threshold: ref(thresholdRow),
    directAwardLimit: ref(limitRow),
    ruleSet: RULE_SET_VERSION,
    thresholdStatus: (warnings.length === 0 ? 'confirmed' : 'provisional') as Classification['thresholdStatus'],
    thresholdSekUsed,
    directAwardLimitSekUsed,
    warnings,
    annex2,
    legacyNationalRules,
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
      // Within the limit the authority may still choose to advertise, or to negotiate with chosen
      // suppliers: it remains a direct award, and only 19 a kap. applies, with no 19 kap. standstill
      // or post-award notice (Upphandlingsmyndigheten, frågeportalen; CITATIONS.md). Until rule set
      // LOU-2026.3 an advertised one ran under 19 kap.: tenders started then keep the regime they recorded.
      procedures: ['direct_award', ...national],
      defaultProcedure: 'direct_award',
      basis: [
        '19 a kap. 2 § LOU',
        '19 kap. 1 § tredje stycket LOU (där direktupphandling får användas gäller endast 19 a kap.)',
        ...welfare,
      ],
    };
  }
  if (thresholdSekUsed === null || valueSek >= thresholdSekUsed) {
    // Bilaga 2 services above the threshold follow 19 kap. ("skälig tid", a procedure the authority
    // designs) with EU advertising (TED) and the directive rules 19 kap. names; other purchases
    // follow the directive procedures of 6 kap. with the time limits of 11 kap.
    const procedures: Procedure[] = annex2 ? [...new Set([...EU_PROCEDURES, ...national])] : [...EU_PROCEDURES];
    return {
      ...common,
      regime: 'eu',
      procedures,
      defaultProcedure: 'open',
      basis: annex2
        ? [
            '5 kap. 1 § LOU',
            '19 kap. LOU (bilaga 2 över tröskelvärdet: skälig tid enligt 19 kap. 11 §, annonsering även i TED)',
            ...welfare,
          ]
        : ['5 kap. 1 § LOU', '6 kap. 1 § LOU'],
    };
  }
  return {
    ...common,
    regime: 'national',
    procedures: [...national],
    defaultProcedure: legacyNationalRules ? 'simplified' : 'open',
    basis: [...nationalBasis(date), ...welfare],
  };
}
