import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '@tenderflow/db/canonical-json';
import { claimTenderNumber, keyedTender, nextTenderNumber } from '@tenderflow/db/tender-numbers';
import { conflict } from '../common/problem';

/**
 * Tender IDs are readable (`HSN-2026-00042`) and allocated from a database sequence (libs/db tender-numbers.ts). With an
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
    if (!idempotencyKey) return { id: await nextTenderNumber(manager, org, year), replay: false };
    const claimed = await claimTenderNumber(manager, org, year, {
      actorSub,
      key: idempotencyKey,
      requestHash: hashOf(body),
    });
    if (claimed) return { id: claimed, replay: false };
    return { id: (await this.find(actorSub, idempotencyKey, body, manager))!, replay: true };
  }

  /**
   * The tender an earlier request with this key created, or undefined; a conflict when that request
   * had another body. Asked before any rule that counts other tenders, so a retry never counts itself.
   */
  async find(
    actorSub: string,
    idempotencyKey: string,
    body: unknown,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | undefined> {
    const existing = await keyedTender(manager, actorSub, idempotencyKey);
    if (!existing) return undefined;
    if (existing.requestHash !== hashOf(body)) {
      throw conflict(`Idempotency-Key "${idempotencyKey}" was already used with a different request body`, {
        rule: 'idempotency_key_reuse',
      });
    }
    return existing.tenderId;
  }
}

function hashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
