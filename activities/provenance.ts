import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import { insertSecurityEvent } from '@tenderflow/db/security-log';
import { isKnownTender } from '@tenderflow/db/tender-starts';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import {
  contractIdForTender,
  contractWorkflowId,
  coordinationWorkflowId,
  ORGANIZATION_CODE,
  tenderWorkflowId,
} from '@tenderflow/temporal-common/ids';

/** What an activity that writes for a workflow needs: the database, and Temporal to describe the calling run. */
export interface WriterDeps {
  dataSource: DataSource;
  temporal?: () => Client;
}
/**
 * Who may write for a tender, proven by Temporal rather than by a workflow's id or input (ARCHITECTURE §5):
 *
 * - the tender's own workflow, from one chain of runs: the run that wrote its first step (a start
 *   the API or a re-procurement recorded, tender-starts.ts) and the runs Temporal continued from it
 *   (continue-as-new, an operator's reset), which keep the chain's first run id;
 * - its contract workflow and its coordination workflows, each started by a run of that chain: at a
 *   child's first step Temporal's record of the child's parent execution must name the tender's
 *   workflow and a run whose first run is the tender's bound one. Bound then (child_runs), the child
 *   writes from its own chain of runs (its yearly continue-as-new) like the tender.
 *
 * Each kind writes only its own step types. A workflow started straight in Temporal under a real
 * tender's id pattern has no parent, or a parent outside the tender's chain: it writes nothing.
 */
export type WriterKind = 'tender' | 'contract' | 'coordination';

/** The workflow type each kind runs (the worker's registered names). */
const WORKFLOW_TYPE: Record<WriterKind, string> = {
  tender: 'tenderWorkflow',
  contract: 'contractWorkflow',
  coordination: 'coordinationWorkflow',
};

/** The audit event types a child writes into its tender's chain (its own steps; the tender writes any). */
const CHILD_EVENTS: Record<Exclude<WriterKind, 'tender'>, string[]> = {
  contract: ['contract.', 'milestone.', 'milestones.', 'follow_up.', 'reprocurement.', 'command_key.', 'notification.'],
  coordination: ['invitation.', 'command_key.', 'notification.'],
};

/** The workflow that runs an activity: absent outside one (a test calling the activity directly). */
export interface Caller {
  workflowId: string;
  runId: string;
  workflowType: string;
}

export function callingWorkflow(): Caller | undefined {
  try {
    const info = Context.current().info;
    const run = info.workflowExecution;
    return run?.workflowId && run.runId
      ? { workflowId: run.workflowId, runId: run.runId, workflowType: info.workflowType ?? '' }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Which kind of writer a workflow id is for this tender, if any. */
export function writerKind(workflowId: string, tenderId: string): WriterKind | undefined {
  if (workflowId === tenderWorkflowId(tenderId)) return 'tender';
  if (workflowId === contractWorkflowId(contractIdForTender(tenderId))) return 'contract';
  // A coordination id is the tender's prefix and the body's organisation code.
  const prefix = coordinationWorkflowId(tenderId, '');
  if (workflowId.startsWith(prefix) && ORGANIZATION_CODE.test(workflowId.slice(prefix.length))) return 'coordination';
  return undefined;
}

/** Why this kind may not write an event of this type, if it may not. */
export function eventProblem(kind: WriterKind, type: string): string | undefined {
  if (kind === 'tender') return undefined;
  return CHILD_EVENTS[kind].some((p) => type.startsWith(p))
    ? undefined
    : `A ${kind} workflow does not write '${type}' events`;
}

/** What Temporal says of a run: its chain's first run, its start and the execution that started it. */
export interface RunFacts {
  firstRunId?: string;
  startedAt?: Date;
  parent?: { workflowId: string; runId: string };
}

export type DescribeRun = (workflowId: string, runId: string) => Promise<RunFacts>;

export function describeWith(temporal: () => Client): DescribeRun {
  return async (workflowId, runId) => {
    const d = await temporal().workflow.getHandle(workflowId, runId).describe();
    return {
      firstRunId: d.raw.workflowExecutionInfo?.firstRunId ?? undefined,
      startedAt: d.startTime,
      ...(d.parentExecution?.workflowId
        ? { parent: { workflowId: d.parentExecution.workflowId, runId: d.parentExecution.runId ?? '' } }
        : {}),
    };
  };
}

/** The verdict on a writing run: refused (why), stale (a run a reset replaced: nothing to write), or allowed. */
export type RunVerdict = { refused: string } | { stale: true } | { allowed: true; switched: boolean };

const ALLOWED: RunVerdict = { allowed: true, switched: false };

/**
 * Whether this run of the caller may write for the tender now. Takes the binding's row lock, so two
 * steps of different runs are decided one after the other. `creating`: the tender's first step,
 * whose start record was checked by the caller.
 */
export async function runVerdict(
  m: EntityManager,
  tenderId: string,
  caller: Caller | undefined,
  describe: DescribeRun | undefined,
  creating = false,
): Promise<RunVerdict> {
  if (!caller) return ALLOWED;
  const kind = writerKind(caller.workflowId, tenderId);
  if (!kind) return { refused: `The workflow ${caller.workflowId} does not write for tender ${tenderId}` };
  if (caller.workflowType !== WORKFLOW_TYPE[kind])
    return {
      refused: `The workflow ${caller.workflowId} runs ${caller.workflowType}, not the ${WORKFLOW_TYPE[kind]} its id names`,
    };
  if (!creating && !(await isKnownTender(m, tenderId)))
    return {
      refused: `Tender ${tenderId} was not started by Tenderflow: the workflow ${caller.workflowId} writes nothing`,
    };
  if (!describe) return ALLOWED;
  return kind === 'tender'
    ? tenderRun(m, tenderId, caller, describe, creating)
    : childRun(m, tenderId, kind, caller, describe);
}

async function tenderRun(
  m: EntityManager,
  tenderId: string,
  caller: Caller,
  describe: DescribeRun,
  creating: boolean,
): Promise<RunVerdict> {
  const [bound]: { first_run_id: string; run_id: string; run_started_at: Date | null }[] = await m.query(
    `SELECT first_run_id, run_id, run_started_at FROM tender_runs WHERE tender_id = $1 FOR UPDATE`,
    [tenderId],
  );
  if (bound?.run_id === caller.runId) return ALLOWED;
  const facts = await describe(caller.workflowId, caller.runId);
  if (!bound) {
    // Tenders from before the binding are bound by their next step.
    const first = creating ? caller.runId : (facts.firstRunId ?? caller.runId);
    await m.query(
      `INSERT INTO tender_runs (tender_id, first_run_id, run_id, run_started_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tender_id) DO NOTHING`,
      [tenderId, first, caller.runId, facts.startedAt ?? null],
    );
    return ALLOWED;
  }
  return follow(m, 'tender_runs', 'tender_id', tenderId, bound, caller, facts);
}

async function childRun(
  m: EntityManager,
  tenderId: string,
  kind: WriterKind,
  caller: Caller,
  describe: DescribeRun,
): Promise<RunVerdict> {
  const [bound]: { first_run_id: string; run_id: string; run_started_at: Date | null }[] = await m.query(
    `SELECT first_run_id, run_id, run_started_at FROM child_runs WHERE workflow_id = $1 FOR UPDATE`,
    [caller.workflowId],
  );
  if (bound?.run_id === caller.runId) return ALLOWED;
  const facts = await describe(caller.workflowId, caller.runId);
  if (bound) return follow(m, 'child_runs', 'workflow_id', caller.workflowId, bound, caller, facts);
  const parentProblem = await parentOutsideChain(m, tenderId, facts, describe, caller.workflowId);
  if (parentProblem) return { refused: parentProblem };
  await m.query(
    `INSERT INTO child_runs (workflow_id, tender_id, kind, first_run_id, run_id, run_started_at, parent_run_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (workflow_id) DO NOTHING`,
    [
      caller.workflowId,
      tenderId,
      kind,
      facts.firstRunId ?? caller.runId,
      caller.runId,
      facts.startedAt ?? null,
      facts.parent?.runId ?? null,
    ],
  );
  return ALLOWED;
}

/**
 * Why a child's parent is not a run of its tender's chain, if it is not. Temporal alone sets a
 * workflow's parent (a client cannot), so a child started straight in Temporal has none.
 */
async function parentOutsideChain(
  m: EntityManager,
  tenderId: string,
  facts: RunFacts,
  describe: DescribeRun,
  workflowId: string,
): Promise<string | undefined> {
  const parent = facts.parent;
  if (!parent || parent.workflowId !== tenderWorkflowId(tenderId)) {
    return `The workflow ${workflowId} was not started by tender ${tenderId}'s workflow${parent ? ` (its parent is ${parent.workflowId})` : ' (it has no parent)'}: it writes nothing`;
  }
  const [chain]: { first_run_id: string }[] = await m.query(
    `SELECT first_run_id FROM tender_runs WHERE tender_id = $1`,
    [tenderId],
  );
  if (!chain) return undefined; // a tender from before the binding: its parent's id is what Temporal proves
  let parentFirst: string | undefined;
  try {
    parentFirst = (await describe(parent.workflowId, parent.runId)).firstRunId;
  } catch (err) {
    if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw err;
    // The parent run is past Temporal's retention: only a child that has written before (started
    // before children were bound) is taken on its parent's id.
    const [wrote]: unknown[] = await m.query(
      `SELECT 1 FROM audit_events WHERE tender_id = $1 AND event_key LIKE $2 LIMIT 1`,
      [tenderId, `${workflowId}#%`],
    );
    return wrote
      ? undefined
      : `The run that started ${workflowId} is no longer known to Temporal and the workflow never wrote before: it writes nothing`;
  }
  return parentFirst === chain.first_run_id
    ? undefined
    : `The workflow ${workflowId} was started by a run of ${parent.workflowId} outside the tender's runs (first run ${chain.first_run_id}): it writes nothing`;
}

/** A bound writer's next run: Temporal must say it continues the chain; a run older than the bound one is stale. */
async function follow(
  m: EntityManager,
  table: 'tender_runs' | 'child_runs',
  column: 'tender_id' | 'workflow_id',
  key: string,
  bound: { first_run_id: string; run_id: string; run_started_at: Date | null },
  caller: Caller,
  facts: RunFacts,
): Promise<RunVerdict> {
  if (facts.firstRunId !== bound.first_run_id) {
    return {
      refused: `The run ${caller.runId} of ${caller.workflowId} does not continue its runs (first run ${bound.first_run_id}): it was started around Tenderflow and writes nothing`,
    };
  }
  if (bound.run_started_at && facts.startedAt && facts.startedAt.getTime() < new Date(bound.run_started_at).getTime())
    return { stale: true };
  await m.query(`UPDATE ${table} SET run_id = $2, run_started_at = $3, updated_at = now() WHERE ${column} = $1`, [
    key,
    caller.runId,
    facts.startedAt ?? null,
  ]);
  return { allowed: true, switched: true };
}

/**
 * The guard of every other activity that writes for a tender (the single-purpose writers old
 * histories still schedule, the ledger, the re-procurement): the calling run must be one that may
 * write for each tender (runVerdict), and be of kind `only` where given. A refusal is logged in the security log and fails the
 * activity for good; a stale run writes nothing either.
 */
export async function assertCallerWrites(
  dataSource: DataSource,
  tenderIds: string[],
  describe: DescribeRun | undefined,
  what: string,
  only?: WriterKind,
): Promise<void> {
  const caller = callingWorkflow();
  if (!caller) return;
  const foreign = only ? tenderIds.find((id) => writerKind(caller.workflowId, id) !== only) : undefined;
  if (foreign !== undefined)
    await refuseCaller(dataSource, caller, `${what}: only the ${only} workflow of tender ${foreign} asks this`);
  const problem = await dataSource.transaction(async (m) => {
    for (const id of new Set(tenderIds)) {
      const verdict = await runVerdict(m, id, caller, describe);
      if ('refused' in verdict) return verdict.refused;
      if ('stale' in verdict)
        return `The run ${caller.runId} of ${caller.workflowId} was replaced by an operator's reset: ${what} writes nothing`;
    }
    return undefined;
  });
  if (problem) await refuseCaller(dataSource, caller, `${what}: ${problem}`);
}

/** A write refused for its origin: in the security log, and the activity fails for good. */
export async function refuseCaller(dataSource: DataSource, caller: Caller, reason: string): Promise<never> {
  await insertSecurityEvent(dataSource, {
    kind: 'unrecorded_start',
    method: 'TEMPORAL',
    route: caller.workflowId,
    status: 403,
    reason,
  });
  throw ApplicationFailure.create({ type: PERMANENT_DB_ERROR, nonRetryable: true, message: reason });
}
