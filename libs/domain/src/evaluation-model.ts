/**
 * An evaluation model that computes (issue 30, part 3): the award criteria a procurement states in its
 * documents, applied to the admitted tenders' prices and consensus scores, giving the ranking, the
 * tie and its rule, and what would change the winner. The models Swedish authorities use:
 *
 * - **Lowest price** (lägsta pris): the lowest price wins.
 * - **Weighted, relative price** (bästa förhållande mellan pris och kvalitet, poängmodell): price
 *   points = price weight × (lowest price ÷ the tender's price); each quality criterion gives its
 *   weight × (score ÷ the scale's maximum); the highest total wins.
 * - **Value deduction** (mervärdesavdrag): each quality criterion is worth up to an amount in SEK;
 *   the tender's comparison price is its price less, per criterion, that amount × (score ÷ maximum);
 *   the lowest comparison price wins.
 *
 * Ties are decided by the rule the documents state: the lower price, the higher quality, or a
 * drawing of lots (lottning), which the model does not draw but reports as undecided.
 *
 * Pure and deterministic: amounts in whole SEK, points to 1/1 000 000 (rounded once, at the end).
 */

export interface QualityCriterion {
  id: string;
  /** weighted: the criterion's weight (the weights, price included, add up to 100). */
  weight?: number;
  /** value_deduction: the most a full score takes off the price, in SEK. */
  maxDeductionSek?: number;
  /** The scoring scale's maximum (e.g. 5 on a 0–5 scale). */
  maxScore: number;
}

export type EvaluationModel =
  | { kind: 'lowest_price'; tieBreak: TieBreak }
  | { kind: 'weighted'; priceWeight: number; criteria: QualityCriterion[]; tieBreak: TieBreak }
  | { kind: 'value_deduction'; criteria: QualityCriterion[]; tieBreak: TieBreak };

/** How a tie is decided: the lower price, the higher quality (points or deduction), or lots drawn. */
export type TieBreak = 'lower_price' | 'higher_quality' | 'lots';

export interface EvaluatedTender {
  tenderer: string;
  priceSek: number;
  /** The consensus score per criterion id (0 … maxScore). */
  scores?: Record<string, number>;
}

export interface RankedTender {
  tenderer: string;
  rank: number;
  priceSek: number;
  /** weighted: price points, quality points and the total; value_deduction: the comparison price. */
  pricePoints?: number;
  qualityPoints?: number;
  total?: number;
  comparisonPriceSek?: number;
  /** Tied with the tender(s) of the same rank after the tie-break (lots to be drawn). */
  tied?: boolean;
}

export interface Ranking {
  ranked: RankedTender[];
  /** The winner, or undefined when the first place is tied and lots are to be drawn. */
  winner?: string;
  /** The tie at the first place and how it was decided, when there was one. */
  tie?: { tenderers: string[]; decidedBy: TieBreak; undecided: boolean };
}

export class EvaluationModelError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'EvaluationModelError';
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** What is wrong with the model (weights that do not add up to 100, a scale without a maximum, …); empty when it holds. */
export function modelProblems(model: EvaluationModel): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (model.kind === 'lowest_price') return problems;
  const ids = new Set<string>();
  model.criteria.forEach((c, i) => {
    if (ids.has(c.id)) problems.push({ field: `criteria.${i}.id`, message: `criterion ${c.id} is given twice` });
    ids.add(c.id);
    if (!(c.maxScore > 0))
      problems.push({ field: `criteria.${i}.maxScore`, message: 'the scale needs a maximum above 0' });
    if (model.kind === 'weighted' && !(typeof c.weight === 'number' && c.weight > 0))
      problems.push({ field: `criteria.${i}.weight`, message: 'a weighted criterion needs a weight above 0' });
    if (model.kind === 'value_deduction' && !(typeof c.maxDeductionSek === 'number' && c.maxDeductionSek > 0))
      problems.push({ field: `criteria.${i}.maxDeductionSek`, message: 'a value deduction needs an amount above 0' });
  });
  if (model.kind === 'weighted') {
    const sum = model.priceWeight + model.criteria.reduce((s, c) => s + (c.weight ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-6)
      problems.push({ field: 'priceWeight', message: `the weights add up to ${sum}, not 100` });
  }
  return problems;
}

function scoreOf(t: EvaluatedTender, c: QualityCriterion): number {
  const s = t.scores?.[c.id];
  if (typeof s !== 'number' || !(s >= 0 && s <= c.maxScore)) {
    throw new EvaluationModelError(`scores.${c.id}`, `${t.tenderer} has no score 0–${c.maxScore} for ${c.id}`);
  }
  return s;
}

/** Each tender's figures under the model, unranked. */
function figures(model: EvaluationModel, tenders: readonly EvaluatedTender[]): RankedTender[] {
  for (const t of tenders)
    if (!(Number.isInteger(t.priceSek) && t.priceSek > 0))
      throw new EvaluationModelError('priceSek', `${t.tenderer}'s price must be whole SEK above 0`);
  if (model.kind === 'lowest_price')
    return tenders.map((t) => ({ tenderer: t.tenderer, rank: 0, priceSek: t.priceSek }));
  if (model.kind === 'weighted') {
    const lowest = Math.min(...tenders.map((t) => t.priceSek));
    return tenders.map((t) => {
      const pricePoints = (model.priceWeight * lowest) / t.priceSek;
      const qualityPoints = model.criteria.reduce((s, c) => s + ((c.weight ?? 0) * scoreOf(t, c)) / c.maxScore, 0);
      return {
        tenderer: t.tenderer,
        rank: 0,
        priceSek: t.priceSek,
        pricePoints: round6(pricePoints),
        qualityPoints: round6(qualityPoints),
        total: round6(pricePoints + qualityPoints),
      };
    });
  }
  return tenders.map((t) => {
    const deduction = model.criteria.reduce((s, c) => s + ((c.maxDeductionSek ?? 0) * scoreOf(t, c)) / c.maxScore, 0);
    return { tenderer: t.tenderer, rank: 0, priceSek: t.priceSek, comparisonPriceSek: round6(t.priceSek - deduction) };
  });
}

/** Better first: the model's own measure (a higher total, a lower price or comparison price). */
function measure(model: EvaluationModel, r: RankedTender): number {
  if (model.kind === 'weighted') return -(r.total ?? 0);
  if (model.kind === 'value_deduction') return r.comparisonPriceSek ?? r.priceSek;
  return r.priceSek;
}

/** The tie-break's measure, better first. */
function tieMeasure(model: EvaluationModel, r: RankedTender): number {
  if (model.tieBreak === 'lower_price') return r.priceSek;
  if (model.tieBreak === 'higher_quality') {
    if (model.kind === 'weighted') return -(r.qualityPoints ?? 0);
    if (model.kind === 'value_deduction') return -(r.priceSek - (r.comparisonPriceSek ?? r.priceSek));
    return r.priceSek; // lowest price has no quality: the price again, which ties
  }
  return 0; // lots: every tied tender stays tied
}

/** The ranking of the admitted tenders under the model; ties by the documents' rule. */
export function rank(model: EvaluationModel, tenders: readonly EvaluatedTender[]): Ranking {
  const problems = modelProblems(model);
  if (problems.length > 0) throw new EvaluationModelError(problems[0].field, problems[0].message);
  if (tenders.length === 0) return { ranked: [] };
  const rows = figures(model, tenders);
  const key = (r: RankedTender) => [measure(model, r), tieMeasure(model, r)] as const;
  const order = [...rows].sort((a, b) => {
    const [ma, ta] = key(a);
    const [mb, tb] = key(b);
    return ma - mb || ta - tb || (a.tenderer < b.tenderer ? -1 : a.tenderer > b.tenderer ? 1 : 0);
  });
  let rankNo = 0;
  order.forEach((r, i) => {
    const prev = order[i - 1];
    const same = prev && measure(model, prev) === measure(model, r) && tieMeasure(model, prev) === tieMeasure(model, r);
    rankNo = same ? rankNo : i + 1;
    r.rank = rankNo;
  });
  for (const r of order) if (order.some((o) => o !== r && o.rank === r.rank)) r.tied = true;
  const firstOnMeasure = order.filter((r) => measure(model, r) === measure(model, order[0]));
  const tie =
    firstOnMeasure.length > 1
      ? {
          tenderers: firstOnMeasure.map((r) => r.tenderer),
          decidedBy: model.tieBreak,
          undecided: order.filter((r) => r.rank === 1).length > 1,
        }
      : undefined;
  const winners = order.filter((r) => r.rank === 1);
  return { ranked: order, ...(winners.length === 1 ? { winner: winners[0].tenderer } : {}), ...(tie ? { tie } : {}) };
}

// --- what would change the winner -------------------------------------------------------------------

export interface PriceToWin {
  tenderer: string;
  /** The highest whole-SEK price at which the tender would rank first alone, all else unchanged; null when no price above 0 would. */
  priceSek: number | null;
}

/** For each tender but the winner: the price it needed to win (everything else as scored). */
export function pricesToWin(model: EvaluationModel, tenders: readonly EvaluatedTender[]): PriceToWin[] {
  const { winner } = rank(model, tenders);
  return tenders
    .filter((t) => t.tenderer !== winner)
    .map((t) => {
      const wins = (price: number) =>
        rank(
          model,
          tenders.map((o) => (o.tenderer === t.tenderer ? { ...o, priceSek: price } : o)),
        ).winner === t.tenderer;
      if (!wins(1)) return { tenderer: t.tenderer, priceSek: null };
      // Winning is monotone in the price (a lower price never lowers the tender's standing): bisect.
      let lo = 1;
      let hi = t.priceSek;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (wins(mid)) lo = mid;
        else hi = mid;
      }
      return { tenderer: t.tenderer, priceSek: wins(hi) ? hi : lo };
    });
}

export interface QualityToWin {
  tenderer: string;
  /** weighted: the quality points it lacked; value_deduction: the deduction in SEK it lacked (both above a tie). */
  gap: number;
  unit: 'points' | 'SEK';
}

/** For each tender but the winner: how much more quality it needed to pass the winner (ties aside). */
export function qualityToWin(model: EvaluationModel, tenders: readonly EvaluatedTender[]): QualityToWin[] {
  if (model.kind === 'lowest_price') return [];
  const ranking = rank(model, tenders);
  const first = ranking.ranked[0];
  return ranking.ranked
    .filter((r) => r.tenderer !== ranking.winner)
    .map((r) =>
      model.kind === 'weighted'
        ? { tenderer: r.tenderer, gap: round6((first.total ?? 0) - (r.total ?? 0)), unit: 'points' as const }
        : {
            tenderer: r.tenderer,
            gap: round6((r.comparisonPriceSek ?? 0) - (first.comparisonPriceSek ?? 0)),
            unit: 'SEK' as const,
          },
    );
}

export interface WeightShift {
  /** 'price' or a criterion's id. */
  criterion: string;
  /** The weights tried: the criterion's weight moved by `delta` points, the others scaled so that all add up to 100. */
  delta: number;
  winner?: string;
  order: string[];
}

/** How the ranking moves with each weight (weighted model): each weight −step and +step points. */
export function weightSensitivity(
  model: EvaluationModel,
  tenders: readonly EvaluatedTender[],
  step = 10,
): WeightShift[] {
  if (model.kind !== 'weighted') return [];
  const names = ['price', ...model.criteria.map((c) => c.id)];
  const weights = [model.priceWeight, ...model.criteria.map((c) => c.weight ?? 0)];
  const shifts: WeightShift[] = [];
  names.forEach((name, i) => {
    for (const delta of [-step, step]) {
      const moved = weights[i] + delta;
      if (moved <= 0 || moved >= 100) continue;
      const restBefore = 100 - weights[i];
      const scaled = weights.map((w, j) => (j === i ? moved : (w * (100 - moved)) / restBefore));
      const shifted: EvaluationModel = {
        ...model,
        priceWeight: scaled[0],
        criteria: model.criteria.map((c, j) => ({ ...c, weight: scaled[j + 1] })),
      };
      const r = rank(shifted, tenders);
      shifts.push({
        criterion: name,
        delta,
        ...(r.winner ? { winner: r.winner } : {}),
        order: r.ranked.map((x) => x.tenderer),
      });
    }
  });
  return shifts;
}
