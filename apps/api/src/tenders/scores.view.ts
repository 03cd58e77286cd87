/**
 * What the API shows of the scores and the ranking (issue 30, part 3).
 *
 * Scores: each evaluator scores on their own. A procurement officer of the tender or an
 * administrator sees every sheet (they hold the consensus meeting); anyone else sees their own
 * sheets, and the others' for a tender whose consensus is recorded.
 *
 * Ranking: computed from the state as the evaluation will compute it (workflows/tender/commands
 * scoring.ts rankingOf, libs/domain), with what would change the winner: the price each other
 * tender needed, the quality it lacked, and the winner under each weight moved by ±10 points.
 */
import { pricesToWin, qualityToWin, weightSensitivity } from '@tenderflow/domain/evaluation-model';
import { sheetKey, type CriterionScore } from '@tenderflow/domain/scoring';
import type { Actor } from '@tenderflow/domain/types';
import type { PersonRef } from '@tenderflow/temporal-common/common-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { rankingOf } from '@tenderflow/workflows/tender/commands/scoring';

export interface ScoreSheetView {
  supplier: string;
  lot?: string;
  evaluator: PersonRef;
  at: string;
  scores: CriterionScore[];
}

export interface ConsensusView {
  supplier: string;
  lot?: string;
  scores: CriterionScore[];
  reason?: string;
  decidedBy: PersonRef;
  at: string;
}

/**
 * Whether `actor` sees every evaluator's sheets: the tender's procurement officers and
 * administrators, unless they are themselves an evaluator taking part (they score on their own too).
 */
export function seesAllSheets(actor: Actor, s: Pick<TenderState, 'organization' | 'evaluators'>): boolean {
  if ((s.evaluators ?? []).some((e) => e.sub === actor.sub && e.status !== 'removed')) return false;
  return actor.roles.includes('admin') || (actor.roles.includes('procurement_officer') && actor.org === s.organization);
}

/** The sheets `actor` may read: all, or their own and those of tenders with a consensus. */
export function visibleSheets(actor: Actor, s: TenderState) {
  const agreed = new Set((s.consensus ?? []).map((c) => sheetKey(c.supplier, c.lot)));
  return (s.scoreSheets ?? []).filter(
    (x) => seesAllSheets(actor, s) || x.evaluator.sub === actor.sub || agreed.has(sheetKey(x.supplier, x.lot)),
  );
}

type Texts = ReadonlyMap<string, Record<string, unknown>>;

/** An audit event as GET /tenders/{id}/audit lists it (the parts this needs). */
interface AuditItemLike {
  type: string;
  actor: { sub: string } | null;
  payload: unknown;
}

/**
 * The chain holds each command's payload, an evaluator's scores too: for a reader who does not see
 * every sheet, another evaluator's `tender.scored` event shows its tender and lot but not its scores
 * until the consensus for them is recorded (`withheld`). The chain itself is unchanged; its check
 * (GET …/audit/verify) reads the stored rows.
 */
export function withholdOthersScores<T extends AuditItemLike>(actor: Actor, s: TenderState, items: T[]): T[] {
  if (seesAllSheets(actor, s)) return items;
  const agreed = new Set((s.consensus ?? []).map((c) => sheetKey(c.supplier, c.lot)));
  return items.map((e) => {
    if (e.type !== 'tender.scored' || e.actor?.sub === actor.sub) return e;
    const body = e.payload as { command?: string; payload?: { supplier?: string; lot?: string } } | null;
    const sheet = body?.payload;
    if (sheet && agreed.has(sheetKey(String(sheet.supplier), sheet.lot))) return e;
    return {
      ...e,
      payload: {
        command: body?.command,
        payload: { supplier: sheet?.supplier, ...(sheet?.lot !== undefined ? { lot: sheet.lot } : {}) },
        withheld: 'An evaluator’s own scores are shown once the consensus for the tender is recorded.',
      },
    };
  });
}

export function scoresView(actor: Actor, s: TenderState, texts: Texts) {
  const sheets: ScoreSheetView[] = visibleSheets(actor, s).map((x) => ({
    supplier: x.supplier,
    ...(x.lot !== undefined ? { lot: x.lot } : {}),
    evaluator: x.evaluator,
    at: x.at,
    scores: ((x.textRef ? texts.get(x.textRef) : undefined)?.scores as CriterionScore[] | undefined) ?? [],
  }));
  const consensus: ConsensusView[] = (s.consensus ?? []).map((c) => {
    // The reader lays the consensus's text over it (tender-texts.ts); a raw state still has its ref.
    const text = ((c.textRef ? texts.get(c.textRef) : undefined) ?? { reason: c.reason, notes: c.notes }) as {
      reason?: string;
      notes?: Record<string, string>;
    };
    return {
      supplier: c.supplier,
      ...(c.lot !== undefined ? { lot: c.lot } : {}),
      scores: Object.entries(c.scores).map(([criterionId, score]) => ({
        criterionId,
        score,
        ...(text?.notes?.[criterionId] !== undefined ? { note: text.notes[criterionId] } : {}),
      })),
      ...((text?.reason ?? c.reason) !== undefined ? { reason: text?.reason ?? c.reason } : {}),
      decidedBy: c.decidedBy,
      at: c.at,
    };
  });
  return { sheets, consensus };
}

/** The refs of the texts scoresView reads. */
export function scoreTextRefs(s: TenderState): string[] {
  return [...(s.scoreSheets ?? []), ...(s.consensus ?? [])].flatMap((x) => (x.textRef ? [x.textRef] : []));
}

export function rankingView(s: TenderState) {
  return {
    lots: rankingOf(s).map((l) => ({
      ...(l.lot !== undefined ? { lot: l.lot } : {}),
      model: l.model,
      missing: l.missing,
      ...(l.ranking
        ? {
            ranking: l.ranking,
            simulation: {
              pricesToWin: pricesToWin(l.model, l.tenders),
              qualityToWin: qualityToWin(l.model, l.tenders),
              weights: weightSensitivity(l.model, l.tenders),
            },
          }
        : {}),
    })),
  };
}
