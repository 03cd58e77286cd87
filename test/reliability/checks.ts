import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { canonicalJson } from '@tenderflow/db/canonical-json';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { containsTag, ORG, TenderScript } from './scripts';

/**
 * What must hold for every tender after the run, whatever the chaos did: the workflow, the read
 * model and the audit chain tell the same story as the script, each transition and each effect
 * exactly once.
 */

export interface TenderVerdict {
  index: number;
  kind: string;
  id: string;
  problems: string[];
  transitions: number;
  gateDecisions: number;
  commands: number;
  auditEvents: number;
  refusalsRecorded: number;
  /** Updates the workflow accepted and then refused in its handler (audited by the workflow). */
  handlerRefusals: number;
  /** Lost (missing) and doubled (extra) effects found, by what they are. */
  lost: number;
  doubled: number;
}

interface AuditRow {
  chain_index: number;
  event_key: string;
  type: string;
  actor_sub: string | null;
  at: Date;
  reason: string | null;
  payload: unknown;
}

const GATE_REQUESTING = new Set(['completeNeedsAnalysis', 'registerDocuments', 'requestCancellation']);

export async function checkTender(
  ds: DataSource,
  audit: AuditService,
  script: TenderScript,
  id: string,
  state: TenderState,
): Promise<TenderVerdict> {
  const problems: string[] = [];
  let lost = 0;
  let doubled = 0;
  const expectedFinal = script.expectedTimeline[script.expectedTimeline.length - 1];
  const gateSteps = script.steps.filter((s) => s.gate);
  const commandSteps = script.steps.filter((s) => !s.gate);

  // --- the workflow's state ---------------------------------------------------------------------
  if (state.phase !== expectedFinal) problems.push(`phase ${state.phase}, expected ${expectedFinal}`);
  const timeline = state.timeline.map((t) => t.phase);
  if (JSON.stringify(timeline) !== JSON.stringify(script.expectedTimeline)) {
    problems.push(`timeline ${timeline.join('>')}, expected ${script.expectedTimeline.join('>')}`);
    if (timeline.length > script.expectedTimeline.length) doubled += timeline.length - script.expectedTimeline.length;
    else lost += script.expectedTimeline.length - timeline.length;
  }
  // Each step applied exactly once is counted in the chain below: the state keeps no command
  // payloads, and a later step may replace what an earlier one wrote (a needs analysis done again).
  if (state.commands.length !== script.steps.length)
    problems.push(`${state.commands.length} accepted commands, the script sent ${script.steps.length}`);
  if (state.gateDecisions.length !== gateSteps.length) {
    problems.push(`${state.gateDecisions.length} gate decisions, the script decided ${gateSteps.length}`);
  }
  for (const step of gateSteps) {
    const records = state.gateDecisions.filter((d) => d.comment === step.tag);
    if (records.length !== 1 || records[0].gate !== step.gate!.gate || records[0].decision !== step.gate!.decision) {
      problems.push(
        `gate decision ${step.tag}: ${JSON.stringify(records.map((r) => [r.gate, r.decision]))}, expected one ${step.gate!.gate}/${step.gate!.decision}`,
      );
    }
  }
  for (const step of script.steps) {
    if (step.command === 'askQuestion') {
      const n = state.questions.filter((q) => q.question === step.tag).length;
      if (n !== 1) problems.push(`question ${step.tag} registered ${n} times`);
    }
    if (step.command === 'extendDeadline') {
      const n = (state.tenderPeriod?.extensions ?? []).filter((e) => e.reason === step.tag).length;
      if (n !== 1) problems.push(`extension ${step.tag} recorded ${n} times`);
    }
  }
  // Nothing runs out during the run: the shortest period is weeks long.
  const passed = state.pastDeadlines.filter((d) => d.outcome === 'passed');
  if (passed.length > 0) problems.push(`timers fired: ${passed.map((d) => d.kind).join(', ')}`);

  // --- the audit chain --------------------------------------------------------------------------
  const rows: AuditRow[] = await ds.query(
    `SELECT chain_index, event_key, type, actor_sub, at, reason, payload FROM audit_events WHERE tender_id = $1 ORDER BY chain_index`,
    [id],
  );
  const prefix = `${state.workflowId}#`;
  const fromWorkflow = rows.filter((r) => r.event_key.startsWith(prefix));
  const refusals = rows.filter((r) => r.event_key.startsWith('api:'));
  const byType = (t: string) => fromWorkflow.filter((r) => r.type === t);
  const expectCount = (type: string, expected: number) => {
    const n = byType(type).length;
    if (n !== expected) {
      problems.push(`audit: ${n} ${type}, expected ${expected}`);
      if (n < expected) lost += expected - n;
      else doubled += n - expected;
    }
  };
  expectCount('tender.created', 1);
  expectCount('phase.changed', script.expectedTransitions);
  expectCount('gate.decided', gateSteps.length);
  expectCount('command.accepted', commandSteps.length);
  expectCount('gate.requested', script.steps.filter((s) => GATE_REQUESTING.has(s.command)).length);
  expectCount('timer.fired', 0);
  const transitions = byType('phase.changed').map(
    (r) => `${(r.payload as { from: string }).from}>${(r.payload as { to: string }).to}`,
  );
  const expectedPairs = script.expectedTimeline.slice(1).map((to, i) => `${script.expectedTimeline[i]}>${to}`);
  if (JSON.stringify(transitions) !== JSON.stringify(expectedPairs))
    problems.push(`audit transitions ${transitions.join(', ')}, expected ${expectedPairs.join(', ')}`);
  for (const step of script.steps) {
    const type = step.gate ? 'gate.decided' : 'command.accepted';
    const n = byType(type).filter((r) => containsTag(r.payload, step.tag)).length;
    if (n !== 1) problems.push(`audit: ${type} for ${step.tag} ${n} times`);
    if (n === 0) lost += 1;
    if (n > 1) doubled += n - 1;
  }
  // The workflow numbers its events 1, 2, 3 …: a gap is an event that was never written.
  const seqs = fromWorkflow.map((r) => Number(r.event_key.slice(prefix.length))).sort((a, b) => a - b);
  const gaps = seqs.filter((n, i) => n !== i + 1);
  if (gaps.length > 0) {
    problems.push(`audit: workflow event numbers ${seqs.join(',')} have gaps`);
    lost += gaps.length;
  }
  // The same event content at the same workflow instant twice is a doubled effect, whatever its key.
  const seen = new Map<string, string>();
  for (const r of fromWorkflow) {
    const key = createHash('sha256')
      .update(canonicalJson({ t: r.type, p: r.payload, a: r.actor_sub, r: r.reason, at: r.at.toISOString() }))
      .digest('hex');
    if (seen.has(key)) {
      problems.push(`audit: ${r.type} recorded twice (${seen.get(key)} and ${r.event_key})`);
      doubled += 1;
    }
    seen.set(key, r.event_key);
  }
  const verified = await audit.verify(id);
  if (!verified.valid) problems.push(`audit chain invalid at ${verified.brokenAt}: ${verified.problem}`);
  if (verified.events !== rows.length) problems.push(`audit verify counted ${verified.events} of ${rows.length} rows`);

  // --- the read model ---------------------------------------------------------------------------
  const [row]: { phase: string; state_version: number; timeline: unknown; gate_decisions: unknown[] }[] =
    await ds.query(`SELECT phase, state_version, timeline, gate_decisions FROM tenders WHERE id = $1`, [id]);
  if (!row) problems.push('read model: no row');
  else {
    if (row.phase !== state.phase) problems.push(`read model phase ${row.phase}, workflow ${state.phase}`);
    if (Number(row.state_version) !== state.version)
      problems.push(`read model version ${row.state_version}, workflow ${state.version}`);
    if (canonicalJson(row.timeline) !== canonicalJson(state.timeline))
      problems.push('read model timeline differs from the workflow');
    if (row.gate_decisions.length !== state.gateDecisions.length)
      problems.push(
        `read model has ${row.gate_decisions.length} gate decisions, workflow ${state.gateDecisions.length}`,
      );
  }
  const [{ n: pending }]: { n: string }[] = await ds.query(
    `SELECT count(*) AS n FROM pending_gates WHERE tender_id = $1`,
    [id],
  );
  if (Number(pending) !== state.pendingGates.length)
    problems.push(`read model has ${pending} pending gates, workflow ${state.pendingGates.length}`);

  return {
    index: script.index,
    kind: script.kind,
    id,
    problems,
    transitions: transitions.length,
    gateDecisions: state.gateDecisions.length,
    commands: state.commands.length,
    auditEvents: rows.length,
    refusalsRecorded: refusals.length,
    handlerRefusals: byType('command.refused').length,
    lost,
    doubled,
  };
}

export interface GlobalVerdict {
  problems: string[];
  duplicateEventKeys: number;
  duplicateChainIndexes: number;
  tendersInReadModel: number;
  workflowsInTemporal: number;
  notifications: { total: number; delivered: number; pending: number; deliveredMoreThanOnce: number };
}

export async function checkGlobal(ds: DataSource, client: Client, expectedTenders: number): Promise<GlobalVerdict> {
  const problems: string[] = [];
  const [{ n: dupKeys }]: { n: string }[] = await ds.query(
    `SELECT count(*) AS n FROM (SELECT event_key FROM audit_events GROUP BY event_key HAVING count(*) > 1) d`,
  );
  const [{ n: dupIdx }]: { n: string }[] = await ds.query(
    `SELECT count(*) AS n FROM (SELECT tender_id, chain_index FROM audit_events GROUP BY tender_id, chain_index HAVING count(*) > 1) d`,
  );
  if (Number(dupKeys) > 0) problems.push(`${dupKeys} duplicate audit event keys`);
  if (Number(dupIdx) > 0) problems.push(`${dupIdx} duplicate chain indexes`);
  const [{ n: tenders }]: { n: string }[] = await ds.query(
    `SELECT count(*) AS n FROM tenders WHERE organization = $1`,
    [ORG],
  );
  if (Number(tenders) !== expectedTenders)
    problems.push(`${tenders} tenders in the read model, the run created ${expectedTenders}`);
  const workflows = (await client.workflow.count(`WorkflowType = "tenderWorkflow" AND Organization = "${ORG}"`)).count;
  if (workflows !== expectedTenders)
    problems.push(`${workflows} tender workflows in Temporal, the run created ${expectedTenders}`);
  // Messages, and their deliveries per recipient (sent, still queued or being sent, sent after more than one attempt).
  const [n]: { total: string; delivered: string; pending: string; again: string }[] = await ds.query(
    `SELECT (SELECT count(*) FROM notifications) AS total, count(*) FILTER (WHERE status = 'sent') AS delivered,
            count(*) FILTER (WHERE status IN ('queued', 'sending')) AS pending,
            count(*) FILTER (WHERE attempts > 1 AND status = 'sent') AS again FROM notification_deliveries`,
  );
  return {
    problems,
    duplicateEventKeys: Number(dupKeys),
    duplicateChainIndexes: Number(dupIdx),
    tendersInReadModel: Number(tenders),
    workflowsInTemporal: workflows,
    notifications: {
      total: Number(n.total),
      delivered: Number(n.delivered),
      pending: Number(n.pending),
      deliveredMoreThanOnce: Number(n.again),
    },
  };
}

export interface HistoryFacts {
  workerIdentities: Set<string>;
  workflowTaskFailures: string[];
  workflowTaskTimeouts: number;
  activityTimeouts: number;
  updatesAccepted: number;
  runs: number;
}

/** Who did the work (worker identities) and what went wrong on the way, from Temporal's histories. */
export async function collectHistory(client: Client, workflowIds: string[]): Promise<HistoryFacts> {
  const facts: HistoryFacts = {
    workerIdentities: new Set(),
    workflowTaskFailures: [],
    workflowTaskTimeouts: 0,
    activityTimeouts: 0,
    updatesAccepted: 0,
    runs: 0,
  };
  for (const wid of workflowIds) {
    const history = await client.workflow.getHandle(wid).fetchHistory();
    facts.runs += 1;
    for (const e of history.events ?? []) {
      const id = e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
      if (id) facts.workerIdentities.add(id);
      if (e.workflowTaskFailedEventAttributes) {
        facts.workflowTaskFailures.push(
          `${wid}: ${e.workflowTaskFailedEventAttributes.cause} ${e.workflowTaskFailedEventAttributes.failure?.message ?? ''}`,
        );
      }
      if (e.workflowTaskTimedOutEventAttributes) facts.workflowTaskTimeouts += 1;
      if (e.activityTaskTimedOutEventAttributes) facts.activityTimeouts += 1;
      if (e.workflowExecutionUpdateAcceptedEventAttributes) facts.updatesAccepted += 1;
    }
  }
  return facts;
}
