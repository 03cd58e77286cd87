import { defineUpdate, type Sinks } from '@temporalio/workflow';
import type { Actor } from '@tenderflow/domain/types';
import type { CommandAuth, CommandKey } from '@tenderflow/temporal-common/command-signature';

/**
 * Messages every command-taking workflow (tender, coordination, contract) shares: the key rotation
 * Update and the sink through which a validator reports a refused signature. Wire names never change.
 */

export interface RotateCommandKeyPayload {
  key: CommandKey;
}

/** A rotation is itself a command: signed by a key the workflow already knows. */
export interface RotateCommandKeyInput {
  actor: Actor;
  payload: RotateCommandKeyPayload;
  auth?: CommandAuth;
}

export interface RotateCommandKeyResult {
  added: boolean;
  keyIds: string[];
}

export const rotateCommandKeyUpdate = defineUpdate<RotateCommandKeyResult, [RotateCommandKeyInput], 'rotateCommandKey'>(
  'rotateCommandKey',
);

/** What a validator reports about a command it refused for its signature (no secrets: it never had any). */
export interface RefusedCommandNotice {
  command: string;
  updateId: string | null;
  rule: string;
  reason: string;
  /** The actor the command claimed; not vouched for by anyone. */
  claimedActor: { sub?: unknown; org?: unknown } | null;
  payload: unknown;
}

/**
 * Workflow → worker: the validator cannot write (it runs before anything reaches history), so it
 * hands the refusal to the worker, which writes the security log (ARCHITECTURE §4).
 */
export interface CommandAuthSinks extends Sinks {
  commandAuth: {
    refused(notice: RefusedCommandNotice): void;
  };
}
