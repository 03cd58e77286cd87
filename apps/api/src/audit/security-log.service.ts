import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  insertSecurityEvent,
  pruneSecurityLog,
  SECURITY_LOG_MAX_ROWS,
  type SecurityEvent,
} from '@tenderflow/db/security-log';
import type { SecurityRecorder } from '../common/security-recorder';

export type { SecurityEvent, SecurityEventKind } from '@tenderflow/db/security-log';
export { SECURITY_LOG_MAX_ROWS };

/**
 * Refused attempts that do not belong in any tender's chain (ARCHITECTURE §4): an outsider cannot bloat
 * or poison an organisation's audit trail, and operators still see who tried what. Bounded in
 * rows, and each entry keeps a digest of the payload and at most a 2 KB excerpt of it.
 */
@Injectable()
export class SecurityLogService implements SecurityRecorder {
  private readonly logger = new Logger('SecurityLog');
  private writes = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Best effort: a refusal is the answer whether or not the log could be written. */
  async record(e: SecurityEvent): Promise<void> {
    try {
      await insertSecurityEvent(this.dataSource, e);
      if (++this.writes % 100 === 0) await this.prune();
    } catch (err) {
      this.logger.error({ err, kind: e.kind, route: e.route }, 'Could not write to the security log');
    }
  }

  async prune(maxRows = SECURITY_LOG_MAX_ROWS): Promise<void> {
    await pruneSecurityLog(this.dataSource, maxRows);
  }
}
