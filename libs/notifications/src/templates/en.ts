import type { DeadlineRef, MilestoneRef } from '@tenderflow/temporal-common/message-refs';
import type { Gate } from '@tenderflow/domain/types';
import type { GateEligibility } from '@tenderflow/temporal-common/tender-types';
import type { Recipient } from '../recipients';
import { amount, longDate, swedishDay } from './format';
import { GATE_PARAGRAPH } from './paths';
import type { MessageFacts, MessageParts, TenderFacts, Texts } from './types';

/** English, for people whose directory entry says so (preferredLanguage "en"). Swedish is the default. */

const GATES: Record<Gate, string> = {
  decision_to_procure: 'the decision to procure',
  documents_approval: 'the approval of the procurement documents',
  award_decision: 'the award decision',
  cancellation: 'the decision to cancel the procurement',
};

const DEADLINES: Record<string, string> = {
  tender_deadline: 'the tender deadline',
  request_deadline: 'the deadline for requests to participate',
  question_cutoff: 'the last day for questions',
  latest_answer: 'the last day for answers',
  opening_due: 'the opening of tenders',
  standstill: 'the standstill period',
  review_hold: 'the standstill after review',
  post_award_notice: 'the contract award notice',
  documentation: 'the documentation of the procurement',
  coordination_response: 'the answer to the joint procurement invitation',
  startup_meeting: 'the start-up meeting',
  periodic_review: 'the periodic review',
  labour_conditions_check: 'the labour conditions check',
  sustainability_check: 'the sustainability check',
  extension_decision: 'the extension decision',
  reprocurement_start: 'the start of the re-procurement',
  corrective_action: 'the corrective action',
};

const ROLES: Record<string, string> = {
  approver: 'approver',
  category_manager: 'category manager',
  procurement_officer: 'procurement officer',
  contract_manager: 'contract manager',
  partner: 'contact of a partner body',
  admin: 'administrator',
};

const date = (day: string) => longDate(day, 'en-GB');
const sek = (n: number) => `SEK ${amount(n, 'en-GB')}`;
const deadlineName = (kind: string) => DEADLINES[kind] ?? kind.replace(/_/g, ' ');
const quoted = (text: string) => text.split('\n').map((l) => `  > ${l}`);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function eligibilityText(e: GateEligibility): string {
  return (
    `an approver of ${e.organization} with an approval limit of at least ${sek(e.minApprovalLimitSek)} ` +
    `who did not ask for the decision and does not evaluate the tender (four eyes; not: ${e.excluded.join(', ')})`
  );
}

function gateBasis(gate: Gate, e: GateEligibility): string {
  const paragraph = GATE_PARAGRAPH[gate];
  const law = paragraph
    ? `${paragraph} (the tenderers are notified of the decision, with its reasons)`
    : "no LOU requirement; the organisation's delegation order and procurement policy";
  return `${law}. Decided by ${eligibilityText(e)}.`;
}

const dueText = (d: DeadlineRef, passed = false) =>
  `${passed ? 'was due by' : 'by'} ${date(d.lastDay)} (${deadlineName(d.kind)})`;

const tenderDeadline = (t: TenderFacts) =>
  t.nextDeadline
    ? ` The procurement's next deadline: ${deadlineName(t.nextDeadline.kind)}, ${date(swedishDay(t.nextDeadline.at))}.`
    : '';

const milestoneLine = (m: MilestoneRef) =>
  `follow-up milestone ${m.id} "${m.title}" of contract ${m.contractId} with ${m.supplier} (owner: ${m.owner === 'using_unit' ? 'the using unit' : 'the procurement department'})`;

function parts(m: MessageFacts): MessageParts {
  const t = m.tender;
  const a = m.about;
  switch (a?.topic) {
    case 'gate_request':
      return {
        ask: `${a.requestedBy.name} asks you to take ${GATES[a.gate]} in procurement ${t.id}. You may approve, reject or request changes.`,
        details: a.reason ? ['Request:', ...quoted(a.reason)] : undefined,
        basis: gateBasis(a.gate, a.eligibility),
        deadline: `No statutory time limit for the decision; it has waited since ${date(swedishDay(a.since))}.${tenderDeadline(t)}`,
      };
    case 'gate_escalated':
      return {
        ask:
          `No one can take ${GATES[a.gate]} in procurement ${t.id}: the directory has no one reachable by e-mail who may decide, that is ` +
          `${eligibilityText(a.eligibility)}. Make sure someone with a sufficient limit gets it (delegation order, directory); it is escalated to you.`,
        details: [
          a.unreachable.length
            ? `Eligible but without an e-mail address in the directory: ${a.unreachable.map((p) => p.name).join(', ')}.`
            : 'No one in the directory meets the conditions.',
          `Requested by ${a.requestedBy.name}.`,
        ],
        basis: gateBasis(a.gate, a.eligibility),
        deadline: `Waiting since ${date(swedishDay(a.since))}; nothing can be decided until an eligible approver exists.${tenderDeadline(t)}`,
      };
    case 'changes_requested':
      return {
        ask: `${a.by.name} requests changes before ${GATES[a.gate]} can be taken in procurement ${t.id}. Make them and ask for the decision again.`,
        details: ['Comment:', ...quoted(a.comment)],
        basis: GATE_PARAGRAPH[a.gate] ?? "The organisation's delegation order and procurement policy.",
        deadline: `No statutory time limit.${tenderDeadline(t)}`,
      };
    case 'conflict_declared':
      return {
        ask: `${a.evaluator.name} declared a conflict of interest and is removed from the evaluation of ${t.id}. Appoint a replacement if needed.`,
        basis: '4 kap. 4 § LOU (conflicts of interest); every evaluator declares before the evaluation.',
        deadline: `The evaluation cannot be submitted until every evaluator has declared.${tenderDeadline(t)}`,
      };
    case 'tender_ended':
      return {
        ask: `Procurement ${t.id} ${a.outcome === 'cancelled' ? 'is cancelled' : 'ended without result'}. Document the procurement.`,
        details: ['Reason:', ...quoted(a.reason)],
        basis: `${a.outcome === 'cancelled' ? '12 kap. 12 § LOU (notice of the decision to cancel, with reasons); ' : ''}${a.deadline.basis}`,
        deadline: `The documentation is due ${dueText(a.deadline)}.`,
      };
    case 'deadline_overdue':
      return {
        ask: `${capitalise(deadlineName(a.deadline.kind))} in procurement ${t.id} is overdue. Make sure it is done.`,
        basis: a.deadline.basis,
        deadline: `It ${dueText(a.deadline, true)}.`,
      };
    case 'joint_invitation':
      return {
        ask:
          `${a.reminder ? 'Reminder: ' : ''}${a.invitingOrganization} invites ${a.body.name} (${a.body.organization}) to join procurement ${t.id}. ` +
          'Answer join (with your estimated volume and mandate) or decline (with a reason).',
        basis: `${a.deadline.basis}. Bodies that have not answered by then are out.`,
        deadline: `Answer ${dueText(a.deadline)}.`,
        calendar: {
          summary: `Answer the invitation: ${t.id} ${t.title ?? ''}`.trim(),
          description: `${a.invitingOrganization} awaits ${a.body.name}'s answer on joint procurement ${t.id}.`,
        },
      };
    case 'milestone_due':
      return {
        ask: `Reminder: ${milestoneLine(a.milestone)} is due ${dueText(a.deadline)}.`,
        basis: a.deadline.basis,
        deadline: `By ${date(a.deadline.lastDay)}.`,
        calendar: {
          summary: `${a.milestone.id} ${a.milestone.title} (${a.milestone.contractId})`,
          description: `Follow-up of contract ${a.milestone.contractId} with ${a.milestone.supplier}. Basis: ${a.deadline.basis}`,
        },
      };
    case 'milestone_overdue':
      return {
        ask: `${capitalise(milestoneLine(a.milestone))} is overdue${a.escalation > 1 ? ` (escalation ${a.escalation})` : ''}.`,
        basis: a.deadline.basis,
        deadline: `It ${dueText(a.deadline, true)}.`,
      };
    case 'milestone_deviation':
      return {
        ask: `${a.by.name} recorded a deviation in ${milestoneLine(a.milestone)}. Corrective action ${a.correctiveAction.id} "${a.correctiveAction.title}" is due ${dueText(a.deadline)}.`,
        details: ['Deviation:', ...quoted(a.note)],
        basis: a.deadline.basis,
        deadline: `By ${date(a.deadline.lastDay)}.`,
        calendar: {
          summary: `${a.correctiveAction.id} ${a.correctiveAction.title} (${a.correctiveAction.contractId})`,
          description: `Corrective action after a deviation in ${a.milestone.id}. Basis: ${a.deadline.basis}`,
        },
      };
    case 'contract_extended':
      return {
        ask: `Contract ${a.contractId} with ${a.supplier} is extended by ${a.months} months, from ${date(a.from)} to ${date(a.to)}.`,
        details: a.note ? ['Note:', ...quoted(a.note)] : undefined,
        basis: 'An extension option of the contract; the decision is recorded in the follow-up.',
        deadline: `The contract now runs until ${date(a.to)}.`,
      };
    case 'contract_ends':
      return {
        ask: `Contract ${a.contractId} with ${a.supplier} is not extended and ends ${date(a.endDate)}. A new procurement needs to start.`,
        details: a.note ? ['Note:', ...quoted(a.note)] : undefined,
        basis: "The contract's terms and the organisation's policy for re-procurement before the end.",
        deadline: `The contract ends ${date(a.endDate)}.`,
      };
    default:
      return {
        ask: `A message (${m.kind.replace(/_/g, ' ')}) about procurement ${t.id}:`,
        details: quoted(m.fallback.body),
        basis: 'See the procurement.',
        deadline: `See the procurement.${tenderDeadline(t)}`,
      };
  }
}

function why(via: Recipient): string {
  switch (via.type) {
    case 'user':
      return 'You receive this because you are named in the matter.';
    case 'role':
      return `You receive this as ${ROLES[via.role] ?? via.role} of ${via.organization}${via.category ? ` (category ${via.category})` : ''}.`;
    case 'org':
      return `You receive this as a contact of ${via.organization}.`;
    default:
      return 'You receive this as the contact address of the matter.';
  }
}

export const en: Texts = {
  subject: (t) => `Procurement ${t.id}${t.title ? `: ${t.title}` : ''}`,
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  labels: { tender: 'Procurement', ask: 'What is asked', basis: 'Basis', deadline: 'Deadline', act: 'Where you act' },
  tenderLine: (t) =>
    [
      `${t.id}${t.title ? ` "${t.title}"` : ''}`,
      t.organization ? `${t.organization}${t.category ? `, category ${t.category}` : ''}` : undefined,
      t.estimatedValueSek !== undefined ? `estimated value ${sek(t.estimatedValueSek)}` : undefined,
    ]
      .filter(Boolean)
      .join(' – '),
  why,
  footer: 'Sent automatically by Tenderflow. Replies to this e-mail are not read; use the links above.',
  parts,
  actions: {
    decide: 'Take the decision',
    inbox: 'Your inbox',
    tender: 'The procurement',
    escalated: 'Escalated decisions',
    people: 'The directory of people (administrators)',
    evaluators: 'Appoint evaluators',
    opening: 'Record the opening',
    respond: 'Answer the invitation',
    complete: 'Mark as done',
    milestones: "The contract's milestones",
    contract: 'The contract',
    console: 'Open in Tenderflow',
  },
  linkHint: (body) => `(${body ? `with ${body}; ` : ''}with an API client and your token)`,
  gateName: (g) => GATES[g],
  date,
};
