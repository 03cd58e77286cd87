/**
 * The authority rules more than one workflow asks (ARCHITECTURE §4): a partner answers for its own
 * body (the API, the tender and the body's coordination), and who completes a contract's milestone
 * (the contract's follow-up). Pure and deterministic; the tender's own rules are in
 * workflows/tender/authority.ts.
 */
import type { Actor, Role } from '@tenderflow/domain/types';
import { ALLOWED, hasRole, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';

/**
 * Partners answer only for their own body (ARCHITECTURE §4): the one place the rule is written; the API
 * asks it before it reads the tender, the tender and the body's coordination workflow ask it again.
 */
export function mayAnswerForBody(actor: Actor, organization: string): Verdict {
  if (!hasRole(actor, 'partner')) {
    return refuse('Forbidden', 'Only a partner body answers an invitation.', { rule: 'role' });
  }
  return answersForOwnBody(actor, organization);
}

/** The organisation half alone: the API's route admits partners and administrators, and asks this before it reads the tender. */
export function answersForOwnBody(actor: Actor, organization: string): Verdict {
  return actor.org === organization
    ? ALLOWED
    : refuse('Forbidden', `You act for ${actor.org} and may not answer for ${organization}.`, {
        rule: 'own_body_only',
      });
}

/**
 * Follow-up milestones (ARCHITECTURE §4): a contract manager of the contract's organisation; for the
 * procurement department's milestones also its procurement officers; administrators.
 */
export function mayCompleteMilestone(
  actor: Actor,
  contract: { organization: string },
  owner: 'procurement' | 'using_unit',
): Verdict {
  if (hasRole(actor, 'admin')) return ALLOWED;
  const roles: Role[] = owner === 'using_unit' ? ['contract_manager'] : ['contract_manager', 'procurement_officer'];
  if (!roles.some((r) => hasRole(actor, r))) {
    return refuse(
      'Forbidden',
      owner === 'using_unit'
        ? "The using unit's milestones are completed by a contract manager."
        : 'Only a contract manager or procurement officer completes this milestone.',
      { rule: 'role' },
    );
  }
  if (actor.org !== contract.organization) {
    return refuse('Forbidden', `The contract belongs to ${contract.organization}; you act for ${actor.org}.`, {
      rule: 'organization',
    });
  }
  return ALLOWED;
}

/**
 * A change to the contract (17 kap. LOU) is registered by the procurement side of the contract's own
 * organisation: a procurement officer (or an administrator); the bodies it covers do not change it.
 */
export function mayRegisterChange(actor: Actor, contract: { organization: string }): Verdict {
  if (hasRole(actor, 'admin')) return ALLOWED;
  if (!hasRole(actor, 'procurement_officer'))
    return refuse('Forbidden', 'A change to the contract is registered by a procurement officer.', { rule: 'role' });
  if (actor.org !== contract.organization)
    return refuse('Forbidden', `The contract belongs to ${contract.organization}; you act for ${actor.org}.`, {
      rule: 'organization',
    });
  return ALLOWED;
}
