import type { SecurityEvent } from '@tenderflow/db/security-log';

/**
 * Where a refused attempt that nothing else recorded is written (the security log, ARCHITECTURE §4). The
 * exception filter needs only this; the audit folder's SecurityLogService is the one that does it.
 */
export interface SecurityRecorder {
  /** Best effort: a refusal is the answer whether or not it could be recorded. */
  record(e: SecurityEvent): Promise<void>;
}
