/**
 * The signature a command carries and the keys a workflow accepts (command-signature.ts
 * checks them): plain types, so that the API, the worker's activities and the workflows share them.
 */
export const COMMAND_SIGNATURE_VERSION = 1;

/** A public key a workflow accepts signatures from: raw 32-byte Ed25519 key, hex; id = keyIdOf(key). */
export interface CommandKey {
  id: string;
  publicKey: string;
}

/** What the API adds to a command (`CommandInput.auth`). */
export interface CommandAuth {
  v: typeof COMMAND_SIGNATURE_VERSION;
  keyId: string;
  workflowId: string;
  /** The Update's name. */
  command: string;
  /** The Update's ID: a signature is good for exactly one Update. */
  updateId: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  /** Ed25519 signature over signingBytes(...), hex. */
  signature: string;
}
