import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cappedPayload, payloadDigest } from '../../../../libs/db/src/audit-writer';
import { storable } from '../../../../libs/domain/src/text';
import type { Actor } from '../../../../libs/domain/src/types';

export type SecurityEventKind = 'cross_organisation' | 'nonexistent_tender' | 'malformed' | 'unauthenticated' | 'forbidden' | 'bad_signature';

export interface SecurityEvent {
  kind: SecurityEventKind;
  actor?: Pick<Actor, 'sub' | 'org'> | null;
  method: string;
  route: string;
  status: number;
  reason: string;
  payload?: unknown;
}

/** How many rows the log keeps; older rows are pruned as new ones arrive. */
export const SECURITY_LOG_MAX_ROWS = 100_000;

/**
 * Refused attempts that do not belong in any tender's chain (DESIGN 4): an outsider cannot bloat
 * or poison an organisation's audit trail, and operators still see who tried what. Bounded in
 * rows, and each entry keeps a digest of the payload and at most a 2 KB excerpt of it.
 */
@Injectable()
export class SecurityLogService {
  private readonly logger = new Logger('SecurityLog');
  private writes = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Best effort: a refusal is the answer whether or not the log could be written. */
  async record(e: SecurityEvent): Promise<void> {
    try {
      const digest = e.payload === undefined ? null : payloadDigest(e.payload);
      const excerpt = e.payload === undefined ? null : JSON.stringify(cappedPayload(e.payload, 512));
      await this.dataSource.query(
        `INSERT INTO security_events (kind, actor_sub, actor_org, method, route, status, reason, payload_digest, payload_bytes, payload_excerpt)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [e.kind, clip(e.actor?.sub), clip(e.actor?.org), clip(e.method, 16), clip(e.route, 500), e.status, clip(e.reason, 1000),
          digest?.sha256 ?? null, digest?.bytes ?? null, excerpt],
      );
      if (++this.writes % 100 === 0) await this.prune();
    } catch (err) {
      this.logger.error({ err, kind: e.kind, route: e.route }, 'Could not write to the security log');
    }
  }

  async prune(maxRows = SECURITY_LOG_MAX_ROWS): Promise<void> {
    await this.dataSource.query(`DELETE FROM security_events WHERE id <= (SELECT max(id) FROM security_events) - $1`, [maxRows]);
  }
}

function clip(v: string | undefined | null, max = 200): string | null {
  if (v === undefined || v === null) return null;
  return storable(v.length > max ? `${v.slice(0, max)}…` : v);
}
