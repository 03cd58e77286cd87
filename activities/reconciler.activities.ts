import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DataSource } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import type { ExternalAction, ExternalActionKind } from '@tenderflow/db/entities/tender.entity';
import { tenderIdFromWorkflowId } from '@tenderflow/temporal-common/ids';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { writeTenderState } from './tender.activities';

export interface ReconcilerDeps {
  dataSource: DataSource;
  /** The worker's Temporal client (visibility and history); made when the worker starts. */
  temporal: () => Client;
}

export interface ReconcileReport {
  /** Tender runs that closed other than by completing, still in visibility. */
  closedOutside: number;
  recorded: { tenderId: string; action: ExternalActionKind; identity: string | null }[];
  /** Runs whose closing events could not be read: recorded from visibility alone. */
  unreadable: { tenderId: string; runId: string; error: string }[];
}

/**
 * Tender runs that ended other than by returning: an operator's terminate (or the terminate half of
 * a reset), a cancel request, a timeout or a failure. A tender the API drives only ever completes.
 */
export const CLOSED_OUTSIDE_QUERY = `WorkflowType = 'tenderWorkflow' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`;
/** Temporal records a reset as a terminate of the old run by this identity (the request's own identity is not kept). */
const RESETTER = 'history-resetter';
/** Runs reconciled per activity; the rest are found on the next run of the schedule. */
const BATCH = 100;
/** Events read from the end of a closed run: enough for a cancel request and what follows it. */
const LAST_EVENTS = 8;

/** The chain key of a run's external action: one per run, however often the reconciler finds it. */
export const externalEventKey = (runId: string): string => `external:${runId}`;

/**
 * The reconciler (ARCHITECTURE §4): finds in Temporal's visibility the tender runs closed outside the API
 * and records each once, in the tender's audit chain as `external.<action>` with the identity
 * Temporal recorded, and in the read model (`tenders.external_action`; a closed run's deadlines
 * and pending gates are cleared, since no timer or decision can act on them any more).
 */
export function createReconcilerActivities({ dataSource, temporal }: ReconcilerDeps) {
  return {
    async reconcileExternalActions(): Promise<ReconcileReport> {
      const client = temporal();
      const closed: WorkflowExecutionInfo[] = [];
      for await (const w of client.workflow.list({ query: CLOSED_OUTSIDE_QUERY })) closed.push(w);
      const present: { event_key: string }[] = closed.length
        ? await dataSource.query(`SELECT event_key FROM audit_events WHERE event_key = ANY($1)`, [
            closed.map((w) => externalEventKey(w.runId)),
          ])
        : [];
      const done = new Set(present.map((r) => r.event_key));
      // Only tenders Tenderflow started: a workflow started straight in Temporal (and failed at its
      // first write, tender-starts.ts) gets no chain here either, and does not take a batch's place.
      const ids = [
        ...new Set(
          closed.map((w) => tenderIdFromWorkflowId(w.workflowId)).filter((id): id is string => id !== undefined),
        ),
      ];
      const known: { tender_id: string }[] = ids.length
        ? await dataSource.query(`SELECT DISTINCT tender_id FROM tender_starts WHERE tender_id = ANY($1)`, [ids])
        : [];
      const ours = new Set(known.map((r) => r.tender_id));
      const recorded: ReconcileReport['recorded'] = [];
      const pending = closed.filter(
        (x) => !done.has(externalEventKey(x.runId)) && ours.has(tenderIdFromWorkflowId(x.workflowId) ?? ''),
      );
      const unreadable: ReconcileReport['unreadable'] = [];
      for (const w of pending.slice(0, BATCH)) {
        const tenderId = tenderIdFromWorkflowId(w.workflowId)!;
        // One run whose history cannot be read is recorded from what visibility says, never fatal to the pass.
        const found = await externalAction(client, w).catch((err: unknown) => {
          unreadable.push({
            tenderId,
            runId: w.runId,
            error: err instanceof Error ? err.message.slice(0, 300) : String(err),
          });
          return fromVisibility(w, err);
        });
        await recordExternalAction(dataSource, tenderId, w.workflowId, found);
        if (found.action === 'reset') await followReset(dataSource, client, w.workflowId);
        recorded.push({ tenderId, action: found.action, identity: found.identity });
      }
      return { closedOutside: closed.length, recorded, unreadable };
    },
  };
}

export type ReconcilerActivities = ReturnType<typeof createReconcilerActivities>;

/** What happened to a closed run, from the end of its history (read backwards: a few events). */
async function externalAction(client: Client, w: WorkflowExecutionInfo): Promise<ExternalAction> {
  const at = (w.closeTime ?? new Date()).toISOString();
  const base = { at, runId: w.runId };
  const events = await lastEvents(client, w.workflowId, w.runId);
  switch (w.status.name) {
    case 'TERMINATED': {
      const t = events.find(
        (e) => e.workflowExecutionTerminatedEventAttributes,
      )?.workflowExecutionTerminatedEventAttributes;
      const identity = t?.identity || null;
      if (identity === RESETTER) {
        const current = await client.workflow
          .getHandle(w.workflowId)
          .describe()
          .catch(() => undefined);
        return {
          ...base,
          action: 'reset',
          identity,
          reason: t?.reason || null,
          ...(current && current.runId !== w.runId ? { newRunId: current.runId } : {}),
        };
      }
      return { ...base, action: 'terminated', identity, reason: t?.reason || null };
    }
    case 'CANCELLED': {
      const c = events.find(
        (e) => e.workflowExecutionCancelRequestedEventAttributes,
      )?.workflowExecutionCancelRequestedEventAttributes;
      return { ...base, action: 'cancelled', identity: c?.identity || null, reason: c?.cause || null };
    }
    case 'TIMED_OUT':
      return { ...base, action: 'timed_out', identity: null, reason: 'the workflow run reached its timeout' };
    default: {
      const f = events.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes;
      return { ...base, action: 'failed', identity: null, reason: f?.failure?.message || `closed as ${w.status.name}` };
    }
  }
}

/**
 * The closing events of a run: one small page read backwards (the terminate, failure or timeout is
 * the last event; a cancel request a few before it). Never the whole history: a run that died of
 * its size has megabytes in its last Updates.
 */
async function lastEvents(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const res = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: LAST_EVENTS,
  });
  return res.history?.events ?? [];
}

/** What visibility alone says of a closed run whose history could not be read. */
function fromVisibility(w: WorkflowExecutionInfo, err: unknown): ExternalAction {
  const at = (w.closeTime ?? new Date()).toISOString();
  const why = `history unreadable (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`;
  const action: ExternalActionKind =
    w.status.name === 'TERMINATED'
      ? 'terminated'
      : w.status.name === 'CANCELLED'
        ? 'cancelled'
        : w.status.name === 'TIMED_OUT'
          ? 'timed_out'
          : 'failed';
  return { at, runId: w.runId, action, identity: null, reason: `closed as ${w.status.name}; ${why}` };
}

/**
 * After an operator's reset the new run holds the tender's state as of the reset point, and writes
 * nothing until its next step: the read model takes that state from the new run now (its version
 * numbered from the reset point, below what the replaced run wrote; recordExternalAction lowered the
 * row's version for it), so the list, the calendar and the inbox show the new run's phase at once.
 * A run that cannot answer yet is left to its next step, whose commit follows it (commit.activities.ts).
 */
async function followReset(dataSource: DataSource, client: Client, workflowId: string): Promise<void> {
  let state: TenderState;
  try {
    state = await client.workflow.getHandle(workflowId).query<TenderState>('getState');
  } catch {
    return;
  }
  await dataSource.transaction(async (m) => {
    await m.query(`UPDATE tenders SET state_version = LEAST(state_version, $2 - 1) WHERE id = $1`, [
      state.id,
      state.version,
    ]);
    await writeTenderState(m, state);
  });
}

/**
 * Read model first, then the chain event that marks the run as reconciled: if the worker dies in
 * between, the next run of the schedule does both again (each is idempotent).
 */
async function recordExternalAction(
  dataSource: DataSource,
  tenderId: string,
  workflowId: string,
  a: ExternalAction,
): Promise<void> {
  const [row]: { phase: string; organization: string }[] = await dataSource.query(
    `SELECT phase, organization FROM tenders WHERE id = $1`,
    [tenderId],
  );
  await dataSource.transaction(async (m) => {
    if (a.action === 'reset') {
      // The new run starts again from an earlier point: its snapshots, numbered from there, must be taken.
      await m.query(`UPDATE tenders SET external_action = $2, state_version = 0, updated_at = now() WHERE id = $1`, [
        tenderId,
        JSON.stringify(a),
      ]);
      return;
    }
    await m.query(
      `UPDATE tenders SET external_action = $2, next_deadline = NULL, next_deadline_kind = NULL, updated_at = now() WHERE id = $1`,
      [tenderId, JSON.stringify(a)],
    );
    await m.query(`DELETE FROM pending_gates WHERE tender_id = $1`, [tenderId]);
  });
  await appendAuditEvents(
    dataSource,
    [
      {
        tenderId,
        workflowId,
        seq: 0,
        type: `external.${a.action}`,
        // Not a person the API knows: the identity the Temporal client sent (CLI, UI, SDK), as recorded.
        actor: { sub: `temporal:${a.identity ?? 'unknown'}`, name: a.identity ?? 'unknown', org: 'temporal' },
        at: a.at,
        ...(a.reason ? { reason: a.reason } : {}),
        payload: { source: 'temporal', ...a, phaseAtClose: row?.phase ?? null },
      },
    ],
    () => externalEventKey(a.runId),
  );
}
