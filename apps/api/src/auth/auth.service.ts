import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { textRuleBroken } from '@tenderflow/domain/text';
import { isEmailAddress } from '@tenderflow/notifications/recipients';
import { Actor, ROLES, Role } from '@tenderflow/domain/types';
import { AppConfigService } from '../config/config.module';

export class InvalidTokenError extends Error {}

/** Who a verified token names: the actor the workflows see, and the e-mail address the directory records. */
export interface Authenticated {
  actor: Actor;
  email?: string;
}

/**
 * Verifies bearer tokens. With AUTH_JWKS_URL the issuer's published keys are used (production,
 * RS256/ES256); otherwise the shared HS256 secret (embedded default). `alg: none` and every
 * algorithm outside the configured family are refused by the explicit allow-list.
 *
 * Development with an OpenID provider (AUTH_ACCEPT_DEV_TOKENS, refused in production) takes both:
 * a token whose header says HS256 is verified with the secret alone (HS256 only), every other one
 * with the JWKS (asymmetric algorithms only) — the header picks the path, each path keeps its own
 * allow-list, so no key of one path ever verifies a token of the other.
 */
@Injectable()
export class AuthService {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;
  private readonly both: boolean;

  constructor(private readonly config: AppConfigService) {
    const auth = config.values.auth;
    if (auth.jwksUrl) this.jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    if (auth.secret) this.secret = new TextEncoder().encode(auth.secret);
    this.both = Boolean(this.jwks && this.secret && auth.acceptsDevTokens && config.values.env !== 'production');
  }

  async verify(token: string): Promise<Actor> {
    return (await this.authenticate(token)).actor;
  }

  async authenticate(token: string): Promise<Authenticated> {
    const { issuer, audience } = this.config.values.auth;
    const options = { issuer, audience, requiredClaims: ['exp', 'sub'] };
    let payload: JWTPayload;
    try {
      if (this.both && headerAlg(token) === 'HS256') {
        // A development token: iss and aud are the provider's business, not the development secret's.
        ({ payload } = await jwtVerify(token, this.secret!, { requiredClaims: ['exp', 'sub'], algorithms: ['HS256'] }));
      } else if (this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, {
          ...options,
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        }));
      } else {
        ({ payload } = await jwtVerify(token, this.secret!, { ...options, algorithms: ['HS256'] }));
      }
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new InvalidTokenError('the token has expired');
      if (err instanceof errors.JWTClaimValidationFailed)
        throw new InvalidTokenError(`the token's ${err.claim} claim is not accepted`);
      if (err instanceof errors.JOSEAlgNotAllowed)
        throw new InvalidTokenError('the token is signed with an algorithm that is not accepted');
      throw new InvalidTokenError('the token could not be verified');
    }
    const email = emailFromClaims(payload);
    return { actor: actorFromClaims(payload), ...(email ? { email } : {}) };
  }
}

/** The `alg` a token's header claims, or undefined when the header cannot be read (then verification refuses it). */
function headerAlg(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

const MAX_CLAIM_LENGTH = 200;

/** A claim that names someone or something: a non-empty string of storable text, at most 200 characters. */
function nameClaim(p: JWTPayload, claim: string, required: boolean): string | undefined {
  const v = (p as Record<string, unknown>)[claim];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_CLAIM_LENGTH || textRuleBroken(v)) {
    throw new InvalidTokenError(
      `the token's ${claim} claim must be a non-empty string of at most ${MAX_CLAIM_LENGTH} characters of plain text`,
    );
  }
  return v;
}

function stringList(p: JWTPayload, claim: string): string[] | undefined {
  const v = (p as Record<string, unknown>)[claim];
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) ||
    v.length > 100 ||
    !v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_CLAIM_LENGTH && !textRuleBroken(x))
  ) {
    throw new InvalidTokenError(`the token's ${claim} claim must be a list of at most 100 non-empty strings`);
  }
  return v as string[];
}

/**
 * The actor a token vouches for. Claims are input like any other: a numeric or empty `sub`, an
 * approval limit of 1.5 or 1e300, or text PostgreSQL cannot store are refused (401), never
 * carried into a workflow or an audit chain.
 */
export function actorFromClaims(p: JWTPayload): Actor {
  const sub = nameClaim(p, 'sub', true)!;
  const org = nameClaim(p, 'org', true)!;
  const name = nameClaim(p, 'name', false) ?? sub;
  const roles = (stringList(p, 'roles') ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const limit = (p as Record<string, unknown>).approvalLimitSek;
  if (limit !== undefined && !(typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0)) {
    throw new InvalidTokenError(
      "the token's approvalLimitSek claim must be a whole, non-negative number of SEK (a safe integer)",
    );
  }
  const categories = stringList(p, 'categories');
  return {
    sub,
    name,
    org,
    roles,
    approvalLimitSek: limit as number | undefined,
    categories,
  };
}

/**
 * The OpenID `email` claim, when the token carries one. It names where the directory sends this
 * person's notifications; a value that is not an address is refused like any malformed claim.
 * It is not part of the actor: workflows never see it.
 */
export function emailFromClaims(p: JWTPayload): string | undefined {
  const email = nameClaim(p, 'email', false);
  if (email !== undefined && !isEmailAddress(email))
    throw new InvalidTokenError("the token's email claim must be an e-mail address");
  return email;
}
