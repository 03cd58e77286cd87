import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { assembleParts } from '@tenderflow/temporal-common/state-parts';
import {
  answerTextRef,
  CONTENT_REF_PREFIX,
  questionTextRef,
  requirementTextRef,
  requirementWithdrawalRef,
  withContent,
  type RequirementText,
} from '@tenderflow/temporal-common/tender-texts';
import { getStateQuery } from '@tenderflow/workflows/tender/tender.messages';
import { type Question, type Requirement, type TenderState } from '@tenderflow/temporal-common/tender-types';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';

/** One page of a tender's Q&A log, with the texts; `next` is the position the next page starts at. */
export interface QuestionsPage {
  items: Question[];
  next: number | null;
}

/**
 * The one reader of a tender's state for the API (ARCHITECTURE §5: reads never replay). The read model has
 * the state as parts written by each step's commit (libs/temporal-common state-parts.ts) and the
 * texts the workflow does not keep; each read is one statement, so one step's writes are seen whole
 * or not at all. Only a tender whose parts are not complete yet (its first task has not run, or it
 * last moved before parts were written) is asked by Query; a closed workflow is thus never replayed
 * for a read of a tender that has taken a step since.
 *
 * The state comes without the questions' and answers' texts, as the workflow keeps it: a tender's
 * Q&A log may be megabytes (1 000 questions of 5 000 characters and their answers: 10 MB), and
 * every read and every command's answer would carry it. The texts are read a page at a time
 * (`questions`).
 */
@Injectable()
export class TenderStateReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
  ) {}

  /** The state; undefined when the read model does not hold it whole (see `read`). */
  async stored(id: string): Promise<TenderState | undefined> {
    // The parts as one JSON object: a tender's thousands of parts cost one parse, not one row each;
    // its content texts (not the questions') in the same statement.
    const [row]: {
      complete: boolean;
      parts: Record<string, unknown> | null;
      texts: Record<string, Record<string, unknown>> | null;
    }[] = await this.dataSource.query(
      `SELECT state_complete AS complete,
              (SELECT json_object_agg(part, value) FROM tender_state_parts WHERE tender_id = $1) AS parts,
              (SELECT json_object_agg(ref, body) FROM tender_texts WHERE tender_id = $1 AND starts_with(ref, $2)) AS texts
         FROM tenders WHERE id = $1`,
      [id, CONTENT_REF_PREFIX],
    );
    if (!row?.complete) return undefined;
    return withContent(
      assembleParts<TenderState>(Object.entries(row.parts ?? {})),
      new Map(Object.entries(row.texts ?? {})),
    );
  }

  /**
   * The requirements register with its texts: the state's requirements (as `read`), then their texts
   * in one statement (a requirement's text is written by the step that registers it, so every
   * requirement the state shows has its text).
   */
  async requirements(id: string): Promise<Requirement[]> {
    const requirements = (await this.read(id)).requirements ?? [];
    if (requirements.length === 0) return [];
    const rows: { ref: string; body: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT ref, body FROM tender_texts WHERE tender_id = $1 AND ref = ANY($2::text[])`,
      [id, requirements.flatMap((r) => [requirementTextRef(r.id), requirementWithdrawalRef(r.id)])],
    );
    const byRef = new Map(rows.map((r) => [r.ref, r.body]));
    return requirements.map((r) => {
      const text = (byRef.get(requirementTextRef(r.id)) ?? {}) as Partial<RequirementText>;
      const withdrawal = byRef.get(requirementWithdrawalRef(r.id)) as { reason?: string } | undefined;
      return {
        ...r,
        ...(text.text !== undefined ? { text: text.text } : {}),
        ...(text.reference !== undefined ? { reference: text.reference } : {}),
        ...(r.followUp && text.evidence !== undefined ? { followUp: { ...r.followUp, evidence: text.evidence } } : {}),
        ...(withdrawal?.reason !== undefined ? { withdrawalReason: withdrawal.reason } : {}),
      };
    });
  }

  /** The stored texts of `refs` (tender_texts), by ref; a ref without a text is absent. */
  async textsOf(id: string, refs: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (refs.length === 0) return new Map();
    const rows: { ref: string; body: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT ref, body FROM tender_texts WHERE tender_id = $1 AND ref = ANY($2::text[])`,
      [id, [...refs]],
    );
    return new Map(rows.map((r) => [r.ref, r.body]));
  }

  /**
   * The state once the read model holds at least `version` (a step the workflow committed is written
   * by its commit activity a moment later); after `timeoutMs`, what the read model has.
   */
  async readAtLeast(id: string, version: number, timeoutMs = 10_000): Promise<TenderState> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [row]: { state_version: number }[] = await this.dataSource.query(
        `SELECT state_version FROM tenders WHERE id = $1`,
        [id],
      );
      if ((row && row.state_version >= version) || Date.now() > until) return this.read(id);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * The state once it is at least `version` and shows what `done` asks (a step the workflow commits
   * after the command's answer: a partner's outcome), or as it stands after `timeoutMs`.
   */
  async readUntil(
    id: string,
    version: number,
    done: (s: TenderState) => boolean,
    timeoutMs = 10_000,
  ): Promise<TenderState> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.readAtLeast(id, version, Math.max(0, until - Date.now()));
      if (done(s) || Date.now() > until) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The state from the read model, or from the workflow where the read model does not hold it whole.
   * `signal` bounds the workflow's answer (a caller that cannot wait for a worker that is down).
   */
  async read(id: string, signal?: AbortSignal): Promise<TenderState> {
    return (await this.stored(id)) ?? (await this.query(id, signal));
  }

  /**
   * `limit` questions from position `from` (0: the first registered), in registration order, each
   * with its question (and asker) and its answer from tender_texts: one statement that reads only
   * the page's parts and texts. A tender whose parts are not complete takes its questions from the
   * workflow and their texts from tender_texts (two statements and a Query).
   */
  async questions(id: string, from: number, limit: number): Promise<QuestionsPage> {
    const rows: { complete: boolean; question: Question | null; asked: object | null; answered: object | null }[] =
      await this.dataSource.query(
        `SELECT t.state_complete AS complete, q.value AS question, qt.body AS asked, at.body AS answered
         FROM tenders t
         LEFT JOIN LATERAL (
           SELECT position, value FROM (
             -- CASE: the number is read only from a question's part (a WHERE clause's order is the planner's).
             SELECT CASE WHEN left(p.part, length($4)) = $4 THEN substr(p.part, length($4) + 1)::int END AS position, p.value
               FROM tender_state_parts p WHERE p.tender_id = t.id
           ) parts
            WHERE position >= $2 AND position < (SELECT (value #>> '{}')::int FROM tender_state_parts WHERE tender_id = t.id AND part = $7)
            ORDER BY position LIMIT $3
         ) q ON t.state_complete
         LEFT JOIN tender_texts qt ON qt.tender_id = t.id AND qt.ref = $5 || (q.value->>'id')
         LEFT JOIN tender_texts at ON at.tender_id = t.id AND at.ref = $6 || (q.value->>'id')
        WHERE t.id = $1
        ORDER BY q.position`,
        [id, from, limit + 1, QUESTION_PARTS, questionTextRef(''), answerTextRef(''), QUESTION_COUNT],
      );
    if (rows[0]?.complete) {
      const items = rows.filter((r) => r.question !== null).map((r) => withText(r.question!, r.asked, r.answered));
      return page(items, from, limit);
    }
    const questions = (await this.query(id)).questions.slice(from, from + limit + 1);
    const texts: { ref: string; body: object }[] = await this.dataSource.query(
      `SELECT ref, body FROM tender_texts WHERE tender_id = $1 AND ref = ANY($2::text[])`,
      [id, questions.flatMap((q) => [questionTextRef(q.id), answerTextRef(q.id)])],
    );
    const byRef = new Map(texts.map((t) => [t.ref, t.body]));
    return page(
      questions.map((q) => withText(q, byRef.get(questionTextRef(q.id)), byRef.get(answerTextRef(q.id)))),
      from,
      limit,
    );
  }

  /** The workflow's state, with its content from the read model. */
  private async query(id: string, signal?: AbortSignal): Promise<TenderState> {
    const state = await this.queryWorkflow(id, signal);
    const texts: { ref: string; body: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT ref, body FROM tender_texts WHERE tender_id = $1 AND starts_with(ref, $2)`,
      [id, CONTENT_REF_PREFIX],
    );
    return withContent(state, new Map(texts.map((t) => [t.ref, t.body])));
  }

  private async queryWorkflow(id: string, signal?: AbortSignal): Promise<TenderState> {
    const ask = () => this.temporal.client.workflow.getHandle(tenderWorkflowId(id)).query(getStateQuery);
    try {
      return await (signal ? this.temporal.client.withAbortSignal(signal, ask) : ask());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      throw toHttpError(err, `Tender ${id}`);
    }
  }
}

/** The parts of the questions array (libs/temporal-common state-parts.ts): `questions/<position>`, and its length. */
const QUESTION_PARTS = 'questions/';
const QUESTION_COUNT = 'questions[]';

/** A question with its stored texts laid over it, as withTexts (tender-texts.ts) does for a whole state. */
function withText(q: Question, asked: object | null | undefined, answered: object | null | undefined): Question {
  return { ...q, ...asked, ...answered };
}

/** `limit + 1` items asked for: the one past the page says there is a next page. */
function page(items: Question[], from: number, limit: number): QuestionsPage {
  return { items: items.slice(0, limit), next: items.length > limit ? from + limit : null };
}
