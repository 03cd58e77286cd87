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

export async function recordTenderStart(m: Sql, start: { tenderId: string; workflowId: string; input: unknown; origin: TenderStartOrigin }): Promise<void> {
  await m.query(
    `INSERT INTO tender_starts (tender_id, workflow_id, input_sha256, origin) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tender_id, input_sha256) DO NOTHING`,
    [start.tenderId, start.workflowId, startInputDigest(start.input), start.origin],
  );
}

/** Whether this exact start input of this tender's workflow was recorded by the system. */
export async function isRecordedStart(m: EntityManager, tenderId: string, workflowId: string, input: unknown): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM tender_starts WHERE tender_id = $1 AND workflow_id = $2 AND input_sha256 = $3`, [tenderId, workflowId, startInputDigest(input)]);
  return rows.length > 0;
}

/** Whether the system started this tender at all (by any recorded input, or before starts were recorded). */
export async function isKnownTender(m: EntityManager, tenderId: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM tender_starts WHERE tender_id = $1 LIMIT 1`, [tenderId]);
  return rows.length > 0;
}
