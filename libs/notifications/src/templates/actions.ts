import type { DeadlineRef, MilestoneRef } from '@tenderflow/temporal-common/message-refs';
import { consolePaths, paths } from './paths';
import type { ActionLabels, ActionLink, MessageFacts } from './types';

const DECIDE_BODY = '{ "decision": "approve" | "reject" | "request_changes", "comment": "…" }';
const COMPLETE_BODY = '{ "outcome": "ok" | "deviation", "note": "…" }';

/**
 * Where the recipient of a message acts, in every language the same resources: first the console's
 * page (a browser is all the recipient needs), then the API resources for clients.
 */
export function actions(m: MessageFacts, l: ActionLabels): ActionLink[] {
  const page = consolePage(m);
  const api = apiActions(m, l);
  return page ? [{ label: l.console, method: 'GET', path: page }, ...api] : api;
}

/** The console's page for the message's act; none for a partner's invitation (the console has no partner page). */
function consolePage(m: MessageFacts): string | undefined {
  switch (m.about?.topic) {
    case 'gate_request':
      return consolePaths.approvals();
    case 'joint_invitation':
      return undefined;
    case 'milestone_due':
    case 'milestone_overdue':
    case 'milestone_deviation':
    case 'contract_extended':
    case 'contract_ends':
      return consolePaths.followUp();
    default:
      return consolePaths.tender(m.tender.id);
  }
}

function apiActions(m: MessageFacts, l: ActionLabels): ActionLink[] {
  const id = m.tender.id;
  const tender: ActionLink = { label: l.tender, method: 'GET', path: paths.tender(id) };
  const milestone = (x: MilestoneRef): ActionLink[] => [
    { label: l.complete, method: 'POST', path: paths.completion(x.contractId, x.id), hint: COMPLETE_BODY },
    { label: l.milestones, method: 'GET', path: paths.milestones(x.contractId) },
  ];
  const a = m.about;
  switch (a?.topic) {
    case 'gate_request':
      return [
        { label: l.decide, method: 'POST', path: paths.decision(id, a.gate), hint: DECIDE_BODY },
        { label: l.inbox, method: 'GET', path: paths.inbox() },
        tender,
      ];
    case 'gate_escalated':
      return [
        tender,
        { label: l.escalated, method: 'GET', path: paths.escalated() },
        { label: l.people, method: 'PUT', path: paths.people(a.eligibility.organization) },
      ];
    case 'conflict_declared':
      return [
        {
          label: l.evaluators,
          method: 'POST',
          path: paths.evaluators(id),
          hint: '{ "evaluators": [{ "sub": "…", "name": "…" }] }',
        },
        tender,
      ];
    case 'deadline_overdue':
      return a.deadline.kind === 'opening_due'
        ? [
            {
              label: l.opening,
              method: 'POST',
              path: paths.opening(id),
              hint: '{ "openers": ["…", "…"], "tenders": [ … ] }',
            },
            tender,
          ]
        : [tender];
    case 'joint_invitation':
      return [
        {
          label: l.respond,
          method: 'POST',
          path: paths.response(id, a.body.organization),
          hint: '{ "answer": "join" | "decline", … }',
        },
      ];
    case 'milestone_due':
    case 'milestone_overdue':
      return milestone(a.milestone);
    case 'milestone_deviation':
      return milestone(a.correctiveAction);
    case 'contract_extended':
      return [{ label: l.contract, method: 'GET', path: paths.contract(a.contractId) }];
    case 'contract_ends':
      return [{ label: l.milestones, method: 'GET', path: paths.milestones(a.contractId) }];
    default:
      return [tender];
  }
}

/** The deadline ahead that a reminder or an invitation puts in the recipient's calendar, with a UID stable per deadline. */
export function calendarDeadline(m: MessageFacts): { uid: string; deadline: DeadlineRef } | undefined {
  const a = m.about;
  switch (a?.topic) {
    case 'joint_invitation':
      return { uid: `${m.tender.id}.coordination.${a.body.organization}`, deadline: a.deadline };
    case 'milestone_due':
      return { uid: `${a.milestone.contractId}.${a.milestone.id}`, deadline: a.deadline };
    case 'milestone_deviation':
      return { uid: `${a.correctiveAction.contractId}.${a.correctiveAction.id}`, deadline: a.deadline };
    default:
      return undefined;
  }
}
