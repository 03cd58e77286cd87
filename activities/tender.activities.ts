import { DataSource, EntityManager } from 'typeorm';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

export interface TenderActivityDeps {
  dataSource: DataSource;
}

/**
 * Activities of the tender workflow that keep the read model. Idempotent: retried or replayed, they
 * leave the same rows behind, and an older snapshot never overwrites a newer one.
 */
export function createTenderActivities({ dataSource }: TenderActivityDeps) {
  return {
    async recordTenderSnapshot(state: TenderState): Promise<void> {
      await dataSource.transaction((m) => writeTenderSnapshot(m, state));
    },
  };
}

/**
 * The tender's row and its pending gates (the approvers' inbox), in the caller's transaction. An
 * older snapshot than the row's changes nothing, so a retried or late write is harmless.
 */
export async function writeTenderSnapshot(m: EntityManager, state: TenderState): Promise<void> {
  const next = [...state.deadlines].sort((a, b) => a.at.localeCompare(b.at))[0];
  const written: unknown[] = await m.query(
    `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure,
       estimated_value_sek, phase, rule_set, threshold_id, next_deadline, next_deadline_kind, created_by,
       state_version, created_at, updated_at, timeline, gate_decisions, previous_tender_id, policy_version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, now(), $18, $19, $20, $21)
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title, phase = EXCLUDED.phase, procedure = EXCLUDED.procedure,
       next_deadline = EXCLUDED.next_deadline, next_deadline_kind = EXCLUDED.next_deadline_kind,
       estimated_value_sek = EXCLUDED.estimated_value_sek, timeline = EXCLUDED.timeline,
       gate_decisions = EXCLUDED.gate_decisions, state_version = EXCLUDED.state_version, updated_at = now()
     WHERE tenders.state_version < EXCLUDED.state_version
     RETURNING id`,
    [
      state.id,
      state.workflowId,
      state.title,
      state.organization,
      state.category,
      state.contractType,
      state.regime,
      state.procedure,
      state.estimatedValueSek,
      state.phase,
      state.ruleSet,
      state.threshold.id,
      next ? new Date(next.at) : null,
      next ? next.kind : null,
      state.createdBy.sub,
      state.version,
      new Date(state.createdAt),
      JSON.stringify(state.timeline),
      JSON.stringify((state.gateDecisions ?? []).map((d) => ({ gate: d.gate, decision: d.decision, at: d.at, requestedBy: d.requestedBy.sub, decidedBy: d.decidedBy.sub }))),
      state.previousTenderId ?? null,
      state.policyVersion ?? null,
    ],
  );
  // An older snapshot changed nothing: leave the inbox as the newer one left it.
  if (written.length === 0) return;
  await m.query(`DELETE FROM pending_gates WHERE tender_id = $1`, [state.id]);
  for (const g of state.pendingGates ?? []) {
    await m.query(
      `INSERT INTO pending_gates (tender_id, gate, organization, role, min_approval_limit_sek, excluded,
         requested_by_sub, requested_by_name, since, may_decide, reason)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        state.id,
        g.gate,
        g.eligibility.organization,
        g.eligibility.role,
        g.eligibility.minApprovalLimitSek,
        g.eligibility.excluded,
        g.requestedBy.sub,
        g.requestedBy.name,
        new Date(g.since),
        g.mayDecide,
        g.reason ?? null,
      ],
    );
  }
}

export type TenderActivities = ReturnType<typeof createTenderActivities>;
