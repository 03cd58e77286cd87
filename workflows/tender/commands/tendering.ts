/**
 * Commands of the tender period: publication, selection of candidates, extensions, questions and
 * answers, with the deadlines that hang on them. The days come from the rules library behind the
 * deadline activity (working days and holidays); the workflow compares them with the library's
 * own checks.
 */
import type { ComputedDeadline } from '@tenderflow/activities/deadline.activities';
import {
  checkExtensionAfterChange,
  checkPriorInformationNotice,
  checkUrgency,
  answerDays,
} from '@tenderflow/domain/accelerated';
import { checkDeadlineChange, checkMinimumTimeLimit } from '@tenderflow/domain/checks';
import { endOfDayStockholmIso, isIsoDate, stockholmDateOf } from '@tenderflow/domain/dates';
import { answerForcesExtension, minimumDeadlineAfterAnswer } from '@tenderflow/domain/time-limits';
import type { Actor } from '@tenderflow/domain/types';
import { isAnnex2 } from '@tenderflow/domain/types';
import type { CommandPayloads } from '@tenderflow/temporal-common/tender-types';
import {
  ALLOWED,
  firstRefusal,
  fromViolations,
  nonEmpty,
  refuse,
  toFailure,
} from '@tenderflow/temporal-common/refusals';
import { answerTextRef, questionTextRef } from '@tenderflow/temporal-common/tender-texts';
import type { Register } from '../tender.commands';
import { checkHorizon, optionalDate } from '../tender.checks';
import { awardedWithoutNotice } from './without-notice';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';

export function registerTenderingCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('publish', {
    check: (p) =>
      firstRefusal(
        () =>
          awardedWithoutNotice(s)
            ? refuse(
                'Conflict',
                'A procurement without prior notice is not advertised: invite the chosen suppliers (POST /negotiation).',
                {
                  rule: 'without_notice',
                  paragraph: s.regime === 'eu' ? '6 kap. 12–19 §§ LOU' : '19 a kap. 1 och 9 §§ LOU',
                },
              )
            : ALLOWED,
        () =>
          s.documents?.approved
            ? ALLOWED
            : refuse('Conflict', 'The documents are not approved.', { rule: 'documents_not_approved' }),
        () => optionalDate(p.deadline, 'deadline'),
        () => optionalDate(p.requestDeadline, 'requestDeadline'),
        () => optionalDate(p.priorInformationNoticeSentAt, 'priorInformationNoticeSentAt'),
        () => fromViolations(checkUrgency({ urgent: p.urgent, justification: p.urgencyJustification })),
        () =>
          fromViolations(
            checkPriorInformationNotice({
              pin: p.priorInformationNotice,
              pinSentDate: p.priorInformationNoticeSentAt,
              noticeSentDate: stockholmDateOf(Date.now()),
            }),
          ),
      ),
    apply: (p, actor) => publish(run, p, actor),
  });
  register('selectCandidates', {
    check: (p) =>
      firstRefusal(
        () =>
          s.stage === 'selection'
            ? ALLOWED
            : refuse('Conflict', `Candidates are selected after the request period (now: ${s.stage}).`, {
                rule: 'stage',
              }),
        () =>
          Array.isArray(p.candidates) && p.candidates.every((c) => nonEmpty(c?.supplier))
            ? ALLOWED
            : refuse('BadRequest', 'candidates: [{ supplier, orgNumber? }].', { field: 'candidates' }),
        () =>
          p.agreedTenderPeriodDays === undefined ||
          (Number.isInteger(p.agreedTenderPeriodDays) && p.agreedTenderPeriodDays >= 1)
            ? ALLOWED
            : refuse('BadRequest', 'agreedTenderPeriodDays: a whole number of days, at least 1 (11 kap. 7 § LOU).', {
                field: 'agreedTenderPeriodDays',
              }),
        () => optionalDate(p.deadline, 'deadline'),
      ),
    apply: (p, actor) => selectCandidates(run, p, actor),
  });
  register('extendDeadline', {
    check: (p) => {
      if (!isIsoDate(p.deadline)) return refuse('BadRequest', 'deadline: a date YYYY-MM-DD.', { field: 'deadline' });
      if (!nonEmpty(p.reason)) return refuse('BadRequest', 'An extension needs a reason.', { field: 'reason' });
      const horizon = checkHorizon(p.deadline, 'deadline', run.now());
      if (!horizon.allowed) return horizon;
      const current = run.running(s.stage === 'requests' ? 'request_deadline' : 'tender_deadline');
      if (!current)
        return refuse('Conflict', 'No period is running that could be extended.', { rule: 'no_running_period' });
      const change = fromViolations(checkDeadlineChange({ current: current.lastDay, proposed: p.deadline }));
      if (!change.allowed) return change;
      if (p.significantChange === true) {
        return fromViolations(
          checkExtensionAfterChange({
            changeDate: stockholmDateOf(Date.now()),
            current: current.lastDay,
            proposed: p.deadline,
            urgent: s.publication?.urgent ?? false,
          }),
        );
      }
      return ALLOWED;
    },
    apply: async (p, actor) => {
      const kind = s.stage === 'requests' ? 'request_deadline' : 'tender_deadline';
      const current = run.running(kind)!;
      const basis = p.significantChange
        ? `extended after a significant change to the procurement documents (11 kap. 8 § 2 p. LOU): ${p.reason}`
        : `extended by the contracting authority: ${p.reason}`;
      const next = await run.compute({ kind, rule: 'fixed', lastDay: p.deadline, basis });
      // In a negotiation without notice no questions are taken: only the deadline moves.
      if (kind === 'tender_deadline' && s.phase !== 'negotiation') await setTenderDeadline(run, next);
      else run.setDeadline(next);
      recordExtension(run, current.lastDay, p.deadline, p.reason, actor, false);
    },
  });
  register('askQuestion', {
    check: (p) => {
      if (!nonEmpty(p.question)) return refuse('BadRequest', 'question: the text.', { field: 'question' });
      if (s.stage === 'selection')
        return refuse('Conflict', 'No period is running: candidates are being selected.', { rule: 'stage' });
      if (s.stage === 'tendering') {
        const cutoff = run.running('question_cutoff');
        if (!cutoff || Date.now() > Date.parse(cutoff.at)) {
          const day = (cutoff ?? run.lastPast('question_cutoff'))?.lastDay;
          return refuse('RuleViolation', `Questions closed${day ? ` on ${day}` : ''}.`, { rule: 'question_cutoff' });
        }
      }
      return ALLOWED;
    },
    apply: (p, actor) => {
      // The text goes to the read model with this step; the workflow keeps what its rules read.
      const id = `Q${s.questions.length + 1}`;
      s.questions.push({ id, receivedAt: run.now(), registeredBy: person(actor) });
      run.text(questionTextRef(id), {
        question: p.question,
        ...(p.askedBy !== undefined ? { askedBy: p.askedBy } : {}),
      });
    },
  });
  register('answerQuestion', {
    check: (p) => {
      const q = s.questions.find((x) => x.id === p.questionId);
      if (!q) return refuse('BadRequest', `No question ${p.questionId}.`, { field: 'questionId' });
      if (q.answeredAt !== undefined || q.answer !== undefined)
        return refuse('Conflict', `${p.questionId} is already answered.`, { rule: 'already_answered' });
      if (!nonEmpty(p.answer)) return refuse('BadRequest', 'answer: the text.', { field: 'answer' });
      const date = optionalDate(p.extendTo, 'extendTo');
      return date.allowed && p.extendTo !== undefined ? checkHorizon(p.extendTo, 'extendTo', run.now()) : date;
    },
    apply: (p, actor) => answerQuestion(run, p, actor),
  });
}

export async function publish(run: TenderRun, p: CommandPayloads['publish'], actor: Actor): Promise<void> {
  const s = run.state;
  const electronic = p.electronicSubmission ?? run.input.electronicSubmission;
  const params = {
    regime: s.regime,
    procedure: s.procedure,
    electronic,
    // The validator has checked the PIN's date (11 kap. 5 § andra stycket 2 p. LOU).
    pin: p.priorInformationNotice ?? false,
    urgent: p.urgent ?? false,
    reasonableDays: run.policy.reasonableTenderDays,
    annex2: isAnnex2(s.contractType),
    documentsNotElectronic: p.documentsAvailableElectronically === false,
  };
  const sentAt = run.now();
  const request = await run.computeOptional({
    kind: 'request_deadline',
    rule: 'request_deadline',
    from: sentAt,
    params,
  });
  let tender: ComputedDeadline | null = null;
  let requestDeadline: ComputedDeadline | null = request;
  if (request) {
    if (p.requestDeadline) {
      requestDeadline = await laterThanMinimum(run, request, p.requestDeadline, 'requestDeadline');
    }
  } else {
    const minimum = await run.compute({ kind: 'tender_deadline', rule: 'tender_deadline', from: sentAt, params });
    tender = p.deadline ? await laterThanMinimum(run, minimum, p.deadline, 'deadline') : minimum;
    s.tenderPeriod = { minimum: { lastDay: minimum.lastDay, basis: minimum.basis }, extensions: [] };
  }
  const database = p.advertisingDatabase ?? 'outbox';
  s.publication = {
    sentAt,
    advertisingDatabase: database,
    ...(p.noticeReference ? { noticeReference: p.noticeReference } : {}),
    electronicSubmission: electronic,
    priorInformationNotice: params.pin,
    ...(p.priorInformationNoticeSentAt ? { priorInformationNoticeSentAt: p.priorInformationNoticeSentAt } : {}),
    urgent: params.urgent,
    ...(p.urgencyJustification ? { urgencyJustification: p.urgencyJustification } : {}),
    ...(p.documentsAvailableElectronically === false ? { documentsAvailableElectronically: false } : {}),
  };
  run.enter('published', actor);
  if (requestDeadline) {
    s.stage = 'requests';
    run.setDeadline(requestDeadline);
  } else {
    s.stage = 'tendering';
    await setTenderDeadline(run, tender!);
  }
  const last = (requestDeadline ?? tender)!;
  run.message(
    'publication',
    [`adverts:${database}`],
    `${s.id}: ${s.title}`,
    `Contract notice: "${s.title}" (${s.regime}/${s.procedure}). ${requestDeadline ? 'Requests to participate' : 'Tenders'} by ${last.lastDay}.`,
  );
}

/** A requested last day, accepted only when it is not earlier than the rule's minimum. */
export async function laterThanMinimum(
  run: TenderRun,
  minimum: ComputedDeadline,
  requested: string,
  field: string,
): Promise<ComputedDeadline> {
  const verdict = firstRefusal(
    () => checkHorizon(requested, field, run.now()),
    () => fromViolations(checkMinimumTimeLimit({ requested, minimum, field })),
  );
  if (!verdict.allowed) throw toFailure(verdict);
  if (requested === minimum.lastDay) return minimum;
  return run.compute({
    kind: minimum.kind,
    rule: 'fixed',
    lastDay: requested,
    basis: `later than the minimum ${minimum.lastDay} (${minimum.basis})`,
  });
}

/** The tender deadline and what hangs on it: the question cut-off (P) and the latest answer day (L). */
export async function setTenderDeadline(run: TenderRun, deadline: ComputedDeadline): Promise<void> {
  // Both hang on the deadline only: computed side by side (one workflow task, not two).
  const [cutoff, latest] = await Promise.all([
    run.compute({
      kind: 'question_cutoff',
      rule: 'question_cutoff',
      from: deadline.lastDay,
      params: { policyDays: run.policy.questionCutoffDays },
    }),
    run.compute({
      kind: 'latest_answer',
      rule: 'latest_answer',
      from: deadline.lastDay,
      params: { urgent: run.state.publication?.urgent ?? false },
    }),
  ]);
  run.setDeadline(deadline);
  run.setDeadline(cutoff);
  run.setDeadline(latest);
}

export function recordExtension(
  run: TenderRun,
  from: string,
  to: string,
  reason: string,
  actor: Actor | null,
  forced: boolean,
): void {
  const s = run.state;
  s.tenderPeriod ??= { extensions: [] };
  s.tenderPeriod.extensions.push({ from, to, reason, by: actor ? person(actor) : null, at: run.now(), forced });
  run.message(
    'publication',
    [`adverts:${s.publication?.advertisingDatabase ?? 'outbox'}`, ...run.tendererRecipients()],
    `${s.id}: deadline extended to ${to}`,
    `The deadline of "${s.title}" is extended from ${from} to ${to}. ${reason}`,
  );
}

export async function selectCandidates(
  run: TenderRun,
  p: CommandPayloads['selectCandidates'],
  actor: Actor,
): Promise<void> {
  const s = run.state;
  if (p.candidates.length === 0) {
    s.candidates = [];
    await run.end('unsuccessful', 'no candidates to invite', actor);
    return;
  }
  const minimum = await run.compute({
    kind: 'tender_deadline',
    rule: 'tender_deadline',
    from: run.now(),
    params: {
      regime: s.regime,
      procedure: s.procedure,
      electronic: s.publication?.electronicSubmission ?? true,
      ...(p.agreedTenderPeriodDays !== undefined ? { agreedWithCandidates: p.agreedTenderPeriodDays } : {}),
      reasonableDays: run.policy.reasonableTenderDays,
      annex2: isAnnex2(s.contractType),
      documentsNotElectronic: s.publication?.documentsAvailableElectronically === false,
    },
  });
  const deadline = p.deadline ? await laterThanMinimum(run, minimum, p.deadline, 'deadline') : minimum;
  s.candidates = p.candidates.map((c) => ({
    supplier: c.supplier,
    ...(c.orgNumber ? { orgNumber: c.orgNumber } : {}),
  }));
  s.tenderPeriod = { minimum: { lastDay: minimum.lastDay, basis: minimum.basis }, extensions: [] };
  s.stage = 'tendering';
  await setTenderDeadline(run, deadline);
  run.message(
    'invitation',
    run.tendererRecipients(),
    `${s.id}: invitation to tender`,
    `You are invited to tender in "${s.title}". Tenders by ${deadline.lastDay}.`,
  );
}

export async function answerQuestion(
  run: TenderRun,
  p: CommandPayloads['answerQuestion'],
  actor: Actor,
): Promise<void> {
  const s = run.state;
  const q = s.questions.find((x) => x.id === p.questionId)!;
  const current = run.running('tender_deadline');
  const urgent = s.publication?.urgent ?? false;
  // 12 kap. 11 § LOU: an answer must be out six days (four under urgency) before the deadline; a later one moves it.
  if (
    s.stage === 'tendering' &&
    current !== undefined &&
    answerForcesExtension(stockholmDateOf(Date.now()), current.lastDay, urgent)
  ) {
    const days = answerDays(urgent);
    // The earliest deadline the answer still respects, counted as the rules library counts it
    // (from the answer's day, not moved by lag 1930:173: pure date arithmetic, no activity).
    const lastDay = minimumDeadlineAfterAnswer(stockholmDateOf(Date.now()), urgent);
    const minimum: ComputedDeadline = {
      kind: 'tender_deadline',
      at: new Date(endOfDayStockholmIso(lastDay)).toISOString(),
      lastDay,
      basis: `12 kap. 11 § LOU: answer to ${q.id} sent less than ${days} days before ${current.lastDay}`,
    };
    const target = p.extendTo ? await laterThanMinimum(run, minimum, p.extendTo, 'extendTo') : minimum;
    if (target.lastDay > current.lastDay) {
      await setTenderDeadline(run, target);
      recordExtension(
        run,
        current.lastDay,
        target.lastDay,
        `answer to ${q.id} later than ${days} days before the deadline (12 kap. 11 § LOU)`,
        actor,
        true,
      );
      q.forcedExtension = true;
    }
  }
  run.text(answerTextRef(q.id), { answer: p.answer });
  q.answeredAt = run.now();
  q.answeredBy = person(actor);
}
