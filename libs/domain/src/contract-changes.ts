/**
 * Changes to a signed contract or framework agreement (issue 31): what 17 kap. LOU allows without a
 * new procurement, checked before a change is registered. Pure and deterministic (no clock, no
 * I/O): the contract's workflow asks it in its validator and again when it applies the change.
 *
 * 17 kap. 8 § LOU: a contract or framework agreement may be changed without a new procurement only
 * under one of 9–14 §§ (libs/domain CITATIONS.md row 47, statute text as consolidated to 2025-07-01;
 * 17 kap. 8–15 §§ are unchanged since 2016):
 *
 * - 9 §, low value: the overall nature unchanged, and the increase or decrease below both the
 *   threshold of 5 kap. 1 § and 10 % of the value (15 % for works); for several changes, their
 *   total net value is compared.
 * - 10 §, a review clause (ändringsklausul) of the original documents that says clearly when it
 *   applies and the scope and kind of the change; the overall nature unchanged.
 * - 11 §, additional supplies, services or works that have become necessary where a change of
 *   supplier cannot be made for economic or technical reasons and would cause significant
 *   inconvenience or costs: at most 50 % of the value, for each such order; contracts only, not
 *   framework agreements.
 * - 12 §, circumstances the authority neither foresaw nor should have foreseen: the overall nature
 *   unchanged, at most 50 % of the value for each change.
 * - 13 §, a new supplier succeeding the original after a restructuring (takeover, merger,
 *   acquisition, insolvency), not excluded (13 kap. 1–2 §§) and qualified as the original was.
 * - 14 §, a change that is not substantial: it is substantial if, among other things, it brings
 *   conditions that would have changed who took part or won, shifts the economic balance in the
 *   supplier's favour, extends the scope considerably, or replaces the supplier.
 *
 * 17 kap. 15 §: for 9, 11 and 12 §§ the value before the change is computed under the contract's
 * indexation clause when it has one. 17 kap. 16 §: a change under 11 or 12 § is announced in a
 * notice (no time limit is set in LOU: the follow-up plans one with the policy's days).
 */
import { kronor as kr } from './award-notice';
import type { ContractType } from './types';

export const CHANGE_GROUNDS = [
  'low_value',
  'review_clause',
  'additional',
  'unforeseen',
  'supplier_succession',
  'not_substantial',
] as const;
export type ChangeGround = (typeof CHANGE_GROUNDS)[number];

export const CHANGE_PARAGRAPH: Readonly<Record<ChangeGround, string>> = {
  low_value: '17 kap. 9 § LOU',
  review_clause: '17 kap. 10 § LOU',
  additional: '17 kap. 11 § LOU',
  unforeseen: '17 kap. 12 § LOU',
  supplier_succession: '17 kap. 13 § LOU',
  not_substantial: '17 kap. 14 § LOU',
};
export const CHANGE_MAIN_RULE = '17 kap. 8 § LOU';
export const MODIFICATION_NOTICE_PARAGRAPH = '17 kap. 16 § LOU';

/** What makes a change substantial (17 kap. 14 § andra stycket 1–4). */
export interface SubstantialTests {
  /** New conditions that would have let other suppliers take part, other tenders be accepted, or drawn more interest. */
  changesCompetition: boolean;
  /** Shifts the economic balance in the supplier's favour. */
  favoursSupplier: boolean;
  /** Extends the contract's scope considerably. */
  extendsScope: boolean;
  /** Replaces the supplier (other than under 13 §). */
  replacesSupplier: boolean;
}

export interface ChangeProposal {
  ground: ChangeGround;
  /** Whole SEK, excluding VAT: positive an increase, negative a decrease. */
  valueChangeSek: number;
  /** Whether the change alters the overall nature of the contract (övergripande karaktär). */
  overallNatureChanged: boolean;
  /** 10 §: where in the original documents the review clause is. */
  clauseReference?: string;
  /** 13 §: the supplier who succeeds. */
  newSupplier?: string;
  /** 14 §: each test of a substantial change, answered. */
  substantial?: SubstantialTests;
}

export interface ChangeContract {
  contractType: ContractType;
  frameworkAgreement: boolean;
  /** The value as registered, whole SEK. */
  valueSek: number;
  /** 17 kap. 15 §: the value before the change under the indexation clause, when the contract has one. */
  indexedValueSek?: number;
  /** The threshold of 5 kap. 1 § in SEK for the contract, or null when it has no confirmed figure. */
  thresholdSek: number | null;
  /** Whether the procurement was above the threshold (its notice duties apply). */
  aboveThreshold: boolean;
  /** The changes registered before, in order. */
  earlier: { ground: ChangeGround; valueChangeSek: number }[];
}

/** The rules a change can be refused by (each with its text in rule-texts.ts). */
export type ChangeRule =
  | 'change_overall_nature'
  | 'threshold_unconfirmed'
  | 'change_above_low_value'
  | 'review_clause_missing'
  | 'additional_not_framework'
  | 'change_above_half'
  | 'successor_missing'
  | 'succession_changes_value'
  | 'substantial_tests_missing'
  | 'substantial_change';

export type ChangeVerdict =
  | { allowed: true; paragraph: string; noticeDue: boolean }
  | { allowed: false; rule: ChangeRule; paragraph: string; field: string; message: string };

const NATURE_GROUNDS: readonly ChangeGround[] = ['low_value', 'review_clause', 'unforeseen', 'not_substantial'];

/** Whether 17 kap. allows the change, on which paragraph, and whether a modification notice is due. */
export function checkContractChange(c: ChangeContract, p: ChangeProposal): ChangeVerdict {
  const paragraph = CHANGE_PARAGRAPH[p.ground];
  const no = (rule: ChangeRule, field: string, message: string, at = paragraph): ChangeVerdict => ({
    allowed: false,
    rule,
    paragraph: at,
    field,
    message,
  });
  const base = c.indexedValueSek ?? c.valueSek;
  if (p.overallNatureChanged && NATURE_GROUNDS.includes(p.ground))
    return no(
      'change_overall_nature',
      'overallNatureChanged',
      `A change that alters the contract's overall nature is not allowed under ${paragraph}; it needs a new procurement (${CHANGE_MAIN_RULE}).`,
    );
  switch (p.ground) {
    case 'low_value': {
      if (c.thresholdSek === null)
        return no(
          'threshold_unconfirmed',
          'ground',
          'The threshold of 5 kap. 1 § has no confirmed SEK figure for this contract, so a change cannot be shown to be below it.',
        );
      const percent = c.contractType === 'works' ? 15 : 10;
      const net = c.earlier.filter((e) => e.ground === 'low_value').reduce((a, e) => a + e.valueChangeSek, 0);
      const total = Math.abs(net + p.valueChangeSek);
      const limit = Math.min(c.thresholdSek, (base * percent) / 100);
      return total < limit
        ? { allowed: true, paragraph, noticeDue: false }
        : no(
            'change_above_low_value',
            'valueChangeSek',
            `The net value of the low-value changes, ${kr(total)} with this one, must be below both the threshold (${kr(c.thresholdSek)}) and ${percent} % of the value (${kr((base * percent) / 100)}).`,
          );
    }
    case 'review_clause':
      return p.clauseReference?.trim()
        ? { allowed: true, paragraph, noticeDue: false }
        : no(
            'review_clause_missing',
            'clauseReference',
            'A change under a review clause names where the original documents state it (clearly, precisely and unequivocally).',
          );
    case 'additional':
    case 'unforeseen': {
      if (p.ground === 'additional' && c.frameworkAgreement)
        return no(
          'additional_not_framework',
          'ground',
          'Additional orders under 17 kap. 11 § are for contracts; a framework agreement is not changed on that ground.',
        );
      if (p.valueChangeSek > base / 2)
        return no(
          'change_above_half',
          'valueChangeSek',
          `A change under ${paragraph} may raise the value by at most 50 % (${kr(base / 2)}), each change on its own; ${kr(p.valueChangeSek)} is more.`,
        );
      return { allowed: true, paragraph, noticeDue: c.aboveThreshold };
    }
    case 'supplier_succession':
      if (!p.newSupplier?.trim())
        return no(
          'successor_missing',
          'newSupplier',
          'A succession under 17 kap. 13 § names the supplier who succeeds.',
        );
      return p.valueChangeSek === 0
        ? { allowed: true, paragraph, noticeDue: false }
        : no(
            'succession_changes_value',
            'valueChangeSek',
            'A succession replaces the supplier and nothing else; a change of value is a change of its own.',
          );
    case 'not_substantial': {
      const t = p.substantial;
      if (!t)
        return no(
          'substantial_tests_missing',
          'substantial',
          'A change under 17 kap. 14 § answers each test of a substantial change (competition, economic balance, scope, supplier).',
        );
      const failed = (Object.keys(t) as (keyof SubstantialTests)[]).filter((k) => t[k]);
      return failed.length === 0
        ? { allowed: true, paragraph, noticeDue: false }
        : no(
            'substantial_change',
            `substantial.${failed[0]}`,
            `The change is substantial (${failed.join(', ')}): it needs a new procurement (${CHANGE_MAIN_RULE}).`,
          );
    }
  }
}
