/**
 * The opening protocol and the evaluation report (issue 30, part 4), in Swedish, from the recorded
 * facts only. Pure and deterministic: the tender's workflow builds each when its step is taken (the
 * opening when it is recorded, the evaluation report when the award is decided, with the approver's
 * justification of any red flag), keeps it in the read model and its SHA-256 in the chain. The
 * award decision notices are award-notice.ts.
 */
import { endsSentence, figureOf, kronor, MODEL_WORDS } from './award-notice';
import type { Regime } from './types';

/** The paragraph a procedure's documentation rests on (libs/domain CITATIONS.md rows 13 and 33). */
export function documentationBasis(regime: Regime): string {
  switch (regime) {
    case 'eu':
    case 'framework_call_off':
      return '12 kap. 14 § LOU';
    case 'national':
      return '19 kap. 22 § LOU';
    case 'direct':
      return '19 a kap. 11 § LOU';
  }
}

interface DocumentHead {
  tenderId: string;
  title: string;
  organization: string;
}

export interface OpeningFacts extends DocumentHead {
  /** The tender deadline that passed: its last day and instant. */
  deadline: { lastDay: string; at: string } | null;
  openedAt: string;
  openers: string[];
  recordedBy: string;
  tenders: {
    supplier: string;
    orgNumber?: string;
    receivedAt: string;
    late: boolean;
    lots?: string[];
    prices?: { lot?: string; priceSek: number }[];
  }[];
}

export interface OpeningProtocolDocument extends DocumentHead {
  kind: 'opening_protocol';
  heading: string;
  paragraph: string;
  deadline: { lastDay: string; at: string } | null;
  openedAt: string;
  openers: string[];
  recordedBy: string;
  tenders: OpeningFacts['tenders'];
  text: string[];
}

/** The opening's protocol (anbudsöppning, 12 kap. 10 § LOU): who opened, when, and every tender with its prices. */
export function openingProtocol(f: OpeningFacts): OpeningProtocolDocument {
  const late = f.tenders.filter((t) => t.late).length;
  const priceWords = (t: OpeningFacts['tenders'][number]) =>
    t.prices?.length
      ? `; pris ${t.prices.map((p) => `${p.lot ? `${p.lot} ` : ''}${kronor(p.priceSek)}`).join(', ')}`
      : '; inget pris registrerat';
  const text = [
    `Anbudsöppning i upphandlingen ${f.title} (${f.tenderId}), ${f.organization}, den ${f.openedAt.slice(0, 10)}.`,
    f.deadline ? `Sista dag för anbud: ${f.deadline.lastDay}.` : 'Sista dag för anbud: inte registrerad i ärendet.',
    `Öppnare: ${f.openers.join(', ')}. Protokollet fördes av ${f.recordedBy}.`,
    `Antal anbud: ${f.tenders.length}${late > 0 ? `, varav ${late} för sent inkomna` : ''}.`,
    ...f.tenders.map(
      (t, i) =>
        `${i + 1}. ${t.supplier}${t.orgNumber ? ` (${t.orgNumber})` : ''}, inkom ${t.receivedAt}${t.late ? ' (för sent, prövas inte)' : ''}${t.lots?.length ? `; delområden ${t.lots.join(', ')}` : ''}${priceWords(t)}.`,
    ),
  ];
  return {
    kind: 'opening_protocol',
    heading: 'Protokoll från anbudsöppning',
    paragraph: '12 kap. 10 § LOU',
    tenderId: f.tenderId,
    title: f.title,
    organization: f.organization,
    deadline: f.deadline,
    openedAt: f.openedAt,
    openers: f.openers,
    recordedBy: f.recordedBy,
    tenders: f.tenders,
    text,
  };
}

export interface EvaluationFacts extends DocumentHead {
  regime: Regime;
  decidedAt: string;
  decidedBy: string;
  tenders: { supplier: string; late: boolean; assessment?: { result: string; reason?: string } }[];
  /** The model's ranking per lot, with each tender's consensus scores and their reason. */
  lots: {
    lot?: string;
    model: 'lowest_price' | 'weighted' | 'value_deduction';
    ranked: {
      supplier: string;
      rank: number;
      priceSek: number;
      total?: number;
      comparisonPriceSek?: number;
      consensus?: { scores: Record<string, number>; reason?: string };
    }[];
    winner?: string;
  }[];
  proposals: { lot?: string; supplier: string; reasons?: string }[];
  /** Each tender checked as abnormally low, at its assessment or the evaluation: the explanation asked for and the outcome. */
  abnormallyLow?: AbnormallyLowCheck[];
  summary?: string;
  redFlags: { code: string; value: number }[];
  justification?: string;
}

export interface AbnormallyLowCheck {
  supplier: string;
  lot?: string;
  explanationRequestedOn: string;
  explanationReceivedOn?: string;
  outcome: 'accepted' | 'rejected';
  reason?: string;
}

export interface EvaluationReportDocument extends DocumentHead {
  kind: 'evaluation_report';
  heading: string;
  paragraph: string;
  decidedAt: string;
  decidedBy: string;
  tenders: EvaluationFacts['tenders'];
  lots: EvaluationFacts['lots'];
  proposals: { lot?: string; supplier: string; reasons: string }[];
  abnormallyLow?: AbnormallyLowCheck[];
  summary?: string;
  redFlags: EvaluationFacts['redFlags'];
  justification?: string;
  text: string[];
}

const NOT_RECORDED = 'inte registrerat i ärendet';
const RESULT: Record<string, string> = { admitted: 'går vidare till utvärdering', rejected: 'förkastat' };

/**
 * One abnormally low check as a sentence: the explanation asked for (16 kap. 7 § LOU, below the
 * threshold 19 kap. 18 §; CITATIONS.md row 36), when it came and the outcome with its reason, which
 * the documentation must give for a rejected tender (12 kap. 16 § första stycket 1, row 35). The
 * tenderer's own explanation stays out: it may hold its business secrets.
 */
export function abnormallyLowSentence(a: AbnormallyLowCheck): string {
  const received = a.explanationReceivedOn ? `mottagen ${a.explanationReceivedOn}` : 'ingen förklaring mottagen';
  const outcome = a.outcome === 'accepted' ? 'förklaringen godtogs' : 'anbudet förkastades';
  return `Onormalt lågt pris: ${a.supplier}${a.lot ? `, ${a.lot}` : ''}: förklaring begärd ${a.explanationRequestedOn}, ${received}; ${outcome}. Skäl: ${endsSentence(a.reason?.trim() ? a.reason : NOT_RECORDED)}`;
}

/** The evaluation's report at the award decision: the assessment, the model, the scores, the ranking, the reasons, the red flags. */
export function evaluationReport(f: EvaluationFacts): EvaluationReportDocument {
  const proposals = f.proposals.map((p) => ({
    ...(p.lot !== undefined ? { lot: p.lot } : {}),
    supplier: p.supplier,
    reasons: p.reasons?.trim() ? p.reasons : NOT_RECORDED,
  }));
  const lotOf = (lot?: string) => (lot ? `${lot}: ` : '');
  const scoreWords = (c?: { scores: Record<string, number>; reason?: string }) =>
    c
      ? ` [konsensus ${Object.keys(c.scores)
          .sort()
          .map((k) => `${k} ${c.scores[k]}`)
          .join(', ')}${c.reason ? `; ${c.reason}` : ''}]`
      : '';
  const text = [
    `Utvärdering i upphandlingen ${f.title} (${f.tenderId}), ${f.organization}; tilldelningen beslutad den ${f.decidedAt.slice(0, 10)} av ${f.decidedBy}.`,
    ...f.tenders.map(
      (t) =>
        `Prövning: ${t.supplier}: ${t.late ? 'för sent inkommet, prövas inte' : t.assessment ? `${RESULT[t.assessment.result] ?? t.assessment.result}${t.assessment.result === 'rejected' ? ` (${t.assessment.reason?.trim() ? t.assessment.reason : NOT_RECORDED})` : ''}` : 'ingen prövning registrerad'}.`,
    ),
    ...(f.abnormallyLow ?? []).map(abnormallyLowSentence),
    ...f.lots.map(
      (l) =>
        `${lotOf(l.lot)}Utvärderingsmodell: ${MODEL_WORDS[l.model]}. Rangordning: ${l.ranked.map((r) => `${r.rank}. ${r.supplier} (${figureOf(r)})${scoreWords(r.consensus)}`).join('; ')}.`,
    ),
    ...proposals.map((p) => `${lotOf(p.lot)}Tilldelas ${p.supplier}. Skäl: ${p.reasons}`),
    ...(f.summary ? [`Sammanfattning: ${f.summary}`] : []),
    f.redFlags.length > 0
      ? `Varningsflaggor: ${f.redFlags.map((r) => `${r.code} (${r.value})`).join(', ')}. Motivering för att ändå tilldela: ${endsSentence(f.justification?.trim() ? f.justification : NOT_RECORDED)}`
      : 'Inga varningsflaggor räknades fram för tilldelningen.',
  ];
  return {
    kind: 'evaluation_report',
    heading: 'Utvärderingsrapport',
    paragraph: documentationBasis(f.regime),
    tenderId: f.tenderId,
    title: f.title,
    organization: f.organization,
    decidedAt: f.decidedAt,
    decidedBy: f.decidedBy,
    tenders: f.tenders,
    lots: f.lots,
    proposals,
    ...(f.abnormallyLow?.length ? { abnormallyLow: f.abnormallyLow } : {}),
    ...(f.summary ? { summary: f.summary } : {}),
    redFlags: f.redFlags,
    ...(f.justification ? { justification: f.justification } : {}),
    text,
  };
}
