import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { Actor, ROLES, Role } from '../../../../libs/domain/src/types';
import { AppConfigService } from '../config/config.module';

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer tokens. With AUTH_JWKS_URL the issuer's published keys are used (production,
 * RS256/ES256); otherwise the shared HS256 secret (embedded default). `alg: none` and every
 * algorithm outside the configured family are refused by the explicit allow-list.
 */
@Injectable()
export class AuthService {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;

  constructor(private readonly config: AppConfigService) {
    const auth = config.values.auth;
    if (auth.jwksUrl) this.jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    if (auth.secret) this.secret = new TextEncoder().encode(auth.secret);
  }

  async verify(token: string): Promise<Actor> {
    const { issuer, audience } = this.config.values.auth;
    const options = { issuer, audience, requiredClaims: ['exp', 'sub'] };
    let payload: JWTPayload;
    try {
      if (this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...options, algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] }));
      } else {
        ({ payload } = await jwtVerify(token, this.secret!, { ...options, algorithms: ['HS256'] }));
      }
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new InvalidTokenError('the token has expired');
      if (err instanceof errors.JWTClaimValidationFailed) throw new InvalidTokenError(`the token's ${err.claim} claim is not accepted`);
      if (err instanceof errors.JOSEAlgNotAllowed) throw new InvalidTokenError('the token is signed with an algorithm that is not accepted');
      throw new InvalidTokenError('the token could not be verified');
    }
    return actorFromClaims(payload);
  }
}

export function actorFromClaims(p: JWTPayload): Actor {
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string)) : [];
  if (typeof p.org !== 'string' || !p.org) throw new InvalidTokenError('the token has no org claim');
  const limit = p.approvalLimitSek;
  return {
    sub: p.sub!,
    name: typeof p.name === 'string' ? p.name : p.sub!,
    org: p.org,
    roles,
    approvalLimitSek: typeof limit === 'number' && Number.isFinite(limit) ? limit : undefined,
    categories: Array.isArray(p.categories) ? p.categories.filter((c): c is string => typeof c === 'string') : undefined,
  };
}
