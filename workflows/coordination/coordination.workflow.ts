/**
 * One invited body of a joint procurement (ARCHITECTURE §3 coordination), as a child of the tender:
 * the invitation goes out, a reminder before the response deadline, and the deadline itself.
 *
 * - The body's partner answers with the `respondToInvitation` Update (shared/commands.ts). The
 *   validator refuses another role or body (Forbidden), a second answer (Conflict) and a late one
 *   (RuleViolation); coordination.run.ts holds the checks and the steps.
 * - The outcome reaches the tender by signal before the answering Update returns (so the tender's
 *   state read right after shows it), and again as this workflow's result.
 * - The workflow stays open until the response deadline, so that a second answer within it is
 *   refused here with its reason; after the deadline the API answers from the tender's record.
 * - Audit events go to the tender's chain under this workflow's ID; notifications to the outbox.
 */
import { allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { coordinationInputProblem } from './coordination.input';
import { handleKeyRotation } from '../shared/command-auth';
import { registerCommand } from '../shared/commands';
import {
  getInvitationStateQuery,
  respondToInvitationUpdate,
  type CoordinationInput,
  type InvitationOutcome,
} from './coordination.messages';
import { CoordinationRun } from './coordination.run';

export async function coordinationWorkflow(input: CoordinationInput): Promise<InvitationOutcome> {
  // A start of the wrong shape (not from a tender) fails the workflow, named, instead of its every task.
  const problem = coordinationInputProblem(input, workflowInfo().workflowId);
  if (problem) throw ApplicationFailure.nonRetryable(`Not a coordination input: ${problem}`, 'InvalidInput');
  const run = new CoordinationRun(input);
  setHandler(getInvitationStateQuery, () => run.state);
  registerCommand(respondToInvitationUpdate, {
    keys: run.keys,
    verdict: (i) => run.verdict(i),
    envelopeInTurn: false,
    handle: (i) => run.answer(i),
  });
  handleKeyRotation(run.keys, (key, actor) => run.keyAdded(key, actor));

  await run.invite();

  const answered = () => run.answered();
  const { reminder, response } = input;
  if (reminder && !answered() && run.until(reminder.at) > 0) {
    if (!(await condition(answered, run.until(reminder.at)))) await run.remind();
  }
  if (!answered() && run.until(response.at) > 0) await condition(answered, run.until(response.at));
  if (!answered()) await run.expire();
  // Open until the deadline: a second answer is refused here, with its reason.
  if (run.until(response.at) > 0) await condition(() => false, run.until(response.at) + 1);
  await condition(allHandlersFinished);
  return run.state.outcome!;
}
