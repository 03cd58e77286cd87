/**
 * Commands from the opening to the award: evaluators and their declarations of conflicts of
 * interest, the opening, the evaluation, the award decision's effects, and reviews by the court.
 */
import { patched } from '@temporalio/workflow';
import { isIsoDate, stockholmDateOf } from '@tenderflow/domain/dates';
import { abnormallyLowCheckProblem } from '@tenderflow/domain/assessment';
import { ABNORMALLY_LOW_PARAGRAPH } from '@tenderflow/domain/procedures';
import { REVIEW_OUTCOMES, type Actor, type NoticeChannel } from '@tenderflow/domain/types';
import { isEmailAddress } from '@tenderflow/domain/text';
import type { EvaluationText } from '@tenderflow/temporal-common/tender-texts';
import type { CommandPayloads } from '@tenderflow/temporal-common/tender-types';
import { ALLOWED, nonEmpty, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { awardedWithoutNotice } from './without-notice';
import { person } from '../tender.state';
import { requestGate } from './gate-request';
import { AWARD_RED_FLAGS_PATCH, raisedFlags } from '../tender.red-flags';
import { assessmentVerdict, openingPricesVerdict, refusalOf } from './assessment';
import { AWARD_NOTICES_PATCH, issueAwardNotices, legacyAwardNotice } from './award-notices';
import { assessmentOutcomes, issueEvaluationReport, issueOpeningProtocol } from './decision-documents';
import { rankingRecords, rankingVerdict, takingPart } from './scoring';

export function registerAwardCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('appointEvaluators', {
    check: (p) => {
      if (
        !Array.isArray(p.evaluators) ||
        p.evaluators.length === 0 ||
        !p.evaluators.every((e) => nonEmpty(e?.sub) && nonEmpty(e?.name))
      ) {
        return refuse('BadRequest', 'evaluators: [{ sub, name }].', { field: 'evaluators' });
      }
      for (const e of p.evaluators) {
        const known = s.evaluators.find((x) => x.sub === e.sub);
        if (known?.status === 'removed') {
          return refuse('RuleViolation', `${e.name} declared a conflict of interest and cannot take part.`, {
            rule: 'conflict_of_interest',
            paragraph: '4 kap. 4 § LOU',
            field: 'evaluators',
          });
        }
        if (known) return refuse('Conflict', `${e.name} is already an evaluator.`, { rule: 'already_appointed' });
      }
      return ALLOWED;
    },
    apply: (p, actor) => {
      for (const e of p.evaluators) {
        s.evaluators.push({
          sub: e.sub,
          name: e.name,
          appointedBy: person(actor),
          appointedAt: run.now(),
          status: 'appointed',
        });
      }
    },
  });
  register('recordOpening', {
    check: (p) => {
      const openers = Array.isArray(p.openers) ? p.openers.filter(nonEmpty) : [];
      if (new Set(openers).size < 2) {
        return refuse('RuleViolation', 'At least two distinct people appointed by the authority open the tenders.', {
          rule: 'two_openers',
          paragraph: '12 kap. 10 § LOU',
          field: 'openers',
        });
      }
      if (
        !Array.isArray(p.tenders) ||
        !p.tenders.every((t) => nonEmpty(t?.supplier) && !Number.isNaN(Date.parse(t?.receivedAt)))
      ) {
        return refuse('BadRequest', 'tenders: [{ supplier, orgNumber?, contactEmail?, receivedAt, lots? }].', {
          field: 'tenders',
        });
      }
      const unreachable = p.tenders.findIndex((t) => t.contactEmail !== undefined && !isEmailAddress(t.contactEmail));
      if (unreachable >= 0)
        return refuse('BadRequest', 'contactEmail: one e-mail address (name@domain), at most 254 characters.', {
          field: `tenders[${unreachable}].contactEmail`,
          rule: 'email',
        });
      const priced = openingPricesVerdict(
        p.tenders,
        s.lots.map((l) => l.title),
      );
      if (!priced.allowed) return priced;
      // Without prior notice only the suppliers invited tender (a negotiation is with the chosen ones).
      if (s.negotiation) {
        const invited = new Set(s.candidates.map((c) => c.supplier.trim().toLowerCase()));
        const stranger = p.tenders.find((t) => !invited.has(t.supplier.trim().toLowerCase()));
        if (stranger) {
          return refuse(
            'RuleViolation',
            `${stranger.supplier} was not invited to this negotiation (${s.candidates.map((c) => c.supplier).join(', ')}).`,
            {
              rule: 'not_invited',
              field: 'tenders',
            },
          );
        }
      }
      return ALLOWED;
    },
    apply: (p, actor) => recordOpening(run, p, actor),
  });
  register('declareConflict', {
    check: (p) => {
      if (typeof p.hasConflict !== 'boolean')
        return refuse('BadRequest', 'hasConflict: true or false.', { field: 'hasConflict' });
      if (p.hasConflict && !nonEmpty(p.statement))
        return refuse('BadRequest', 'A declared conflict needs a statement.', { field: 'statement' });
      return ALLOWED;
    },
    apply: (p, actor) => {
      const e = s.evaluators.find((x) => x.sub === actor.sub)!;
      e.declaration = { hasConflict: p.hasConflict, statement: p.statement ?? '', at: run.now() };
      e.status = p.hasConflict ? 'removed' : 'declared';
      if (p.hasConflict) {
        run.message(
          'other',
          [`user:${e.appointedBy.sub}`, `user:${s.createdBy.sub}`],
          `${s.id}: ${e.name} declared a conflict of interest`,
          `${e.name} declared a conflict of interest in ${s.title} and is removed from the evaluation (4 kap. 4 § LOU). Appoint a replacement if needed.`,
          { topic: 'conflict_declared', evaluator: person(e) },
        );
      }
    },
  });
  register('submitEvaluation', {
    check: (p) => {
      if (
        !Array.isArray(p.proposals) ||
        p.proposals.length === 0 ||
        !p.proposals.every((x) => nonEmpty(x?.supplier) && nonEmpty(x?.reasons))
      ) {
        return refuse('BadRequest', 'proposals: [{ lot?, supplier, score?, reasons }].', { field: 'proposals' });
      }
      const active = takingPart(s);
      if (active.length === 0) {
        return refuse('RuleViolation', 'No evaluator without a conflict of interest is appointed.', {
          rule: 'evaluators_required',
          paragraph: '4 kap. 4 § LOU',
        });
      }
      const missing = active.filter((e) => e.status === 'appointed');
      if (missing.length > 0) {
        return refuse(
          'RuleViolation',
          `Conflict-of-interest declarations are missing from ${missing.map((e) => e.name).join(', ')}.`,
          {
            rule: 'conflict_declarations_required',
            paragraph: '4 kap. 4 § LOU',
          },
        );
      }
      const tenderers = s.tendersReceived.filter((t) => !t.late).map((t) => t.supplier);
      const stranger = p.proposals.find((x) => !tenderers.includes(x.supplier));
      if (stranger) {
        return refuse('RuleViolation', `${stranger.supplier} did not submit a valid tender.`, {
          rule: 'supplier_not_a_tenderer',
          field: 'proposals',
        });
      }
      const lotTitles = s.lots.map((l) => l.title);
      const badLot = p.proposals.find((x) => x.lot !== undefined && !lotTitles.includes(x.lot));
      if (badLot) return refuse('BadRequest', `No lot ${badLot.lot}.`, { field: 'proposals' });
      const assessed = assessmentVerdict(s, p.proposals);
      if (!assessed.allowed) return assessed;
      const ranked = rankingVerdict(s, p.proposals, rejectedAsAbnormallyLow(p.abnormallyLow));
      if (!ranked.allowed) return ranked;
      return checkAbnormallyLow(p, tenderers, lotTitles, run.now());
    },
    apply: async (p, actor) => {
      const checked = p.abnormallyLow ?? [];
      const text: EvaluationText = {
        reasons: p.proposals.map((x) => x.reasons ?? ''),
        ...(p.summary ? { summary: p.summary } : {}),
        ...(checked.length > 0
          ? {
              abnormallyLow: checked.map((a) => ({
                reason: a.reason!,
                ...(a.explanation ? { explanation: a.explanation } : {}),
              })),
            }
          : {}),
      };
      const textRef = run.content('evaluation', { ...text });
      const abnormallyLow =
        checked.length > 0 ? { abnormallyLow: checked.map((a) => abnormallyLowFacts(a, textRef !== undefined)) } : {};
      s.evaluation = textRef
        ? {
            proposals: p.proposals.map(({ reasons: _reasons, ...facts }) => facts),
            ...abnormallyLow,
            submittedBy: person(actor),
            submittedAt: run.now(),
            textRef,
          }
        : {
            proposals: p.proposals,
            ...(p.summary ? { summary: p.summary } : {}),
            ...abnormallyLow,
            submittedBy: person(actor),
            submittedAt: run.now(),
          };
      // Computed from the consensus scores, when any is recorded (no history before scores has one).
      if (s.consensus?.length) s.evaluation.ranking = rankingRecords(s, rejectedAsAbnormallyLow(p.abnormallyLow));
      if (patched(AWARD_RED_FLAGS_PATCH)) {
        const flags = raisedFlags(s, p.proposals);
        if (flags.length > 0) s.evaluation.redFlags = flags;
      }
      delete s.changesRequested;
      run.enter('award_decision', actor);
      await requestGate(run, 'award_decision', actor);
    },
  });
  register('fileReview', {
    check: (p) => {
      if (!nonEmpty(p.applicant) || !nonEmpty(p.court))
        return refuse('BadRequest', 'applicant and court are required.', { field: 'applicant' });
      if (p.id !== undefined && s.reviews.some((r) => r.id === p.id))
        return refuse('Conflict', `Review ${p.id} is already filed.`);
      return ALLOWED;
    },
    apply: (p, actor) => {
      s.reviews.push({
        id: p.id ?? `R${s.reviews.length + 1}`,
        applicant: p.applicant,
        court: p.court,
        ...(p.reference ? { reference: p.reference } : {}),
        filedAt: run.now(),
        filedBy: person(actor),
        status: 'pending',
      });
      // 20 kap. 10 § LOU: no contract until the court has decided; the standstill timer is
      // replaced by the review hold, computed when the ruling is in.
      run.closeDeadline('standstill', 'superseded');
      run.closeDeadline('review_hold', 'superseded');
      run.enter('under_review', actor, `review application by ${p.applicant}`);
    },
  });
  register('recordRuling', {
    check: (p) => {
      const r = s.reviews.find((x) => x.id === p.reviewId);
      if (!r) return refuse('BadRequest', `No review ${p.reviewId}.`, { field: 'reviewId' });
      if (r.status !== 'pending') return refuse('Conflict', `Review ${p.reviewId} is already decided.`);
      if (!(REVIEW_OUTCOMES as readonly string[]).includes(p.outcome)) {
        return refuse('BadRequest', "outcome: 'rejected', 'correction' or 'redo'.", { field: 'outcome' });
      }
      if (!isIsoDate(p.rulingDate))
        return refuse('BadRequest', 'rulingDate: a date YYYY-MM-DD.', { field: 'rulingDate' });
      return ALLOWED;
    },
    apply: (p, actor) => recordRuling(run, p, actor),
  });
}

export async function award(run: TenderRun, noticeChannel: NoticeChannel, actor: Actor): Promise<void> {
  const s = run.state;
  const winners = s.evaluation!.proposals;
  const textRef = s.evaluation!.textRef;
  // The notice gives each winner's reasons: in the evaluation's text since 'content-in-texts'.
  const evaluationText = textRef ? await run.storedContent<EvaluationText>(textRef) : undefined;
  const reasons = textRef ? (evaluationText?.reasons ?? []) : winners.map((w) => w.reasons);
  // No standstill: a direct award (19 a kap. 10 §), an award without prior notice (20 kap. 2 § 1 LOU,
  // from LOU-2026.3), a call-off without the voluntary one (20 kap. 2 § 2).
  const withStandstill =
    s.regime !== 'direct' &&
    !awardedWithoutNotice(s) &&
    (s.regime !== 'framework_call_off' || run.input.callOffStandstill !== false);
  const standstill = withStandstill
    ? await run.compute({ kind: 'standstill', rule: 'standstill', from: run.now(), params: { notice: noticeChannel } })
    : null;
  s.award = {
    decidedBy: person(actor),
    decidedAt: run.now(),
    winners,
    noticeChannel,
    standstillDays: standstill?.days ?? null,
    ...(textRef ? { textRef } : {}),
  };
  if (patched(AWARD_NOTICES_PATCH)) {
    const assessed = await assessmentOutcomes(run);
    const summary = textRef ? evaluationText?.summary : s.evaluation!.summary;
    await issueEvaluationReport(run, reasons, summary, assessed, evaluationText?.abnormallyLow);
    await issueAwardNotices(run, reasons, standstill, assessed);
  } else {
    legacyAwardNotice(run, reasons, standstill);
  }
  if (standstill) {
    run.setDeadline(standstill);
    run.enter('standstill', actor);
  } else {
    run.enter('contract', actor, 'no standstill');
  }
}

export async function recordOpening(run: TenderRun, p: CommandPayloads['recordOpening'], actor: Actor): Promise<void> {
  const s = run.state;
  const deadline = run.lastPast('tender_deadline');
  const deadlineMs = deadline ? Date.parse(deadline.at) : Number.POSITIVE_INFINITY;
  s.opening = {
    openers: p.openers.filter((o, i) => p.openers.indexOf(o) === i),
    recordedBy: person(actor),
    recordedAt: run.now(),
  };
  s.tendersReceived = p.tenders.map((t) => ({
    supplier: t.supplier,
    ...(t.orgNumber ? { orgNumber: t.orgNumber } : {}),
    ...(t.contactEmail ? { contactEmail: t.contactEmail } : {}),
    receivedAt: t.receivedAt,
    ...(t.lots ? { lots: t.lots } : {}),
    ...(t.prices?.length
      ? { prices: t.prices.map((x) => ({ ...(x.lot !== undefined ? { lot: x.lot } : {}), priceSek: x.priceSek })) }
      : {}),
    late: Date.parse(t.receivedAt) > deadlineMs,
  }));
  run.closeDeadline('opening_due', 'met');
  issueOpeningProtocol(run);
  if (s.tendersReceived.every((t) => t.late)) {
    await run.end('unsuccessful', 'no tenders received in time', actor);
    return;
  }
  run.enter('evaluation', actor);
}

export async function recordRuling(run: TenderRun, p: CommandPayloads['recordRuling'], actor: Actor): Promise<void> {
  const s = run.state;
  const review = s.reviews.find((r) => r.id === p.reviewId)!;
  const hold =
    p.outcome === 'rejected' && s.reviews.every((r) => r === review || r.status !== 'pending')
      ? await run.compute({ kind: 'review_hold', rule: 'review_hold', from: p.rulingDate })
      : null;
  review.status = 'decided';
  review.outcome = p.outcome;
  review.rulingDate = p.rulingDate;
  if (p.comment) {
    const textRef = run.content(`ruling:${review.id}`, { comment: p.comment });
    if (textRef) review.textRef = textRef;
    else review.comment = p.comment;
  }

  if (p.outcome === 'correction') {
    delete s.evaluation;
    delete s.award;
    run.closeAllDeadlines('dropped');
    run.enter('evaluation', actor, `review ${review.id}: correction (rättelse)`);
    return;
  }
  if (p.outcome === 'redo') {
    if (s.documents) s.documents.approved = false;
    for (const key of ['publication', 'tenderPeriod', 'opening', 'evaluation', 'award'] as const) delete s[key];
    s.candidates = [];
    s.questions = [];
    s.tendersReceived = [];
    // The new round's tenders are assessed anew (a supplier that tenders again starts clean).
    delete s.assessments;
    delete s.scoreSheets;
    delete s.consensus;
    run.closeAllDeadlines('dropped');
    run.enter('documents', actor, `review ${review.id}: the procurement is to be redone`);
    return;
  }
  if (hold) {
    // Whichever ends later: the extended hold (20 kap. 10 § LOU) or what is left of the standstill.
    const standstill = run.lastPast('standstill');
    const keepStandstill = standstill && Date.parse(standstill.at) > Date.parse(hold.at);
    run.setDeadline(
      keepStandstill
        ? { ...standstill, kind: 'review_hold', basis: `${standstill.basis} (still running after the ruling)` }
        : hold,
    );
  }
}

type AbnormallyLowTender = NonNullable<CommandPayloads['submitEvaluation']['abnormallyLow']>[number];

/**
 * Tenders checked as abnormally low (ABNORMALLY_LOW_PARAGRAPH): each a timely tenderer, once; the day
 * the explanation was asked for (and came in) not after today, nor an answer before the question; a
 * reason for the outcome; and a rejected tender wins nothing.
 */
function checkAbnormallyLow(
  p: CommandPayloads['submitEvaluation'],
  tenderers: string[],
  lots: string[],
  nowIso: string,
): Verdict {
  if (p.abnormallyLow === undefined) return ALLOWED;
  if (!Array.isArray(p.abnormallyLow))
    return refuse('BadRequest', 'abnormallyLow: [{ supplier, explanationRequestedOn, outcome, reason }].', {
      field: 'abnormallyLow',
    });
  const today = stockholmDateOf(Date.parse(nowIso));
  const seen = new Set<string>();
  for (const [i, a] of p.abnormallyLow.entries()) {
    const field = `abnormallyLow[${i}]`;
    if (!a || typeof a !== 'object' || !nonEmpty(a.supplier))
      return refuse('BadRequest', `${field}.supplier is required.`, { field: `${field}.supplier` });
    if (!tenderers.includes(a.supplier))
      return refuse('RuleViolation', `${a.supplier} did not submit a valid tender.`, {
        rule: 'supplier_not_a_tenderer',
        field: `${field}.supplier`,
      });
    const key = `${a.lot ?? ''}|${a.supplier}`;
    if (seen.has(key)) return refuse('BadRequest', `${a.supplier} is listed twice.`, { field: `${field}.supplier` });
    seen.add(key);
    if (a.lot !== undefined && !lots.includes(a.lot))
      return refuse('BadRequest', `No lot ${a.lot}.`, { field: `${field}.lot` });
    const problem = abnormallyLowCheckProblem(a, field, today);
    if (problem) return refusalOf(problem);
    if (
      a.outcome === 'rejected' &&
      p.proposals.some((x) => x.supplier === a.supplier && (a.lot === undefined || x.lot === a.lot))
    ) {
      return refuse('RuleViolation', `${a.supplier}'s tender is rejected as abnormally low; it cannot be awarded.`, {
        rule: 'abnormally_low_rejected',
        paragraph: ABNORMALLY_LOW_PARAGRAPH,
        field: `${field}.outcome`,
      });
    }
  }
  return ALLOWED;
}

/** The tenders the evaluation's own list rejects as abnormally low: left out of the ranking (for their lot). */
function rejectedAsAbnormallyLow(list: CommandPayloads['submitEvaluation']['abnormallyLow']) {
  return (Array.isArray(list) ? list : [])
    .filter((a) => a?.outcome === 'rejected')
    .map((a) => ({ supplier: a.supplier, ...(a.lot !== undefined ? { lot: a.lot } : {}) }));
}

/** What the state keeps of a check: the facts; the explanation and the reason go to the evaluation's text. */
function abnormallyLowFacts(a: AbnormallyLowTender, inText: boolean): AbnormallyLowTender {
  const { explanation, reason, ...facts } = a;
  return inText ? facts : { ...facts, reason: reason!, ...(explanation ? { explanation } : {}) };
}
