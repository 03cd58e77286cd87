/**
 * Scores and the ranking they give (issue 30, part 3). Each evaluator scores each admitted tender on
 * the register's award criteria on their own, after declaring no conflict of interest; the
 * procurement officer then records the consensus with the reason; the evaluation model
 * (evaluation-model.ts) computes the ranking per lot from the opening's prices and the consensus
 * scores. Nothing here is typed in by hand: the model comes from the register, the prices from the
 * opening, the scores from the consensus.
 *
 * Pure and deterministic: the workflow's checks and the API's read of the ranking both call it.
 */
import { rank, type EvaluatedTender, type EvaluationModel, type Ranking, type TieBreak } from './evaluation-model';
import type { RequirementKind, RequirementScoring } from './requirements';
import { isOptionalText } from './text';

/** A score sheet's limits: a note per criterion, the consensus's reason. */
export const SCORING_LIMITS = { note: 2000, reason: 5000 } as const;

/**
 * The tie rule when the documents state none the register records: the tender documents of the
 * region's procurements say "lottning", and the model reports such a tie undecided rather than
 * drawing (the officer proposes the winner the drawing gave, with the reason).
 */
export const DEFAULT_TIE_BREAK: TieBreak = 'lots';

/** What the scoring reads of the register. */
export interface RegisteredCriterion {
  id: string;
  kind: RequirementKind;
  lot?: string;
  scoring?: RequirementScoring;
  withdrawn?: unknown;
}

/** The live award criteria that apply to a lot: its own and those of the whole procurement. */
export function awardCriteriaFor(register: readonly RegisteredCriterion[], lot: string | undefined) {
  return register.filter(
    (r) => r.kind === 'award_criterion' && !r.withdrawn && r.scoring && (r.lot === undefined || r.lot === lot),
  ) as (RegisteredCriterion & { scoring: RequirementScoring })[];
}

/**
 * The evaluation model of a lot (or of a procurement without lots) as the register states it: no
 * award criterion, the lowest price; weighted criteria, the price weighted with what the criteria
 * leave of 100 (relative price scoring); criteria worth an amount, a value deduction.
 */
export function modelFromRegister(
  register: readonly RegisteredCriterion[],
  lot: string | undefined,
  tieBreak: TieBreak = DEFAULT_TIE_BREAK,
): EvaluationModel {
  const criteria = awardCriteriaFor(register, lot);
  if (criteria.length === 0) return { kind: 'lowest_price', tieBreak };
  const quality = criteria.map((c) => ({
    id: c.id,
    maxScore: c.scoring.maxScore,
    ...(c.scoring.weight !== undefined ? { weight: c.scoring.weight } : {}),
    ...(c.scoring.maxDeductionSek !== undefined ? { maxDeductionSek: c.scoring.maxDeductionSek } : {}),
  }));
  if (quality.some((c) => c.weight !== undefined)) {
    const priceWeight = 100 - quality.reduce((s, c) => s + (c.weight ?? 0), 0);
    return { kind: 'weighted', priceWeight, criteria: quality, tieBreak };
  }
  return { kind: 'value_deduction', criteria: quality, tieBreak };
}

/** One criterion's score on a sheet. */
export interface CriterionScore {
  criterionId: string;
  score: number;
  note?: string;
}

/** A score sheet as given: an evaluator's own, or the consensus (then with the reason). */
export interface ScoreSheetInput {
  supplier: string;
  lot?: string;
  scores: CriterionScore[];
  reason?: string;
}

export interface ScoringContext {
  /** The tenders that go to the evaluation: received in time, not rejected in the assessment. */
  admitted: readonly { supplier: string; lots?: readonly string[] }[];
  lots: readonly string[];
  register: readonly RegisteredCriterion[];
}

export interface ScoringProblem {
  type: 'BadRequest' | 'RuleViolation';
  field: string;
  rule?: string;
  message: string;
}

const bad = (field: string, message: string): ScoringProblem => ({ type: 'BadRequest', field, message });
/** A rule broken; `named.rule` is written as `rule: '…'` so that the rule finder (test/support/rule-names.ts) sees it. */
const broken = (field: string, named: { rule: string }, message: string): ScoringProblem => ({
  type: 'RuleViolation',
  field,
  rule: named.rule,
  message,
});

/**
 * The first problem with a score sheet, or null: the tender is admitted, the lot is one it tendered
 * for (required when the procurement has lots), each award criterion that applies is scored once on
 * its scale (0 … its maximum) and no other.
 */
export function scoreSheetProblem(p: ScoreSheetInput | null, ctx: ScoringContext): ScoringProblem | null {
  if (!p || typeof p !== 'object') return bad('scores', 'A score sheet: { supplier, lot?, scores: [...] }.');
  if (typeof p.supplier !== 'string' || !p.supplier.trim())
    return bad('supplier', 'supplier: the tenderer as the opening recorded it.');
  const tenderer = ctx.admitted.find((t) => t.supplier === p.supplier);
  if (!tenderer)
    return broken(
      'supplier',
      { rule: 'supplier_not_admitted' },
      `${p.supplier}'s tender is not one that goes to the evaluation (received in time and not rejected).`,
    );
  if (ctx.lots.length > 0) {
    if (p.lot === undefined) return bad('lot', 'lot: the procurement has lots; a sheet scores one of them.');
    if (!ctx.lots.includes(p.lot) || (tenderer.lots !== undefined && !tenderer.lots.includes(p.lot)))
      return bad('lot', `lot: a lot ${p.supplier} tendered for.`);
  } else if (p.lot !== undefined) return bad('lot', 'lot: the procurement has no lots.');
  if (!Array.isArray(p.scores)) return bad('scores', 'scores: [{ criterionId, score, note? }].');
  const criteria = awardCriteriaFor(ctx.register, p.lot);
  if (criteria.length === 0)
    return broken(
      'scores',
      { rule: 'no_award_criteria' },
      'The register has no award criterion for this lot: the lowest price decides, there is nothing to score.',
    );
  const seen = new Set<string>();
  for (const [i, x] of p.scores.entries()) {
    const field = `scores[${i}]`;
    if (!x || typeof x !== 'object' || typeof x.criterionId !== 'string')
      return bad(field, `${field}: { criterionId, score, note? }.`);
    const criterion = criteria.find((c) => c.id === x.criterionId);
    if (!criterion)
      return broken(
        `${field}.criterionId`,
        { rule: 'not_an_award_criterion' },
        `${x.criterionId} is not an award criterion of the register for this lot.`,
      );
    if (seen.has(x.criterionId)) return bad(`${field}.criterionId`, `${x.criterionId} is scored twice.`);
    seen.add(x.criterionId);
    if (typeof x.score !== 'number' || !Number.isFinite(x.score) || x.score < 0 || x.score > criterion.scoring.maxScore)
      return broken(
        `${field}.score`,
        { rule: 'score_out_of_scale' },
        `${field}.score: ${x.criterionId} is scored on 0–${criterion.scoring.maxScore}.`,
      );
    if (!isOptionalText(x.note, SCORING_LIMITS.note))
      return bad(`${field}.note`, `${field}.note: at most ${SCORING_LIMITS.note} characters.`);
  }
  const unscored = criteria.filter((c) => !seen.has(c.id)).map((c) => c.id);
  if (unscored.length > 0)
    return broken(
      'scores',
      { rule: 'criteria_unscored' },
      `Every award criterion that applies is scored: ${unscored.join(', ')} ${unscored.length === 1 ? 'is' : 'are'} not.`,
    );
  return null;
}

/** A sheet's key: the tender and the lot it scores (unambiguous whatever the names hold). */
export const sheetKey = (supplier: string, lot: string | undefined) => JSON.stringify([lot ?? null, supplier]);

/** The consensus scores as the ranking reads them. */
export interface ConsensusScores {
  supplier: string;
  lot?: string;
  scores: Record<string, number>;
}

/** The lots a procurement evaluates: each lot, or the whole (undefined) when it has none. */
export function evaluatedLots(lots: readonly string[]): (string | undefined)[] {
  return lots.length > 0 ? [...lots] : [undefined];
}

export interface LotRanking {
  lot?: string;
  model: EvaluationModel;
  /** The admitted tenders for the lot that lack a price or a consensus (the ranking waits for them). */
  missing: { supplier: string; price: boolean; consensus: boolean }[];
  ranking?: Ranking;
  /** What would change the winner: the input the model ranked (for the simulation). */
  tenders: EvaluatedTender[];
}

/**
 * The ranking of each lot: the model from the register, each admitted tender's price for the lot
 * (the opening's) and its consensus scores. A lot is ranked only when every admitted tender for it
 * has both (a lowest-price lot needs no consensus).
 */
export function rankLots(
  ctx: ScoringContext & {
    prices: readonly { supplier: string; lot?: string; priceSek: number }[];
    consensus: readonly ConsensusScores[];
    /** Tenders left out of a lot's ranking: rejected as abnormally low in the evaluation (lot undefined: every lot). */
    excluded?: readonly { supplier: string; lot?: string }[];
  },
): LotRanking[] {
  return evaluatedLots(ctx.lots).map((lot) => {
    const model = modelFromRegister(ctx.register, lot);
    const out = (supplier: string) =>
      (ctx.excluded ?? []).some((x) => x.supplier === supplier && (x.lot === undefined || x.lot === lot));
    const forLot = ctx.admitted.filter(
      (t) => (lot === undefined || t.lots === undefined || t.lots.includes(lot)) && !out(t.supplier),
    );
    const tenders: EvaluatedTender[] = [];
    const missing: LotRanking['missing'] = [];
    for (const t of forLot) {
      // The price for the lot, or else one given for no lot; a price of 0 ranks nothing (the models divide by it).
      const price =
        ctx.prices.find((p) => p.supplier === t.supplier && p.lot === lot) ??
        ctx.prices.find((p) => p.supplier === t.supplier && p.lot === undefined);
      const priced = price !== undefined && price.priceSek > 0;
      const consensus = ctx.consensus.find((c) => c.supplier === t.supplier && c.lot === lot);
      const needsConsensus = model.kind !== 'lowest_price';
      if (!priced || (needsConsensus && !consensus)) {
        missing.push({ supplier: t.supplier, price: !priced, consensus: needsConsensus && !consensus });
        continue;
      }
      tenders.push({
        tenderer: t.supplier,
        priceSek: price.priceSek,
        ...(consensus ? { scores: { ...consensus.scores } } : {}),
      });
    }
    return {
      ...(lot !== undefined ? { lot } : {}),
      model,
      missing,
      tenders,
      ...(missing.length === 0 && tenders.length > 0 ? { ranking: rank(model, tenders) } : {}),
    };
  });
}
