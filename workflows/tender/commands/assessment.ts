/**
 * The assessment of each tender received (issue 30, part 2), in the evaluation phase, one tender per
 * command: exclusion grounds, qualification, the register's mandatory requirements met or not, an
 * abnormally low price's explanation and outcome, and the result. The rules are libs/domain
 * assessment.ts; a tender may be assessed again until the evaluation is submitted (the chain keeps
 * every assessment; the state the latest). The notes and reasons are content: they go to the read
 * model with the step, the state keeps the facts the evaluation and the red flags read.
 */
import { assessmentProblem, type AssessmentProblem } from '@tenderflow/domain/assessment';
import { stockholmDateOf } from '@tenderflow/domain/dates';
import type { AssessmentText } from '@tenderflow/temporal-common/tender-texts';
import type { CommandPayloads, TenderAssessment, TenderState } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';

/** The register's live mandatory requirements (what each tender's assessment answers). */
export function mandatoryRequirements(s: Pick<TenderState, 'requirements'>): { id: string; lot?: string }[] {
  return (s.requirements ?? [])
    .filter((r) => !r.withdrawn && (r.kind === 'supplier_requirement' || r.kind === 'object_requirement'))
    .map((r) => ({ id: r.id, ...(r.lot !== undefined ? { lot: r.lot } : {}) }));
}

/** A domain rule's problem as the workflow's refusal: its type, message, field and rule. */
export function refusalOf(problem: AssessmentProblem): Verdict {
  return refuse(problem.type, problem.message, {
    field: problem.field,
    ...(problem.rule ? { rule: problem.rule } : {}),
  });
}

export function registerAssessmentCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('assessTender', {
    check: (p): Verdict => {
      const problem = assessmentProblem(p, {
        tenderers: s.tendersReceived.filter((t) => !t.late),
        mandatory: mandatoryRequirements(s),
        lots: s.lots.map((l) => l.title),
        today: stockholmDateOf(Date.parse(run.now())),
      });
      return problem ? refusalOf(problem) : ALLOWED;
    },
    apply: (p, actor) => {
      const notes: AssessmentText = {
        ...(p.exclusion.note ? { exclusionNote: p.exclusion.note } : {}),
        ...(p.qualification.note ? { qualificationNote: p.qualification.note } : {}),
        ...((p.requirements ?? []).some((r) => r.note)
          ? {
              requirementNotes: Object.fromEntries(
                (p.requirements ?? []).filter((r) => r.note).map((r) => [r.requirementId, r.note!]),
              ),
            }
          : {}),
        ...(p.abnormallyLow?.length
          ? {
              abnormallyLowTexts: p.abnormallyLow.map((x) => ({
                reason: x.reason,
                ...(x.explanation ? { explanation: x.explanation } : {}),
              })),
            }
          : {}),
        ...(p.reason ? { reason: p.reason } : {}),
      };
      const textRef = run.content('assessment', { ...notes });
      const facts: TenderAssessment = {
        supplier: p.supplier,
        exclusion: { groundFound: p.exclusion.groundFound },
        qualification: { met: p.qualification.met },
        requirements: (p.requirements ?? []).map((r) => ({ requirementId: r.requirementId, met: r.met })),
        ...(p.abnormallyLow?.length
          ? {
              abnormallyLow: p.abnormallyLow.map((x) => ({
                ...(x.lot !== undefined ? { lot: x.lot } : {}),
                explanationRequestedOn: x.explanationRequestedOn,
                ...(x.explanationReceivedOn !== undefined ? { explanationReceivedOn: x.explanationReceivedOn } : {}),
                outcome: x.outcome,
              })),
            }
          : {}),
        result: p.result,
        assessedBy: person(actor),
        assessedAt: run.now(),
      };
      // A history from before content moved to the read model keeps the texts in the state.
      const assessment: TenderAssessment = textRef
        ? { ...facts, textRef }
        : {
            ...facts,
            exclusion: p.exclusion,
            qualification: p.qualification,
            requirements: p.requirements ?? [],
            ...(p.abnormallyLow?.length ? { abnormallyLow: p.abnormallyLow } : {}),
            ...(p.reason ? { reason: p.reason } : {}),
          };
      const list = (s.assessments ??= []);
      const at = list.findIndex((a) => a.supplier === p.supplier);
      if (at >= 0) list[at] = assessment;
      else list.push(assessment);
    },
    eventType: 'tender.assessed',
  });
}

/**
 * The prices read out at the opening: whole SEK, each for a lot the tender is for (or, without lots,
 * for the whole procurement), once per lot.
 */
export function openingPricesVerdict(
  tenders: CommandPayloads['recordOpening']['tenders'],
  lots: readonly string[],
): Verdict {
  for (const [i, t] of tenders.entries()) {
    if (t.prices === undefined) continue;
    const field = `tenders[${i}].prices`;
    if (!Array.isArray(t.prices)) return refuse('BadRequest', `${field}: [{ lot?, priceSek }].`, { field });
    const seen = new Set<string>();
    const tendered = t.lots ?? lots;
    for (const [j, x] of t.prices.entries()) {
      if (!x || typeof x !== 'object' || !Number.isSafeInteger(x.priceSek) || x.priceSek < 0)
        return refuse('BadRequest', `${field}[${j}].priceSek: whole SEK, 0 or more.`, {
          field: `${field}[${j}].priceSek`,
        });
      if (x.lot === undefined ? lots.length > 0 : !tendered.includes(x.lot))
        return refuse(
          'BadRequest',
          lots.length > 0
            ? `${field}[${j}].lot: a lot ${t.supplier} tendered for.`
            : `${field}[${j}].lot: this tender has no lots.`,
          { field: `${field}[${j}].lot` },
        );
      const key = x.lot ?? '';
      if (seen.has(key)) return refuse('BadRequest', `${field}: one price per lot.`, { field: `${field}[${j}].lot` });
      seen.add(key);
    }
  }
  return ALLOWED;
}

/**
 * With a register of mandatory requirements (or once any tender is assessed), every tender received
 * in time is assessed before the evaluation, and a rejected tender wins nothing (issue 30, part 2).
 */
export function assessmentVerdict(
  s: TenderState,
  proposals: CommandPayloads['submitEvaluation']['proposals'],
): Verdict {
  const assessments = s.assessments ?? [];
  if (assessments.length === 0 && mandatoryRequirements(s).length === 0) return ALLOWED;
  const missing = s.tendersReceived.filter((t) => !t.late && !assessments.some((a) => a.supplier === t.supplier));
  if (missing.length > 0)
    return refuse(
      'RuleViolation',
      `Assess every tender before the evaluation: ${missing.map((t) => t.supplier).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not assessed.`,
      {
        rule: 'assessments_missing',
        field: 'proposals',
      },
    );
  const rejected = proposals.find((x) => assessments.some((a) => a.supplier === x.supplier && a.result === 'rejected'));
  if (rejected)
    return refuse(
      'RuleViolation',
      `${rejected.supplier}'s tender was rejected in the assessment and cannot be proposed.`,
      {
        rule: 'supplier_rejected',
        field: 'proposals',
      },
    );
  return ALLOWED;
}
