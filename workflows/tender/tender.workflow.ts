/**
 * One tender, from needs analysis to the end of follow-up, as one durable workflow (ARCHITECTURE §3).
 *
 * - Commands are Updates. A validator refuses what it can see is wrong (authority, phase, payload,
 *   state) before anything is written to history; the handler runs the same checks again under the
 *   tender's lock, then does what needs the rules library (deadlines come from an activity) and may
 *   still refuse (e.g. a requested deadline earlier than the legal minimum) before it changes
 *   anything. Every refusal is an ApplicationFailure whose type the API maps to 400/403/409/422.
 * - Deadlines are timers in one loop: one timer for the earliest deadline, re-armed when the
 *   earliest deadline moves (an extension moves the timer); nothing sleeps a fixed time.
 * - Every change ends in one commit: audit events (deterministic seq), notifications, the read-model
 *   snapshot (version + 1), search attributes and the readable summary.
 *
 * - Joint procurement: each invited body is a child workflow (coordination.workflow.ts) that owns
 *   its invitation, reminder and response deadline; the tender leaves coordination when every
 *   child has reported an outcome (by signal, or as its result).
 * - Follow-up: registering the contract starts the child `contract-<id>` (contract.workflow.ts),
 *   which owns the milestones, including the post-award notice and documentation; the tender
 *   completes when it ends.
 *
 * Versioning: the coordination children and the contract child replaced in-tender handling
 * (respondToInvitation, completeObligation, completeFollowUp, the coordination reminder timer)
 * before the first release, so they are not behind `patched()`: no running tender has the old
 * shape. From the first release on, any change to the order of commands, timers, children or
 * activities goes through `patched('<id>')` and keeps the old branch until no running tender can
 * reach it (then `deprecatePatch`).
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';
import { handleKeyRotation } from '../shared/command-auth';
import { registerTenderCommands } from './commands';
import { registerCoordinationHandlers } from './commands/coordination';
import { commandRegistrar } from './tender.commands';
import { getStateQuery, getVersionQuery } from './tender.messages';
import { TenderRun } from './tender.run';
import { answerOf, earliest, isFinal } from './tender.state';
import { fire } from './tender.timers';
import { publishState } from './tender.visibility';

/**
 * A run continues as new when Temporal suggests it, or at 4 000 events or 4 MiB of history, whichever
 * comes first (Temporal's own suggestion points; the hard limits are 51 200 events and 50 MiB), so no
 * run of a tender, however many questions it takes, grows past them. Asked once, at the start of a
 * run: histories recorded before continue-as-new replay without it.
 */
export const CONTINUE_AS_NEW_PATCH = 'tender-continue-as-new';
export const HISTORY_EVENTS_BUDGET = 4_000;
export const HISTORY_BYTES_BUDGET = 4 * 1024 * 1024;

export async function tenderWorkflow(input: TenderStartInput): Promise<TenderState> {
  const run = new TenderRun(input);
  const mayContinueAsNew = patched(CONTINUE_AS_NEW_PATCH);
  // Not while a child runs: a child belongs to the run that started it (its result, its cancellation).
  const shouldContinueAsNew = () => {
    if (!mayContinueAsNew || run.hasRunningChildren()) return false;
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > (input.historyEventsBudget ?? HISTORY_EVENTS_BUDGET) ||
      info.historySize > HISTORY_BYTES_BUDGET
    );
  };
  // Reads see the last committed state, never one half-way through a transition that awaits an activity.
  setHandler(getStateQuery, () => run.committed);
  setHandler(getVersionQuery, () => answerOf(run.committed));
  const register = commandRegistrar(run);
  registerTenderCommands(run, register);
  registerCoordinationHandlers(run);
  handleKeyRotation(run.keys, (key, actor) => run.exclusive(() => run.recordKeyAdded(key, actor)));

  publishState(run.state);
  if (!input.resumed) {
    run.event('tender.created', input.createdBy, { input }, undefined);
    await run.record();
  }

  // Deadlines as timers: one timer for the earliest deadline, re-armed only when the earliest
  // deadline moved (an extension, a deadline set or closed), not on every change of the tender.
  while (!isFinal(run.state.phase)) {
    if (shouldContinueAsNew()) {
      // Updates in flight finish first; the next run takes the committed state, the pending gates,
      // the deadlines (its loop re-arms the timers), the keys and the audit numbering.
      await condition(allHandlersFinished);
      await run.settled();
      if (!isFinal(run.state.phase) && !run.hasRunningChildren()) {
        return continueAsNew<typeof tenderWorkflow>({
          ...input,
          commandKeys: run.keys.all(),
          resumed: {
            state: run.committed,
            counters: { ...run.recorder.counters },
            runs: (input.resumed?.runs ?? 0) + 1,
            complete: run.complete,
          },
        });
      }
      continue;
    }
    const next = earliest(run.state.deadlines);
    if (next && Date.parse(next.at) <= Date.now()) {
      await run.exclusive(() => fire(run, next.kind));
      continue;
    }
    const armedAt = next?.at;
    const moved = () =>
      isFinal(run.state.phase) || earliest(run.state.deadlines)?.at !== armedAt || shouldContinueAsNew();
    if (next) {
      await condition(moved, Math.max(1, Date.parse(next.at) - Date.now()));
    } else {
      await condition(moved);
    }
  }
  await condition(allHandlersFinished);
  await run.settled();
  await run.withdrawInvitations();
  return run.state;
}
