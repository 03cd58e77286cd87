import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '@tenderflow/db/canonical-json';
import { tenderIdOf } from '@tenderflow/temporal-common/ids';
import { conflict } from '../common/problem';

/**
 * Tender IDs are readable (`HSN-2026-00042`) and allocated from a database sequence. With an
 * `Idempotency-Key`, the first request for (caller, key) wins the allocation and every repeat, even
 * a concurrent one, gets the same ID back; a repeat with a different body is a conflict.
 * `manager` runs the queries in the caller's transaction (the direct-award ledger's).
 */
@Injectable()
export class TenderIdsService {
  constructor(private readonly dataSource: DataSource) {}

  async allocate(
    org: string,
    year: number,
    actorSub: string,
    idempotencyKey: string | undefined,
    body: unknown,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; replay: boolean }> {
    if (!idempotencyKey) return { id: await this.next(org, year, manager), replay: false };
    const requestHash = hashOf(body);
    const candidate = await this.next(org, year, manager);
    const inserted: { tender_id: string }[] = await manager.query(
      `INSERT INTO idempotency_keys (actor_sub, key, request_hash, tender_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor_sub, key) DO NOTHING RETURNING tender_id`,
      [actorSub, idempotencyKey, requestHash, candidate],
    );
    if (inserted.length === 1) return { id: candidate, replay: false };
    return { id: (await this.find(actorSub, idempotencyKey, body, manager))!, replay: true };
  }

  /**
   * The tender an earlier request with this key created, or undefined; a conflict when that request
   * had another body. Asked before any rule that counts other tenders, so a retry never counts itself.
   */
  async find(actorSub: string, idempotencyKey: string, body: unknown, manager: EntityManager = this.dataSource.manager): Promise<string | undefined> {
    const [existing]: { tender_id: string; request_hash: string }[] = await manager.query(`SELECT tender_id, request_hash FROM idempotency_keys WHERE actor_sub = $1 AND key = $2`, [
      actorSub,
      idempotencyKey,
    ]);
    if (!existing) return undefined;
    if (existing.request_hash !== hashOf(body)) {
      throw conflict(`Idempotency-Key "${idempotencyKey}" was already used with a different request body`, { rule: 'idempotency_key_reuse' });
    }
    return existing.tender_id;
  }

  private async next(org: string, year: number, manager: EntityManager): Promise<string> {
    const [{ n }]: { n: string }[] = await manager.query(`SELECT nextval('tender_number_seq') AS n`);
    return tenderIdOf(org, year, n);
  }
}

function hashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
