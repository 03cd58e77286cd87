/**
 * Payloads that workflows hand to activities for the audit log and the notification outbox.
 * Both are written idempotently: (workflowId, seq) and `key` are unique.
 */

export type { AuditEventInput } from '../libs/db/src/audit-chain';

export interface NotificationInput {
  /** Unique per message, e.g. `${workflowId}:award_notice:3`. */
  key: string;
  tenderId: string;
  kind: 'invitation' | 'reminder' | 'escalation' | 'award_notice' | 'cancellation_notice' | 'publication' | 'gate_request' | 'other';
  recipients: string[];
  subject: string;
  body: string;
}
