import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from './canonical-json';

/**
 * Which tenders the system itself started (migration TenderStarts): the API and the worker's
 * re-procurement record each start input before giving it to Temporal, and commitStep writes only
 * for tenders recorded here. Someone who reaches Temporal around the API can start a workflow with
 * any input (another creator, their own command keys); its first step is refused, so it writes no
 * audit event, no outbox row and no read model (the workflow fails there).
 */
export type TenderStartOrigin = 'api' | 'reprocurement';

/** The SHA-256 of a start input as Temporal carries it (JSON: absent and undefined fields alike). */
export function startInputDigest(input: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(input)) as unknown))
    .digest('hex');
}

/** Anything that runs SQL: an EntityManager, a pg Pool (the benchmark's raw starts). */
type Sql = { query(sql: string, params: unknown[]): Promise<unknown> };

export async function recordTenderStart(
  m: Sql,
  start: { tenderId: string; workflowId: string; input: unknown; origin: TenderStartOrigin },
): Promise<void> {
  const keys = (start.input as { commandKeys?: unknown } | null)?.commandKeys;
  await m.query(
    `INSERT INTO tender_starts (tender_id, workflow_id, input_sha256, origin, command_keys) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tender_id, input_sha256) DO NOTHING`,
    [
      start.tenderId,
      start.workflowId,
      startInputDigest(start.input),
      start.origin,
      Array.isArray(keys) ? JSON.stringify(keys) : null,
    ],
  );
}

/**
 * The API's start of a tender, recorded once: the input recorded by the first request for this
 * tender (a repeat of its `Idempotency-Key`, however many race, gets that input back and records
 * nothing), else `input`, recorded now. Under a transaction-scoped advisory lock on the tender's id.
 */
export async function recordApiStart<T>(
  m: EntityManager,
  start: { tenderId: string; workflowId: string; input: T },
): Promise<T> {
  return m.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('tender_starts:' || $1, 0))`, [start.tenderId]);
    const [first]: { input: T }[] = await tx.query(
      `SELECT input FROM tender_starts WHERE tender_id = $1 AND origin = 'api' AND input IS NOT NULL ORDER BY id LIMIT 1`,
      [start.tenderId],
    );
    if (first) return first.input;
    await recordTenderStart(tx, { ...start, origin: 'api' });
    await tx.query(`UPDATE tender_starts SET input = $3 WHERE tender_id = $1 AND input_sha256 = $2`, [
      start.tenderId,
      startInputDigest(start.input),
      JSON.stringify(start.input),
    ]);
    return start.input;
  });
}

/**
 * The command keys a tender may be driven with, as the system recorded them: those its recorded
 * starts pinned and those its chain shows added by a signed rotation (`command_key.added`). Empty
 * for a tender started before keys were recorded.
 */
export async function recordedCommandKeys(m: Sql, tenderId: string): Promise<{ id: string; publicKey: string }[]> {
  const rows = (await m.query(
    `SELECT k->>'id' AS id, k->>'publicKey' AS public_key FROM tender_starts, jsonb_array_elements(command_keys) AS k WHERE tender_id = $1 AND command_keys IS NOT NULL
     UNION
     SELECT payload->>'keyId', payload->>'publicKey' FROM audit_events WHERE tender_id = $1 AND type = 'command_key.added'`,
    [tenderId],
  )) as { id: string | null; public_key: string | null }[];
  const keys = new Map<string, string>();
  for (const r of rows) if (r.id && r.public_key) keys.set(r.id, r.public_key);
  return [...keys].map(([id, publicKey]) => ({ id, publicKey }));
}

/** Whether this exact start input of this tender's workflow was recorded by the system. */
export async function isRecordedStart(
  m: EntityManager,
  tenderId: string,
  workflowId: string,
  input: unknown,
): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM tender_starts WHERE tender_id = $1 AND workflow_id = $2 AND input_sha256 = $3`,
    [tenderId, workflowId, startInputDigest(input)],
  );
  return rows.length > 0;
}

/** Whether the system started this tender at all (by any recorded input, or before starts were recorded). */
export async function isKnownTender(m: EntityManager, tenderId: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM tender_starts WHERE tender_id = $1 LIMIT 1`, [tenderId]);
  return rows.length > 0;
}
