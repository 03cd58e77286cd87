import { ApplicationFailure } from '@temporalio/common';
import { DataSource, EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import { insertSecurityEvent } from '@tenderflow/db/security-log';
import { isKnownTender, isRecordedStart } from '@tenderflow/db/tender-starts';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import { contractIdForTender, contractWorkflowId, coordinationWorkflowId, tenderWorkflowId } from '@tenderflow/temporal-common/ids';
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
      const refused = await dataSource.transaction(async (m) => {
        const problem = await provenanceProblem(m, step);
        if (problem) return problem;
        if (step.events.length > 0) await appendAuditEvents(m, step.events);
        const escalations: Escalation[] = [];
        for (const n of step.notifications) {
          await queueNotification(m, n, outbox);
          // What this message escalated, by an earlier attempt too: the escalation's audit is idempotent by its key.
          escalations.push(...(await escalationsOf(m, n.key)));
        }
        await auditEscalations(m, escalations);
        if (step.snapshot) await writeSnapshot(m, step.snapshot);
        return undefined;
      });
      if (refused) {
        const created = step.events.find((e) => e.type === 'tender.created');
        await insertSecurityEvent(dataSource, {
          kind: 'unrecorded_start',
          actor: created?.actor ?? step.events[0]?.actor ?? null,
          method: 'TEMPORAL',
          route: step.workflowId,
          status: 403,
          reason: refused,
          payload: created?.payload ?? step.events[0]?.payload,
        });
        // Permanent: the workflow refuses the step (a started tender's first step: the workflow fails there).
        throw ApplicationFailure.create({ type: PERMANENT_DB_ERROR, nonRetryable: true, message: refused });
      }
    },
  };
}

/**
 * Why this step may not be written, if it may not: a tender's first step needs its exact start input
 * recorded by the API or the re-procurement (libs/db tender-starts.ts), and every other step must
 * come from the workflow of a recorded tender (the tender's own, its contract's, a coordination's).
 * A workflow started straight in Temporal, around the API, thus writes nothing anywhere.
 */
async function provenanceProblem(m: EntityManager, step: StepCommit): Promise<string | undefined> {
  const created = step.events.find((e) => e.type === 'tender.created');
  if (created) {
    const input = (created.payload as { input?: unknown } | null)?.input;
    if (!(await isRecordedStart(m, created.tenderId, step.workflowId, input))) {
      return `No start of tender ${created.tenderId} with this input was made by Tenderflow (the API or a re-procurement): the workflow ${step.workflowId} was started around them and writes nothing`;
    }
    return undefined;
  }
  const tenders = new Set([...step.events.map((e) => e.tenderId), ...step.notifications.map((n) => n.tenderId), ...(step.snapshot ? [snapshotTender(step.snapshot)] : [])]);
  for (const id of tenders) {
    const own = [tenderWorkflowId(id), contractWorkflowId(contractIdForTender(id))];
    if (!own.includes(step.workflowId) && !step.workflowId.startsWith(coordinationWorkflowId(id, ''))) {
      return `The workflow ${step.workflowId} does not write for tender ${id}`;
    }
    if (!(await isKnownTender(m, id))) return `Tender ${id} was not started by Tenderflow: the workflow ${step.workflowId} writes nothing`;
  }
  return undefined;
}

function snapshotTender(snapshot: SnapshotInput): string {
  return snapshot.kind === 'tender' ? snapshot.state.id : snapshot.state.tenderId;
}

function writeSnapshot(m: Parameters<typeof writeTenderSnapshot>[0], snapshot: SnapshotInput): Promise<void> {
  switch (snapshot.kind) {
    case 'tender':
      return writeTenderSnapshot(m, snapshot.state);
    case 'contract':
      return writeContractSnapshot(m, snapshot.state);
  }
}
