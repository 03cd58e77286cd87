/**
 * The texts a tender's workflow does not keep (ARCHITECTURE §5: state is control, not content): a step
 * writes them to `tender_texts` by ref, and whoever reads the state back fills them in here.
 *
 * Two kinds. A question's text and its answer, by the question's id (read a page at a time: a Q&A
 * log may be megabytes). And the content of other steps — the needs analysis's texts, the
 * documents, the evaluation's reasons, a ruling's comment, a body's reason for declining — by a ref
 * the state keeps in `textRef`, unique to the step that wrote it (`content/<kind>@<version>`): a
 * content text is never overwritten, so a read of the parts and then of the texts sees whole steps.
 */
import type { ConsensusScore, TenderAssessment, TenderState } from './tender-types';

/** The refs of a question's texts. */
export const questionTextRef = (id: string) => `question:${id}`;
export const answerTextRef = (id: string) => `answer:${id}`;
/** The ref of a requirement's texts (its text, reference and follow-up evidence; its withdrawal's reason). */
export const requirementTextRef = (id: string) => `requirement:${id}`;
export const requirementWithdrawalRef = (id: string) => `requirement-withdrawal:${id}`;

/** What a requirement's text holds. */
export interface RequirementText {
  text: string;
  reference: string;
  evidence?: string;
}

/** Every content ref starts so (a prefix the reader selects them by). */
export const CONTENT_REF_PREFIX = 'content/';
/** The ref of content of `kind` written by the step that made `version`. */
export const contentRef = (kind: string, version: number) => `${CONTENT_REF_PREFIX}${kind}@${version}`;

/** What the evaluation's text holds: the summary and each proposal's reasons, by the proposal's position. */
export interface EvaluationText {
  summary?: string;
  reasons: string[];
  /** The explanation and the reason of each tender checked as abnormally low, by its position. */
  abnormallyLow?: { explanation?: string; reason: string }[];
}

type Texts = ReadonlyMap<string, Record<string, unknown>>;

/** The state with every stored text filled in: its questions' texts and its content (see `withContent`). */
export function withTexts(state: TenderState, texts: Texts): TenderState {
  const filled = withContent(state, texts);
  if (!filled.questions?.length) return filled;
  return {
    ...filled,
    questions: filled.questions.map((q) => ({
      ...q,
      ...(texts.get(questionTextRef(q.id)) ?? {}),
      ...(texts.get(answerTextRef(q.id)) ?? {}),
    })),
  };
}

/**
 * The state with its content filled in from the texts its `textRef`s name (the refs are not shown).
 * A state written before content moved keeps its content itself and has no refs: unchanged.
 */
export function withContent(state: TenderState, texts: Texts): TenderState {
  const evaluationText = (ref: string | undefined) =>
    ref ? (texts.get(ref) as EvaluationText | undefined) : undefined;
  const { evaluation, award } = state;
  return {
    ...state,
    ...(state.needsAnalysis ? { needsAnalysis: fill(state.needsAnalysis, texts) } : {}),
    ...(state.documents ? { documents: fill(state.documents, texts) } : {}),
    ...(evaluation ? { evaluation: withReasons(evaluation, 'proposals', evaluationText(evaluation.textRef)) } : {}),
    ...(award ? { award: withReasons(award, 'winners', evaluationText(award.textRef)) } : {}),
    reviews: (state.reviews ?? []).map((r) => fill(r, texts)),
    ...(state.assessments ? { assessments: state.assessments.map((a) => withAssessmentText(a, texts)) } : {}),
    ...(state.consensus ? { consensus: state.consensus.map((c) => withConsensusReason(c, texts)) } : {}),
    participants: (state.participants ?? []).map((b) => fill(b, texts)),
  };
}

/** The object without its ref, with its stored text laid over it (a text not stored yet: without it). */
function fill<T extends { textRef?: string }>(o: T, texts: Texts): Omit<T, 'textRef'> {
  if (o.textRef === undefined) return o;
  const { textRef: ref, ...rest } = o;
  const stored = texts.get(ref) as Partial<T> | undefined;
  return { ...rest, ...stored } as Omit<T, 'textRef'>;
}

/** The evaluation (or the award) without its ref, with each proposal's reasons (and the evaluation's summary) from its text. */
function withReasons<T extends { textRef?: string }>(
  o: T,
  key: 'proposals' | 'winners',
  text: EvaluationText | undefined,
): Omit<T, 'textRef'> {
  if (o.textRef === undefined) return o;
  const { textRef: _ref, ...rest } = o;
  if (!text) return rest;
  const proposals = (o as unknown as Record<string, { reasons?: string }[]>)[key].map((p, i) =>
    text.reasons[i] !== undefined ? { ...p, reasons: text.reasons[i] } : p,
  );
  const checked = (o as unknown as { abnormallyLow?: object[] }).abnormallyLow;
  return {
    ...rest,
    [key]: proposals,
    ...(key === 'proposals' && text.summary !== undefined ? { summary: text.summary } : {}),
    ...(key === 'proposals' && checked && text.abnormallyLow
      ? { abnormallyLow: checked.map((a, i) => ({ ...a, ...text.abnormallyLow![i] })) }
      : {}),
  };
}

/** A consensus without its ref, with its reason and notes from the text. */
function withConsensusReason(c: ConsensusScore, texts: Texts): ConsensusScore {
  if (c.textRef === undefined) return c;
  const { textRef: ref, ...rest } = c;
  const t = texts.get(ref) as { reason?: unknown; notes?: unknown } | undefined;
  return {
    ...rest,
    ...(typeof t?.reason === 'string' ? { reason: t.reason } : {}),
    ...(t?.notes && typeof t.notes === 'object' ? { notes: t.notes as Record<string, string> } : {}),
  };
}

/** What an assessment's text holds (workflows/tender/commands/assessment.ts writes it). */
export interface AssessmentText {
  exclusionNote?: string;
  qualificationNote?: string;
  requirementNotes?: Record<string, string>;
  abnormallyLowTexts?: { reason: string; explanation?: string }[];
  reason?: string;
}

/** An assessment without its ref, its notes and reasons laid into the fields they belong to. */
function withAssessmentText(a: TenderAssessment, texts: Texts): TenderAssessment {
  if (a.textRef === undefined) return a;
  const { textRef: ref, ...rest } = a;
  const t = texts.get(ref) as AssessmentText | undefined;
  if (!t) return rest;
  return {
    ...rest,
    exclusion: { ...rest.exclusion, ...(t.exclusionNote !== undefined ? { note: t.exclusionNote } : {}) },
    qualification: {
      ...rest.qualification,
      ...(t.qualificationNote !== undefined ? { note: t.qualificationNote } : {}),
    },
    requirements: rest.requirements.map((r) =>
      t.requirementNotes?.[r.requirementId] !== undefined ? { ...r, note: t.requirementNotes[r.requirementId] } : r,
    ),
    ...(rest.abnormallyLow
      ? { abnormallyLow: rest.abnormallyLow.map((x, i) => ({ ...x, ...(t.abnormallyLowTexts?.[i] ?? {}) })) }
      : {}),
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
  };
}
