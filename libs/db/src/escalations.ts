import type { DataSource, EntityManager } from 'typeorm';

/** A gate request that reached no one who may decide it, escalated at once (activities/notification-outbox.ts). */
export interface GateEscalation {
  tenderId: string;
  gate: string;
  /** The pending gate's `since`: which request of the gate was escalated. */
  requestedAt: string;
  escalatedAt: string;
  reason: string;
  escalatedTo: string[];
  notification: string;
}

export async function gateEscalations(db: DataSource | EntityManager, tenderIds: string[]): Promise<GateEscalation[]> {
  if (tenderIds.length === 0) return [];
  const rows: {
    tender_id: string;
    gate: string;
    requested_at: Date;
    escalated_at: Date;
    reason: string;
    recipients: string[];
    notification_key: string;
  }[] = await db.query(`SELECT * FROM gate_escalations WHERE tender_id = ANY($1) ORDER BY escalated_at`, [tenderIds]);
  return rows.map((r) => ({
    tenderId: r.tender_id,
    gate: r.gate,
    requestedAt: r.requested_at.toISOString(),
    escalatedAt: r.escalated_at.toISOString(),
    reason: r.reason,
    escalatedTo: r.recipients,
    notification: r.notification_key,
  }));
}

/** The escalation of this request of a gate, if it was escalated. */
export function escalationOf(
  all: GateEscalation[],
  tenderId: string,
  gate: string,
  since: string | Date,
): GateEscalation | undefined {
  const t = new Date(since).getTime();
  return all.find((e) => e.tenderId === tenderId && e.gate === gate && Date.parse(e.requestedAt) === t);
}
