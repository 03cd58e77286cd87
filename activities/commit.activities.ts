import { DataSource } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import type { Escalation, OutboxOptions } from './notification-outbox';
import { auditEscalations, escalationsOf, queueNotification } from './notification-outbox';
import type { CommitActivities, SnapshotInput, StepCommit } from './activity-types';
import { writeContractSnapshot } from './contract.activities';
import { writeTenderSnapshot } from './tender.activities';

/**
 * One step of a workflow, written in one PostgreSQL transaction: its audit events, its outbox rows
 * (resolved into deliveries, escalated where no approver is reached) and its read-model snapshot
 * (the transactional outbox). Either all of it is there or none of it: a snapshot PostgreSQL refuses
 * leaves no audit row and no message behind, and a message is never sent for a step the read model
 * does not show.
 *
 * Idempotent, so an activity retried after a crash between commit and completion writes nothing
 * new: audit rows by (workflowId, seq), outbox rows by key, the snapshot only over an older version.
 * The chain writer's advisory lock on the tender is taken by the first append and held to the commit,
 * so the chain stays linear however many writers a tender has (its coordination children, the API).
 * The order is the one the separate activities had: audit, outbox, snapshot.
 */
export function createCommitActivities({ dataSource, outbox }: { dataSource: DataSource; outbox: OutboxOptions }): CommitActivities {
  return {
    async commitStep(step: StepCommit): Promise<void> {
      await dataSource.transaction(async (m) => {
        if (step.events.length > 0) await appendAuditEvents(m, step.events);
        const escalations: Escalation[] = [];
        for (const n of step.notifications) {
          await queueNotification(m, n, outbox);
          // What this message escalated, by an earlier attempt too: the escalation's audit is idempotent by its key.
          escalations.push(...(await escalationsOf(m, n.key)));
        }
        await auditEscalations(m, escalations);
        if (step.snapshot) await writeSnapshot(m, step.snapshot);
      });
    },
  };
}

function writeSnapshot(m: Parameters<typeof writeTenderSnapshot>[0], snapshot: SnapshotInput): Promise<void> {
  switch (snapshot.kind) {
    case 'tender':
      return writeTenderSnapshot(m, snapshot.state);
    case 'contract':
      return writeContractSnapshot(m, snapshot.state);
  }
}
