/**
 * Signed commands (ARCHITECTURE §4: the workflow trusts an actor only when the API vouches for it). Pure and
 * deterministic, shared by the API's signer (libs/temporal-common/src/command-signer.ts) and the
 * workflows' validators (command-auth.ts), so that both build the same bytes.
 *
 * The API signs, with Ed25519, the canonical JSON of: the format version, the key id, the target
 * workflow ID, the Update's name and ID, the actor, a SHA-256 digest of the payload and reason, and
 * the issue and expiry instants. Only the API holds the private key; a workflow knows the public
 * keys pinned in its start input (and added later by a signed `rotateCommandKey`).
 *
 * Verification uses @noble/curves and @noble/hashes: maintained, audited, pure JS, so they run in the
 * workflow sandbox where Node's crypto does not exist. Both are pinned (1.x: CommonJS and ESM, which
 * Jest's CommonJS transform and the workflow bundler both load).
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from '@tenderflow/domain/canonical-json';
import { ALLOWED, refuse, type Verdict } from './refusals';

import {
  COMMAND_SIGNATURE_VERSION,
  type CommandAuth,
  type CommandKey,
} from '@tenderflow/temporal-common/command-types';

export { COMMAND_SIGNATURE_VERSION, type CommandAuth, type CommandKey };
/** Domain separation: these bytes are never a valid signature over anything else the keys sign. */
const CONTEXT = 'tenderflow-command/v1\n';
/** How far a signature's issue time may lie ahead of workflow time (clock skew between hosts). */
export const MAX_CLOCK_SKEW_MS = 60_000;
/** The longest validity a signature may claim, whatever the signer asked for. */
export const MAX_VALIDITY_MS = 15 * 60_000;

/** The refusal rules of a command whose signature does not hold; the API logs these as bad signatures. */
export const SIGNATURE_RULES = [
  'unsigned_command',
  'unknown_command_key',
  'bad_signature',
  'replayed_command',
  'expired_command',
] as const;

/** The part of a command its signature covers besides the envelope. */
export interface SignedContent {
  actor: unknown;
  payload: unknown;
  reason?: unknown;
}

/** SHA-256 of the canonical JSON of payload and reason, hex. */
export function payloadDigest(content: Pick<SignedContent, 'payload' | 'reason'>): string {
  return bytesToHex(
    sha256(utf8ToBytes(canonicalJson({ payload: content.payload ?? null, reason: content.reason ?? null }))),
  );
}

/** The bytes that are signed. */
export function signingBytes(auth: Omit<CommandAuth, 'signature'>, content: SignedContent): Uint8Array {
  const claims = {
    v: auth.v,
    keyId: auth.keyId,
    workflowId: auth.workflowId,
    command: auth.command,
    updateId: auth.updateId,
    issuedAt: auth.issuedAt,
    expiresAt: auth.expiresAt,
    actor: content.actor ?? null,
    payloadDigest: payloadDigest(content),
  };
  return utf8ToBytes(CONTEXT + canonicalJson(claims));
}

/** A key's id: derived from the key itself, so no two keys share one. */
export function keyIdOf(publicKeyHex: string): string {
  return `ed25519:${bytesToHex(sha256(hexToBytes(publicKeyHex))).slice(0, 16)}`;
}

/** Where the Update arrived, as the workflow sees it. */
export interface UpdateContext {
  keys: readonly CommandKey[];
  workflowId: string;
  command: string;
  updateId: string | undefined;
  /** Workflow time, epoch ms. */
  now: number;
}

const forbidden = (rule: (typeof SIGNATURE_RULES)[number], reason: string): Verdict =>
  refuse('Forbidden', reason, { rule });

/**
 * Whether a command carries a valid signature for this very Update. The signature is checked before
 * its bindings, so that "replayed" and "expired" are said only of a signature the API did make.
 */
export function verifyCommand(input: unknown, ctx: UpdateContext): Verdict {
  const i = input as (SignedContent & { auth?: Partial<CommandAuth> }) | null | undefined;
  const a = i && typeof i === 'object' ? i.auth : undefined;
  if (!a || typeof a !== 'object')
    return forbidden(
      'unsigned_command',
      'The command is not signed by the API; only commands the API vouches for are accepted.',
    );
  if (
    a.v !== COMMAND_SIGNATURE_VERSION ||
    typeof a.keyId !== 'string' ||
    typeof a.workflowId !== 'string' ||
    typeof a.command !== 'string' ||
    typeof a.updateId !== 'string' ||
    !Number.isSafeInteger(a.issuedAt) ||
    !Number.isSafeInteger(a.expiresAt) ||
    typeof a.signature !== 'string' ||
    !/^[0-9a-f]{128}$/.test(a.signature)
  ) {
    return forbidden('bad_signature', 'The command signature is malformed.');
  }
  const key = ctx.keys.find((k) => k.id === a.keyId);
  if (!key) {
    return forbidden(
      'unknown_command_key',
      ctx.keys.length === 0
        ? 'This workflow has no command key pinned, so it accepts no command.'
        : `The command is signed with key ${a.keyId}, which this workflow does not know.`,
    );
  }
  const auth = a as CommandAuth;
  let valid: boolean;
  try {
    valid = ed25519.verify(hexToBytes(auth.signature), signingBytes(auth, i!), hexToBytes(key.publicKey), {
      zip215: false,
    });
  } catch {
    valid = false;
  }
  if (!valid) return forbidden('bad_signature', 'The command signature does not match its actor, payload or envelope.');
  if (auth.workflowId !== ctx.workflowId || auth.command !== ctx.command || auth.updateId !== ctx.updateId) {
    return forbidden(
      'replayed_command',
      `The signature was made for ${auth.command} ${auth.updateId} on ${auth.workflowId}, not for this Update; a signed command is good once.`,
    );
  }
  if (auth.expiresAt - auth.issuedAt > MAX_VALIDITY_MS)
    return forbidden('bad_signature', 'The command signature claims a longer validity than allowed.');
  if (ctx.now > auth.expiresAt)
    return forbidden('expired_command', `The command signature expired at ${new Date(auth.expiresAt).toISOString()}.`);
  if (auth.issuedAt > ctx.now + MAX_CLOCK_SKEW_MS) {
    return forbidden(
      'expired_command',
      `The command signature is dated ${new Date(auth.issuedAt).toISOString()}, in the future.`,
    );
  }
  return ALLOWED;
}

/** Whether `key` is a well-formed Ed25519 public key whose id is its own. */
export function checkCommandKey(key: unknown): Verdict {
  const k = key as Partial<CommandKey> | null | undefined;
  if (!k || typeof k !== 'object' || typeof k.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(k.publicKey)) {
    return refuse('BadRequest', 'key: { id, publicKey } with a raw Ed25519 public key in hex.', {
      field: 'key.publicKey',
    });
  }
  if (!ed25519.utils.isValidPublicKey(hexToBytes(k.publicKey), false)) {
    return refuse('BadRequest', 'key.publicKey is not an Ed25519 public key.', { field: 'key.publicKey' });
  }
  if (k.id !== keyIdOf(k.publicKey))
    return refuse('BadRequest', `key.id must be ${keyIdOf(k.publicKey)}.`, { field: 'key.id' });
  return ALLOWED;
}
