/**
 * The follow-up of one signed contract (`contract-<id>`, ARCHITECTURE §3 follow_up), a child of its tender.
 *
 * - The plan comes from milestone-plan.ts (pure: the contract's dates, the needs analysis, the
 *   organisation's policy). Each milestone has an owner side, a due date, a reminder before it and,
 *   once overdue, an escalation to the category manager repeated every week until it is done.
 * - `registerChange` (Update, validated; contract.changes.ts) registers a change to the contract
 *   under 17 kap. LOU, or refuses it with the rule and the paragraph.
 * - `completeMilestone` (Update, validated) records outcome and note. A deviation adds a
 *   corrective-action milestone; the extension decision moves the end (the plan grows) or makes it
 *   final; the re-procurement start opens a new tender in needs_analysis, linked to this one.
 * - Timers: one loop waits for the earliest reminder, due date, escalation, the contract's end or
 *   the end of the contract year, and re-arms only when that instant moved.
 * - History stays small for any length of contract: each contract year is one run; the run ends in
 *   continue-as-new with the state carried over (also earlier, should a year be unusually busy).
 * - The follow-up ends when the contract has ended and every milestone is closed; the tender, which
 *   waits for this workflow's result, then completes.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ContractOutcome, ContractStartInput } from '@tenderflow/temporal-common/contract-types';
import { handleKeyRotation } from '../shared/command-auth';
import { registerCommand } from '../shared/commands';
import { changeVerdict, registerChange } from './contract.changes';
import { complete, verdict } from './contract.commands';
import { completeMilestoneUpdate, getContractStateQuery, registerChangeUpdate } from './contract.messages';
import { ContractRun } from './contract.run';
import { publishContract } from './contract.visibility';

/** Continue-as-new before a run gets near Temporal's comfort zone, whatever the year held. */
const HISTORY_BUDGET = 1_500;

export async function contractWorkflow(input: ContractStartInput): Promise<ContractOutcome> {
  const run = new ContractRun(input);
  setHandler(getContractStateQuery, () => run.committed);
  registerCommand(completeMilestoneUpdate, {
    keys: run.keys,
    exclusive: (fn) => run.exclusive(fn),
    verdict: (i) => verdict(run, i),
    envelopeInTurn: false,
    handle: (i) => complete(run, i),
  });
  registerCommand(registerChangeUpdate, {
    keys: run.keys,
    exclusive: (fn) => run.exclusive(fn),
    verdict: (i) => changeVerdict(run, i),
    envelopeInTurn: false,
    handle: (i) => registerChange(run, i),
  });
  handleKeyRotation(run.keys, (key, actor) =>
    run.exclusive(async () => {
      run.event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey });
      await run.commit();
    }),
  );

  publishContract(run, true);
  if (!input.carried) {
    run.plan();
    await run.commit();
  } else if (run.extendPlan()) {
    // A new contract year: the rolling horizon moves on.
    await run.commit();
  }

  for (;;) {
    if (run.done()) break;
    const now = Date.now();
    const next = run.nextEvent();
    if (next <= now) {
      await run.exclusive(() => run.tick());
      continue;
    }
    const cycleEnd = run.cycleEnd();
    const info = workflowInfo();
    if (now >= cycleEnd || info.historyLength > HISTORY_BUDGET || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await run.settled();
      if (run.done()) break;
      if (run.nextEvent() <= Date.now()) continue; // something fell due meanwhile: handle it in this run
      run.state.cycle = run.cycleAt(Date.now());
      run.state.runs += 1;
      return continueAsNew<typeof contractWorkflow>({ ...input, commandKeys: run.keys.all(), carried: run.state });
    }
    // Re-armed only when the next event moved (or the run should continue as new), not on every change.
    const due = () =>
      run.done() ||
      run.nextEvent() !== next ||
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > HISTORY_BUDGET;
    await condition(due, Math.max(1, Math.min(next, cycleEnd) - now));
  }
  await condition(allHandlersFinished);
  await run.settled();
  return run.outcome();
}
