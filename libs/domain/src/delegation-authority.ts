/**
 * Who may take a decision under the delegation order on a day (issue 29, part 3; ARCHITECTURE §5b):
 * the tender pins, at its start, the items of the order in force that could take each of its gates
 * (a ladder, lowest limit first); when a gate is asked for, the first item whose limit covers the
 * value is its level; the people who hold that item's function and are present decide it, with
 * its further delegates where the order allows them and, for a holder who is absent, their
 * substitute. When nobody eligible is present, the gate goes to the next level of the ladder.
 *
 * Pure and deterministic (calendar dates `YYYY-MM-DD`, no clock): the workflow, the API's decision
 * route and the inbox ask the same functions.
 */
import { holdersOn, isAbsent, presentHolders, type Absence, type PersonFunction } from './absences';
import {
  PrisbasbeloppUnknownError,
  limitInSek,
  type DelegatedDecision,
  type DelegationItem,
  type DelegationOrder,
  type DelegationRegime,
} from './delegation';
import type { IsoDate } from './types';

/** How many items of one decision a tender pins: more would be an order no board writes. */
export const MAX_LADDER = 12;

/** The tender's gates that the order delegates, each its own decision. */
export const GATE_DECISIONS_DELEGATED = [
  'decision_to_procure',
  'documents_approval',
  'award_decision',
  'cancellation',
] as const satisfies readonly DelegatedDecision[];
export type DelegatedGate = (typeof GATE_DECISIONS_DELEGATED)[number];

/** What a tender pins of the delegation order in force at its start. */
export interface DelegationPin {
  /** The order's version (delegation_orders.version). */
  version: number;
  /** Per gate, the items whose conditions the tender meets, lowest limit first (the ladder). */
  ladders: Partial<Record<DelegatedGate, DelegationItem[]>>;
  /**
   * The `contract_sanction` items the tender meets: the contract it signs takes its sanction
   * decisions under them (absent in tenders pinned before, and when the order has none).
   */
  sanctions?: DelegationItem[];
}

/** The tender's facts an item's conditions ask about. */
export interface DelegationSubject {
  category?: string;
  /** The tender's regime (a framework call-off's regime is none of the order's: only an item without a regime condition applies). */
  regime?: DelegationRegime | string;
  procedure?: string;
  /**
   * A direct award, whose decision to procure is its award (procedures.ts awardedByDecisionToProcure):
   * that gate is taken under the order's `direct_award` items when the order has any.
   */
  directAward?: boolean;
}

/** The limit for ordering a pinned ladder (levelsFor orders it again by the day's amounts): prisbasbelopp at a nominal amount. */
function ladderKey(item: DelegationItem): number {
  if (!item.limit) return Infinity;
  return 'sek' in item.limit ? item.limit.sek : item.limit.prisbasbelopp * 60_000;
}

function meets(list: readonly string[] | undefined, value: string | undefined): boolean {
  return list === undefined || (value !== undefined && list.includes(value));
}

/** The ladders a new tender pins: for each gate, the items whose conditions it meets (whatever their limit). */
export function delegationPin(version: number, order: DelegationOrder, subject: DelegationSubject): DelegationPin {
  const ladders: DelegationPin['ladders'] = {};
  const hasDirectAward = order.items.some((i) => i.decision === 'direct_award');
  for (const gate of GATE_DECISIONS_DELEGATED) {
    const decision: DelegatedDecision =
      gate === 'decision_to_procure' && subject.directAward && hasDirectAward ? 'direct_award' : gate;
    const ladder = ladderOf(order, decision, subject);
    if (ladder.length > 0) ladders[gate] = ladder;
  }
  const sanctions = ladderOf(order, 'contract_sanction', subject);
  return { version, ladders, ...(sanctions.length > 0 ? { sanctions } : {}) };
}

/** The items of one decision whose conditions the subject meets, lowest limit first, at most MAX_LADDER. */
function ladderOf(order: DelegationOrder, decision: DelegatedDecision, subject: DelegationSubject): DelegationItem[] {
  return order.items
    .filter(
      (i) =>
        i.decision === decision &&
        meets(i.conditions?.categories, subject.category) &&
        meets(i.conditions?.regimes, subject.regime) &&
        meets(i.conditions?.procedures, subject.procedure),
    )
    .sort((a, b) => ladderKey(a) - ladderKey(b))
    .slice(0, MAX_LADDER);
}

/**
 * The levels that may take a decision of this value on the day, lowest first: a value above an
 * item's limit goes to the next. A limit in prisbasbelopp for a year the table lacks covers nothing
 * (the amount is not guessed).
 */
export function levelsFor(ladder: readonly DelegationItem[], valueSek: number, date: IsoDate): DelegationItem[] {
  const onDay = (item: DelegationItem): number => {
    try {
      return limitInSek(item, date);
    } catch (e) {
      if (e instanceof PrisbasbeloppUnknownError) return -1;
      throw e;
    }
  };
  return ladder
    .map((item) => ({ item, limit: onDay(item) }))
    .filter((x) => x.limit >= valueSek)
    .sort((a, b) => a.limit - b.limit)
    .map((x) => x.item);
}

/** An organisation's directory on a day, as far as authority goes. */
export interface AuthorityDirectory {
  /** The registry of functions, each with its superior (for a substitute rule of "nearest superior"). */
  functions: readonly { code: string; superior?: string | null }[];
  personFunctions: readonly PersonFunction[];
  absences: readonly Absence[];
}

/** Why a person may decide under an item. */
export interface DelegatedAuthority {
  /** The item of the order (its id as in the document, e.g. "3.4"). */
  item: string;
  /** The function the person decides as. */
  function: string;
  /** delegate: holds the item's function; further: a function the item delegates on to; substitute: stands in. */
  via: 'delegate' | 'further' | 'substitute';
  /** For a substitute: the absent holder they stand in for (absent when the function has no holder at all). */
  asSubstituteFor?: string;
}

/** The function whose holders stand in for the item's delegate: named, or the delegate's nearest superior. */
export function substituteFunction(
  item: DelegationItem,
  dir: Pick<AuthorityDirectory, 'functions'>,
): string | undefined {
  if ('function' in item.substitute) return item.substitute.function;
  return dir.functions.find((f) => f.code === item.delegate)?.superior ?? undefined;
}

/**
 * Whether, and as what, a person may take the item's decision on the day. In order: a present
 * holder of the delegate function; a present holder of a function the item delegates on to (only
 * when it allows further delegation); for each holder of the delegate function who is absent, the
 * substitute their absence names or, when it names none, a present holder of the item's substitute
 * function; when the function has no holder that day, a present holder of the substitute function.
 */
export function authorityOn(
  sub: string,
  item: DelegationItem,
  date: IsoDate,
  dir: AuthorityDirectory,
): DelegatedAuthority | undefined {
  if (isAbsent(sub, date, dir.absences)) return undefined;
  const base = { item: item.id };
  if (presentHolders(item.delegate, date, dir.personFunctions, dir.absences).includes(sub)) {
    return { ...base, function: item.delegate, via: 'delegate' };
  }
  if (item.furtherDelegation?.allowed) {
    for (const code of item.furtherDelegation.to ?? []) {
      if (presentHolders(code, date, dir.personFunctions, dir.absences).includes(sub)) {
        return { ...base, function: code, via: 'further' };
      }
    }
  }
  const holders = holdersOn(item.delegate, date, dir.personFunctions);
  const standIn = substituteFunction(item, dir);
  const holdsStandIn =
    standIn !== undefined && presentHolders(standIn, date, dir.personFunctions, dir.absences).includes(sub);
  for (const absent of holders.filter((h) => isAbsent(h, date, dir.absences))) {
    const absence = dir.absences.find((a) => a.sub === absent && a.from <= date && date <= a.to);
    const named = absence?.substitute ?? undefined;
    if (named === sub || (!named && holdsStandIn)) {
      return { ...base, function: item.delegate, via: 'substitute', asSubstituteFor: absent };
    }
  }
  if (holders.length === 0 && holdsStandIn) return { ...base, function: item.delegate, via: 'substitute' };
  return undefined;
}

/**
 * Everyone who may take the item's decision on the day, with why, in order of sub, leaving out
 * `excluded` (the requester and the tender's evaluators). `candidates`: the people to consider (the
 * organisation's directory).
 */
export function decidersOn(
  item: DelegationItem,
  date: IsoDate,
  dir: AuthorityDirectory,
  candidates: readonly string[],
  excluded: readonly string[] = [],
): { sub: string; authority: DelegatedAuthority }[] {
  return [...new Set(candidates)]
    .filter((sub) => !excluded.includes(sub))
    .sort()
    .flatMap((sub) => {
      const authority = authorityOn(sub, item, date, dir);
      return authority ? [{ sub, authority }] : [];
    });
}

/**
 * The level a gate goes to: the first of `levels` with somebody eligible present, and the ones passed
 * over for having nobody. When no level has anybody, the gate waits at the first (someone may come
 * back), and `passedOver` is empty.
 */
export function levelWithDeciders<T>(
  levels: readonly DelegationItem[],
  decidersAt: (item: DelegationItem) => readonly T[],
): { level: DelegationItem; passedOver: DelegationItem[]; deciders: readonly T[] } | undefined {
  for (let i = 0; i < levels.length; i++) {
    const deciders = decidersAt(levels[i]);
    if (deciders.length > 0) return { level: levels[i], passedOver: levels.slice(0, i), deciders };
  }
  return levels.length > 0 ? { level: levels[0], passedOver: [], deciders: [] } : undefined;
}

/** Whether `authority` is one that `item` can give: its function, a further delegate it allows, or a substitute. */
export function authorityFits(
  authority: Pick<DelegatedAuthority, 'item' | 'function' | 'via'>,
  item: DelegationItem,
): boolean {
  if (authority.item !== item.id) return false;
  switch (authority.via) {
    case 'delegate':
    case 'substitute':
      return authority.function === item.delegate;
    case 'further':
      return item.furtherDelegation?.allowed === true && (item.furtherDelegation.to ?? []).includes(authority.function);
    default:
      return false;
  }
}
