/**
 * The requirements register (issue 30, part 1): what the procurement documents demand, one line per
 * requirement, written in the documents phase and frozen once the documents go for approval.
 *
 * A requirement is one of four kinds:
 * - `supplier_requirement`: a mandatory requirement on the supplier (qualification: economic
 *   standing, technical and professional capacity);
 * - `object_requirement`: a mandatory requirement on what is bought (ska-krav in the specification);
 * - `award_criterion`: what the evaluation scores, with its scoring scale and its weight
 *   or its value in SEK for the evaluation model (evaluation-model.ts);
 * - `contract_condition`: a special contract condition (särskilda kontraktsvillkor, in 17 kap. LOU,
 *   "Fullgörande av kontrakt") the supplier must meet while the contract runs.
 *
 * A contract condition says how it will be followed up (the organisation's policy: follow-up is
 * planned when the requirements are set): the method, how often, which side is responsible and what
 * evidence is asked for. Any other requirement may be marked for follow-up the same way. A
 * sustainability requirement names the criterion of Upphandlingsmyndigheten's criteria service it
 * uses (its id, e.g. `10137` or `10137:2` for a level).
 *
 * Pure: the workflow's check calls `requirementProblems` (the API's DTOs check the shape and the
 * lengths; the rules across fields — a lot of the tender, follow-up for a condition, scoring only
 * for a criterion — are the workflow's, answered 400 with the field).
 */
import { FOLLOW_UP_OWNERS } from './policy';
import { isFilledText } from './text';

export const REQUIREMENT_KINDS = [
  'supplier_requirement',
  'object_requirement',
  'award_criterion',
  'contract_condition',
] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

/** How a condition is checked while the contract runs. */
export const FOLLOW_UP_METHODS = ['self_declaration', 'document', 'sample', 'audit', 'statistics'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

/** How often it is checked; `once` is one check (e.g. at the start-up meeting). */
export const FOLLOW_UP_FREQUENCIES = ['once', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type FollowUpFrequency = (typeof FOLLOW_UP_FREQUENCIES)[number];

/** Months between two checks (undefined: once). */
export const FREQUENCY_MONTHS: Readonly<Record<FollowUpFrequency, number | undefined>> = {
  once: undefined,
  monthly: 1,
  quarterly: 3,
  half_yearly: 6,
  yearly: 12,
};

/** Upphandlingsmyndigheten's criterion id: its number, and a level after a colon when one is chosen. */
export const SUSTAINABILITY_CRITERION_ID = /^[0-9]{3,8}(:[0-9]{1,2})?$/;

export const REQUIREMENT_LIMITS = {
  text: 5000,
  reference: 300,
  evidence: 1000,
  /** Requirements a tender may register (a register, not a document store). */
  perTender: 500,
  /** Requirements followed up (each a control of the contract, planned a year or two ahead): as many as a follow-up plan's lines. */
  followedUp: 50,
} as const;

/** How a requirement will be followed up. `evidence` is text: the workflow keeps it with the requirement's text. */
export interface RequirementFollowUp {
  method: FollowUpMethod;
  frequency: FollowUpFrequency;
  owner: (typeof FOLLOW_UP_OWNERS)[number];
  evidence: string;
}

/** How an award criterion is scored: the scale's maximum and its weight (weighted model) or value (value deduction). */
export interface RequirementScoring {
  maxScore: number;
  weight?: number;
  maxDeductionSek?: number;
}

/** A requirement as it is registered. */
export interface RequirementInput {
  kind: RequirementKind;
  text: string;
  /** Where the documents state it (document and section). */
  reference: string;
  /** The lot it belongs to (by title); none: the whole procurement. */
  lot?: string;
  sustainabilityCriterionId?: string;
  followUp?: RequirementFollowUp;
  scoring?: RequirementScoring;
}

export interface RequirementProblem {
  field: string;
  message: string;
}

const oneOf = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);

/**
 * The first problem with a requirement as given, or null. `lots`: the tender's lot titles (a lot must
 * be one of them; a tender without lots takes none).
 */
export function requirementProblems(
  r: Partial<RequirementInput> | null,
  lots: readonly string[],
): RequirementProblem | null {
  if (!r || typeof r !== 'object')
    return { field: 'requirement', message: 'A requirement: { kind, text, reference, … }.' };
  if (!oneOf(REQUIREMENT_KINDS, r.kind))
    return { field: 'kind', message: `kind: one of ${REQUIREMENT_KINDS.join(', ')}.` };
  if (!isFilledText(r.text, REQUIREMENT_LIMITS.text))
    return {
      field: 'text',
      message: `text: the requirement as the documents word it, 1–${REQUIREMENT_LIMITS.text} characters.`,
    };
  if (!isFilledText(r.reference, REQUIREMENT_LIMITS.reference))
    return {
      field: 'reference',
      message: `reference: where the documents state it, 1–${REQUIREMENT_LIMITS.reference} characters.`,
    };
  if (r.lot !== undefined && !lots.includes(r.lot))
    return {
      field: 'lot',
      message: lots.length ? `lot: one of the tender's lots (${lots.join(', ')}).` : 'lot: this tender has no lots.',
    };
  if (
    r.sustainabilityCriterionId !== undefined &&
    !SUSTAINABILITY_CRITERION_ID.test(String(r.sustainabilityCriterionId))
  )
    return {
      field: 'sustainabilityCriterionId',
      message:
        "sustainabilityCriterionId: Upphandlingsmyndigheten's criterion number, and its level after a colon (10137 or 10137:2).",
    };
  if (r.kind === 'contract_condition' && r.followUp === undefined)
    return {
      field: 'followUp',
      message: 'followUp: a contract condition says how it will be followed up (method, frequency, owner, evidence).',
    };
  if (r.followUp !== undefined) {
    const f = r.followUp;
    if (!f || typeof f !== 'object')
      return { field: 'followUp', message: 'followUp: { method, frequency, owner, evidence }.' };
    if (!oneOf(FOLLOW_UP_METHODS, f.method))
      return { field: 'followUp.method', message: `followUp.method: one of ${FOLLOW_UP_METHODS.join(', ')}.` };
    if (!oneOf(FOLLOW_UP_FREQUENCIES, f.frequency))
      return {
        field: 'followUp.frequency',
        message: `followUp.frequency: one of ${FOLLOW_UP_FREQUENCIES.join(', ')}.`,
      };
    if (!oneOf(FOLLOW_UP_OWNERS, f.owner))
      return { field: 'followUp.owner', message: `followUp.owner: one of ${FOLLOW_UP_OWNERS.join(', ')}.` };
    if (!isFilledText(f.evidence, REQUIREMENT_LIMITS.evidence))
      return {
        field: 'followUp.evidence',
        message: `followUp.evidence: what the supplier shows, 1–${REQUIREMENT_LIMITS.evidence} characters.`,
      };
  }
  if (r.kind === 'award_criterion') {
    const s = r.scoring;
    if (!s || typeof s !== 'object')
      return {
        field: 'scoring',
        message: 'scoring: an award criterion states its scale (maxScore) and its weight or value.',
      };
    if (!(Number.isInteger(s.maxScore) && s.maxScore >= 1 && s.maxScore <= 100))
      return { field: 'scoring.maxScore', message: 'scoring.maxScore: the top of the scale, a whole number 1–100.' };
    const weighted = s.weight !== undefined;
    const valued = s.maxDeductionSek !== undefined;
    if (weighted === valued)
      return {
        field: 'scoring',
        message:
          'scoring: either weight (a share of 100, weighted model) or maxDeductionSek (value deduction), not both.',
      };
    if (weighted && !(typeof s.weight === 'number' && Number.isFinite(s.weight) && s.weight > 0 && s.weight < 100))
      return { field: 'scoring.weight', message: 'scoring.weight: a share above 0 and below 100.' };
    if (valued && !(Number.isSafeInteger(s.maxDeductionSek) && s.maxDeductionSek! > 0))
      return { field: 'scoring.maxDeductionSek', message: 'scoring.maxDeductionSek: whole SEK above 0.' };
  } else if (r.scoring !== undefined) {
    return { field: 'scoring', message: 'scoring: only an award criterion is scored.' };
  }
  return null;
}

/**
 * Whether an award criterion fits the criteria already registered for the same lots (a criterion
 * without a lot counts at every lot): one model per lot — weights or value deduction, not both —
 * and the weights below 100 together (the price takes the rest). Null when it fits.
 */
export function scoringConflict(
  registered: readonly { kind: RequirementKind; lot?: string; scoring?: RequirementScoring; withdrawn?: unknown }[],
  r: Pick<RequirementInput, 'kind' | 'lot' | 'scoring'>,
): (RequirementProblem & { rule: string }) | null {
  if (r.kind !== 'award_criterion' || !r.scoring) return null;
  const together = registered.filter(
    (x) =>
      x.kind === 'award_criterion' && !x.withdrawn && (x.lot === undefined || r.lot === undefined || x.lot === r.lot),
  );
  const weighted = r.scoring.weight !== undefined;
  if (together.some((x) => (x.scoring?.weight !== undefined) !== weighted))
    return {
      field: 'scoring',
      rule: 'award_model_mixed',
      message: 'scoring: the award criteria of a lot use one model, weights or value deduction, not both.',
    };
  if (weighted) {
    const total = together.reduce((sum, x) => sum + (x.scoring?.weight ?? 0), r.scoring.weight!);
    if (total >= 100)
      return {
        field: 'scoring.weight',
        rule: 'award_weights_total',
        message: `scoring.weight: the quality weights would add up to ${total}; below 100 together, the price takes the rest.`,
      };
  }
  return null;
}
