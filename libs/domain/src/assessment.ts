/**
 * The assessment of each tender received (issue 30, part 2), before the evaluation scores it: the
 * exclusion grounds checked, the qualification, each mandatory requirement of the register met or
 * not with a note, an abnormally low price's explanation and outcome (ABNORMALLY_LOW_PARAGRAPH in
 * procedures.ts), and the result: admitted to the evaluation, or rejected with the reason.
 *
 * The result must follow from the facts: a tender with an exclusion ground found, its qualification
 * not met, a mandatory requirement not met or an abnormally low price rejected cannot be admitted.
 * A tender may be rejected for a reason the facts do not list (incomplete, a reservation), with the
 * reason written. Pure and deterministic: the workflow's check calls it (the API's DTO checks the
 * shape; these rules are answered by the workflow, 400 or 422 with the field and the rule).
 */
import { isIsoDate } from './dates';
import { isFilledText, isOptionalText } from './text';

export const ASSESSMENT_RESULTS = ['admitted', 'rejected'] as const;
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number];

/** `explanation`: an abnormally low price's explanation and its outcome's reason, as the evaluation takes them. */
export const ASSESSMENT_LIMITS = { note: 2000, reason: 2000, explanation: 10000 } as const;

/** One mandatory requirement as the assessment answers it. */
export interface RequirementAnswer {
  requirementId: string;
  met: boolean;
  note?: string;
}

/** An abnormally low price: when the explanation was asked for and came in, and the outcome. */
export interface AbnormallyLowCheck {
  lot?: string;
  explanationRequestedOn: string;
  explanationReceivedOn?: string;
  outcome: 'accepted' | 'rejected';
  explanation?: string;
  reason: string;
}

export interface TenderAssessmentInput {
  supplier: string;
  exclusion: { groundFound: boolean; note?: string };
  qualification: { met: boolean; note?: string };
  /** None: no mandatory requirement applies to the tender. */
  requirements?: RequirementAnswer[];
  abnormallyLow?: AbnormallyLowCheck[];
  result: AssessmentResult;
  /** Why the tender is rejected (required then). */
  reason?: string;
}

/** What the check needs to know of the tender. */
export interface AssessmentContext {
  /** The tenders received in time, with the lots each tendered for (none: the whole procurement). */
  tenderers: readonly { supplier: string; lots?: readonly string[] }[];
  /** The register's live mandatory requirements (supplier_requirement, object_requirement). */
  mandatory: readonly { id: string; lot?: string }[];
  lots: readonly string[];
  /** Today, Swedish time (YYYY-MM-DD): no date after it. */
  today: string;
}

export interface AssessmentProblem {
  /** 'BadRequest': malformed; 'RuleViolation': a rule of the assessment broken. */
  type: 'BadRequest' | 'RuleViolation';
  field: string;
  rule?: string;
  message: string;
}

const bad = (field: string, message: string): AssessmentProblem => ({ type: 'BadRequest', field, message });
/** A rule broken; `named.rule` is written as `rule: '…'` so that the rule finder (test/support/rule-names.ts) sees it. */
const broken = (field: string, named: { rule: string }, message: string): AssessmentProblem => ({
  type: 'RuleViolation',
  field,
  rule: named.rule,
  message,
});

/** The mandatory requirements that apply to a tender: those of the whole procurement and of the lots it tendered for. */
export function requirementsFor(
  mandatory: AssessmentContext['mandatory'],
  lots: readonly string[] | undefined,
): { id: string; lot?: string }[] {
  return mandatory.filter((r) => r.lot === undefined || lots === undefined || lots.includes(r.lot));
}

/**
 * The first problem with one abnormally low price's check as given, or null: the outcome and its
 * reason, the explanation, the dates it was asked for and came in (a date, none after `today`,
 * received not before asked). Both the assessment and the evaluation's list take it; each checks
 * the supplier and the lot against what it knows. `field` names the check, e.g. `abnormallyLow[0]`.
 */
export function abnormallyLowCheckProblem(
  x: Omit<AbnormallyLowCheck, 'reason'> & { reason?: string },
  field: string,
  today: string,
): AssessmentProblem | null {
  if (x.outcome !== 'accepted' && x.outcome !== 'rejected')
    return bad(`${field}.outcome`, `${field}.outcome: 'accepted' or 'rejected'.`);
  if (!isFilledText(x.reason, ASSESSMENT_LIMITS.explanation))
    return bad(`${field}.reason`, `${field}.reason: why the price was accepted or the tender rejected.`);
  if (!isOptionalText(x.explanation, ASSESSMENT_LIMITS.explanation))
    return bad(`${field}.explanation`, `${field}.explanation: at most ${ASSESSMENT_LIMITS.explanation} characters.`);
  for (const f of ['explanationRequestedOn', 'explanationReceivedOn'] as const) {
    const day = x[f];
    if (day === undefined && f === 'explanationReceivedOn') continue;
    if (!isIsoDate(day)) return bad(`${field}.${f}`, `${field}.${f}: a date YYYY-MM-DD.`);
    if (day > today)
      return broken(`${field}.${f}`, { rule: 'date_in_future' }, `${field}.${f}: ${day} is after today.`);
  }
  if (x.explanationReceivedOn !== undefined && x.explanationReceivedOn < x.explanationRequestedOn)
    return bad(
      `${field}.explanationReceivedOn`,
      `${field}.explanationReceivedOn is before the explanation was asked for.`,
    );
  return null;
}

/** What made the tender fail, in words (empty: nothing the facts list). */
export function failures(a: TenderAssessmentInput): string[] {
  return [
    ...(a.exclusion.groundFound ? ['an exclusion ground was found'] : []),
    ...(a.qualification.met ? [] : ['the qualification is not met']),
    ...(a.requirements ?? []).filter((r) => !r.met).map((r) => `requirement ${r.requirementId} is not met`),
    ...(a.abnormallyLow ?? [])
      .filter((x) => x.outcome === 'rejected')
      .map((x) => `the abnormally low price${x.lot ? ` for ${x.lot}` : ''} was rejected`),
  ];
}

/** The first problem with an assessment as given, or null. */
export function assessmentProblem(a: TenderAssessmentInput | null, ctx: AssessmentContext): AssessmentProblem | null {
  if (!a || typeof a !== 'object')
    return bad('assessment', 'An assessment: { supplier, exclusion, qualification, requirements, result }.');
  if (!isFilledText(a.supplier, 300)) return bad('supplier', 'supplier: the tenderer as the opening recorded it.');
  const tenderer = ctx.tenderers.find((t) => t.supplier === a.supplier);
  if (!tenderer)
    return broken('supplier', { rule: 'supplier_not_a_tenderer' }, `${a.supplier} did not submit a tender in time.`);
  if (
    !a.exclusion ||
    typeof a.exclusion.groundFound !== 'boolean' ||
    !isOptionalText(a.exclusion.note, ASSESSMENT_LIMITS.note)
  )
    return bad('exclusion', 'exclusion: { groundFound: true or false, note? } — the exclusion grounds were checked.');
  if (
    !a.qualification ||
    typeof a.qualification.met !== 'boolean' ||
    !isOptionalText(a.qualification.note, ASSESSMENT_LIMITS.note)
  )
    return bad('qualification', 'qualification: { met: true or false, note? }.');
  const answers = a.requirements ?? [];
  if (!Array.isArray(answers)) return bad('requirements', 'requirements: [{ requirementId, met, note? }].');
  const applies = requirementsFor(ctx.mandatory, tenderer.lots);
  const seen = new Set<string>();
  for (const [i, r] of answers.entries()) {
    const field = `requirements[${i}]`;
    if (!r || typeof r !== 'object' || typeof r.requirementId !== 'string' || typeof r.met !== 'boolean')
      return bad(field, `${field}: { requirementId, met, note? }.`);
    if (!isOptionalText(r.note, ASSESSMENT_LIMITS.note))
      return bad(`${field}.note`, `${field}.note: at most ${ASSESSMENT_LIMITS.note} characters.`);
    if (!applies.some((x) => x.id === r.requirementId))
      return broken(
        `${field}.requirementId`,
        { rule: 'not_a_mandatory_requirement' },
        `${r.requirementId} is not a mandatory requirement of the register that applies to ${a.supplier}'s tender.`,
      );
    if (seen.has(r.requirementId)) return bad(`${field}.requirementId`, `${r.requirementId} is answered twice.`);
    seen.add(r.requirementId);
  }
  const unanswered = applies.filter((x) => !seen.has(x.id)).map((x) => x.id);
  if (unanswered.length > 0)
    return broken(
      'requirements',
      { rule: 'requirements_unanswered' },
      `Every mandatory requirement that applies is answered: ${unanswered.join(', ')} ${unanswered.length === 1 ? 'is' : 'are'} not.`,
    );
  if (a.abnormallyLow !== undefined) {
    if (!Array.isArray(a.abnormallyLow))
      return bad('abnormallyLow', 'abnormallyLow: [{ lot?, explanationRequestedOn, outcome, reason }].');
    for (const [i, x] of a.abnormallyLow.entries()) {
      const field = `abnormallyLow[${i}]`;
      if (!x || typeof x !== 'object')
        return bad(field, `${field}: { lot?, explanationRequestedOn, outcome, reason }.`);
      if (x.lot !== undefined && !(tenderer.lots ?? ctx.lots).includes(x.lot))
        return bad(`${field}.lot`, `${field}.lot: a lot ${a.supplier} tendered for.`);
      const problem = abnormallyLowCheckProblem(x, field, ctx.today);
      if (problem) return problem;
    }
  }
  if (!(ASSESSMENT_RESULTS as readonly unknown[]).includes(a.result))
    return bad('result', `result: ${ASSESSMENT_RESULTS.join(' or ')}.`);
  if (a.result === 'rejected' && !isFilledText(a.reason, ASSESSMENT_LIMITS.reason))
    return bad('reason', 'reason: a rejected tender says why.');
  if (a.result === 'admitted') {
    const failed = failures(a);
    if (failed.length > 0)
      return broken(
        'result',
        { rule: 'admitted_with_failure' },
        `${a.supplier} cannot be admitted: ${failed.join('; ')}.`,
      );
  }
  return null;
}
