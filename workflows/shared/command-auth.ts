/**
 * The workflow side of signed commands: the keys a workflow accepts, the check every command's
 * validator makes first, and the signed `rotateCommandKey` Update that adds a key.
 *
 * Validator-only on purpose: validators do not run on replay, so histories recorded before commands
 * were signed still replay, and an Update the validator accepted is in history with its signature.
 * A workflow whose start input pinned no key (started before this check existed) refuses every
 * command: there is no key it could trust, and trusting the first key offered would let anyone in.
 */
import { currentUpdateInfo, proxySinks, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor } from '@tenderflow/domain/types';
import { toFailure } from '@tenderflow/temporal-common/refusals';
import { rotateCommandKeyUpdate, type CommandAuthSinks, type RotateCommandKeyInput } from './command-auth.messages';
import { checkCommandKey, verifyCommand, type CommandKey } from '@tenderflow/temporal-common/command-signature';

const { commandAuth } = proxySinks<CommandAuthSinks>();

export class CommandKeys {
  private readonly keys: CommandKey[];

  constructor(pinned: readonly CommandKey[] | undefined) {
    this.keys = (pinned ?? []).map((k) => ({ id: k.id, publicKey: k.publicKey }));
  }

  /** The keys as they are now, for a child's or the next run's start input. */
  all(): CommandKey[] {
    return this.keys.map((k) => ({ ...k }));
  }

  /** Adds a key; false when it is known already. */
  add(key: CommandKey): boolean {
    if (this.keys.some((k) => k.id === key.id)) return false;
    this.keys.push({ id: key.id, publicKey: key.publicKey });
    return true;
  }

  /**
   * The first line of every command validator: refuses (Forbidden) an unsigned, forged, replayed or
   * expired command, and reports it to the worker's security log.
   */
  assertSigned(input: unknown): void {
    const update = currentUpdateInfo();
    const v = verifyCommand(input, {
      keys: this.keys,
      workflowId: workflowInfo().workflowId,
      command: update?.name ?? '',
      updateId: update?.id,
      now: Date.now(),
    });
    if (v.allowed) return;
    const claimed =
      (input as { actor?: { sub?: unknown; org?: unknown }; payload?: unknown } | null | undefined) ?? null;
    commandAuth.refused({
      command: update?.name ?? '(unknown)',
      updateId: update?.id ?? null,
      rule: v.rule ?? 'bad_signature',
      reason: v.reason,
      claimedActor:
        claimed?.actor && typeof claimed.actor === 'object' ? { sub: claimed.actor.sub, org: claimed.actor.org } : null,
      payload: claimed && typeof claimed === 'object' ? (claimed.payload ?? null) : null,
    });
    throw toFailure(v);
  }
}

/**
 * Registers `rotateCommandKey`: signed by a key the workflow knows, it adds another. `recorded` puts
 * the addition in the tender's chain (and, in the tender, the read model).
 */
export function handleKeyRotation(keys: CommandKeys, recorded: (key: CommandKey, actor: Actor) => Promise<void>): void {
  setHandler(
    rotateCommandKeyUpdate,
    async (input: RotateCommandKeyInput) => {
      const { key } = input.payload;
      const added = keys.add(key);
      if (added) await recorded(key, input.actor);
      return { added, keyIds: keys.all().map((k) => k.id) };
    },
    {
      validator: (input: RotateCommandKeyInput) => {
        keys.assertSigned(input);
        const v = checkCommandKey(input.payload?.key);
        if (!v.allowed) throw toFailure(v);
      },
    },
  );
}
