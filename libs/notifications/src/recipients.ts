import { ROLES, type Role } from '@tenderflow/domain/types';

/**
 * The symbolic recipients workflows address (activities/activity-types.ts NotificationInput),
 * parsed. Anything else is `unknown`, which the outbox records as a failed delivery.
 */
export type Recipient =
  | { type: 'user'; sub: string }
  | { type: 'role'; role: Role; organization: string; category?: string }
  | { type: 'email'; address: string }
  | { type: 'org'; organization: string }
  | { type: 'supplier'; id: string }
  | { type: 'adverts'; database: string }
  | { type: 'unknown' };

/** An address nodemailer and an SMTP server accept: one local part, one domain with a dot, no spaces or angle brackets. */
const ADDRESS = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

export function isEmailAddress(v: string): boolean {
  return v.length <= 254 && ADDRESS.test(v);
}

export function parseRecipient(raw: string): Recipient {
  const colon = raw.indexOf(':');
  if (colon < 0) return isEmailAddress(raw) ? { type: 'email', address: raw } : { type: 'unknown' };
  const scheme = raw.slice(0, colon);
  const rest = raw.slice(colon + 1);
  if (!rest) return { type: 'unknown' };
  switch (scheme) {
    case 'user':
      return { type: 'user', sub: rest };
    case 'email':
      return isEmailAddress(rest) ? { type: 'email', address: rest } : { type: 'unknown' };
    case 'org':
      return { type: 'org', organization: rest };
    case 'supplier':
      return { type: 'supplier', id: rest };
    case 'adverts':
      return { type: 'adverts', database: rest };
    case 'role': {
      const m = /^([a-z_]+)@([^#]+)(?:#(.+))?$/.exec(rest);
      if (!m || !(ROLES as readonly string[]).includes(m[1])) return { type: 'unknown' };
      return { type: 'role', role: m[1] as Role, organization: m[2], ...(m[3] ? { category: m[3] } : {}) };
    }
    default:
      return { type: 'unknown' };
  }
}
