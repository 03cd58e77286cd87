/**
 * Scores, consensus and the computed ranking (issue 30, part 3), in the evaluation phase.
 *
 * - `scoreTender`: an appointed evaluator who has declared no conflict of interest (4 kap. 4 § LOU)
 *   scores one tender for one lot on each of the register's award criteria that apply, on its own.
 *   The state keeps that the sheet exists; the scores and notes go to the read model (the API shows
 *   an evaluator only their own sheets until the consensus). A sheet may be scored again until the
 *   consensus for the tender is recorded. Both are taken in the evaluation phase only: not while
 *   the award decision is pending, again after it is sent back for changes.
 * - `recordConsensus`: the procurement officer records the consensus scores of one tender for one
 *   lot, with the reason, once every evaluator taking part has scored it. The state keeps the
 *   numbers (the ranking reads them); the reason and notes go to the read model.
 * - With any consensus recorded, the evaluation's proposals must be the computed winners
 *   (libs/domain scoring.ts rankLots), and the evaluation keeps the ranking of each lot.
 */
import { rankLots, scoreSheetProblem, sheetKey, SCORING_LIMITS, type ScoringContext } from '@tenderflow/domain/scoring';
import type { CommandPayloads, LotRankingRecord, TenderState } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, firstRefusal, nonEmpty, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';
import { refusalOf } from './assessment';

/** What the scoring rules read of the state: the tenders that go to the evaluation, the lots, the register. */
export function scoringContext(s: TenderState): ScoringContext {
  const rejected = new Set((s.assessments ?? []).filter((a) => a.result === 'rejected').map((a) => a.supplier));
  return {
    admitted: (s.tendersReceived ?? [])
      .filter((t) => !t.late && !rejected.has(t.supplier))
      .map((t) => ({ supplier: t.supplier, ...(t.lots ? { lots: t.lots } : {}) })),
    lots: (s.lots ?? []).map((l) => l.title),
    register: s.requirements ?? [],
  };
}

/** Tenders rejected as abnormally low in the evaluation's list (each for its lot, or for every lot). */
type Excluded = readonly { supplier: string; lot?: string }[];

/** The ranking of each lot from the state: the register, the opening's prices and the consensus. */
export function rankingOf(s: TenderState, excluded: Excluded = []) {
  return rankLots({
    excluded,
    ...scoringContext(s),
    prices: (s.tendersReceived ?? []).flatMap((t) =>
      (t.prices ?? []).map((p) => ({
        supplier: t.supplier,
        ...(p.lot !== undefined ? { lot: p.lot } : {}),
        priceSek: p.priceSek,
      })),
    ),
    consensus: s.consensus ?? [],
  });
}

/** The evaluators taking part: appointed and not removed for a conflict of interest (the evaluation's and the consensus's). */
export const takingPart = (s: Pick<TenderState, 'evaluators'>) => s.evaluators.filter((e) => e.status !== 'removed');

/**
 * With consensus scores recorded, the proposals follow the ranking: each lot is ranked (every
 * admitted tender has its price and consensus) and each lot's proposal is its computed winner, or
 * one of the tenders tied at the first place when the tie is left to lots.
 */
export function rankingVerdict(
  s: TenderState,
  proposals: CommandPayloads['submitEvaluation']['proposals'],
  excluded: Excluded = [],
): Verdict {
  // A register with scored award criteria is ranked by its model, consensus or not (without one, a
  // list of proposals with free scores, as before the evaluation model, stands).
  const scored = (s.requirements ?? []).some((r) => r.kind === 'award_criterion' && !r.withdrawn && r.scoring);
  if (!s.consensus?.length && !scored) return ALLOWED;
  if (s.lots.length > 0) {
    const lotless = proposals.find((x) => x.lot === undefined);
    if (lotless)
      return refuse('BadRequest', `The procurement has lots: say which lot ${lotless.supplier} is proposed for.`, {
        field: 'proposals',
      });
  }
  for (const lot of rankingOf(s, excluded)) {
    const proposed = proposals.filter((x) => x.lot === lot.lot);
    if (proposed.length === 0) continue;
    const where = lot.lot ? ` for ${lot.lot}` : '';
    if (!lot.ranking) {
      const missing = lot.missing
        .map(
          (m) =>
            `${m.supplier} (${[m.price ? 'price' : '', m.consensus ? 'consensus' : ''].filter(Boolean).join(' and ')})`,
        )
        .join(', ');
      return refuse('RuleViolation', `The ranking${where} waits for ${missing || 'an admitted tender'}.`, {
        rule: 'ranking_incomplete',
        field: 'proposals',
      });
    }
    const winners = lot.ranking.winner
      ? [lot.ranking.winner]
      : lot.ranking.ranked.filter((r) => r.rank === 1).map((r) => r.tenderer);
    const stranger = proposed.find((x) => !winners.includes(x.supplier));
    if (stranger)
      return refuse(
        'RuleViolation',
        `The evaluation model ranks ${winners.join(' and ')} first${where}, not ${stranger.supplier}.`,
        { rule: 'not_the_computed_winner', field: 'proposals' },
      );
    // A score given with the proposal is the model's total, not one typed in.
    for (const x of proposed) {
      const total = lot.ranking.ranked.find((r) => r.tenderer === x.supplier)?.total;
      if (x.score !== undefined && x.score !== total)
        return refuse(
          'RuleViolation',
          total === undefined
            ? `The model${where} (${lot.model.kind}) gives no points: leave the score out.`
            : `The model gives ${x.supplier} ${total} points${where}, not ${x.score}.`,
          { rule: 'score_not_computed', field: 'proposals' },
        );
    }
  }
  return ALLOWED;
}

/** The rankings the evaluation keeps (the figures, not the model's inputs). */
export function rankingRecords(s: TenderState, excluded: Excluded = []): LotRankingRecord[] {
  return rankingOf(s, excluded)
    .filter((l) => l.ranking)
    .map((l) => {
      const r = l.ranking!;
      return {
        ...(l.lot !== undefined ? { lot: l.lot } : {}),
        model: l.model.kind,
        ranked: r.ranked.map((x) => ({
          supplier: x.tenderer,
          rank: x.rank,
          priceSek: x.priceSek,
          ...(x.total !== undefined ? { total: x.total } : {}),
          ...(x.comparisonPriceSek !== undefined ? { comparisonPriceSek: x.comparisonPriceSek } : {}),
          ...(x.tied ? { tied: true } : {}),
        })),
        ...(r.winner ? { winner: r.winner } : {}),
        ...(r.tie?.undecided ? { undecidedTie: r.tie.tenderers } : {}),
      };
    });
}

export function registerScoringCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  const consensusOf = (supplier: string, lot: string | undefined) =>
    (s.consensus ?? []).find((c) => sheetKey(c.supplier, c.lot) === sheetKey(supplier, lot));
  const sheetVerdict = (p: CommandPayloads['scoreTender']): Verdict => {
    const problem = scoreSheetProblem(p, scoringContext(s));
    return problem ? refusalOf(problem) : ALLOWED;
  };

  register('scoreTender', {
    check: (p) =>
      firstRefusal(
        () => sheetVerdict(p),
        () =>
          consensusOf(p.supplier, p.lot)
            ? refuse('Conflict', `The consensus for ${p.supplier} is recorded; the scores are closed.`, {
                rule: 'consensus_recorded',
              })
            : ALLOWED,
      ),
    apply: (p, actor) => {
      const textRef = run.content('score-sheet', {
        scores: p.scores.map((x) => ({
          criterionId: x.criterionId,
          score: x.score,
          ...(x.note ? { note: x.note } : {}),
        })),
      });
      const sheets = (s.scoreSheets ??= []).filter(
        (x) => !(x.evaluator.sub === actor.sub && sheetKey(x.supplier, x.lot) === sheetKey(p.supplier, p.lot)),
      );
      sheets.push({
        supplier: p.supplier,
        ...(p.lot !== undefined ? { lot: p.lot } : {}),
        evaluator: person(actor),
        at: run.now(),
        ...(textRef ? { textRef } : {}),
      });
      s.scoreSheets = sheets;
    },
    eventType: 'tender.scored',
    // A sheet on a 0–5 scale could be guessed from its event's hash: the event carries a random salt.
    salted: true,
  });

  register('recordConsensus', {
    check: (p, actor) =>
      firstRefusal(
        () => sheetVerdict(p),
        () =>
          nonEmpty(p.reason) && p.reason.length <= SCORING_LIMITS.reason
            ? ALLOWED
            : refuse('BadRequest', `reason: why these are the scores, 1–${SCORING_LIMITS.reason} characters.`, {
                field: 'reason',
              }),
        () =>
          s.evaluators.some((e) => e.sub === actor.sub && e.status === 'removed')
            ? refuse('Forbidden', 'You declared a conflict of interest and take no part in the evaluation.', {
                rule: 'not_a_declared_evaluator',
                paragraph: '4 kap. 4 § LOU',
              })
            : ALLOWED,
        () => {
          const key = sheetKey(p.supplier, p.lot);
          const evaluators = takingPart(s);
          const missing = evaluators.filter(
            (e) => !(s.scoreSheets ?? []).some((x) => x.evaluator.sub === e.sub && sheetKey(x.supplier, x.lot) === key),
          );
          if (evaluators.length > 0 && missing.length === 0) return ALLOWED;
          return refuse(
            'RuleViolation',
            evaluators.length === 0
              ? 'No evaluator takes part: the consensus rests on the evaluators’ own scores.'
              : `Every evaluator scores on their own first: ${missing.map((e) => e.name).join(', ')} ${missing.length === 1 ? 'has' : 'have'} not scored ${p.supplier}.`,
            { rule: 'independent_scores_missing', field: 'supplier' },
          );
        },
      ),
    apply: (p, actor) => {
      const textRef = run.content('consensus', {
        reason: p.reason,
        ...(p.scores.some((x) => x.note)
          ? { notes: Object.fromEntries(p.scores.filter((x) => x.note).map((x) => [x.criterionId, x.note!])) }
          : {}),
      });
      const key = sheetKey(p.supplier, p.lot);
      s.consensus = [
        ...(s.consensus ?? []).filter((c) => sheetKey(c.supplier, c.lot) !== key),
        {
          supplier: p.supplier,
          ...(p.lot !== undefined ? { lot: p.lot } : {}),
          scores: Object.fromEntries(p.scores.map((x) => [x.criterionId, x.score])),
          decidedBy: person(actor),
          at: run.now(),
          ...(textRef ? { textRef } : { reason: p.reason }),
        },
      ];
    },
    eventType: 'tender.consensus_recorded',
  });
}
