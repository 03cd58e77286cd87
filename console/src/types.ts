// The API's read shapes the OpenAPI document does not type (its requests are in api/schema.d.ts). The
// tender's and the contract's state are the workflows' own types: the views import them as types
// from @tenderflow/temporal-common (tender-types.ts, contract-types.ts), their one import path.
export type { LeadTimesReport } from '../../apps/api/src/metrics/lead-times';

export interface InboxItem {
  tenderId: string;
  title: string;
  category: string;
  phase: string;
  estimatedValueSek: number;
  gate: string;
  requestedBy: { sub: string; name: string };
  since: string;
  mayDecide: string;
  reason?: string | null;
  escalation: { escalatedAt: string; reason: string } | null;
}

export interface TenderListItem {
  id: string;
  title: string;
  organization: string;
  category: string;
  phase: string;
  estimatedValueSek: number;
  nextDeadline: { kind: string; at: string } | null;
  createdAt: string;
}

export interface AuditEvent {
  index: number;
  type: string;
  at: string;
  actor: { sub: string; name?: string; org?: string } | null;
  reason?: string | null;
  /** What the event recorded (its shape is the event type's). */
  payload?: unknown;
}
