import { createHash, createPrivateKey, createPublicKey, KeyObject, sign } from 'node:crypto';
import { DEV_JWT_SECRET, type AppConfig } from '@tenderflow/config/config';
import {
  COMMAND_SIGNATURE_VERSION,
  keyIdOf,
  signingBytes,
  type CommandAuth,
  type CommandKey,
  type SignedContent,
} from './command-signature';

/** PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SignRequest extends SignedContent {
  workflowId: string;
  /** The Update's name. */
  command: string;
  updateId: string;
  /** Epoch ms; default now. Workflow tests pass the test server's skipped clock. */
  now?: number;
}

/**
 * Signs commands for workflows (libs/temporal-common/src/command-signature.ts says what is signed and why).
 * Lives where only the API constructs it: the worker and the workflows hold public keys alone.
 */
export class CommandSigner {
  readonly active: CommandKey;
  readonly next?: CommandKey;
  private now: () => number = Date.now;

  constructor(
    private readonly privateKey: KeyObject,
    nextPrivateKey?: KeyObject,
    private readonly ttlMs = 5 * 60_000,
  ) {
    this.active = publicKeyOf(privateKey);
    this.next = nextPrivateKey ? publicKeyOf(nextPrivateKey) : undefined;
  }

  /** The keys a new workflow pins: the active key and, during a rotation, the next one. */
  pinned(): CommandKey[] {
    return this.next && this.next.id !== this.active.id ? [this.active, this.next] : [this.active];
  }

  /**
   * Signatures are dated in workflow time, which is the wall clock on a real Temporal server. Only a
   * system run on the time-skipping test server, whose clock runs ahead, needs to say so.
   */
  useClock(now: () => number): void {
    this.now = now;
  }

  sign(req: SignRequest): CommandAuth {
    const issuedAt = req.now ?? this.now();
    const envelope: Omit<CommandAuth, 'signature'> = {
      v: COMMAND_SIGNATURE_VERSION,
      keyId: this.active.id,
      workflowId: req.workflowId,
      command: req.command,
      updateId: req.updateId,
      issuedAt,
      expiresAt: issuedAt + this.ttlMs,
    };
    const signature = sign(null, signingBytes(envelope, req), this.privateKey).toString('hex');
    return { ...envelope, signature };
  }
}

export function publicKeyOf(privateKey: KeyObject): CommandKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(String(jwk.x), 'base64url').toString('hex');
  return { id: keyIdOf(publicKey), publicKey };
}

/** An Ed25519 private key from a 32-byte seed. */
export function privateKeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * The development key: derived from the development JWT secret (or the configured one), so that
 * several development APIs, and the tests, sign alike without any key being configured.
 */
export function developmentSigningKey(secret: string = DEV_JWT_SECRET): KeyObject {
  return privateKeyFromSeed(
    createHash('sha256').update(`tenderflow command signing key (development)\n${secret}`).digest(),
  );
}

/** The API's signer, from its configuration (loadApiConfig has refused production without a key). */
export function commandSignerFromConfig(config: AppConfig): CommandSigner {
  const { signingKey, nextSigningKey, ttlSeconds } = config.commands;
  if (!signingKey && config.env === 'production') throw new Error('COMMAND_SIGNING_KEY is required in production');
  const active = signingKey
    ? createPrivateKey(signingKey)
    : developmentSigningKey(config.auth.secret ?? DEV_JWT_SECRET);
  return new CommandSigner(active, nextSigningKey ? createPrivateKey(nextSigningKey) : undefined, ttlSeconds * 1000);
}
