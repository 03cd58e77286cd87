/**
 * The award decision notice (underrättelse om tilldelningsbeslut) to one tenderer, in Swedish, from
 * the recorded facts only (issue 30, part 4). 12 kap. 12 § LOU (the EU regime; the national regime's
 * chapter as awardNoticeBasis words it): the notice is written, names the chosen supplier, gives the
 * reasons for the decision and the length of the standstill (avtalsspärr) — Upphandlingsmyndigheten's
 * guide to the paragraph lists the same four. Each tenderer's notice also says how its own tender
 * fared: awarded, ranked with the model's figures, rejected in the assessment with the reason, or
 * received too late.
 *
 * Its SHA-256 is over the notice's canonical JSON without the digest (libs/domain canonical-json.ts),
 * so that a copy can be checked against the one the authority keeps.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@tenderflow/domain/canonical-json';
import { awardNoticeBasis } from '@tenderflow/domain/procedures';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

export interface AwardNotice {
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
  /** How the addressee's tender fared. */
  outcome: 'awarded' | 'not_awarded' | 'rejected' | 'late';
  /** The model's ranking of each lot the addressee tendered for, when the evaluation computed one. */
  ranking: { lot?: string; model: string; ranked: { supplier: string; rank: number; figure: string }[] }[];
  standstill: { days: number; lastDay: string } | null;
  /** The notice in sentences, as the PDF prints it. */
  text: string[];
  /** SHA-256 (hex) of the canonical JSON of the notice without this field. */
  sha256: string;
}

export class AwardNoticeUnavailable extends Error {}

const sek = (n: number) => `${n.toLocaleString('sv-SE').replace(/\u00a0/g, ' ')} kr`;

/** The notice to `supplier`, or AwardNoticeUnavailable when there is none to give. */
export function buildAwardNotice(s: TenderState, supplier: string): AwardNotice {
  if (!s.award) throw new AwardNoticeUnavailable(`No award decision is made in ${s.id} yet.`);
  const tender = s.tendersReceived.find((t) => t.supplier === supplier);
  if (!tender) throw new AwardNoticeUnavailable(`${supplier} is not a tenderer of ${s.id}.`);
  const assessment = s.assessments?.find((a) => a.supplier === supplier);
  const winners = s.award.winners.map((w) => ({
    ...(w.lot !== undefined ? { lot: w.lot } : {}),
    supplier: w.supplier,
    reasons: w.reasons ?? 'inte registrerat i ärendet',
  }));
  const won = winners.filter((w) => w.supplier === supplier);
  const outcome: AwardNotice['outcome'] = tender.late
    ? 'late'
    : assessment?.result === 'rejected'
      ? 'rejected'
      : won.length > 0
        ? 'awarded'
        : 'not_awarded';
  const mine = (lot: string | undefined) => lot === undefined || tender.lots === undefined || tender.lots.includes(lot);
  const ranking = (s.evaluation?.ranking ?? [])
    .filter((l) => mine(l.lot))
    .map((l) => ({
      ...(l.lot !== undefined ? { lot: l.lot } : {}),
      model: l.model,
      ranked: l.ranked.map((r) => ({
        supplier: r.supplier,
        rank: r.rank,
        figure:
          r.total !== undefined
            ? `${r.total} poäng`
            : r.comparisonPriceSek !== undefined
              ? `jämförelsepris ${sek(r.comparisonPriceSek)}`
              : sek(r.priceSek),
      })),
    }));
  const standstillDeadline = [...s.deadlines, ...s.pastDeadlines].filter((d) => d.kind === 'standstill').pop();
  const standstill =
    s.award.standstillDays !== null && standstillDeadline
      ? { days: s.award.standstillDays, lastDay: standstillDeadline.lastDay }
      : null;
  const paragraph = awardNoticeBasis(s.regime);
  const lotOf = (lot?: string) => (lot ? `${lot}: ` : '');
  const text = [
    `${s.organization} har den ${s.award.decidedAt.slice(0, 10)} beslutat om tilldelning i upphandlingen ${s.title} (${s.id}).`,
    ...winners.map((w) => `${lotOf(w.lot)}Kontraktet tilldelas ${w.supplier}. Skäl: ${w.reasons}`),
    outcome === 'awarded'
      ? `Ert anbud har antagits${won.some((w) => w.lot) ? ` för ${won.map((w) => w.lot).join(', ')}` : ''}.`
      : outcome === 'rejected'
        ? `Ert anbud förkastades vid prövningen: ${assessment?.reason ?? 'inte registrerat i ärendet'}.`
        : outcome === 'late'
          ? 'Ert anbud kom in efter anbudstidens utgång och har inte prövats.'
          : 'Ert anbud har inte antagits.',
    ...ranking.map(
      (l) =>
        `${lotOf(l.lot)}Rangordning enligt utvärderingsmodellen: ${l.ranked.map((r) => `${r.rank}. ${r.supplier} (${r.figure})`).join(', ')}.`,
    ),
    standstill
      ? `Avtal får inte ingås förrän avtalsspärren på ${standstill.days} dagar har löpt ut; sista dagen är ${standstill.lastDay}.`
      : 'Ingen avtalsspärr gäller för tilldelningen.',
    `Underrättelsen lämnas enligt ${paragraph}.`,
  ];
  const notice: Omit<AwardNotice, 'sha256'> = {
    kind: 'award_notice',
    heading: 'Underrättelse om tilldelningsbeslut',
    paragraph,
    tenderId: s.id,
    title: s.title,
    organization: s.organization,
    addressee: { supplier, ...(tender.orgNumber ? { orgNumber: tender.orgNumber } : {}) },
    decidedAt: s.award.decidedAt,
    decidedBy: s.award.decidedBy.name,
    winners,
    outcome,
    ranking,
    standstill,
    text,
  };
  return { ...notice, sha256: createHash('sha256').update(canonicalJson(notice)).digest('hex') };
}
