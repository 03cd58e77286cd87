import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource, EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import { insertSecurityEvent } from '@tenderflow/db/security-log';
import { isKnownTender, isRecordedStart } from '@tenderflow/db/tender-starts';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import { contractIdForTender, contractWorkflowId, coordinationWorkflowId, tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import type { Escalation, OutboxOptions } from './notification-outbox';
import { auditEscalations, escalationsOf, queueNotification } from './notification-outbox';
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
export function createCommitActivities({ dataSource, outbox, temporal }: { dataSource: DataSource; outbox: OutboxOptions; temporal?: () => Client }): CommitActivities {
  /** The first run of the chain a run belongs to, as Temporal recorded it (continue-as-new and reset keep it). */
  const firstRunOf = async (workflowId: string, runId: string): Promise<string | undefined> => {
    if (!temporal) return undefined;
    const d = await temporal().workflow.getHandle(workflowId, runId).describe();
    return d.raw.workflowExecutionInfo?.firstRunId ?? undefined;
  };
  return {
    async commitStep(step: StepCommit): Promise<CommitResult> {
      const runId = writingRun(step.workflowId);
      let result: CommitResult = {};
      const refused = await dataSource.transaction(async (m) => {
        const problem = (await provenanceProblem(m, step)) ?? (await runProblem(m, step, runId, firstRunOf));
        if (problem) return problem;
        if (step.events.length > 0) await appendAuditEvents(m, step.events);
        const escalations: Escalation[] = [];
        for (const n of step.notifications) {
          await queueNotification(m, n, outbox);
          // What this message escalated, by an earlier attempt too: the escalation's audit is idempotent by its key.
          escalations.push(...(await escalationsOf(m, n.key)));
        }
        await auditEscalations(m, escalations);
        if (step.texts) await writeTexts(m, step.texts);
        if (step.snapshot) result = (await writeSnapshot(m, step.snapshot)) ?? {};
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
  const tenders = new Set([
    ...step.events.map((e) => e.tenderId),
    ...step.notifications.map((n) => n.tenderId),
    ...(step.texts ?? []).map((t) => t.tenderId),
    ...(step.snapshot ? [snapshotTender(step.snapshot)] : []),
  ]);
  for (const id of tenders) {
    const own = [tenderWorkflowId(id), contractWorkflowId(contractIdForTender(id))];
    if (!own.includes(step.workflowId) && !step.workflowId.startsWith(coordinationWorkflowId(id, ''))) {
      return `The workflow ${step.workflowId} does not write for tender ${id}`;
    }
    if (!(await isKnownTender(m, id))) return `Tender ${id} was not started by Tenderflow: the workflow ${step.workflowId} writes nothing`;
  }
  return undefined;
}

/** The run that writes, when the step runs as an activity of that workflow (not when called directly). */
function writingRun(workflowId: string): string | undefined {
  try {
    const execution = Context.current().info.workflowExecution;
    return execution?.workflowId === workflowId ? execution.runId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A tender's own workflow writes from one chain of runs: the run that wrote its first step and the
 * runs Temporal continued from it (continue-as-new, an operator's reset), which keep the chain's
 * first run id. A workflow started under the id of a closed or terminated tender, carrying a made-up
 * state to continue from, is another chain and writes nothing. Tenders from before the binding are
 * bound by their next step.
 */
async function runProblem(
  m: EntityManager,
  step: StepCommit,
  runId: string | undefined,
  firstRunOf: (workflowId: string, runId: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const tenderId = step.events[0]?.tenderId ?? (step.snapshot ? snapshotTender(step.snapshot) : undefined);
  if (!runId || !tenderId || step.workflowId !== tenderWorkflowId(tenderId)) return undefined;
  const created = step.events.some((e) => e.type === 'tender.created');
  const [bound]: { first_run_id: string; run_id: string }[] = await m.query(`SELECT first_run_id, run_id FROM tender_runs WHERE tender_id = $1 FOR UPDATE`, [tenderId]);
  if (bound?.run_id === runId) return undefined;
  if (!bound) {
    const first = created ? runId : ((await firstRunOf(step.workflowId, runId)) ?? runId);
    await m.query(`INSERT INTO tender_runs (tender_id, first_run_id, run_id) VALUES ($1, $2, $3) ON CONFLICT (tender_id) DO NOTHING`, [tenderId, first, runId]);
    return undefined;
  }
  const first = await firstRunOf(step.workflowId, runId);
  if (first !== bound.first_run_id) {
    return `The run ${runId} of ${step.workflowId} does not continue the tender's runs (first run ${bound.first_run_id}): it was started around Tenderflow and writes nothing`;
  }
  await m.query(`UPDATE tender_runs SET run_id = $2, updated_at = now() WHERE tender_id = $1`, [tenderId, runId]);
  return undefined;
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
