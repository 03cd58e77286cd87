import { DataSource } from 'typeorm';
import type { TenderState } from '../workflows/tender/tender.messages';

export interface TenderActivityDeps {
  dataSource: DataSource;
}

/**
 * Activities of the tender workflow. Each is idempotent: retried or replayed, it leaves the same
 * rows behind.
 */
export function createTenderActivities({ dataSource }: TenderActivityDeps) {
  return {
    /**
     * Writes the read-model row from a workflow snapshot. A snapshot older than the stored one is
     * ignored, so retries and out-of-order deliveries cannot move a tender backwards.
     */
    async recordTenderSnapshot(state: TenderState): Promise<void> {
      const next = state.deadlines
        .filter((d) => Date.parse(d.at) > 0)
        .sort((a, b) => a.at.localeCompare(b.at))[0];
      await dataSource.query(
        `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure,
           estimated_value_sek, phase, rule_set, threshold_id, next_deadline, next_deadline_kind, created_by,
           state_version, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, now())
         ON CONFLICT (id) DO UPDATE SET
           title = EXCLUDED.title, phase = EXCLUDED.phase, procedure = EXCLUDED.procedure,
           next_deadline = EXCLUDED.next_deadline, next_deadline_kind = EXCLUDED.next_deadline_kind,
           estimated_value_sek = EXCLUDED.estimated_value_sek,
           state_version = EXCLUDED.state_version, updated_at = now()
         WHERE tenders.state_version < EXCLUDED.state_version`,
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
        ],
      );
    },
  };
}

export type TenderActivities = ReturnType<typeof createTenderActivities>;
