import { SignJWT } from 'jose';
import type { Role } from '@tenderflow/domain/types';

export interface TokenClaims {
  sub: string;
  name?: string;
  org: string;
  roles: Role[];
  approvalLimitSek?: number;
  categories?: string[];
  /** The OpenID `email` claim: where the directory sends this person's notifications. */
  email?: string;
}

/** Signs a development token (HS256) with the claims of ARCHITECTURE §4. */
export async function mintToken(
  secret: string,
  claims: TokenClaims,
  opts: { ttlSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({
    name: claims.name ?? claims.sub,
    org: claims.org,
    roles: claims.roles,
    ...(claims.approvalLimitSek !== undefined ? { approvalLimitSek: claims.approvalLimitSek } : {}),
    ...(claims.categories ? { categories: claims.categories } : {}),
    ...(claims.email ? { email: claims.email } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.ttlSeconds ?? 8 * 3600));
  if (opts.issuer) jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt.setAudience(opts.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
