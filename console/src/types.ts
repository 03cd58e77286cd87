// The API's read shapes the OpenAPI document does not type (its requests are in api/schema.d.ts). The
// tender's and the contract's state are the workflows' own types: the views import them as types
// from @tenderflow/temporal-common (tender-types.ts, contract-types.ts), their one import path.
import type { FlagCode } from '@tenderflow/domain/red-flags';
import type { GateAuthority } from '@tenderflow/temporal-common/tender-types';
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
  /** A gate that goes by the delegation order: its item (issue 29). */
  delegation?: { version: number; item: string; function: string; limitSek?: number; passedOver?: string[] };
  /** The caller's authority today under that item. */
  authority?: GateAuthority;
  /** An award with red flags raised on it (issue 30): approving takes a justification. */
  redFlags?: { code: FlagCode; value: number }[];
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
