/**
 * The award decision notice (underrättelse om tilldelningsbeslut) to each tenderer, in Swedish, from
 * the recorded facts only (issue 30, part 4). Pure and deterministic: the tender's workflow builds
 * the notices when the award is decided, and the chain keeps each one's SHA-256.
 *
 * 12 kap. 12 § LOU (the EU regime, and call-offs with competition): the authority informs the
 * candidates and tenderers in writing, as soon as possible, of its decision; the notice gives the
 * reasons for the decision and the length of the standstill (avtalsspärr, 20 kap. 1–2 §§). Below
 * the threshold 19 kap. 19 § LOU says the same of the national procedures; a direct award with more
 * than one tender, 19 a kap. 10 § LOU. Upphandlingsmyndigheten's guide to the notice
 * (upphandlingsmyndigheten.se, "Underrättelse om tilldelningsbeslut", read 2026-12-05) names the
 * content the same way: written, the chosen supplier, the reasons, the standstill. Each tenderer's
 * notice also says how its own tender fared: awarded, ranked with the model's figures, rejected in
 * the assessment with the reason, or received too late.
 */
import { awardNoticeBasis } from './procedures';
import type { Regime } from './types';

/** What the notices are built from: the tender's recorded facts at the award decision. */
export interface AwardNoticeFacts {
  tenderId: string;
  title: string;
  organization: string;
  regime: Regime;
  decidedAt: string;
  decidedBy: string;
  /** The winners, each with the reasons the evaluation recorded. */
  winners: { lot?: string; supplier: string; reasons?: string }[];
  /** Every tender received, with its assessment's result and the reason of a rejection. */
  tenders: {
    supplier: string;
    orgNumber?: string;
    lots?: string[];
    late: boolean;
    rejected?: { reason?: string };
  }[];
  /** The model's ranking per lot, when the evaluation computed one. */
  ranking: {
    lot?: string;
    model: 'lowest_price' | 'weighted' | 'value_deduction';
    ranked: { supplier: string; rank: number; priceSek: number; total?: number; comparisonPriceSek?: number }[];
  }[];
  /** The standstill's length and last day; null when none applies. */
  standstill: { days: number; lastDay: string } | null;
  /** Without a standstill: the paragraph that says none applies, when one does (an award without prior notice, a direct award). */
  noStandstillGround?: string;
}

export type AwardNoticeOutcome = 'awarded' | 'not_awarded' | 'rejected' | 'late';

/** One tenderer's notice, as the chain's digest covers it (libs/temporal-common document-digest.ts). */
export interface AwardNoticeDocument {
  kind: 'award_notice';
  heading: string;
  paragraph: string;
  tenderId: string;
  title: string;
  organization: string;
  addressee: { supplier: string; orgNumber?: string };
  decidedAt: string;
  decidedBy: string;
  winners: { lot?: string; supplier: string; reasons: string }[];
  outcome: AwardNoticeOutcome;
  ranking: { lot?: string; model: string; ranked: { supplier: string; rank: number; figure: string }[] }[];
  standstill: { days: number; lastDay: string } | null;
  /** The notice in sentences, as the e-mail and the PDF give it. */
  text: string[];
}

const NOT_RECORDED = 'inte registrerat i ärendet';
/** Each evaluation model in the words a Swedish decision uses. */
export const MODEL_WORDS = {
  lowest_price: 'lägsta pris',
  weighted: 'bästa förhållande mellan pris och kvalitet (viktade kriterier)',
  value_deduction: 'bästa förhållande mellan pris och kvalitet (mervärdesavdrag)',
} as const;

/** Whole kronor with a space between thousands, as a Swedish letter writes them (no locale tables). */
export function kronor(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '−' : ''}${grouped} kr`;
}

/** A text as the end of a sentence: one full stop, whether or not the text brought its own. */
export function endsSentence(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}

/** A ranked tender's figure: its total points, its comparison price, or its price. */
export function figureOf(r: { priceSek: number; total?: number; comparisonPriceSek?: number }): string {
  if (r.total !== undefined) return `${r.total} poäng`;
  if (r.comparisonPriceSek !== undefined) return `jämförelsepris ${kronor(r.comparisonPriceSek)}`;
  return kronor(r.priceSek);
}

/** The notice to each tenderer, in the order the tenders were received. */
export function awardNotices(f: AwardNoticeFacts): AwardNoticeDocument[] {
  const paragraph = awardNoticeBasis(f.regime);
  const winners = f.winners.map((w) => ({
    ...(w.lot !== undefined ? { lot: w.lot } : {}),
    supplier: w.supplier,
    reasons: w.reasons?.trim() ? w.reasons : NOT_RECORDED,
  }));
  const lotOf = (lot?: string) => (lot ? `${lot}: ` : '');
  return f.tenders.map((tender) => {
    const won = winners.filter((w) => w.supplier === tender.supplier);
    const outcome: AwardNoticeOutcome = tender.late
      ? 'late'
      : tender.rejected
        ? 'rejected'
        : won.length > 0
          ? 'awarded'
          : 'not_awarded';
    const tenderedFor = (lot: string | undefined) =>
      lot === undefined || tender.lots === undefined || tender.lots.includes(lot);
    const ranking = f.ranking
      .filter((l) => tenderedFor(l.lot))
      .map((l) => ({
        ...(l.lot !== undefined ? { lot: l.lot } : {}),
        model: MODEL_WORDS[l.model],
        ranked: l.ranked.map((r) => ({ supplier: r.supplier, rank: r.rank, figure: figureOf(r) })),
      }));
    const wonLots = won.filter((w) => w.lot).map((w) => w.lot);
    const text = [
      `${f.organization} har den ${f.decidedAt.slice(0, 10)} beslutat om tilldelning i upphandlingen ${f.title} (${f.tenderId}).`,
      ...winners.map((w) => `${lotOf(w.lot)}Kontraktet tilldelas ${w.supplier}. Skäl: ${w.reasons}`),
      outcome === 'awarded'
        ? `Ert anbud har antagits${wonLots.length > 0 ? ` för ${wonLots.join(', ')}` : ''}.`
        : outcome === 'rejected'
          ? `Ert anbud förkastades vid prövningen: ${endsSentence(tender.rejected?.reason?.trim() ? tender.rejected.reason : NOT_RECORDED)}`
          : outcome === 'late'
            ? 'Ert anbud kom in efter anbudstidens utgång och har inte prövats.'
            : 'Ert anbud har inte antagits.',
      ...ranking.map(
        (l) =>
          `${lotOf(l.lot)}Rangordning enligt utvärderingsmodellen (${l.model}): ${l.ranked.map((r) => `${r.rank}. ${r.supplier} (${r.figure})`).join(', ')}.`,
      ),
      f.standstill
        ? `Avtal får inte ingås förrän avtalsspärren på ${f.standstill.days} dagar har löpt ut (20 kap. 1 § LOU); sista dagen är ${f.standstill.lastDay}.`
        : `Ingen avtalsspärr gäller för tilldelningen${f.noStandstillGround ? ` (${f.noStandstillGround})` : ''}.`,
      `Underrättelsen lämnas enligt ${paragraph}.`,
    ];
    return {
      kind: 'award_notice' as const,
      heading: 'Underrättelse om tilldelningsbeslut',
      paragraph,
      tenderId: f.tenderId,
      title: f.title,
      organization: f.organization,
      addressee: { supplier: tender.supplier, ...(tender.orgNumber ? { orgNumber: tender.orgNumber } : {}) },
      decidedAt: f.decidedAt,
      decidedBy: f.decidedBy,
      winners,
      outcome,
      ranking,
      standstill: f.standstill,
      text,
    };
  });
}
