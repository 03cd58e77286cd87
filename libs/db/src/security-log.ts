import { DataSource } from 'typeorm';
import { storable } from '@tenderflow/domain/text';
import { cappedPayload, payloadDigest } from './audit-writer';

export type SecurityEventKind =
  | 'cross_organisation'
  | 'nonexistent_tender'
  | 'malformed'
  | 'unauthenticated'
  | 'forbidden'
  | 'bad_signature'
  | 'unrecorded_start'
  | 'forged_message';

export interface SecurityEvent {
  kind: SecurityEventKind;
  actor?: { sub?: string | null; org?: string | null } | null;
  method: string;
  route: string;
  status: number;
  reason: string;
  payload?: unknown;
}

/** How many rows the log keeps; older rows are pruned as new ones arrive. */
export const SECURITY_LOG_MAX_ROWS = 100_000;

/**
 * One row of the security log (ARCHITECTURE §4), written by the API (refused HTTP requests) and by the
 * worker (commands a workflow refused for their signature, however they reached Temporal). Each
 * entry keeps a digest of the payload and at most a short excerpt of it.
 */
export async function insertSecurityEvent(dataSource: DataSource, e: SecurityEvent): Promise<void> {
  const digest = e.payload === undefined ? null : payloadDigest(e.payload);
  const excerpt = e.payload === undefined ? null : JSON.stringify(cappedPayload(e.payload, 512));
  await dataSource.query(
    `INSERT INTO security_events (kind, actor_sub, actor_org, method, route, status, reason, payload_digest, payload_bytes, payload_excerpt)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      e.kind,
      clip(e.actor?.sub),
      clip(e.actor?.org),
      clip(e.method, 16),
      clip(e.route, 500),
      e.status,
      clip(e.reason, 1000),
      digest?.sha256 ?? null,
      digest?.bytes ?? null,
      excerpt,
    ],
  );
}

export async function pruneSecurityLog(dataSource: DataSource, maxRows = SECURITY_LOG_MAX_ROWS): Promise<void> {
  await dataSource.query(`DELETE FROM security_events WHERE id <= (SELECT max(id) FROM security_events) - $1`, [
    maxRows,
  ]);
}

function clip(v: unknown, max = 200): string | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return storable(s.length > max ? `${s.slice(0, max)}…` : s);
}
