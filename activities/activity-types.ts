/**
 * Payloads that workflows hand to activities for the audit log and the notification outbox.
 * Both are written idempotently: (workflowId, seq) and `key` are unique.
 */

export interface AuditEventInput {
  tenderId: string;
  workflowId: string;
  /** Per-workflow sequence number, assigned deterministically by the workflow. */
  seq: number;
  /** e.g. 'tender.created', 'command.accepted', 'command.refused', 'gate.decided', 'timer.fired', 'phase.changed', 'notification.queued' */
  type: string;
  actor: { sub: string; name: string; org: string } | null;
  /** ISO instant (workflow time). */
  at: string;
  reason?: string;
  payload: unknown;
}

export interface NotificationInput {
  /** Unique per message, e.g. `${workflowId}:award_notice:3`. */
  key: string;
  tenderId: string;
  kind: 'invitation' | 'reminder' | 'escalation' | 'award_notice' | 'cancellation_notice' | 'publication' | 'gate_request' | 'other';
  recipients: string[];
  subject: string;
  body: string;
}
