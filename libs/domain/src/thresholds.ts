/**
 * Thresholds (tröskelvärden, 5 kap. LOU) and direct-award limits (19 a kap. 2 § LOU) as dated
 * reference rows. Rows are data, not constants: the database may hold a copy (with an
 * administrator's confirmed SEK value for a row that ships unconfirmed), and every function here
 * takes the rows as a parameter that defaults to the built-in ones.
 *
 * Only sub-central contracting authorities (regions, municipalities and their companies) are
 * modelled, since that is who uses the system.
 */
import { compareDates, isIsoDate } from './dates';
import type { ContractType, IsoDate } from './types';
import { CONTRACT_TYPES } from './types';

/** Version of the whole rule set (thresholds, limits, time limits). Recorded on each tender. */
export const RULE_SET_VERSION = 'LOU-2026.3';
/**
 * LOU-2026.3 (issue 26): a purchase within the direct-award limit stays a direct award when it is
 * advertised (19 a kap. only); a direct award's documentation as a structured record; the individual
 * report from recorded facts only; the negotiated procedure without prior notice on its own path with
 * the optional voluntary ex-ante transparency notice; the national post-award notice only from the
 * direct-award limit; dates relative to today refused as rules.
 * LOU-2026.2 (issue 13): the 2022 rules below the threshold (every procedure shape, described in the
 * documents; legacy förenklat/urvalsförfarande only before 2022-02-01), current 19/19 a kap.
 * citations, welfare services as bilaga 2, accelerated-procedure checks (urgency justification,
 * PIN window, non-electronic documents, four-day answers), documentation and post-award notice per
 * regime. LOU-2026.1: the rule set before it. Where each paragraph was confirmed: libs/domain/CITATIONS.md.
 */
export const RULE_SET_HISTORY = ['LOU-2026.1', 'LOU-2026.2', 'LOU-2026.3'] as const;

/**
 * True when a tender recorded under `ruleSet` follows the rules of `version` or a later one. A tender
 * keeps the rule set it was started under: the workflow asks this before a rule that changed, so a
 * tender started earlier (and its history, when replayed) goes on as before. An unknown rule set
 * counts as the oldest.
 */
export function ruleSetAtLeast(ruleSet: string | undefined, version: (typeof RULE_SET_HISTORY)[number]): boolean {
  return RULE_SET_HISTORY.indexOf(ruleSet as (typeof RULE_SET_HISTORY)[number]) >= RULE_SET_HISTORY.indexOf(version);
}

export type ReferenceRowKind = 'threshold' | 'direct_award_limit';
export type AuthorityClass = 'sub_central';

export interface ThresholdRow {
  /** Stable id, e.g. `thr-2024-supplies-services`; tenders store it as provenance. */
  id: string;
  kind: ReferenceRowKind;
  contractTypes: readonly ContractType[];
  authority: AuthorityClass;
  /** First day in force, inclusive. */
  validFrom: IsoDate;
  /** Last day in force, inclusive; null = until further notice. */
  validTo: IsoDate | null;
  /** Amount in SEK excluding VAT; null when no official SEK figure is known. */
  sek: number | null;
  /** Amount in EUR where the EU sets one (thresholds); null for national SEK limits. */
  eur: number | null;
  /** True only when `sek` is an official figure (or an administrator confirmed it). */
  confirmed: boolean;
  /**
   * For direct-award limits: whether a value exactly at the limit is still allowed. For
   * thresholds this is not used: a value equal to the threshold is above it (EU rules apply).
   */
  allowsEqual?: boolean;
  /**
   * For a direct-award limit that by law equals the threshold (social and other special
   * services): the effective SEK figure is taken from the threshold row in force, so that an
   * administrator's confirmation of the threshold carries over.
   */
  equalsThreshold?: boolean;
  /** Paragraph(s) of the law that the row applies. */
  basis: string;
  /** Where the figure comes from, or why it is missing. */
  source: string;
}

const UHM_2024 =
  'Upphandlingsmyndigheten, "Tröskelvärden och direktupphandlingsgränser", table "i kronor (SEK) från 1 januari 2024" (övriga upphandlande myndigheter)';
const KKV_2022 =
  'Konkurrensverket, "Tröskelvärden och direktupphandlingsgränser 1 januari 2022–31 december 2023" (övriga upphandlande myndigheter)';
const EU_2025_2152 =
  'EUR amount: Commission Delegated Regulation (EU) 2025/2152 (thresholds from 1 January 2026). ' +
  "SEK: no official SEK value found (Upphandlingsmyndigheten's 2026–2027 table was not available to us); " +
  'sek is null and unconfirmed. Never fill it in by converting the EUR amount: an administrator sets the official figure.';

/**
 * Direct-award limit: 700 000 SEK since 1 February 2022 (19 a kap. 2 § LOU): "Direktupphandling får
 * användas om värdet av upphandlingen beräknas understiga 700 000 kronor". A value exactly at the
 * limit is not below it (`allowsEqual: false`). Rule sets before LOU-2026.3 cited 19 a kap. 1 § and
 * read "uppgår till högst", the wording before 2022 (CITATIONS.md).
 */
const DIRECT_AWARD_700K_NOTE =
  '19 a kap. 2 § LOU (lydelse enligt SFS 2021:1110, i kraft 2022-02-01): direktupphandling får användas om värdet "beräknas understiga 700 000 kronor"; ' +
  'exakt 700 000 kronor är inte under gränsen';

export const THRESHOLD_ROWS: readonly ThresholdRow[] = Object.freeze([
  // --- 2022–2023 (kept for tenders started then, and as the last confirmed figures before 2024)
  {
    id: 'thr-2022-supplies-services',
    kind: 'threshold',
    contractTypes: ['supplies', 'services'],
    authority: 'sub_central',
    validFrom: '2022-01-01',
    validTo: '2023-12-31',
    sek: 2_236_731,
    eur: 215_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU',
    source: KKV_2022,
  },
  {
    id: 'thr-2022-works',
    kind: 'threshold',
    contractTypes: ['works'],
    authority: 'sub_central',
    validFrom: '2022-01-01',
    validTo: '2023-12-31',
    sek: 55_991_099,
    eur: 5_382_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU',
    source: KKV_2022,
  },
  {
    id: 'thr-2022-social-services',
    kind: 'threshold',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2022-01-01',
    validTo: '2023-12-31',
    sek: 7_802_550,
    eur: 750_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU (bilaga 2)',
    source: KKV_2022,
  },
  {
    id: 'dal-2022-social-services',
    kind: 'direct_award_limit',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2022-02-01',
    validTo: '2023-12-31',
    sek: 7_802_550,
    eur: null,
    confirmed: true,
    allowsEqual: false,
    equalsThreshold: true,
    basis: '19 a kap. 2 § LOU',
    source: `${KKV_2022}; the direct-award limit for social and other special services equals the threshold`,
  },
  // --- 2024–2025
  {
    id: 'thr-2024-supplies-services',
    kind: 'threshold',
    contractTypes: ['supplies', 'services'],
    authority: 'sub_central',
    validFrom: '2024-01-01',
    validTo: '2025-12-31',
    sek: 2_389_585,
    eur: 221_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU',
    source: UHM_2024,
  },
  {
    id: 'thr-2024-works',
    kind: 'threshold',
    contractTypes: ['works'],
    authority: 'sub_central',
    validFrom: '2024-01-01',
    validTo: '2025-12-31',
    sek: 59_880_179,
    eur: 5_538_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU',
    source: UHM_2024,
  },
  {
    id: 'thr-2024-social-services',
    kind: 'threshold',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2024-01-01',
    validTo: '2025-12-31',
    sek: 8_109_450,
    eur: 750_000,
    confirmed: true,
    basis: '5 kap. 1–2 §§ LOU (bilaga 2)',
    source: UHM_2024,
  },
  {
    id: 'dal-2024-social-services',
    kind: 'direct_award_limit',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2024-01-01',
    validTo: '2025-12-31',
    sek: 8_109_450,
    eur: null,
    confirmed: true,
    allowsEqual: false,
    equalsThreshold: true,
    basis: '19 a kap. 2 § LOU',
    source: `${UHM_2024}; the direct-award limit for social and other special services equals the threshold`,
  },
  // --- 2026–2027: EUR amounts known, SEK not confirmed
  {
    id: 'thr-2026-supplies-services',
    kind: 'threshold',
    contractTypes: ['supplies', 'services'],
    authority: 'sub_central',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    sek: null,
    eur: 216_000,
    confirmed: false,
    basis: '5 kap. 1–2 §§ LOU',
    source: EU_2025_2152,
  },
  {
    id: 'thr-2026-works',
    kind: 'threshold',
    contractTypes: ['works'],
    authority: 'sub_central',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    sek: null,
    eur: 5_404_000,
    confirmed: false,
    basis: '5 kap. 1–2 §§ LOU',
    source: EU_2025_2152,
  },
  {
    id: 'thr-2026-social-services',
    kind: 'threshold',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    sek: null,
    eur: 750_000,
    confirmed: false,
    basis: '5 kap. 1–2 §§ LOU (bilaga 2)',
    source: EU_2025_2152,
  },
  {
    id: 'dal-2026-social-services',
    kind: 'direct_award_limit',
    contractTypes: ['social_services', 'welfare_services'],
    authority: 'sub_central',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    sek: null,
    eur: null,
    confirmed: false,
    allowsEqual: false,
    equalsThreshold: true,
    basis: '19 a kap. 2 § LOU',
    source:
      'Equals the threshold for social and other special services, whose official SEK value for 2026–2027 is not confirmed',
  },
  // --- the national direct-award limit, independent of the EU thresholds
  {
    id: 'dal-2022-700k',
    kind: 'direct_award_limit',
    contractTypes: ['supplies', 'services', 'works'],
    authority: 'sub_central',
    validFrom: '2022-02-01',
    validTo: null,
    sek: 700_000,
    eur: null,
    confirmed: true,
    allowsEqual: false,
    basis: '19 a kap. 2 § LOU',
    source: DIRECT_AWARD_700K_NOTE,
  },
] satisfies ThresholdRow[]);

/** No row of a kind is in force for a contract type at a date: the rule set does not cover it. */
export class RuleSetGapError extends Error {
  override readonly name = 'RuleSetGapError';
  constructor(
    readonly kind: ReferenceRowKind,
    readonly contractType: ContractType,
    readonly date: IsoDate,
    detail = 'no row in force',
  ) {
    const what = kind === 'threshold' ? 'threshold (tröskelvärde)' : 'direct-award limit (direktupphandlingsgräns)';
    super(
      detail === 'no row in force'
        ? `Rule set ${RULE_SET_VERSION} has no ${what} for ${contractType} in force on ${date}: no figure for that date ` +
            'has been published or entered. An administrator can add the row (the official figure and its source) to the rule set.'
        : `Rule set ${RULE_SET_VERSION}: ${detail} for the ${what} of ${contractType} on ${date}. An administrator must correct the rows.`,
    );
  }

  /** What is missing, for a problem body. */
  get missing(): { kind: ReferenceRowKind; contractType: ContractType; date: IsoDate } {
    return { kind: this.kind, contractType: this.contractType, date: this.date };
  }
}

/** True when `row` is in force on `date` (inclusive bounds). */
export function inForce(row: ThresholdRow, date: IsoDate): boolean {
  return compareDates(row.validFrom, date) <= 0 && (row.validTo === null || compareDates(date, row.validTo) <= 0);
}

/** All rows in force at `date` (inclusive bounds). */
export function rowsInForce(date: IsoDate, rows: readonly ThresholdRow[] = THRESHOLD_ROWS): ThresholdRow[] {
  return rows.filter((r) => inForce(r, date));
}

/** The single row of `kind` for `contractType` in force at `date`; throws RuleSetGapError otherwise. */
export function findRow(
  kind: ReferenceRowKind,
  contractType: ContractType,
  date: IsoDate,
  rows: readonly ThresholdRow[] = THRESHOLD_ROWS,
): ThresholdRow {
  const found = rows.filter((r) => r.kind === kind && r.contractTypes.includes(contractType) && inForce(r, date));
  if (found.length === 0) throw new RuleSetGapError(kind, contractType, date);
  if (found.length > 1) {
    throw new RuleSetGapError(kind, contractType, date, `overlapping rows ${found.map((r) => r.id).join(', ')}`);
  }
  return found[0];
}

/**
 * The effective SEK figure of a direct-award limit: for a row that equals the threshold, the
 * threshold row's figure and confirmation (so an administrator's override carries over).
 */
export function effectiveDirectAwardLimit(
  contractType: ContractType,
  date: IsoDate,
  rows: readonly ThresholdRow[] = THRESHOLD_ROWS,
): ThresholdRow {
  const row = findRow('direct_award_limit', contractType, date, rows);
  if (!row.equalsThreshold) return row;
  const threshold = findRow('threshold', contractType, date, rows);
  return { ...row, sek: threshold.sek, confirmed: threshold.confirmed };
}

/** An administrator's confirmed SEK value for a row (typically one shipped with `sek: null`). */
export interface ThresholdOverride {
  id: string;
  sek: number;
  source: string;
}

/**
 * The rows with administrator overrides applied: the SEK value is set and marked confirmed, and
 * the source records who/what confirmed it. Unknown ids are an error, not silently ignored.
 */
export function withOverrides(
  overrides: readonly ThresholdOverride[],
  rows: readonly ThresholdRow[] = THRESHOLD_ROWS,
): ThresholdRow[] {
  const byId = new Map(overrides.map((o) => [o.id, o]));
  for (const id of byId.keys()) {
    if (!rows.some((r) => r.id === id)) throw new Error(`override for unknown threshold row ${id}`);
  }
  return rows.map((r) => {
    const o = byId.get(r.id);
    if (!o) return r;
    if (!Number.isInteger(o.sek) || o.sek <= 0)
      throw new RangeError(`override ${o.id}: sek must be a positive integer`);
    return { ...r, sek: o.sek, confirmed: true, source: `${o.source} (administrator override; shipped: ${r.source})` };
  });
}

/**
 * Consistency problems in a row set: bad dates, a confirmed row without a SEK figure, and
 * overlapping rows for the same kind and contract type. Empty when the rows are usable.
 */
export function validateRows(rows: readonly ThresholdRow[] = THRESHOLD_ROWS): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const r of rows) {
    if (ids.has(r.id)) problems.push(`${r.id}: duplicate id`);
    ids.add(r.id);
    if (!isIsoDate(r.validFrom) || (r.validTo !== null && !isIsoDate(r.validTo))) problems.push(`${r.id}: bad dates`);
    else if (r.validTo !== null && compareDates(r.validFrom, r.validTo) > 0)
      problems.push(`${r.id}: validFrom after validTo`);
    if (r.confirmed && r.sek === null) problems.push(`${r.id}: confirmed without a SEK value`);
    if (r.sek !== null && (!Number.isInteger(r.sek) || r.sek <= 0))
      problems.push(`${r.id}: sek must be a positive integer`);
  }
  for (const kind of ['threshold', 'direct_award_limit'] as const) {
    for (const ct of CONTRACT_TYPES) {
      const list = rows.filter((r) => r.kind === kind && r.contractTypes.includes(ct));
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i], list[j]];
          const aEndsBeforeB = a.validTo !== null && compareDates(a.validTo, b.validFrom) < 0;
          const bEndsBeforeA = b.validTo !== null && compareDates(b.validTo, a.validFrom) < 0;
          if (!aEndsBeforeB && !bEndsBeforeA) problems.push(`${a.id} and ${b.id} overlap for ${kind}/${ct}`);
        }
      }
    }
  }
  return problems;
}
