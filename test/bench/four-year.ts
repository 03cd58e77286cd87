import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  driveTo,
  signed,
  startHarness,
  startTender,
  state,
  type TenderHandle,
} from '../support/tender-harness';
import { round } from './lib';

/**
 * One tender from creation to its end under Temporal's time-skipping test server, driven with the
 * helpers of the workflow specs (test/support/tender-harness.ts: real deadline activities,
 * capturing fakes of the writing ones): EU open procedure → every gate, the tender period, opening,
 * evaluation, award, standstill → contract → follow-up → completed. The contract (2 years from
 * 2027-03-01 plus a 24-month option) runs four years, the longest a framework agreement may
 * (7 kap. 2 § LOU).
 *
 * With a contract workflow (the tender's registerContract starts `contract-<id>`, whose state says
 * `followUp.workflowId`), every milestone is completed the day before it is due and the extension
 * option is used, until the contract and then the tender end. Without one (older code), the
 * tender's own follow-up obligations are completed and four years are skipped in follow_up before
 * completeFollowUp. The histories of every run of every workflow involved (children and
 * continue-as-new chains, found through the histories themselves) are fetched; the largest is reported.
 */

type Actor = (typeof actors)[keyof typeof actors];

/** A tender command by wire name, without the compile-time payload map (it changes while others work). */
function untypedCmd(handle: TenderHandle, name: string, actor: Actor, payload: unknown): Promise<unknown> {
  return signed(handle, name, { actor, payload });
}

interface MilestoneView {
  id: string;
  kind: string;
  owner: string;
  dueAt: string;
  status: string;
}
interface ContractView {
  status: string;
  endDate: string;
  optionMonthsRemaining: number;
  milestones: MilestoneView[];
  runs?: number;
}

/**
 * Drives a contract follow-up to its end: every open milestone is completed the day before it is due
 * (the extension decision uses the next option, so the contract runs its full term with options);
 * when nothing is open the clock skips ahead in 30-day steps until the contract has ended and
 * the tender has its result.
 */
async function driveContract(
  env: Awaited<ReturnType<typeof createTimeSkippingEnv>>,
  tender: TenderHandle,
  contractWorkflowId: string,
  serverStart: number,
  mark: (step: string) => Promise<void>,
): Promise<{ completed: number; iterations: number }> {
  const contractHandle = env.client.workflow.getHandle(contractWorkflowId);
  const day = 86_400_000;
  let completed = 0;
  let iterations = 0;
  let lastYear = -1;
  for (;;) {
    iterations += 1;
    if (iterations > 500) throw new Error('contract driver: more than 500 rounds');
    const now = await env.currentTimeMs();
    if (now - serverStart > 8 * 365 * day) throw new Error('contract driver: more than 8 years of server time');
    const t = await state(tender);
    if (t.phase === 'completed' || t.phase === 'cancelled' || t.phase === 'unsuccessful')
      return { completed, iterations };
    let cs: ContractView;
    try {
      cs = await contractHandle.query<ContractView>('getState');
    } catch (err) {
      // Between two runs (continue-as-new) or already closed: look again shortly.
      await env.sleep(1);
      if (iterations % 50 === 0) throw err;
      continue;
    }
    const year = Math.floor((now - serverStart) / (365 * day));
    if (year !== lastYear) {
      lastYear = year;
      await mark(
        `follow-up until year ${year + 1} after the tender's start: contract ${cs.status}, run ${cs.runs ?? '?'}, ${cs.milestones.filter((m) => m.status === 'done').length} milestones done`,
      );
    }
    const open = cs.milestones
      .filter((m) => m.status === 'scheduled' || m.status === 'overdue')
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (open.length === 0) {
      await env.sleep(30 * day);
      continue;
    }
    const next = open[0];
    const completeAt = Date.parse(next.dueAt) - day;
    if (completeAt > now) {
      await env.sleep(completeAt - now);
      continue; // look again: the plan may have changed while the clock moved
    }
    const payload = {
      milestoneId: next.id,
      outcome: 'ok',
      note: `${next.kind} done`,
      reference: `REF-${next.id}`,
      ...(next.kind === 'extension_decision' ? { extend: cs.optionMonthsRemaining > 0 } : {}),
    };
    // A contract manager of the organisation may complete every milestone (authority.ts mayCompleteMilestone).
    const first = actors.carl;
    const second = actors.anna;
    try {
      await signed(contractHandle, 'completeMilestone', { actor: first, payload });
    } catch {
      await signed(contractHandle, 'completeMilestone', { actor: second, payload });
    }
    completed += 1;
  }
}

export interface RunHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  events: number;
  bytes: number;
  /** Server time of the run's first and last event (ISO). */
  firstEventAt: string;
  lastEventAt: string;
}

export interface FourYearResult {
  contractWorkflowPresent: boolean;
  contractWorkflowFiles: string[];
  drivenThroughContractWorkflow: boolean;
  envStartMs: number;
  workerStartMs: number;
  wallMs: number;
  steps: { step: string; ms: number; serverDate: string }[];
  simulatedDays: number;
  finalPhase: string;
  runs: RunHistory[];
  largestHistory: RunHistory | null;
  largestHistoryBytes: RunHistory | null;
  notes: string[];
}

export async function benchFourYears(): Promise<FourYearResult> {
  const contractDir = join(PROJECT_ROOT, 'workflows', 'contract');
  const contractWorkflowFiles = existsSync(contractDir) ? readdirSync(contractDir) : [];
  const exported = existsSync(join(PROJECT_ROOT, 'workflows', 'index.ts'))
    ? /contract/i.test(readFileSync(join(PROJECT_ROOT, 'workflows', 'index.ts'), 'utf8'))
    : false;
  const notes: string[] = [];
  const contractWorkflowPresent = contractWorkflowFiles.length > 0 || exported;

  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed */
  }
  const t0 = performance.now();
  const env = await createTimeSkippingEnv();
  const envStartMs = performance.now() - t0;
  const t1 = performance.now();
  const h = await startHarness(env, 'bench-four-years');
  const workerStartMs = performance.now() - t1;
  const steps: FourYearResult['steps'] = [];
  let last = performance.now();
  const mark = async (step: string) => {
    const now = performance.now();
    steps.push({
      step,
      ms: round(now - last),
      serverDate: new Date(await env.currentTimeMs()).toISOString().slice(0, 10),
    });
    last = performance.now();
  };
  try {
    const serverStart = await env.currentTimeMs();
    const started = performance.now();
    last = started;
    const handle = await startTender(h);
    await mark('start');
    let s = await driveTo(h, handle, 'contract');
    await mark(
      'needs analysis → gates → published → tender deadline → opening → evaluation → award → standstill → contract',
    );
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    await mark('registerContract → follow_up');
    const followUp = (s as { followUp?: { workflowId: string } }).followUp;
    let drivenThroughContractWorkflow = false;
    if (followUp?.workflowId) {
      drivenThroughContractWorkflow = true;
      const n = await driveContract(env, handle, followUp.workflowId, serverStart, mark);
      notes.push(
        `Contract follow-up ${followUp.workflowId}: ${n.completed} milestones completed on time (the day before each is due), extension option used at the extension decision; ${n.iterations} driver rounds.`,
      );
    } else {
      // The follow-up of the code without a contract workflow: the obligations, then four years in follow_up.
      for (const o of (s as { obligations: { obligation: string }[] }).obligations) {
        await untypedCmd(handle, 'completeObligation', actors.anna, {
          obligation: o.obligation,
          reference: `REF-${o.obligation}`,
        });
      }
      await mark('obligations completed');
      await env.sleep('1461 days');
      s = await state(handle);
      await mark(`4 years of follow-up skipped (phase ${s.phase})`);
      await untypedCmd(handle, 'completeFollowUp', actors.carl, { note: 'Contract period ended' });
    }
    const final = await handle.result();
    await mark(`tender result (${final.phase})`);
    const wallMs = performance.now() - started;
    const firstRunId = (handle as { firstExecutionRunId?: string }).firstExecutionRunId;
    const runs = await collectRuns(env.client, handle.workflowId, firstRunId);
    const largestHistory = runs.reduce<RunHistory | null>((a, r) => (!a || r.events > a.events ? r : a), null);
    const largestHistoryBytes = runs.reduce<RunHistory | null>((a, r) => (!a || r.bytes > a.bytes ? r : a), null);
    // Server time from the tender's start to its completion (the clock may run on after it: waiting
    // for the result lets the test server skip to the next timer of any workflow, e.g. the successor tender).
    const tenderRun = runs.find((r) => r.workflowId === handle.workflowId)!;
    const simulatedDays = round(
      (Date.parse(tenderRun.lastEventAt) - Date.parse(tenderRun.firstEventAt)) / 86_400_000,
      1,
    );
    const other = runs.filter((r) => r.workflowType === 'tenderWorkflow' && r.workflowId !== handle.workflowId);
    if (other.length)
      notes.push(
        `The contract's re-procurement milestone started a successor tender (${other.map((r) => r.workflowId).join(', ')}); it stays open in needs_analysis and is not driven.`,
      );
    const contractRuns = runs.filter((r) => r.workflowType === 'contractWorkflow');
    if (contractRuns.length > 1)
      notes.push(
        `The contract workflow continued as new ${contractRuns.length - 1} times (${contractRuns.length} runs of ${contractRuns.map((r) => r.events).join(' / ')} events).`,
      );
    if (contractWorkflowPresent && !drivenThroughContractWorkflow) {
      notes.push(
        `workflows/contract exists (${contractWorkflowFiles.join(', ')}) but the tender did not start a contract workflow in this run.`,
      );
    }
    if (!contractWorkflowPresent) {
      notes.push(
        "No contract workflow (workflows/contract/) exists yet: the follow-up is the tender workflow's own follow_up phase " +
          '(post-award notice and documentation obligations, 30-day timers), held open for 4 years of skipped time. ' +
          'No continue-as-new and no child workflow exist in the code measured.',
      );
    }
    return {
      contractWorkflowPresent,
      contractWorkflowFiles,
      drivenThroughContractWorkflow,
      envStartMs: round(envStartMs),
      workerStartMs: round(workerStartMs),
      wallMs: round(wallMs),
      steps,
      simulatedDays,
      finalPhase: final.phase,
      runs,
      largestHistory,
      largestHistoryBytes,
      notes,
    };
  } finally {
    await h.stop();
    await env.teardown();
  }
}

/**
 * Every run reachable from a workflow's first run: its continue-as-new successors and, recursively,
 * the runs of the child workflows any of them started.
 */
export async function collectRuns(
  client: Client,
  workflowId: string,
  runId: string | undefined,
): Promise<RunHistory[]> {
  const out: RunHistory[] = [];
  const seen = new Set<string>();
  const queue: { workflowId: string; runId?: string }[] = [{ workflowId, runId }];
  while (queue.length) {
    const next = queue.shift()!;
    const key = `${next.workflowId}/${next.runId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const history = await client.workflow.getHandle(next.workflowId, next.runId).fetchHistory();
    const events = history.events ?? [];
    const startedAttrs = events[0]?.workflowExecutionStartedEventAttributes;
    const bytes = temporal.api.history.v1.History.encode(history as temporal.api.history.v1.IHistory).finish().length;
    const at = (e: (typeof events)[number] | undefined) => {
      const t = e?.eventTime;
      return t ? new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : '?';
    };
    out.push({
      firstEventAt: at(events[0]),
      lastEventAt: at(events[events.length - 1]),
      workflowId: next.workflowId,
      runId: next.runId ?? startedAttrs?.originalExecutionRunId ?? '?',
      workflowType: startedAttrs?.workflowType?.name ?? '?',
      events: events.length,
      bytes,
    });
    for (const e of events) {
      const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId) queue.push({ workflowId: child.workflowId, runId: child.runId ?? undefined });
      const can = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (can) queue.push({ workflowId: next.workflowId, runId: can });
    }
  }
  return out;
}
