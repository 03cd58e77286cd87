/**
 * How every workflow registers a command: one Update, one validator and one handler, the same for
 * the tender, the contract and an invited body's coordination.
 *
 * - The validator refuses before anything reaches history: first the signature (command-auth.ts),
 *   then the envelope (an actor a token could vouch for, storable text), then the workflow's own
 *   verdict (authority, phase, payload, state), then checks newer than some recorded histories.
 * - The handler takes its turn (the run's mutex, when it has one), asks the verdict again (state
 *   may have moved between validation and the turn), the tender's the envelope too, and only then
 *   acts.
 *
 * The envelope is asked here and nowhere else; a workflow's verdict starts where it ends.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { CommandInput } from '@tenderflow/temporal-common/tender-payloads';
import type { CommandKeys } from './command-auth';
import {
  ALLOWED,
  commandInputVerdict,
  firstRefusal,
  toFailure,
  type Refusal,
  type Verdict,
} from '@tenderflow/temporal-common/refusals';

export interface CommandRegistration<I extends CommandInput<unknown>, R> {
  /** Signed commands only: the keys the workflow trusts. */
  keys: CommandKeys;
  /** The workflow's own checks after the envelope; run by the validator and again by the handler. */
  verdict: (input: I) => Verdict;
  /**
   * Checks newer than some recorded histories: only the validator runs them (validators never
   * replay); the handler must ask them itself, behind a patch, when it needs them.
   */
  validate?: (input: I) => Verdict;
  /** Does the command, once both checks pass in its turn. */
  handle: (input: I) => Promise<R>;
  /** A refusal found in the handler's turn; default: thrown as its ApplicationFailure. */
  refused?: (input: I, refusal: Refusal) => Promise<never>;
  /**
   * Whether the handler asks the envelope again in its turn (default: yes). The contract's and the
   * coordination's handlers never did, and their histories run for years: an Update their validator
   * accepted replays without a check the validator may have made stricter since.
   */
  envelopeInTurn?: boolean;
  /**
   * Serialises the handler with the workflow's other changes (TakesTurns.exclusive). Absent for a
   * workflow whose one command changes its state before its first await (the coordination).
   */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** The envelope, then the workflow's verdict: the checks both the validator and the handler ask. */
export function commandVerdict<I extends CommandInput<unknown>>(input: I, verdict: (input: I) => Verdict): Verdict {
  return firstRefusal(
    () => commandInputVerdict(input),
    () => verdict(input),
  );
}

export function registerCommand<I extends CommandInput<unknown>, R, Name extends string>(
  update: UpdateDefinition<R, [I], Name>,
  spec: CommandRegistration<I, R>,
): void {
  const inTurn = spec.exclusive ?? (<T>(fn: () => Promise<T>) => fn());
  const handler = (input: I): Promise<R> =>
    inTurn(async () => {
      const v = spec.envelopeInTurn === false ? spec.verdict(input) : commandVerdict(input, spec.verdict);
      if (!v.allowed) {
        if (spec.refused) return spec.refused(input, v);
        throw toFailure(v);
      }
      return spec.handle(input);
    });
  const validator = (input: I): void => {
    spec.keys.assertSigned(input);
    const v = firstRefusal(
      () => commandVerdict(input, spec.verdict),
      () => (spec.validate ? spec.validate(input) : ALLOWED),
    );
    if (!v.allowed) throw toFailure(v);
  };
  // setHandler's types cannot follow a generic input through its overloads; the definition types both sides.
  setHandler(update, handler as never, { validator: validator as never });
}
