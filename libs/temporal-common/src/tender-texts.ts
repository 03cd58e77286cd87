/**
 * The texts a tender's workflow does not keep (DESIGN 5: state is control, not content): a step
 * writes them to `tender_texts` by ref, and whoever reads the state back fills them in here.
 */
import type { TenderState } from './tender-types';

/** The refs of a question's texts. */
export const questionTextRef = (id: string) => `question:${id}`;
export const answerTextRef = (id: string) => `answer:${id}`;

/** The state with each question's text and answer from the stored texts (ref → body). */
export function withTexts(state: TenderState, texts: ReadonlyMap<string, Record<string, unknown>>): TenderState {
  if (!state.questions?.length) return state;
  return {
    ...state,
    questions: state.questions.map((q) => ({ ...q, ...(texts.get(questionTextRef(q.id)) ?? {}), ...(texts.get(answerTextRef(q.id)) ?? {}) })),
  };
}
