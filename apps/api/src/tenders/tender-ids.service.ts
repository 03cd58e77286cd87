import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../../../../libs/db/src/canonical-json';
import { conflict } from '../common/problem';

/**
 * Tender IDs are readable (`HSN-2026-00042`) and allocated from a database sequence. With an
 * `Idempotency-Key`, the first request for (caller, key) wins the allocation and every repeat, even
 * a concurrent one, gets the same ID back; a repeat with a different body is a conflict.
 */
@Injectable()
export class TenderIdsService {
  constructor(private readonly dataSource: DataSource) {}

  async allocate(org: string, year: number, actorSub: string, idempotencyKey: string | undefined, body: unknown): Promise<{ id: string; replay: boolean }> {
    if (!idempotencyKey) return { id: await this.next(org, year), replay: false };
    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const candidate = await this.next(org, year);
    const inserted: { tender_id: string }[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (actor_sub, key, request_hash, tender_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor_sub, key) DO NOTHING RETURNING tender_id`,
      [actorSub, idempotencyKey, requestHash, candidate],
    );
    if (inserted.length === 1) return { id: candidate, replay: false };
    const [existing]: { tender_id: string; request_hash: string }[] = await this.dataSource.query(
      `SELECT tender_id, request_hash FROM idempotency_keys WHERE actor_sub = $1 AND key = $2`,
      [actorSub, idempotencyKey],
    );
    if (existing.request_hash !== requestHash) {
      throw conflict(`Idempotency-Key "${idempotencyKey}" was already used with a different request body`, { rule: 'idempotency_key_reuse' });
    }
    return { id: existing.tender_id, replay: true };
  }

  private async next(org: string, year: number): Promise<string> {
    const [{ n }]: { n: string }[] = await this.dataSource.query(`SELECT nextval('tender_number_seq') AS n`);
    return `${org}-${year}-${n.padStart(5, '0')}`;
  }
}
