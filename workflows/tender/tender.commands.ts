/**
 * How a tender's command runs: one Update per command (tender.messages.ts). The validator refuses
 * what it can see is wrong (signature, envelope, authority, phase, payload, state) before anything
 * is written to history; the handler runs the same checks again under the tender's lock, records
 * the command, applies it (which may still refuse before it changes anything) and commits. Every
 * refusal is an ApplicationFailure whose type the API maps to 400/403/409/422.
 */
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, patched, uuid4 } from '@temporalio/workflow';
import type { Actor } from '@tenderflow/domain/types';
import { COMMAND_UPDATES } from './tender.messages';
import {
  REFUSAL_STATUS,
  type CommandAnswer,
  type CommandInput,
  type CommandName,
  type CommandPayloads,
} from '@tenderflow/temporal-common/tender-types';
import {
  ALLOWED,
  firstRefusal,
  refuse,
  toFailure,
  type Refusal,
  type Verdict,
} from '@tenderflow/temporal-common/refusals';
import { mayIssueCommand, phaseAllows } from './authority';
import { registerCommand } from '../shared/commands';
import type { TenderRun } from './tender.run';
import { actorRef, answerOf, briefReason, isPermanentWriteError, messageOf, reasonOf } from './tender.state';

/** Any failure inside a command restores the last committed state (before: only a refusal undid the record). */
export const ALL_OR_NOTHING_PATCH = 'command-all-or-nothing';

export type CommandSpec<N extends CommandName> = {
  /** State and rule checks beyond authority and phase; run by the validator and again by the handler. */
  check?: (p: CommandPayloads[N], actor: Actor) => Verdict;
  /**
   * Checks newer than some recorded histories: the validator runs them (validators never replay);
   * `apply` runs them again itself, behind a patch, so that an older history replays unchanged.
   */
  validate?: (p: CommandPayloads[N], actor: Actor) => Verdict;
  /** Does the command. May refuse (throw a refusal) only before it changes anything. */
  apply: (p: CommandPayloads[N], actor: Actor, input: CommandInput<CommandPayloads[N]>) => Promise<void> | void;
  /** The audit event type; default 'command.accepted'. */
  eventType?: string;
  /**
   * The event carries a random salt (the workflow's seeded uuid4): a payload of few possible values
   * (an evaluator's scores) cannot be found again from the event's hash by trying them all.
   */
  salted?: boolean;
};

/** Registers a command's Update on the run: the same checks in the validator and under the lock. */
export type Register = <N extends CommandName>(name: N, spec: CommandSpec<N>) => void;

export function commandRegistrar(run: TenderRun): Register {
  return (name, spec) => register(run, name, spec);
}

/** Authority, phase, payload and the command's own checks: what follows the envelope (shared/commands.ts). */
function verdict<N extends CommandName>(
  run: TenderRun,
  name: N,
  spec: CommandSpec<N>,
  input: CommandInput<CommandPayloads[N]>,
): Verdict {
  const payload = input.payload as CommandPayloads[N] | undefined;
  return firstRefusal(
    () => mayIssueCommand(input.actor, run.state, name, payload),
    () => phaseAllows(run.state, name, payload),
    () =>
      payload && typeof payload === 'object'
        ? ALLOWED
        : refuse('BadRequest', 'The payload is missing.', { field: 'payload' }),
    () => (spec.check ? spec.check(payload as CommandPayloads[N], input.actor) : ALLOWED),
  );
}

function register<N extends CommandName>(run: TenderRun, name: N, spec: CommandSpec<N>): void {
  type Input = CommandInput<CommandPayloads[N]>;
  const handle = async (input: Input): Promise<CommandAnswer> => {
    const before = run.committed;
    const marks = run.recorder.mark();
    const reason = reasonOf(input);
    run.event(
      spec.eventType ?? 'command.accepted',
      input.actor,
      { command: name, payload: input.payload, ...(spec.salted ? { salt: uuid4() } : {}) },
      reason,
    );
    // Who, when and why (its first characters); the payload and the whole why are in the chain's event (the state keeps no content).
    run.state.commands.push({
      command: name,
      actor: actorRef(input.actor),
      at: run.now(),
      ...(reason ? { reason: briefReason(reason) } : {}),
    });
    try {
      await spec.apply(input.payload, input.actor, input);
    } catch (err) {
      // All or nothing: whatever failed (a refusal, a thrown error, a child that could not start),
      // the tender is back at its last committed state before the next command runs, so nothing
      // half-done is ever committed by a later step. Histories from before kept the changes.
      const whole = patched(ALL_OR_NOTHING_PATCH);
      if (whole) run.undo(before, marks);
      if (err instanceof ApplicationFailure && err.type && err.type in REFUSAL_STATUS) {
        if (!whole) {
          run.recorder.rollback(marks);
          run.state.commands.pop();
        }
        const details = (err.details?.[0] ?? {}) as Omit<Refusal, 'allowed' | 'type' | 'reason'>;
        return refused(run, name, input, refuse(err.type as Refusal['type'], err.message, details));
      }
      // A child whose id already runs is a conflict the caller can understand, not an outage.
      if (whole && err instanceof WorkflowExecutionAlreadyStartedError) {
        return refused(
          run,
          name,
          input,
          refuse('Conflict', `A workflow ${err.workflowId} of this tender already runs: ${err.message}`, {
            rule: 'child_exists',
          }),
        );
      }
      throw err;
    }
    try {
      await run.commit();
    } catch (err) {
      if (!isPermanentWriteError(err)) throw err;
      // PostgreSQL refused the step for good: the command is refused and the tender goes on
      // from its last committed state, taking further commands.
      run.restore(before, marks);
      return refused(
        run,
        name,
        input,
        refuse('BadRequest', `The command could not be stored: ${messageOf(err).slice(0, 300)}`, {
          rule: 'unstorable',
        }),
      );
    }
    return answerOf(run.committed);
  };
  registerCommand(COMMAND_UPDATES[name] as unknown as UpdateDefinition<CommandAnswer, [Input], string>, {
    keys: run.keys,
    exclusive: (fn) => run.exclusive(fn),
    verdict: (input) => verdict(run, name, spec, input),
    validate: (input) => (spec.validate ? spec.validate(input.payload, input.actor) : ALLOWED),
    handle,
    refused: (input, v) => refused(run, name, input, v),
  });
}

/**
 * A refusal found by the handler. The API's command gateway records every refusal once, in the
 * chain or in the security log (ARCHITECTURE §4); before that, the workflow wrote handler refusals
 * itself too, and they were in the chain twice.
 */
async function refused(run: TenderRun, name: CommandName, input: CommandInput<unknown>, v: Refusal): Promise<never> {
  if (!patched('refusals-recorded-by-api')) {
    run.event(
      'command.refused',
      input?.actor ?? null,
      { command: name, payload: input?.payload, type: v.type, rule: v.rule },
      v.reason,
    );
    await run.recorder.recordAuditOnly();
  }
  throw toFailure(v);
}
