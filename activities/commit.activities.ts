import { ApplicationFailure } from '@temporalio/common';
import { EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import { insertSecurityEvent } from '@tenderflow/db/security-log';
import { isRecordedStart } from '@tenderflow/db/tender-starts';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import type { Escalation, OutboxOptions } from './notification-outbox';
import { auditEscalations, escalationsOf, notificationKeyForRun, queueNotification } from './notification-outbox';
import { callingWorkflow, describeWith, eventProblem, runVerdict, writerKind, type WriterDeps } from './provenance';
import type { CommitActivities, CommitResult, SnapshotInput, StepCommit } from './activity-types';
import { writeContractSnapshot } from './contract.activities';
import { writeTenderParts, writeTenderState, writeTexts } from './tender.activities';

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
export function createCommitActivities({
  dataSource,
  outbox,
  temporal,
}: WriterDeps & { outbox: OutboxOptions }): CommitActivities {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    async commitStep(step: StepCommit): Promise<CommitResult> {
      const caller = callingWorkflow();
      const runId = caller?.workflowId === step.workflowId ? caller.runId : undefined;
      let result: CommitResult = {};
      const refused = await dataSource.transaction(async (m) => {
        const problem = await provenanceProblem(m, step);
        if (problem) return problem;
        const created = step.events.some((e) => e.type === 'tender.created');
        let switched = false;
        for (const tenderId of tendersOf(step)) {
          const verdict = await runVerdict(
            m,
            tenderId,
            caller?.workflowId === step.workflowId ? caller : undefined,
            describe,
            created,
          );
          if ('refused' in verdict) return verdict.refused;
          // A late step of a run an operator's reset replaced: the new run writes the tender now.
          if ('stale' in verdict) return null;
          switched ||= verdict.switched;
        }
        if (step.events.length > 0) await appendAuditEvents(m, step.events, undefined, runId);
        const escalations: Escalation[] = [];
        for (const n of step.notifications) {
          const key = await notificationKeyForRun(m, n.key, runId);
          await queueNotification(m, { ...n, key }, outbox, runId);
          // What this message escalated, by an earlier attempt too: the escalation's audit is idempotent by its key.
          escalations.push(...(await escalationsOf(m, key)));
        }
        await auditEscalations(m, escalations);
        if (step.texts) await writeTexts(m, step.texts);
        if (step.snapshot) {
          if (switched) await followNewRun(m, step.snapshot);
          result = (await writeSnapshot(m, step.snapshot)) ?? {};
        }
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
      return result;
    },
  };
}

/**
 * Why this step may not be written, if it may not: a tender's first step needs its exact start input
 * recorded by the API or the re-procurement (libs/db tender-starts.ts); every step writes only for
 * tenders its workflow writes for (provenance.ts), and a child only its own kinds of events, no
 * texts and no tender state. Whether the writing *run* is the tender's (or its child's) is decided
 * by runVerdict, from what Temporal says of the run.
 */
async function provenanceProblem(m: EntityManager, step: StepCommit): Promise<string | undefined> {
  const created = step.events.find((e) => e.type === 'tender.created');
  if (created) {
    const input = (created.payload as { input?: unknown } | null)?.input;
    if (!(await isRecordedStart(m, created.tenderId, step.workflowId, input))) {
      return `No start of tender ${created.tenderId} with this input was made by Tenderflow (the API or a re-procurement): the workflow ${step.workflowId} was started around them and writes nothing`;
    }
  }
  for (const id of tendersOf(step)) {
    const kind = writerKind(step.workflowId, id);
    if (!kind) return `The workflow ${step.workflowId} does not write for tender ${id}`;
    if (kind === 'tender') continue;
    const foreign = step.events.map((e) => eventProblem(kind, e.type)).find(Boolean);
    if (foreign) return foreign;
    if (step.texts?.length) return `A ${kind} workflow writes no tender texts`;
    if (step.snapshot && !(kind === 'contract' && step.snapshot.kind === 'contract'))
      return `A ${kind} workflow writes no ${step.snapshot.kind} snapshot`;
  }
  return undefined;
}

function tendersOf(step: StepCommit): string[] {
  return [
    ...new Set([
      ...step.events.map((e) => e.tenderId),
      ...step.notifications.map((n) => n.tenderId),
      ...(step.texts ?? []).map((t) => t.tenderId),
      ...(step.snapshot ? [snapshotTender(step.snapshot)] : []),
    ]),
  ];
}

/**
 * The first step of a new run of the writer. A continue-as-new carries the version on; a reset
 * numbers from its reset point, below what the replaced run wrote, so the read model takes the new
 * run's version from here on and its whole state at the next step (the parts the replaced run
 * wrote are not the new run's).
 */
async function followNewRun(m: EntityManager, snapshot: SnapshotInput): Promise<void> {
  if (snapshot.kind === 'contract') {
    await m.query(`UPDATE contracts SET state_version = $2 - 1 WHERE id = $1 AND state_version >= $2`, [
      snapshot.state.id,
      snapshot.state.version,
    ]);
    return;
  }
  const row = snapshot.kind === 'tender-parts' ? snapshot.row : snapshot.state;
  await m.query(
    `UPDATE tenders SET state_version = $2 - 1, state_complete = false WHERE id = $1 AND state_version >= $2`,
    [row.id, row.version],
  );
}

function snapshotTender(snapshot: SnapshotInput): string {
  switch (snapshot.kind) {
    case 'tender-parts':
      return snapshot.row.id;
    case 'tender':
      return snapshot.state.id;
    case 'contract':
      return snapshot.state.tenderId;
  }
}

function writeSnapshot(m: EntityManager, snapshot: SnapshotInput): Promise<CommitResult | void> {
  switch (snapshot.kind) {
    case 'tender-parts':
      return writeTenderParts(m, snapshot.row, snapshot.parts, snapshot.base);
    case 'tender':
      return writeTenderState(m, snapshot.state);
    case 'contract':
      return writeContractSnapshot(m, snapshot.state);
  }
}
