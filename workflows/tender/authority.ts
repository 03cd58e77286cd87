/**
 * Who may do what to a tender (ARCHITECTURE §4). Pure and deterministic: the API's guard and the
 * workflow's update validators call the same functions, so a command refused by one is refused by
 * the other for the same reason. No I/O, no clock.
 */
import { BEFORE_CONTRACT } from '@tenderflow/domain/phases';
import type { Actor, Phase } from '@tenderflow/domain/types';
import { GATE_PHASES, mayDecideGate } from './tender.gates';
import { mayAnswerForBody } from '../shared/authority';
import type { CommandName, CommandPayloads, Evaluator, TenderState } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, hasRole, refuse, type Refusal, type Verdict } from '@tenderflow/temporal-common/refusals';

/** The part of a tender that authority depends on. */
export type TenderAuthorityView = Pick<
  TenderState,
  'organization' | 'estimatedValueSek' | 'phase' | 'pendingGates' | 'evaluators' | 'participants'
>;

/** The phases in which each command is accepted. */
export const COMMAND_PHASES: Readonly<Record<CommandName, readonly Phase[]>> = {
  completeNeedsAnalysis: ['needs_analysis'],
  // Refined per gate by GATE_PHASES; the union is listed here.
  decideGate: [...BEFORE_CONTRACT, 'contract'],
  registerDocuments: ['documents'],
  publish: ['documents'],
  selectCandidates: ['published'],
  inviteToNegotiate: ['documents'],
  recordExAnteNotice: ['documents', 'negotiation', 'opening', 'evaluation', 'award_decision', 'contract'],
  extendDeadline: ['published', 'negotiation'],
  askQuestion: ['published'],
  answerQuestion: ['published'],
  appointEvaluators: ['documents', 'published', 'negotiation', 'opening', 'evaluation'],
  recordOpening: ['opening'],
  declareConflict: ['published', 'negotiation', 'opening', 'evaluation'],
  submitEvaluation: ['evaluation'],
  fileReview: ['standstill', 'under_review'],
  recordRuling: ['under_review'],
  registerContract: ['contract'],
  requestCancellation: BEFORE_CONTRACT,
  registerRequirement: ['documents'],
  withdrawRequirement: ['documents'],
  assessTender: ['evaluation'],
  scoreTender: ['evaluation'],
  recordConsensus: ['evaluation'],
};

/** Commands of the procurement department (ARCHITECTURE §4): a procurement officer of the tender's organisation, or an admin. */
export function mayActAsProcurementOfficer(actor: Actor, tender: Pick<TenderAuthorityView, 'organization'>): Verdict {
  if (hasRole(actor, 'admin')) return ALLOWED;
  if (!hasRole(actor, 'procurement_officer')) {
    return refuse('Forbidden', 'Only a procurement officer (or an administrator) may do this.', { rule: 'role' });
  }
  if (actor.org !== tender.organization) {
    return refuse('Forbidden', `The tender belongs to ${tender.organization}; you act for ${actor.org}.`, {
      rule: 'organization',
    });
  }
  return ALLOWED;
}

/** The caller as an appointed evaluator of a taking-part organisation, or the refusal that says why not. */
function appointedEvaluator(actor: Actor, tender: TenderAuthorityView): Evaluator | Refusal {
  const orgs = [
    tender.organization,
    ...tender.participants.filter((p) => p.status === 'joined').map((p) => p.organization),
  ];
  if (!orgs.includes(actor.org)) {
    return refuse('Forbidden', `Only people of ${orgs.join(', ')} evaluate this tender.`, { rule: 'organization' });
  }
  const evaluator = tender.evaluators.find((e) => e.sub === actor.sub);
  if (!evaluator) {
    return refuse('Forbidden', 'You are not an appointed evaluator of this tender.', { rule: 'not_an_evaluator' });
  }
  return evaluator;
}

/** A conflict-of-interest declaration is the caller's own: any role, appointed as evaluator, of a taking-part organisation. */
export function mayDeclareConflict(actor: Actor, tender: TenderAuthorityView): Verdict {
  const evaluator = appointedEvaluator(actor, tender);
  if ('allowed' in evaluator) return evaluator;
  if (evaluator.status !== 'appointed') {
    return refuse('Conflict', 'Your declaration is already filed.', { rule: 'already_declared' });
  }
  return ALLOWED;
}

/**
 * An evaluator's own scores: an appointed evaluator of a taking-part organisation who has declared
 * no conflict of interest (4 kap. 4 § LOU); one removed for a conflict, or not yet declared, may not.
 */
export function mayScoreTender(actor: Actor, tender: TenderAuthorityView): Verdict {
  const evaluator = appointedEvaluator(actor, tender);
  if ('allowed' in evaluator) return evaluator;
  if (evaluator.status !== 'declared') {
    return refuse(
      'Forbidden',
      evaluator.status === 'removed'
        ? 'You declared a conflict of interest and take no part in the evaluation.'
        : 'Declare your conflicts of interest before you score.',
      { rule: 'not_a_declared_evaluator', paragraph: '4 kap. 4 § LOU' },
    );
  }
  return ALLOWED;
}

/** A partner of an invited body, for that body. */
export function mayRespondForBody(actor: Actor, tender: TenderAuthorityView, organization: string): Verdict {
  const own = mayAnswerForBody(actor, organization);
  if (!own.allowed) return own;
  if (!tender.participants.some((p) => p.organization === organization)) {
    return refuse('Forbidden', `${organization} is not invited to this tender.`, {
      rule: 'not_invited',
      field: 'organization',
    });
  }
  return ALLOWED;
}

/** Authority only (who), not phase: what the API's guard asks before it calls the workflow. */
export function mayIssueCommand<N extends CommandName>(
  actor: Actor,
  tender: TenderAuthorityView,
  command: N,
  payload?: Partial<CommandPayloads[N]>,
): Verdict {
  if (!actor || typeof actor.sub !== 'string' || !actor.sub || !Array.isArray(actor.roles)) {
    return refuse('BadRequest', 'The command carries no valid actor.', { field: 'actor' });
  }
  switch (command) {
    case 'decideGate': {
      const decide = payload as Partial<CommandPayloads['decideGate']> | undefined;
      if (!decide?.gate) return refuse('BadRequest', 'Which gate?', { field: 'gate' });
      return mayDecideGate(actor, tender, decide.gate, decide.authority);
    }
    case 'declareConflict':
      return mayDeclareConflict(actor, tender);
    case 'scoreTender':
      return mayScoreTender(actor, tender);
    default:
      return mayActAsProcurementOfficer(actor, tender);
  }
}

/** Whether the tender's phase admits the command (409 when not). */
export function phaseAllows<N extends CommandName>(
  tender: Pick<TenderAuthorityView, 'phase'>,
  command: N,
  payload?: Partial<CommandPayloads[N]>,
): Verdict {
  const gate =
    command === 'decideGate' ? (payload as Partial<CommandPayloads['decideGate']> | undefined)?.gate : undefined;
  const phases = gate && GATE_PHASES[gate] ? GATE_PHASES[gate] : COMMAND_PHASES[command];
  if (!phases) return refuse('BadRequest', `Unknown command ${String(command)}.`);
  if (!phases.includes(tender.phase)) {
    return refuse(
      'InvalidPhase',
      `${gate ?? command} is not possible in phase ${tender.phase} (only in ${phases.join(', ')}).`,
      {
        rule: 'phase',
      },
    );
  }
  return ALLOWED;
}
