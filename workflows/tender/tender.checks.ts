/**
 * The tender's own checks of a command's payload against its state: pure and deterministic, run by
 * the validators and again by the handlers. Where a check is a rule of LOU it calls the rules
 * library (libs/domain), so that the API and the workflow name the same rule and paragraph.
 */
import { declaredSanctionsProblem } from '@tenderflow/domain/contract-sanctions';
import { validateNeedsAnalysis } from '@tenderflow/domain/checks';
import { isIsoDate, stockholmDateOf } from '@tenderflow/domain/dates';
import type { ContractRuleViolation } from '@tenderflow/domain/contract-rules';
import { deadlineHorizonProblem, MAX_DEADLINE_YEARS_AHEAD } from '@tenderflow/domain/text';
import { awardedByDecisionToProcure } from '@tenderflow/domain/procedures';
import { CRITICALITIES, isAnnex2, SUSTAINABILITY_LEVELS } from '@tenderflow/domain/types';
import { ORGANIZATION_CODE } from '@tenderflow/temporal-common/ids';
import type { CommandPayloads, TenderState } from '@tenderflow/temporal-common/tender-types';
import {
  ALLOWED,
  fromViolations,
  nonEmpty,
  refuse,
  type Refusal,
  type Verdict,
} from '@tenderflow/temporal-common/refusals';

/**
 * A requested day is neither in the past nor more than two years ahead (a typo must not park a
 * tender). A well-formed date refused by a rule relative to today: 422 with the rule's id, like the
 * other rules (a schema cannot say "after today"; 400 is kept for what is not a date at all).
 */
export function checkHorizon(day: string, field: string, nowIso: string): Verdict {
  // The day in Sweden, not in UTC: between midnight and 01:00 (02:00 in summer) Stockholm is a day ahead.
  const problem = deadlineHorizonProblem(day, stockholmDateOf(Date.parse(nowIso)));
  if (problem === 'past')
    return refuse('RuleViolation', `${field}: ${day} is in the past.`, { field, rule: 'date_in_past' });
  if (problem === 'too_far') {
    return refuse('RuleViolation', `${field}: ${day} is more than ${MAX_DEADLINE_YEARS_AHEAD} years ahead.`, {
      field,
      rule: 'date_too_far_ahead',
    });
  }
  return ALLOWED;
}

export function optionalDate(v: unknown, field: string): Verdict {
  return v === undefined || isIsoDate(v) ? ALLOWED : refuse('BadRequest', `${field}: a date YYYY-MM-DD.`, { field });
}

export function checkNeedsAnalysis(p: CommandPayloads['completeNeedsAnalysis'], s: TenderState): Verdict {
  const sus = p.sustainability as Record<string, unknown> | undefined;
  if (!sus || typeof sus !== 'object') {
    return refuse('RuleViolation', 'A sustainability assessment is required: criteria and level, or why none apply.', {
      rule: 'sustainability_assessment',
      field: 'sustainability',
    });
  }
  if ('notApplicableReason' in sus) {
    if (!nonEmpty(sus.notApplicableReason)) {
      return refuse('RuleViolation', 'Say why no sustainability criteria apply.', {
        rule: 'sustainability_assessment',
        field: 'sustainability.notApplicableReason',
      });
    }
  } else {
    if (!Array.isArray(sus.criteria) || sus.criteria.length === 0 || !sus.criteria.every(nonEmpty)) {
      return refuse('RuleViolation', 'Sustainability criteria are required (or a reason why none apply).', {
        rule: 'sustainability_assessment',
        field: 'sustainability.criteria',
      });
    }
    if (!(SUSTAINABILITY_LEVELS as readonly unknown[]).includes(sus.level)) {
      return refuse('BadRequest', `sustainability.level: one of ${SUSTAINABILITY_LEVELS.join(', ')}.`, {
        field: 'sustainability.level',
      });
    }
  }
  const sp = p.supplyPreparedness;
  if (!sp || typeof sp !== 'object') {
    return refuse('RuleViolation', 'A supply-preparedness assessment is required.', {
      rule: 'supply_preparedness',
      field: 'supplyPreparedness',
    });
  }
  if (!(CRITICALITIES as readonly unknown[]).includes(sp.criticality)) {
    return refuse('BadRequest', `supplyPreparedness.criticality: one of ${CRITICALITIES.join(', ')}.`, {
      field: 'supplyPreparedness.criticality',
    });
  }
  if ((sp.criticality === 'high' || sp.criticality === 'critical') && !nonEmpty(sp.measures)) {
    return refuse('RuleViolation', `Supply criticality ${sp.criticality} requires preparedness measures.`, {
      rule: 'supply_preparedness',
      field: 'supplyPreparedness.measures',
    });
  }
  if (p.lots !== undefined) {
    if (
      !Array.isArray(p.lots) ||
      !p.lots.every((l) => nonEmpty(l?.title) && Number.isInteger(l?.estimatedValueSek) && l.estimatedValueSek >= 0)
    ) {
      return refuse('BadRequest', 'lots: [{ title, estimatedValueSek (whole SEK) }].', { field: 'lots' });
    }
    const sum = p.lots.reduce((a, l) => a + l.estimatedValueSek, 0);
    if (sum > s.estimatedValueSek) {
      return refuse(
        'RuleViolation',
        `The lots add up to ${sum} SEK, more than the tender's estimated value ${s.estimatedValueSek} SEK.`,
        {
          rule: 'lot_values',
          paragraph: '5 kap. 12 § LOU',
          field: 'lots',
        },
      );
    }
  }
  if (s.regime === 'eu') {
    const lc = p.laborConditions;
    if (!lc || typeof lc.required !== 'boolean' || !nonEmpty(lc.justification)) {
      return refuse(
        'RuleViolation',
        'Above the threshold, assess labour conditions: say whether they are required, and why.',
        {
          rule: 'labour_conditions',
          paragraph: '17 kap. 2 § LOU',
          field: 'laborConditions',
        },
      );
    }
  }
  return fromViolations(
    validateNeedsAnalysis({
      regime: s.regime,
      annex2: isAnnex2(s.contractType),
      lots: p.lots,
      lotJustification: p.lotJustification,
    }),
  );
}

export function checkInvitedBodies(bodies: unknown, s: TenderState): Verdict {
  if (bodies === undefined) return ALLOWED;
  if (!Array.isArray(bodies))
    return refuse('BadRequest', 'invitedBodies: [{ organization, name, contactEmail }].', { field: 'invitedBodies' });
  const seen = new Set(s.participants.map((b) => b.organization));
  for (const b of bodies as { organization?: unknown; name?: unknown; contactEmail?: unknown }[]) {
    if (
      typeof b?.organization !== 'string' ||
      !ORGANIZATION_CODE.test(b.organization) ||
      !nonEmpty(b.name) ||
      !nonEmpty(b.contactEmail)
    ) {
      return refuse('BadRequest', 'invitedBodies: [{ organization (code), name, contactEmail }].', {
        field: 'invitedBodies',
      });
    }
    if (b.organization === s.organization) {
      return refuse('BadRequest', `${s.organization} runs the tender; it is not invited to it.`, {
        field: 'invitedBodies',
      });
    }
    if (seen.has(b.organization))
      return refuse('Conflict', `${b.organization} is already invited.`, {
        rule: 'already_invited',
        field: 'invitedBodies',
      });
    seen.add(b.organization);
  }
  return ALLOWED;
}

export function checkContract(p: CommandPayloads['registerContract'], s: TenderState): Verdict {
  if (s.pendingGates.some((g) => g.gate === 'cancellation')) {
    return refuse('Conflict', 'A cancellation is pending; it is decided before a contract is registered.', {
      rule: 'cancellation_pending',
    });
  }
  if (!nonEmpty(p.supplier)) return refuse('BadRequest', 'supplier is required.', { field: 'supplier' });
  if (!Number.isInteger(p.valueSek) || p.valueSek < 0)
    return refuse('BadRequest', 'valueSek: whole SEK.', { field: 'valueSek' });
  for (const f of ['startDate', 'endDate', 'signedAt'] as const) {
    if (!isIsoDate(p[f])) return refuse('BadRequest', `${f}: a date YYYY-MM-DD.`, { field: f });
  }
  const options = p.options ?? [];
  if (!Array.isArray(options) || !options.every((o) => Number.isInteger(o?.months) && o.months >= 0)) {
    return refuse('BadRequest', 'options: [{ description, months }].', { field: 'options' });
  }
  const sub = p.subcontracting;
  if (
    sub !== undefined &&
    (!sub ||
      typeof sub !== 'object' ||
      Array.isArray(sub) ||
      !Array.isArray(sub.subcontractors) ||
      sub.subcontractors.length > 100 ||
      !sub.subcontractors.every((x) => nonEmpty(x?.name)) ||
      (sub.sharePercent !== undefined &&
        !(Number.isInteger(sub.sharePercent) && sub.sharePercent >= 0 && sub.sharePercent <= 100)))
  ) {
    return refuse('BadRequest', 'subcontracting: { sharePercent?: 0–100, subcontractors: [{ name, orgNumber? }] }.', {
      field: 'subcontracting',
    });
  }
  const sanctions = declaredSanctionsProblem(p.sanctions, p.valueSek);
  if (sanctions) return refuse(sanctions.kind, sanctions.message, { field: sanctions.field });
  if (!awardedByDecisionToProcure(s.procedure)) {
    const winners = s.award?.winners.map((w) => w.supplier) ?? [];
    if (!winners.includes(p.supplier)) {
      return refuse('RuleViolation', `${p.supplier} is not the awarded supplier (${winners.join(', ') || 'none'}).`, {
        rule: 'awarded_supplier',
        field: 'supplier',
      });
    }
  }
  return ALLOWED;
}

/** Incoherent dates are a bad request; the other contract rules are procurement rules (422). */
export function contractRefusal(v: ContractRuleViolation): Refusal {
  return refuse(v.rule === 'contract_dates' ? 'BadRequest' : 'RuleViolation', v.message, {
    rule: v.rule,
    paragraph: v.paragraph,
    field: v.field,
  });
}

/** Whether the register may change now: not while the documents await approval, nor once approved. */
export function registerOpen(s: Pick<TenderState, 'pendingGates' | 'documents'>): Verdict {
  if (s.pendingGates.some((g) => g.gate === 'documents_approval'))
    return refuse('Conflict', 'The documents, with their requirements, are awaiting approval.', {
      rule: 'requirements_frozen',
    });
  if (s.documents?.approved)
    return refuse('Conflict', 'The documents, with their requirements, are approved; the register is closed.', {
      rule: 'requirements_frozen',
    });
  return ALLOWED;
}
