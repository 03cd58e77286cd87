/**
 * The organisation's delegation order (delegationsordning, issue 29): the board delegates each kind
 * of decision in a procurement to a function (upphandlingschef, förvaltningschef, regiondirektör, a
 * committee …), up to a limit in SEK or in prisbasbelopp, sometimes with the right to delegate
 * further; each item names who stands in (ersättare) when the delegate is absent, and whether the
 * decision is reported to the board. Versioned data per organisation, adopted like the policy
 * (ARCHITECTURE §4 and 5a); this file is the pure part: the shape, the JSON Schema the API publishes
 * and validates against, the prisbasbelopp by year, which items apply to a decision, and the order's
 * own consistency.
 *
 * Pure and deterministic (no imports above libs, no clock): workflows may call it.
 */
import { isIsoDate } from './dates';
import { STORABLE_TEXT_PATTERN } from './text';
import type { IsoDate } from './types';

/** The decisions a delegation order delegates: the tender's gates, the contract's, and a direct award. */
export const DELEGATED_DECISIONS = [
  'decision_to_procure',
  'documents_approval',
  'award_decision',
  'cancellation',
  'contract_signature',
  'contract_change',
  /** A sanction against a contract's supplier after a deviation (issue 31): penalty, price reduction, termination. */
  'contract_sanction',
  'direct_award',
] as const;
export type DelegatedDecision = (typeof DELEGATED_DECISIONS)[number];

export const DELEGATION_REGIMES = ['eu', 'national', 'direct'] as const;
export type DelegationRegime = (typeof DELEGATION_REGIMES)[number];

/** Up to (and including) an amount in SEK, or a number of prisbasbelopp of the decision's year. */
export type DelegationLimit = { sek: number } | { prisbasbelopp: number };

/** Who stands in when the delegate is absent: a named function, or the delegate's nearest superior. */
export type DelegationSubstitute = { function: string } | { nearestSuperior: true };

export interface DelegationItem {
  /** The item's number as in the document, e.g. "3.4". */
  id: string;
  decision: DelegatedDecision;
  /** The function the decision is delegated to (a function code, e.g. "upphandlingschef"). */
  delegate: string;
  /** Absent: no limit (the delegate decides whatever the value). */
  limit?: DelegationLimit;
  /** The item applies only to these; an absent list means any. */
  conditions?: { categories?: string[]; regimes?: DelegationRegime[]; procedures?: string[] };
  furtherDelegation?: { allowed: boolean; to?: string[] };
  reportToBoard: boolean;
  substitute: DelegationSubstitute;
}

export interface DelegationOrder {
  items: DelegationItem[];
}

// --- prisbasbelopp ---------------------------------------------------------------------------------

/**
 * Prisbasbeloppet (socialförsäkringsbalken 2 kap. 6–8 §§), decided by the government for one calendar
 * year at a time on SCB's calculation. A year not in this table is not guessed: `limitInSek` refuses
 * it, and the table gets its row when the government has decided the amount.
 *
 * - 2024: 57 300 kr — "Regeringen har fastställt det nya prisbasbeloppet för 2024 … 57 300 kronor",
 *   Fremia, https://www.fremia.se/nyhetsrum/nyheter/2023/prisbasbelopp-2024/ (also Företagarna, below).
 * - 2025: 58 800 kr — "Prisbasbeloppet är 57 300 kr för år 2024 och 58 800 kr för år 2025", Företagarna,
 *   https://foretagarna.se/juridisk-faq/ovrigt/prisbasbeloppet-och-inkomstbasbeloppet (the förordning
 *   for 2025 itself was not seen; secondary sources only, which agree).
 * - 2026: 59 200 kr — förordning (2025:872) om prisbasbelopp och förhöjt prisbasbelopp för år 2026,
 *   1 §: "Prisbasbeloppet … ska vara 59 200 kronor", as https://laglio.se/lagar/sfs-2025-872 shows it
 *   from Riksdagens öppna data.
 */
export const PRISBASBELOPP: Readonly<Record<number, { sek: number; source: string }>> = Object.freeze({
  2024: { sek: 57_300, source: 'https://www.fremia.se/nyhetsrum/nyheter/2023/prisbasbelopp-2024/' },
  2025: {
    sek: 58_800,
    source: 'https://foretagarna.se/juridisk-faq/ovrigt/prisbasbeloppet-och-inkomstbasbeloppet',
  },
  2026: { sek: 59_200, source: 'SFS 2025:872 1 § (https://laglio.se/lagar/sfs-2025-872)' },
});

/** A limit in prisbasbelopp for a year the table does not have. */
export class PrisbasbeloppUnknownError extends Error {
  override readonly name = 'PrisbasbeloppUnknownError';
  constructor(readonly year: number) {
    super(`The prisbasbelopp of ${year} is not known (known: ${Object.keys(PRISBASBELOPP).join(', ')})`);
  }
}

/** The prisbasbelopp of the date's calendar year (a Swedish calendar date, YYYY-MM-DD). */
export function prisbasbelopp(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${JSON.stringify(date)}`);
  const year = Number(date.slice(0, 4));
  const row = PRISBASBELOPP[year];
  if (!row) throw new PrisbasbeloppUnknownError(year);
  return row.sek;
}

/**
 * The item's limit in SEK on the date (prisbasbelopp of the date's year, rounded down to whole SEK);
 * `Infinity` when the item has no limit.
 */
export function limitInSek(item: Pick<DelegationItem, 'limit'>, date: IsoDate): number {
  const limit = item.limit;
  if (!limit) return Infinity;
  if ('sek' in limit) return limit.sek;
  return Math.floor(limit.prisbasbelopp * prisbasbelopp(date));
}

// --- which items apply -----------------------------------------------------------------------------

export interface DelegatedDecisionQuery {
  decision: DelegatedDecision;
  valueSek: number;
  category?: string;
  regime?: DelegationRegime;
  procedure?: string;
  /** The day of the decision (its year decides a limit in prisbasbelopp). */
  date: IsoDate;
}

/** A condition the item sets holds when the decision has a value in the item's list; no list: any. */
function within<T>(list: readonly T[] | undefined, value: T | undefined): boolean {
  return list === undefined || (value !== undefined && list.includes(value));
}

/**
 * The items that may take the decision: the right decision, every condition met, a limit at or above
 * the value; lowest limit first. The first is the level the order puts the decision at; a value above
 * a function's limit goes to the next item (the next level up). Empty: the order delegates it to no
 * one (the board decides).
 */
export function itemsFor(order: DelegationOrder, q: DelegatedDecisionQuery): DelegationItem[] {
  return order.items
    .filter(
      (i) =>
        i.decision === q.decision &&
        within(i.conditions?.categories, q.category) &&
        within(i.conditions?.regimes, q.regime) &&
        within(i.conditions?.procedures, q.procedure),
    )
    .map((item) => ({ item, limit: limitInSek(item, q.date) }))
    .filter((x) => x.limit >= q.valueSek)
    .sort((a, b) => a.limit - b.limit)
    .map((x) => x.item);
}

// --- the order's consistency -----------------------------------------------------------------------

export interface DelegationProblem {
  /** The field at fault, as in the request body: `items.2.limit.sek`. */
  field: string;
  rule: string;
  message: string;
}

const conditionKey = (i: DelegationItem): string =>
  JSON.stringify([
    i.decision,
    [...(i.conditions?.categories ?? ['*'])].sort(),
    [...(i.conditions?.regimes ?? ['*'])].sort(),
    [...(i.conditions?.procedures ?? ['*'])].sort(),
  ]);

const limitKey = (l: DelegationLimit | undefined): string =>
  l === undefined ? 'none' : 'sek' in l ? `sek:${l.sek}` : `pbb:${l.prisbasbelopp}`;

/**
 * What is wrong with the order, each naming its field: ids once each, known decisions, limits that
 * are positive and either SEK or prisbasbelopp, a substitute for every item (and not the delegate
 * itself), further delegation that names its targets (and none when it is not allowed), no empty
 * condition list, and no two items that would give the same decision to two functions at one level.
 * Empty when the order holds together.
 */
export function delegationOrderProblems(order: DelegationOrder): DelegationProblem[] {
  const out: DelegationProblem[] = [];
  const items = order.items ?? [];
  if (items.length === 0) out.push({ field: 'items', rule: 'required', message: 'items must name at least one item' });
  const seenIds = new Map<string, number>();
  const seenLevels = new Map<string, number>();
  items.forEach((item, i) => {
    const at = `items.${i}`;
    const earlier = seenIds.get(item.id);
    if (earlier !== undefined) {
      out.push({ field: `${at}.id`, rule: 'unique', message: `${item.id} is also item ${earlier}` });
    } else seenIds.set(item.id, i);
    if (!(DELEGATED_DECISIONS as readonly string[]).includes(item.decision)) {
      out.push({
        field: `${at}.decision`,
        rule: 'enum',
        message: `${String(item.decision)} is not one of ${DELEGATED_DECISIONS.join(', ')}`,
      });
    }
    if (!item.delegate?.trim()) out.push({ field: `${at}.delegate`, rule: 'required', message: 'name the function' });
    const limit = item.limit;
    if (limit !== undefined) {
      const kinds = ['sek', 'prisbasbelopp'].filter((k) => k in limit);
      const amount = 'sek' in limit ? limit.sek : (limit as { prisbasbelopp: number }).prisbasbelopp;
      if (kinds.length !== 1) {
        out.push({
          field: `${at}.limit`,
          rule: 'delegation_limit',
          message: 'a limit is either { sek } or { prisbasbelopp }',
        });
      } else if (!(typeof amount === 'number' && Number.isFinite(amount) && amount > 0)) {
        out.push({
          field: `${at}.limit.${kinds[0]}`,
          rule: 'delegation_limit',
          message: 'a limit is a positive amount',
        });
      } else if (kinds[0] === 'sek' && !Number.isInteger(amount)) {
        out.push({ field: `${at}.limit.sek`, rule: 'delegation_limit', message: 'a limit in SEK is whole kronor' });
      }
    }
    const substitute = item.substitute as Partial<{ function: string; nearestSuperior: boolean }> | undefined;
    if (!substitute || (!substitute.function?.trim() && substitute.nearestSuperior !== true)) {
      out.push({
        field: `${at}.substitute`,
        rule: 'delegation_substitute',
        message: 'name who stands in: { function } or { nearestSuperior: true }',
      });
    } else if (substitute.function !== undefined && substitute.function === item.delegate) {
      out.push({
        field: `${at}.substitute.function`,
        rule: 'delegation_substitute',
        message: `${item.delegate} cannot stand in for itself`,
      });
    }
    const further = item.furtherDelegation;
    if (further?.allowed && !(further.to && further.to.length > 0)) {
      out.push({
        field: `${at}.furtherDelegation.to`,
        rule: 'further_delegation_targets',
        message: 'further delegation names the functions it may go to',
      });
    } else if (further && !further.allowed && further.to && further.to.length > 0) {
      out.push({
        field: `${at}.furtherDelegation.to`,
        rule: 'further_delegation_targets',
        message: 'no targets when further delegation is not allowed',
      });
    }
    for (const key of ['categories', 'regimes', 'procedures'] as const) {
      const list = item.conditions?.[key];
      if (list !== undefined && list.length === 0) {
        out.push({
          field: `${at}.conditions.${key}`,
          rule: 'required',
          message: `an empty list would match nothing; leave ${key} out to match any`,
        });
      }
    }
    const level = `${conditionKey(item)}|${limitKey(limit)}`;
    const same = seenLevels.get(level);
    if (same !== undefined && items[same].delegate !== item.delegate) {
      out.push({
        field: `${at}.limit`,
        rule: 'delegation_ambiguous',
        message: `item ${items[same].id} gives the same decision, under the same conditions and limit, to ${items[same].delegate}`,
      });
    } else if (same === undefined) seenLevels.set(level, i);
  });
  return out;
}

// --- the published schema --------------------------------------------------------------------------

const FUNCTION_CODE = { type: 'string', minLength: 1, maxLength: 100, pattern: STORABLE_TEXT_PATTERN };
const CODE_LIST = { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: FUNCTION_CODE };

/**
 * The body of `PUT /organizations/{org}/delegation-order`, as JSON Schema: the shape (the API answers
 * 400 naming the field); `delegationOrderProblems` then checks that the items hold together.
 */
export const DELEGATION_ORDER_UPDATE_SCHEMA = {
  type: 'object',
  description: "A new version of the organisation's delegation order (version n+1), decided by the board.",
  additionalProperties: false,
  required: ['items', 'reference'],
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'decision', 'delegate', 'reportToBoard', 'substitute'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z.:-]+$', example: '3.4' },
          decision: { type: 'string', enum: [...DELEGATED_DECISIONS] },
          delegate: { ...FUNCTION_CODE, example: 'upphandlingschef' },
          limit: {
            type: 'object',
            description: 'Up to and including: whole SEK, or prisbasbelopp of the decision year. Absent: no limit.',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            properties: {
              sek: { type: 'integer', minimum: 1 },
              // OpenAPI 3.0 has no numeric exclusiveMinimum: a hundredth of a prisbasbelopp is the smallest limit.
              prisbasbelopp: { type: 'number', minimum: 0.01 },
            },
            example: { sek: 2_000_000 },
          },
          conditions: {
            type: 'object',
            description: 'The item applies only to these; a list left out means any.',
            additionalProperties: false,
            properties: {
              categories: CODE_LIST,
              regimes: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { type: 'string', enum: [...DELEGATION_REGIMES] },
              },
              procedures: CODE_LIST,
            },
          },
          furtherDelegation: {
            type: 'object',
            additionalProperties: false,
            required: ['allowed'],
            properties: { allowed: { type: 'boolean' }, to: CODE_LIST },
          },
          reportToBoard: { type: 'boolean' },
          substitute: {
            type: 'object',
            description: 'Who stands in (ersättare): { function } or { nearestSuperior: true }.',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            properties: { function: FUNCTION_CODE, nearestSuperior: { type: 'boolean', enum: [true] } },
            example: { nearestSuperior: true },
          },
        },
      },
    },
    reference: {
      type: 'string',
      minLength: 3,
      maxLength: 500,
      pattern: STORABLE_TEXT_PATTERN,
      description: 'The board decision (e.g. the minutes paragraph) that adopts this version.',
      example: 'RS 2026-11-20 § 113',
    },
  },
} as const;
