/**
 * Verdicts and refusals of every workflow's commands: a validator or handler answers a refused
 * command with an ApplicationFailure whose type the API maps to HTTP (REFUSAL_STATUS), and whose
 * details name the rule, paragraph and field. Pure and deterministic.
 */
import { ApplicationFailure } from '@temporalio/common';
import { actorProblem, findTextProblem } from '@tenderflow/domain/text';
import type { Actor, Role } from '@tenderflow/domain/types';
import type { RefusalDetails, RefusalType } from './tender-types';
import type { RuleViolation } from '@tenderflow/domain/violations';

export type Refusal = { allowed: false; type: RefusalType; reason: string } & RefusalDetails;
export type Verdict = { allowed: true } | Refusal;

export const ALLOWED: Verdict = Object.freeze({ allowed: true });

export function refuse(type: RefusalType, reason: string, details: RefusalDetails = {}): Refusal {
  return { allowed: false, type, reason, ...details };
}

/** A refusal as the ApplicationFailure an update validator or handler throws; the API maps its type to HTTP. */
export function toFailure(v: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: v.type,
    message: v.reason,
    nonRetryable: true,
    details: [
      {
        ...(v.rule ? { rule: v.rule } : {}),
        ...(v.paragraph ? { paragraph: v.paragraph } : {}),
        ...(v.field ? { field: v.field } : {}),
      },
    ],
  });
}

/** The first refusal among the checks, in order. */
export function firstRefusal(...checks: Array<() => Verdict>): Verdict {
  for (const c of checks) {
    const v = c();
    if (!v.allowed) return v;
  }
  return ALLOWED;
}

/**
 * Before anything else, a command's envelope: an actor a token could have vouched for, and a
 * payload and reason of storable text, nested at most 32 levels (the API's door checks the same;
 * this is the last line for Updates that arrive from elsewhere).
 */
export function commandInputVerdict(input: unknown): Verdict {
  if (!input || typeof input !== 'object') return refuse('BadRequest', 'A command needs { actor, payload }.');
  const { actor, payload, reason } = input as { actor?: unknown; payload?: unknown; reason?: unknown };
  const bad = actorProblem(actor);
  if (bad)
    return refuse('BadRequest', `The command carries no valid actor: ${bad}.`, {
      field: 'actor',
      rule: 'actor_claims',
    });
  const text = findTextProblem(payload) ?? (reason !== undefined ? findTextProblem(reason, 'reason') : null);
  if (text) return refuse('BadRequest', text.message, { field: text.field, rule: text.rule });
  return ALLOWED;
}

export function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

export const hasRole = (actor: Actor, role: Role): boolean => Array.isArray(actor?.roles) && actor.roles.includes(role);

/** The first violation of a rules-library check as a refusal (422 with its rule and paragraph). */
export function fromViolations(violations: readonly RuleViolation[]): Verdict {
  const [v] = violations;
  if (!v) return ALLOWED;
  return refuse('RuleViolation', v.message, {
    rule: v.rule,
    paragraph: v.paragraph,
    ...(v.field ? { field: v.field } : {}),
  });
}
