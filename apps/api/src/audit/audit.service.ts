import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { auditHash, GENESIS_HASH } from '@tenderflow/db/audit-chain';
import { appendAuditEvents, cappedPayload } from '@tenderflow/db/audit-writer';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest } from '../common/problem';

interface AuditRow {
  id: string;
  tender_id: string;
  chain_index: number;
  event_key: string;
  type: string;
  actor_sub: string | null;
  actor_name: string | null;
  actor_org: string | null;
  at: Date;
  reason: string | null;
  payload: unknown;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
}

/**
 * Reads and verifies a tender's audit chain, and records what only the API sees: refused command
 * attempts (a refused Update leaves no trace in the workflow's history).
 */
/**
 * An evaluator's own scores stay out of a refusal's record: the chain is read by the whole
 * organisation, and evaluators score on their own until the consensus (issue 30, part 3).
 */
function withoutOwnScores(command: string, payload: unknown): unknown {
  if (command !== 'scoreTender' || !payload || typeof payload !== 'object') return payload;
  const { scores: _scores, ...rest } = payload as Record<string, unknown>;
  return { ...rest, scores: 'withheld' };
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async recordRefusal(
    tenderId: string,
    actor: Actor,
    command: string,
    status: number,
    reason: string,
    payload: unknown,
    rule?: string,
  ): Promise<void> {
    await appendAuditEvents(
      this.dataSource,
      [
        {
          tenderId,
          workflowId: `tender-${tenderId}`,
          seq: 0,
          type: 'command.refused',
          actor: { sub: actor.sub, name: actor.name, org: actor.org },
          at: new Date().toISOString(),
          reason,
          // The rule lets a reader say the refusal in its own language (the reason is the API's English).
          payload: {
            command,
            status,
            ...(rule ? { rule } : {}),
            request: cappedPayload(withoutOwnScores(command, payload)),
          },
        },
      ],
      () => `api:${randomUUID()}`,
    );
  }

  async list(tenderId: string, afterIndex = 0, limit = 100) {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT * FROM audit_events WHERE tender_id = $1 AND chain_index > $2 ORDER BY chain_index LIMIT $3`,
      [tenderId, afterIndex, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(toItem),
      nextCursor: rows.length > limit ? String(page[page.length - 1].chain_index) : null,
    };
  }

  /**
   * Only the events a reader cites, oldest first, in one statement: those of `types`, the last
   * accepted command (or gate decision) of each name in `last`, every one of each name in `every`,
   * and the chain's newest event. The rest of the chain, every question's and answer's text among
   * it, is not read.
   */
  async cited(
    tenderId: string,
    select: { types: readonly string[]; last: readonly string[]; every: readonly string[] },
  ) {
    const rows: AuditRow[] = await this.dataSource.query(
      `WITH commands AS (
         SELECT chain_index, payload->>'command' AS command FROM audit_events WHERE tender_id = $1 AND type IN ('command.accepted', 'gate.decided')
       ), cited AS (
         SELECT chain_index FROM audit_events WHERE tender_id = $1 AND type = ANY($2::text[])
         UNION SELECT max(chain_index) FROM commands WHERE command = ANY($3::text[]) GROUP BY command
         UNION SELECT chain_index FROM commands WHERE command = ANY($4::text[])
         UNION SELECT max(chain_index) FROM audit_events WHERE tender_id = $1
       )
       SELECT e.* FROM audit_events e JOIN cited c ON c.chain_index = e.chain_index WHERE e.tender_id = $1 ORDER BY e.chain_index`,
      [tenderId, select.types, select.last, select.every],
    );
    return rows.map(toItem);
  }

  /** Recomputes the chain; the first row whose content or link does not match makes it invalid. */
  async verify(
    tenderId: string,
  ): Promise<{ valid: boolean; events: number; head: string | null; brokenAt?: number; problem?: string }> {
    let prev = GENESIS_HASH;
    let events = 0;
    let after = 0;
    for (;;) {
      const rows: AuditRow[] = await this.dataSource.query(
        `SELECT * FROM audit_events WHERE tender_id = $1 AND chain_index > $2 ORDER BY chain_index LIMIT 1000`,
        [tenderId, after],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        events += 1;
        if (r.chain_index !== events)
          return { valid: false, events, head: prev, brokenAt: r.chain_index, problem: `row ${events} is missing` };
        if (r.prev_hash !== prev)
          return {
            valid: false,
            events,
            head: prev,
            brokenAt: r.chain_index,
            problem: 'the link to the previous row does not match',
          };
        const expected = auditHash(prev, {
          tenderId: r.tender_id,
          chainIndex: r.chain_index,
          eventKey: r.event_key,
          type: r.type,
          actor: r.actor_sub ? { sub: r.actor_sub, name: r.actor_name ?? '', org: r.actor_org ?? '' } : null,
          at: r.at.toISOString(),
          reason: r.reason,
          payload: r.payload,
        });
        if (expected !== r.hash)
          return {
            valid: false,
            events,
            head: prev,
            brokenAt: r.chain_index,
            problem: "the row's content does not match its hash",
          };
        prev = r.hash;
      }
      after = rows[rows.length - 1].chain_index;
    }
    return { valid: true, events, head: events ? prev : null };
  }

  parseCursor(cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    if (!/^\d{1,9}$/.test(cursor))
      throw badRequest('cursor must be the nextCursor of the previous page', [
        { field: 'cursor', rule: 'format', message: 'a whole number' },
      ]);
    return Number(cursor);
  }
}

function toItem(r: AuditRow) {
  return {
    index: r.chain_index,
    type: r.type,
    at: r.at.toISOString(),
    actor: r.actor_sub ? { sub: r.actor_sub, name: r.actor_name, org: r.actor_org } : null,
    reason: r.reason,
    payload: r.payload,
    hash: r.hash,
    prevHash: r.prev_hash,
  };
}
