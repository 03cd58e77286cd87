import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The content of an audit row that its hash covers, in canonical form. */
export interface AuditContent {
  tenderId: string;
  chainIndex: number;
  eventKey: string;
  type: string;
  actor: { sub: string; name: string; org: string } | null;
  at: string;
  reason: string | null;
  payload: unknown;
}

/** An event as a workflow (or the API) hands it to the chain writer. */
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

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous row's hash and this row's canonical content. */
export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}
