// The API's read shapes (its OpenAPI document types the requests; these answers are the workflows'
// own state types, imported as types only, so they too follow the code).
export type { TenderState, Deadline, PastDeadline, PendingGate } from '../../libs/temporal-common/src/tender-types';
export type { ContractState, Milestone } from '../../libs/temporal-common/src/contract-types';
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
}
