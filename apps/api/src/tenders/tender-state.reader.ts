import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { assembleParts } from '@tenderflow/temporal-common/state-parts';
import { withTexts } from '@tenderflow/temporal-common/tender-texts';
import { getStateQuery, type TenderState } from '@tenderflow/workflows/tender/tender.messages';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';

/**
 * The one reader of a tender's state for the API (DESIGN 5: reads never replay). The read model has
 * the state as parts written by each step's commit (libs/temporal-common state-parts.ts) and the
 * texts the workflow does not keep; they are read in one statement, so one step's writes are seen
 * whole or not at all. Only a tender whose parts are not complete yet (its first task has not run,
 * or it last moved before parts were written) is asked by Query; a closed workflow is thus never
 * replayed for a read of a tender that has taken a step since.
 */
export interface ReadOptions {
  /** The questions' texts (default true). */
  texts?: boolean;
}

@Injectable()
export class TenderStateReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
  ) {}

  /**
   * The state; undefined when the read model does not hold it whole (see `read`). Without `texts`,
   * the questions come without their texts (OCDS, the report and access checks do not show them, and
   * a tender's Q&A log may be megabytes).
   */
  async stored(id: string, opts: ReadOptions = {}): Promise<TenderState | undefined> {
    const rows: { k: 'c' | 'p' | 't'; name: string; value: unknown }[] = await this.dataSource.query(
      `SELECT 'c' AS k, '' AS name, to_jsonb(state_complete) AS value FROM tenders WHERE id = $1
       UNION ALL SELECT 'p', part, value FROM tender_state_parts WHERE tender_id = $1
       UNION ALL SELECT 't', ref, body FROM tender_texts WHERE tender_id = $1 AND $2::boolean`,
      [id, opts.texts !== false],
    );
    if (!rows.some((r) => r.k === 'c' && r.value === true)) return undefined;
    const state = assembleParts<TenderState>(rows.filter((r) => r.k === 'p').map((r) => [r.name, r.value]));
    return withTexts(state, new Map(rows.filter((r) => r.k === 't').map((r) => [r.name, r.value as Record<string, unknown>])));
  }

  /**
   * The state once the read model holds at least `version` (a step the workflow committed is written
   * by its commit activity a moment later); after `timeoutMs`, what the read model has.
   */
  async readAtLeast(id: string, version: number, timeoutMs = 10_000, opts: ReadOptions = {}): Promise<TenderState> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [row]: { state_version: number }[] = await this.dataSource.query(`SELECT state_version FROM tenders WHERE id = $1`, [id]);
      if ((row && row.state_version >= version) || Date.now() > until) return this.read(id, opts);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The state from the read model, or from the workflow where the read model does not hold it whole. */
  async read(id: string, opts: ReadOptions = {}): Promise<TenderState> {
    const stored = await this.stored(id, opts);
    if (stored) return stored;
    try {
      return await this.temporal.client.workflow.getHandle(tenderWorkflowId(id)).query(getStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      throw toHttpError(err, `Tender ${id}`);
    }
  }
}
