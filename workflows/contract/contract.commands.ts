/**
 * The contract's command: `completeMilestone` records outcome and note. A deviation adds a
 * corrective-action milestone; the extension decision moves the end (the plan grows) or makes it
 * final; the re-procurement start opens a new tender in needs_analysis, linked to this one.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { ContractActivities } from '@tenderflow/activities/contract.activities';
import type { Actor } from '@tenderflow/domain/types';
import { awardedByDecisionToProcure } from '@tenderflow/domain/procedures';
import {
  DIRECT_AWARD_DOCUMENTATION_PARAGRAPH,
  directAwardDocumentationProblem,
  tendersReceived,
} from '@tenderflow/domain/direct-award';
import {
  CORRECTIVE_ACTION_MAX_DAYS,
  DEVIATION_SEVERITIES,
  MILESTONE_OUTCOMES,
  type CompleteMilestonePayload,
  type ContractState,
  type Milestone,
} from '@tenderflow/temporal-common/contract-types';
import { addDays, isIsoDate } from '@tenderflow/domain/dates';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import type { CommandInput } from '@tenderflow/temporal-common/tender-types';
import type { TenderWorkflow } from '../shared/children';
import { ALLOWED, firstRefusal, nonEmpty, refuse, toFailure, type Verdict } from '@tenderflow/temporal-common/refusals';
import { mayCompleteMilestone } from '../shared/authority';
import { milestoneDeadline, type ContractRun } from './contract.run';
import { addMonths, correctiveAction, extensionDecision, nextOptionMonths, planningHorizon } from './milestone-plan';
import { checkSanction, decideSanction, maySanction, planSanctionDecision } from './contract.sanctions';

/** Allocates the new tender's id and classifies it; a rule that refuses it will not change by retrying. */
const { prepareReprocurement } = proxyActivities<Pick<ContractActivities, 'prepareReprocurement'>>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    backoffCoefficient: 2,
    nonRetryableErrorTypes: ['ReprocurementRefused'],
  },
});

/** What follows the envelope (shared/commands.ts asks it first): authority, the milestone's state, the payload. */
export function verdict(run: ContractRun, i: CommandInput<CompleteMilestonePayload>): Verdict {
  if (!i || typeof i !== 'object' || !i.payload || typeof i.payload !== 'object')
    return refuse('BadRequest', 'A command needs { actor, payload }.');
  const { actor, payload: p } = i;
  const s = run.state;
  const m = s.milestones.find((x) => x.id === p.milestoneId);
  if (!m) return refuse('NotFound', `Contract ${s.id} has no milestone ${p.milestoneId}.`, { field: 'milestoneId' });
  return firstRefusal(
    // A sanction decision is an approver's (contract.sanctions.ts maySanction, once its payload is known).
    () => (m.kind === 'sanction_decision' ? ALLOWED : mayCompleteMilestone(actor, s, m.owner)),
    () =>
      m.status === 'done' || m.status === 'lapsed'
        ? refuse(
            'Conflict',
            `${m.id} is already ${m.status}${m.completion ? ` (${m.completion.outcome}, by ${m.completion.by.name} on ${m.completion.at.slice(0, 10)})` : ''}.`,
            {
              rule: 'milestone_closed',
            },
          )
        : ALLOWED,
    () =>
      (MILESTONE_OUTCOMES as readonly unknown[]).includes(p.outcome)
        ? ALLOWED
        : refuse('BadRequest', "outcome: 'ok' or 'deviation'.", { field: 'outcome' }),
    () => (nonEmpty(p.note) ? ALLOWED : refuse('BadRequest', 'note: what was found or done.', { field: 'note' })),
    () => checkExtension(run, m, p),
    () => checkDocumentationRecord(run, m, p),
    () => checkDeviation(run, m, p),
    () => checkSanction(run, m, p),
    () => (m.kind === 'sanction_decision' ? maySanction(run, m, actor, p) : ALLOWED),
    () =>
      p.authority === undefined || m.kind === 'sanction_decision'
        ? ALLOWED
        : refuse('BadRequest', 'authority belongs to a sanction decision.', { field: 'authority' }),
  );
}

/**
 * A deviation says how grave it is (a control's must) and may set the day the supplier's
 * corrective action is due: after today, within CORRECTIVE_ACTION_MAX_DAYS. An 'ok' takes neither.
 */
export function checkDeviation(run: ContractRun, m: Milestone, p: CompleteMilestonePayload): Verdict {
  if (p.outcome !== 'deviation') {
    if (p.severity !== undefined)
      return refuse('BadRequest', 'severity belongs to a deviation.', { field: 'severity' });
    return p.correctiveDueDate === undefined
      ? ALLOWED
      : refuse('BadRequest', 'correctiveDueDate belongs to a deviation.', { field: 'correctiveDueDate' });
  }
  if (p.severity !== undefined && !(DEVIATION_SEVERITIES as readonly unknown[]).includes(p.severity))
    return refuse('BadRequest', `severity: one of ${DEVIATION_SEVERITIES.join(', ')}.`, { field: 'severity' });
  if (p.severity === undefined && m.kind === 'control')
    return refuse('BadRequest', `A control's deviation says how grave it is: ${DEVIATION_SEVERITIES.join(', ')}.`, {
      field: 'severity',
    });
  if (p.correctiveDueDate === undefined) return ALLOWED;
  if (!isIsoDate(p.correctiveDueDate))
    return refuse('BadRequest', 'correctiveDueDate: a date YYYY-MM-DD.', { field: 'correctiveDueDate' });
  const today = run.today();
  const latest = addDays(today, CORRECTIVE_ACTION_MAX_DAYS);
  return p.correctiveDueDate > today && p.correctiveDueDate <= latest
    ? ALLOWED
    : refuse(
        'RuleViolation',
        `The corrective action is due after today (${today}) and at the latest ${latest}, not ${p.correctiveDueDate}.`,
        { rule: 'corrective_due_date', field: 'correctiveDueDate' },
      );
}

/**
 * The documentation milestone of a direct award above 100 000 SEK is completed with the direct
 * award's record (19 a kap. 11 § LOU; libs/domain direct-award.ts); no other milestone takes one.
 */
export function checkDocumentationRecord(run: ContractRun, m: Milestone, p: CompleteMilestonePayload): Verdict {
  const needed = m.kind === 'documentation' && run.input.documentationRecord === 'direct_award';
  if (!needed) {
    return p.directAwardDocumentation === undefined
      ? ALLOWED
      : refuse('BadRequest', "directAwardDocumentation belongs to a direct award's documentation milestone.", {
          field: 'directAwardDocumentation',
        });
  }
  const problem = directAwardDocumentationProblem(p.directAwardDocumentation, run.input.contract.supplier);
  if (!problem) return ALLOWED;
  const field = problem.field ? `directAwardDocumentation.${problem.field}` : 'directAwardDocumentation';
  return refuse(problem.kind, problem.message, {
    field,
    rule: problem.rule,
    ...(problem.kind === 'RuleViolation' ? { paragraph: DIRECT_AWARD_DOCUMENTATION_PARAGRAPH } : {}),
  });
}

export function checkExtension(run: ContractRun, m: Milestone, p: CompleteMilestonePayload): Verdict {
  const s = run.state;
  if (m.kind !== 'extension_decision') {
    return p.extend === undefined && p.months === undefined
      ? ALLOWED
      : refuse('BadRequest', 'extend and months belong to the extension decision.', { field: 'extend' });
  }
  if (typeof p.extend !== 'boolean')
    return refuse(
      'BadRequest',
      'The extension decision says extend: true (use an option) or false (let the contract end).',
      { field: 'extend' },
    );
  if (!p.extend)
    return p.months === undefined
      ? ALLOWED
      : refuse('BadRequest', 'months only with extend: true.', { field: 'months' });
  if (s.status !== 'active')
    return refuse('Conflict', `The contract ended on ${s.endDate}; it can no longer be extended.`, {
      rule: 'contract_ended',
    });
  const months = p.months ?? nextOptionMonths(run.input.contract.options ?? [], s.optionMonthsRemaining);
  if (!Number.isInteger(months) || months <= 0 || months > s.optionMonthsRemaining) {
    return refuse(
      'RuleViolation',
      `An extension stays within the options: at most ${s.optionMonthsRemaining} months remain.`,
      {
        rule: 'extension_within_options',
        paragraph: "the contract's option terms; 7 kap. 2 § LOU for framework agreements",
        field: 'months',
      },
    );
  }
  return ALLOWED;
}

/** Completes a milestone; the registrar (contract.workflow.ts) has asked the envelope and `verdict` in this turn. */
export async function complete(run: ContractRun, i: CommandInput<CompleteMilestonePayload>): Promise<ContractState> {
  const s = run.state;
  const { actor, payload: p } = i;
  const m = s.milestones.find((x) => x.id === p.milestoneId)!;
  // Anything that may refuse runs before the state changes.
  const successor = m.kind === 'reprocurement_start' ? await startReprocurement(run, m, actor) : undefined;

  const at = run.now();
  const today = run.today();
  m.status = 'done';
  m.completion = {
    outcome: p.outcome,
    note: p.note,
    by: { sub: actor.sub, name: actor.name },
    at,
    ...(p.reference ? { reference: p.reference } : {}),
    ...(p.outcome === 'deviation' && p.severity ? { severity: p.severity } : {}),
  };
  // The direct award's record is content: it goes to the chain, the state keeps that it was made.
  const { directAwardDocumentation: record, ...facts } = p;
  s.commands.push({
    command: 'completeMilestone',
    actor: { sub: actor.sub, name: actor.name, org: actor.org },
    at,
    reason: p.note,
    payload: record ? facts : p,
  });
  run.event(
    'milestone.completed',
    actor,
    { id: m.id, kind: m.kind, outcome: p.outcome, extend: p.extend, months: p.months, severity: p.severity },
    p.note,
  );
  if (record) {
    m.completion.documentationRecorded = true;
    run.event(
      'contract.direct_award_documented',
      actor,
      {
        milestoneId: m.id,
        paragraph: DIRECT_AWARD_DOCUMENTATION_PARAGRAPH,
        record,
        tenders: tendersReceived(record),
        suppliersAsked: record.suppliersAsked.length,
      },
      undefined,
    );
  }

  if (m.kind === 'extension_decision') decideExtension(run, m, p, actor);
  if (m.kind === 'sanction_decision') decideSanction(run, m, p, actor);
  if (successor) {
    s.successorTenderId = successor;
    m.completion.successorTenderId = successor;
  }
  if (p.outcome === 'deviation') {
    const c = run.add(correctiveAction(m, today, s.policy, p.correctiveDueDate));
    m.completion.correctiveActionId = c.id;
    const sanctionId = planSanctionDecision(run, m, p, actor);
    if (sanctionId) m.completion.sanctionDecisionId = sanctionId;
    run.event('milestone.planned', actor, { id: c.id, kind: c.kind, dueDate: c.dueDate, correctiveFor: m.id }, p.note);
    run.message(
      'other',
      [...run.ownerRecipients(c), `role:category_manager@${s.organization}#${s.category}`],
      `${s.id}: deviation in ${m.title}`,
      `${actor.name} recorded a deviation in ${m.id} "${m.title}": ${p.note}. Corrective action ${c.id} is due ${c.dueDate}.`,
      {
        topic: 'milestone_deviation',
        milestone: run.milestoneRef(m),
        note: p.note,
        by: { sub: actor.sub, name: actor.name },
        correctiveAction: run.milestoneRef(c),
        deadline: milestoneDeadline(c),
      },
    );
  }
  run.closeIfDone();
  await run.commit();
  return run.committed;
}

export function decideExtension(run: ContractRun, m: Milestone, p: CompleteMilestonePayload, actor: Actor): void {
  const s = run.state;
  const by = { sub: actor.sub, name: actor.name };
  if (p.extend) {
    const months = p.months ?? nextOptionMonths(run.input.contract.options ?? [], s.optionMonthsRemaining);
    const from = s.endDate;
    const to = addMonths(from, months);
    s.endDate = to;
    s.optionMonthsRemaining -= months;
    s.latestEndDate = addMonths(to, s.optionMonthsRemaining);
    s.extensions.push({ milestoneId: m.id, extend: true, months, from, to, decidedBy: by, at: run.now() });
    m.completion!.extend = true;
    m.completion!.months = months;
    // With a rolling horizon, only what falls before the horizon (which the new end may move); the
    // horizon plans the rest as the contract years pass.
    const until = s.plannedUntil === undefined ? to : planningHorizon(s.startDate, s.cycle, to);
    const grown = until > from ? run.recurring(from, until) : [];
    if (s.plannedUntil !== undefined && until > s.plannedUntil) s.plannedUntil = until;
    const next = extensionDecision(to, s.optionMonthsRemaining, s.policy);
    const added = [...grown, ...(next ? [next] : [])].map((x) => run.add(x));
    run.event(
      'contract.extended',
      actor,
      { from, to, months, optionMonthsRemaining: s.optionMonthsRemaining, added: added.map((x) => x.id) },
      p.note,
    );
    run.message(
      'other',
      [`role:procurement_officer@${s.organization}`, `role:contract_manager@${s.organization}`],
      `${s.id}: extended to ${to}`,
      `The contract with ${s.supplier} is extended by ${months} months, from ${from} to ${to}. ${p.note}`,
      {
        topic: 'contract_extended',
        contractId: s.id,
        supplier: s.supplier,
        from,
        to,
        months,
        note: p.note,
      },
    );
    return;
  }
  s.extensions.push({
    milestoneId: m.id,
    extend: false,
    months: 0,
    from: s.endDate,
    to: s.endDate,
    decidedBy: by,
    at: run.now(),
  });
  m.completion!.extend = false;
  run.event(
    'contract.extension_declined',
    actor,
    { endDate: s.endDate, optionMonthsDeclined: s.optionMonthsRemaining },
    p.note,
  );
  run.finalEnd();
  run.message(
    'other',
    [`role:procurement_officer@${s.organization}`, `role:contract_manager@${s.organization}`],
    `${s.id}: ends ${s.endDate}`,
    `No extension: the contract with ${s.supplier} ends ${s.endDate}. Re-procurement is due to start. ${p.note}`,
    {
      topic: 'contract_ends',
      contractId: s.id,
      supplier: s.supplier,
      endDate: s.endDate,
      note: p.note,
    },
  );
}

/** A new tender in needs_analysis, linked to this one; it lives on its own (ABANDON). */
export async function startReprocurement(run: ContractRun, m: Milestone, actor: Actor): Promise<string> {
  const s = run.state;
  // The keys recorded with the start are the ones it carries, whatever a rotation adds meanwhile.
  const commandKeys = run.keys.all();
  let start;
  try {
    start = await prepareReprocurement({
      commandKeys,
      workflowId: s.workflowId,
      milestoneId: m.id,
      previousTenderId: s.tenderId,
      title: s.title,
      organization: s.organization,
      category: s.category,
      contractType: run.input.contractType,
      estimatedValueSek: run.input.estimatedValueSek,
      frameworkAgreement: run.input.frameworkAgreement,
      ...(run.input.contractTermMonths !== undefined ? { contractTermMonths: run.input.contractTermMonths } : {}),
      extensionOptionMonths: (run.input.contract.options ?? []).reduce((a, o) => a + o.months, 0),
      ...(awardedByDecisionToProcure(run.input.procedure) ? { procedure: 'direct_award' as const } : {}),
      createdBy: actor,
      createdAt: run.now(),
    });
  } catch (err) {
    if (
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === 'ReprocurementRefused'
    ) {
      throw toFailure(
        refuse('RuleViolation', `The re-procurement cannot start: ${err.cause.message}`, {
          rule: 'reprocurement_refused',
        }),
      );
    }
    throw err;
  }
  // The keys the records pin (prepareReprocurement answers them); a result recorded before it did carries none.
  const recorded = (start as { commandKeys?: typeof commandKeys }).commandKeys;
  await startChild<TenderWorkflow>('tenderWorkflow', {
    workflowId: tenderWorkflowId(start.id),
    args: [{ ...start, commandKeys: recorded ?? commandKeys }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  run.event('reprocurement.started', actor, {
    tenderId: start.id,
    workflowId: tenderWorkflowId(start.id),
    milestoneId: m.id,
  });
  return start.id;
}
