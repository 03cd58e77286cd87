/**
 * The sanctions a contract reserves against its supplier (issue 31): a penalty (vite), a price
 * reduction (prisavdrag) or the right to terminate (hävningsrätt). They are the contract's own terms,
 * not rules of LOU: the contract names each in a clause, with the most a monetary sanction may come
 * to. A deviation found by a control that is major or critical puts the decision on a sanction before
 * whoever the delegation order (its `contract_sanction` items) or, without one, the policy's
 * approvers names; the decision is taken within the clause.
 *
 * Pure and deterministic (no clock, no I/O): the tender asks it when the contract is registered, the
 * contract's workflow when a sanction is decided, the API and the console to show it.
 */
import { isFilledText } from './text';

export const SANCTION_KINDS = ['penalty', 'price_reduction', 'termination'] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

/** The most sanctions one contract declares (one clause of each kind is the usual; some split them by lot or service). */
export const MAX_SANCTIONS = 10;

/** A sanction the contract reserves: its kind, the clause, and the most it may come to (monetary kinds). */
export interface ContractSanction {
  kind: SanctionKind;
  /** Where the contract says it, e.g. "Allmänna villkor 14.2". */
  clauseReference: string;
  /** Penalty and price reduction: the most the clause allows for one deviation, in whole SEK. */
  maxAmountSek?: number;
}

/** What a sanction decision decides: to impose one of the declared sanctions, or to refrain (with the reason in the note). */
export const SANCTION_DECISIONS = ['impose', 'refrain'] as const;
export type SanctionDecisionKind = (typeof SANCTION_DECISIONS)[number];

export interface SanctionDecision {
  decision: SanctionDecisionKind;
  /** impose: which declared sanction. */
  kind?: SanctionKind;
  /** impose a penalty or a price reduction: the amount, whole SEK above 0, within the clause's maximum. */
  amountSek?: number;
}

/** The deviations that put a sanction to a decision, when the contract declares any. */
export const SANCTIONABLE_SEVERITIES: readonly string[] = ['major', 'critical'];

export type SanctionRule = 'sanction_not_declared' | 'sanction_amount_limit';

export interface SanctionProblem {
  kind: 'BadRequest' | 'RuleViolation';
  field: string;
  message: string;
  rule?: SanctionRule;
}

/** The contract's declared sanctions as registered: a problem with the first that is off, or undefined. */
export function declaredSanctionsProblem(v: unknown, contractValueSek: number): SanctionProblem | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > MAX_SANCTIONS)
    return { kind: 'BadRequest', field: 'sanctions', message: `sanctions: a list of at most ${MAX_SANCTIONS}.` };
  for (const [i, s] of (v as unknown[]).entries()) {
    const at = `sanctions[${i}]`;
    if (!s || typeof s !== 'object')
      return { kind: 'BadRequest', field: at, message: `${at}: { kind, clauseReference, maxAmountSek? }.` };
    const x = s as Partial<ContractSanction>;
    if (!(SANCTION_KINDS as readonly unknown[]).includes(x.kind))
      return { kind: 'BadRequest', field: `${at}.kind`, message: `${at}.kind: one of ${SANCTION_KINDS.join(', ')}.` };
    if (!isFilledText(x.clauseReference, 300))
      return {
        kind: 'BadRequest',
        field: `${at}.clauseReference`,
        message: `${at}.clauseReference: the contract's clause (at most 300 characters).`,
      };
    if (x.kind === 'termination') {
      if (x.maxAmountSek !== undefined)
        return {
          kind: 'BadRequest',
          field: `${at}.maxAmountSek`,
          message: `${at}.maxAmountSek: a termination has no amount.`,
        };
    } else if (
      x.maxAmountSek !== undefined &&
      !(Number.isSafeInteger(x.maxAmountSek) && x.maxAmountSek > 0 && x.maxAmountSek <= contractValueSek)
    ) {
      return {
        kind: 'BadRequest',
        field: `${at}.maxAmountSek`,
        message: `${at}.maxAmountSek: whole SEK above 0, at most the contract's value (${contractValueSek} SEK).`,
      };
    }
  }
  return undefined;
}

/** The decision against what the contract declares: a problem, or undefined. `valueSek`: the contract's current value. */
export function sanctionDecisionProblem(
  v: unknown,
  declared: readonly ContractSanction[],
  valueSek: number,
): SanctionProblem | undefined {
  if (!v || typeof v !== 'object')
    return {
      kind: 'BadRequest',
      field: 'sanction',
      message: "sanction: { decision: 'impose' | 'refrain', kind?, amountSek? }.",
    };
  const d = v as Partial<SanctionDecision>;
  if (!(SANCTION_DECISIONS as readonly unknown[]).includes(d.decision))
    return {
      kind: 'BadRequest',
      field: 'sanction.decision',
      message: `sanction.decision: one of ${SANCTION_DECISIONS.join(', ')}.`,
    };
  if (d.decision === 'refrain')
    return d.kind === undefined && d.amountSek === undefined
      ? undefined
      : {
          kind: 'BadRequest',
          field: d.kind !== undefined ? 'sanction.kind' : 'sanction.amountSek',
          message: 'A decision to refrain names no sanction and no amount.',
        };
  if (!(SANCTION_KINDS as readonly unknown[]).includes(d.kind))
    return {
      kind: 'BadRequest',
      field: 'sanction.kind',
      message: `sanction.kind: one of ${SANCTION_KINDS.join(', ')}.`,
    };
  const clauses = declared.filter((s) => s.kind === d.kind);
  if (clauses.length === 0)
    return {
      kind: 'RuleViolation',
      field: 'sanction.kind',
      rule: 'sanction_not_declared',
      message: `The contract declares no ${SANCTION_WORDS[d.kind!]}; it declares ${declared.map((s) => SANCTION_WORDS[s.kind]).join(', ') || 'none'}.`,
    };
  if (d.kind === 'termination')
    return d.amountSek === undefined
      ? undefined
      : { kind: 'BadRequest', field: 'sanction.amountSek', message: 'A termination has no amount.' };
  if (!Number.isSafeInteger(d.amountSek) || d.amountSek! <= 0)
    return {
      kind: 'BadRequest',
      field: 'sanction.amountSek',
      message: `sanction.amountSek: the ${SANCTION_WORDS[d.kind!]} in whole SEK above 0.`,
    };
  const max = maxAmountOf(clauses, valueSek);
  return d.amountSek! <= max
    ? undefined
    : {
        kind: 'RuleViolation',
        field: 'sanction.amountSek',
        rule: 'sanction_amount_limit',
        message: `The contract allows a ${SANCTION_WORDS[d.kind!]} of at most ${max} SEK (${clauses.map((c) => c.clauseReference).join('; ')}), not ${d.amountSek} SEK.`,
      };
}

/** The most a monetary sanction may come to: the highest maximum its clauses name, else the contract's current value. */
function maxAmountOf(clauses: readonly ContractSanction[], valueSek: number): number {
  const named = clauses.filter((c) => c.maxAmountSek !== undefined).map((c) => c.maxAmountSek!);
  return named.length === clauses.length ? Math.min(valueSek, Math.max(...named)) : valueSek;
}

/**
 * The value a sanction decision is taken at, for the delegation order's limits and an approver's:
 * the amount imposed; a termination, the contract's current value; refraining, the most the declared
 * sanctions could have come to (giving up a claim is decided at the level that could have made it).
 */
export function sanctionDecisionValue(
  d: SanctionDecision,
  declared: readonly ContractSanction[],
  valueSek: number,
): number {
  if (d.decision === 'impose') return d.kind === 'termination' ? valueSek : (d.amountSek ?? 0);
  if (declared.some((s) => s.kind === 'termination')) return valueSek;
  const kinds = [...new Set(declared.map((s) => s.kind))];
  return Math.max(
    0,
    ...kinds.map((k) =>
      maxAmountOf(
        declared.filter((s) => s.kind === k),
        valueSek,
      ),
    ),
  );
}

/** The sanctions in words (English; the console has its own Swedish labels). */
export const SANCTION_WORDS: Readonly<Record<SanctionKind, string>> = {
  penalty: 'penalty (vite)',
  price_reduction: 'price reduction (prisavdrag)',
  termination: 'termination (hävning)',
};
