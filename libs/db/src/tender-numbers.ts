import { tenderIdOf } from '@tenderflow/temporal-common/ids';
import type { Queryable } from './policy-store';

/**
 * Tender numbers: readable ids (`HSN-2026-00042`, the organisation, the financial year, a number from
 * the tenders' database sequence, formatted by temporal-common ids.ts tenderIdOf) for a tender created through the API and for a re-procurement alike.
 * With an idempotency key ((who asked, their key) in idempotency_keys), the first allocation wins and
 * every repeat, even a concurrent one, finds the same id. `db` may be a transaction's EntityManager
 * (the direct-award ledger's).
 */

/** The next number of the sequence as the organisation's id for the year. */
export async function nextTenderNumber(db: Queryable, organization: string, year: number | string): Promise<string> {
  const [{ n }] = await db.query<{ n: string }[]>(`SELECT nextval('tender_number_seq') AS n`);
  return tenderIdOf(organization, year, n);
}

export interface TenderNumberKey {
  /** Who asked: the caller's subject, or the contract workflow that re-procures. */
  actorSub: string;
  key: string;
  /** What was asked, to tell a repeat from another request under the same key. */
  requestHash: string;
}

/**
 * A new number claimed for the key: the id when this allocation won the key, undefined when another
 * request had it first (then `keyedTender` tells which id it got). A lost race still uses up a number
 * of the sequence, as any rolled-back allocation does.
 */
export async function claimTenderNumber(
  db: Queryable,
  organization: string,
  year: number | string,
  key: TenderNumberKey,
): Promise<string | undefined> {
  const candidate = await nextTenderNumber(db, organization, year);
  const inserted = await db.query<{ tender_id: string }[]>(
    `INSERT INTO idempotency_keys (actor_sub, key, request_hash, tender_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (actor_sub, key) DO NOTHING RETURNING tender_id`,
    [key.actorSub, key.key, key.requestHash, candidate],
  );
  return inserted.length === 1 ? candidate : undefined;
}

/** The tender an earlier allocation under (actorSub, key) got, with the hash of what it was asked. */
export async function keyedTender(
  db: Queryable,
  actorSub: string,
  key: string,
): Promise<{ tenderId: string; requestHash: string } | undefined> {
  const [existing] = await db.query<{ tender_id: string; request_hash: string }[]>(
    `SELECT tender_id, request_hash FROM idempotency_keys WHERE actor_sub = $1 AND key = $2`,
    [actorSub, key],
  );
  return existing ? { tenderId: existing.tender_id, requestHash: existing.request_hash } : undefined;
}
