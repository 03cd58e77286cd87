import type { Actor } from '@tenderflow/domain/types';
import { forbidden } from '../common/problem';

/**
 * Who may do what in an organisation's directory, in one place. Everything here is about one's own
 * organisation: an administrator of another organisation is refused like anyone else.
 */

/** Imports and lists the people: an administrator of the organisation. */
export function assertDirectoryAdmin(actor: Actor, org: string): void {
  if (!actor.roles.includes('admin')) throw forbidden('Only an administrator manages the directory of people');
  if (actor.org !== org) throw forbidden(`You administer ${actor.org}, not ${org}`);
}

const manages = (actor: Actor) => actor.roles.includes('admin') || actor.roles.includes('policy_admin');

/** Registers functions, says who holds them, records anyone's absence: an admin or policy_admin of the organisation. */
export function assertFunctionsAdmin(actor: Actor, org: string): void {
  if (!manages(actor)) {
    throw forbidden('Only an administrator or policy_admin of the organisation manages its functions', {
      rule: 'role',
    });
  }
  if (actor.org !== org) throw forbidden(`You act for ${actor.org}, not ${org}`, { rule: 'organization' });
}

/** Reads the function registry and who is away: a member of the organisation. */
export function assertMember(actor: Actor, org: string): void {
  if (actor.org !== org) {
    throw forbidden(`The directory of ${org} is open to its members; you act for ${actor.org}`, {
      rule: 'organization',
    });
  }
}

/** A person's own absences, or anyone's for an admin or policy_admin of the organisation. */
export function assertSelfOrFunctionsAdmin(actor: Actor, org: string, sub: string): void {
  assertMember(actor, org);
  if (actor.sub !== sub && !manages(actor)) {
    throw forbidden('You record and cancel your own absences; an administrator those of others', {
      rule: 'own_absence',
    });
  }
}
