/**
 * What a person may do now on a tender, and by when (issue "what do I do next"): the commands whose
 * authority (authority.ts `mayIssueCommand`, the partner's `mayRespondForBody`) and phase
 * (`phaseAllows`) admit the person, the same functions the API's guard and the workflow's validators
 * ask, narrowed by what the tender's state already shows would be refused (documents not approved,
 * no unanswered question, a gate already pending, …). The workflow still decides each command; this
 * only decides which forms the console offers and whose list a tender is waiting in.
 *
 * Pure: no I/O, no clock (the caller's "now" is not needed: running deadlines are in the state).
 */
import type { Actor, Gate } from '@tenderflow/domain/types';
import { FINAL_PHASES } from '@tenderflow/domain/types';
import type { CommandName, Deadline, GateAuthority, TenderState } from '@tenderflow/temporal-common/tender-types';
import { mayIssueCommand, mayRespondForBody, phaseAllows } from './authority';
import { registerOpen } from './tender.checks';
import { assessmentVerdict } from './commands/assessment';
import { sheetKey } from '@tenderflow/domain/scoring';
import { rankingOf } from './commands/scoring';

/** The commands of the HTTP contract (ARCHITECTURE §6), and the one a partner sends to its body's coordination. */
export type ActionName = CommandName | 'respondToInvitation';

export interface TenderAction {
  command: ActionName;
  method: 'POST';
  /** The route, with the tender's id filled in; `{qid}` and `{rid}` stand for a question's or review's id. */
  path: string;
  /** decideGate: which gate (one action per gate the person may decide). */
  gate?: Gate;
  /** decideGate under the delegation order: the item, the function and, for a substitute, whom they stand in for. */
  authority?: GateAuthority;
  /** respondToInvitation: the body the person answers for. */
  organization?: string;
  /** The running deadline the action is due by, with its basis, when one applies. */
  due?: Pick<Deadline, 'kind' | 'lastDay' | 'at' | 'basis'>;
}

export interface TenderActions {
  actions: TenderAction[];
  /** The tender's next running deadline (whoever it binds), with its basis. */
  nextDeadline: Pick<Deadline, 'kind' | 'lastDay' | 'at' | 'basis'> | null;
}

/** The route of each command under /tenders/{id}. */
export const ACTION_PATHS: Readonly<Record<ActionName, string>> = {
  completeNeedsAnalysis: 'needs-analysis',
  decideGate: 'gates/{gate}/decision',
  registerDocuments: 'documents',
  publish: 'publication',
  selectCandidates: 'candidates',
  inviteToNegotiate: 'negotiation',
  recordExAnteNotice: 'ex-ante-notice',
  extendDeadline: 'deadline-extensions',
  askQuestion: 'questions',
  answerQuestion: 'questions/{qid}/answer',
  appointEvaluators: 'evaluators',
  recordOpening: 'opening',
  declareConflict: 'conflict-declarations',
  submitEvaluation: 'evaluation',
  fileReview: 'reviews',
  recordRuling: 'reviews/{rid}/ruling',
  registerContract: 'contract',
  requestCancellation: 'cancellation',
  registerRequirement: 'requirements',
  withdrawRequirement: 'requirements/{rid}/withdrawal',
  assessTender: 'assessments',
  scoreTender: 'scores',
  recordConsensus: 'consensus',
  respondToInvitation: 'coordination/{org}/response',
};

/** The running deadline each command answers to, where one does. */
const DUE_BY: Partial<Record<ActionName, readonly string[]>> = {
  answerQuestion: ['latest_answer', 'tender_deadline'],
  selectCandidates: ['tender_deadline'],
  recordOpening: ['opening_due'],
  respondToInvitation: ['coordination_response'],
  fileReview: ['standstill'],
  extendDeadline: ['request_deadline', 'tender_deadline'],
};

/** What the state shows about whether a command would be taken now (beyond authority and phase). */
function ready(s: TenderState, command: CommandName): boolean {
  const pending = (g: Gate) => s.pendingGates.some((p) => p.gate === g);
  const withoutNotice = s.procedure === 'negotiated_without_notice';
  switch (command) {
    case 'completeNeedsAnalysis':
      return !pending('decision_to_procure');
    case 'registerDocuments':
      return !pending('documents_approval') && !s.documents?.approved;
    case 'registerRequirement':
      return registerOpen(s).allowed;
    case 'withdrawRequirement':
      return registerOpen(s).allowed && (s.requirements ?? []).some((r) => !r.withdrawn);
    case 'publish':
      return Boolean(s.documents?.approved) && !s.publication && !withoutNotice;
    case 'inviteToNegotiate':
      return withoutNotice && Boolean(s.documents?.approved) && !s.negotiation;
    case 'recordExAnteNotice':
      return withoutNotice && !s.exAnteNotice;
    case 'selectCandidates':
      return s.stage === 'selection';
    case 'extendDeadline':
      return s.deadlines.some((d) => d.kind === 'tender_deadline' || d.kind === 'request_deadline');
    case 'answerQuestion':
      return s.questions.some((q) => !q.answeredAt);
    case 'recordOpening':
      return !s.opening;
    case 'submitEvaluation':
      return !pending('award_decision') && assessmentVerdict(s, []).allowed;
    case 'assessTender':
      return (s.tendersReceived ?? []).some((t) => !t.late);
    case 'scoreTender':
      return (
        (s.requirements ?? []).some((r) => r.kind === 'award_criterion' && !r.withdrawn) &&
        rankingOf(s).some((l) => l.model.kind !== 'lowest_price' && l.missing.some((m) => m.consensus))
      );
    case 'recordConsensus':
      return (s.scoreSheets ?? []).some(
        (x) => !(s.consensus ?? []).some((c) => sheetKey(c.supplier, c.lot) === sheetKey(x.supplier, x.lot)),
      );
    case 'recordRuling':
      return s.reviews.some((r) => r.status === 'pending');
    case 'registerContract':
      return !s.contract;
    case 'requestCancellation':
      return !pending('cancellation');
    default:
      return true;
  }
}

function dueOf(s: TenderState, command: ActionName): TenderAction['due'] {
  const kinds = DUE_BY[command];
  if (!kinds) return undefined;
  const d = earliest(s.deadlines.filter((x) => kinds.includes(x.kind)));
  return d ? { kind: d.kind, lastDay: d.lastDay, at: d.at, basis: d.basis } : undefined;
}

function earliest(deadlines: readonly Deadline[]): Deadline | undefined {
  return [...deadlines].sort((a, b) => a.at.localeCompare(b.at))[0];
}

/** The commands `actor` may send to the tender now, each with its route and the deadline it is due by. */
export function actionsFor(
  actor: Actor,
  s: TenderState,
  authorities: ReadonlyMap<string, GateAuthority> = new Map(),
): TenderActions {
  const next = earliest(s.deadlines);
  const nextDeadline = next ? { kind: next.kind, lastDay: next.lastDay, at: next.at, basis: next.basis } : null;
  if (FINAL_PHASES.includes(s.phase)) return { actions: [], nextDeadline };
  const route = (command: ActionName, fill: Record<string, string> = {}) =>
    `/tenders/${s.id}/${ACTION_PATHS[command].replace(/\{(gate|org)\}/g, (_, k: string) => fill[k] ?? `{${k}}`)}`;
  const actions: TenderAction[] = [];
  for (const command of Object.keys(ACTION_PATHS) as ActionName[]) {
    if (command === 'respondToInvitation') {
      const own = s.participants.find((p) => p.organization === actor.org && p.status === 'invited');
      if (own && mayRespondForBody(actor, s, own.organization).allowed) {
        actions.push({
          command,
          method: 'POST',
          path: route(command, { org: own.organization }),
          organization: own.organization,
          due: dueOf(s, command),
        });
      }
      continue;
    }
    if (command === 'decideGate') {
      for (const g of s.pendingGates) {
        if (g.approvals?.some((a) => a.by.sub === actor.sub)) continue;
        const authority = authorities.get(g.gate);
        const payload = { gate: g.gate, ...(authority ? { authority } : {}) };
        if (mayIssueCommand(actor, s, command, payload).allowed && phaseAllows(s, command, payload).allowed) {
          actions.push({
            command,
            method: 'POST',
            path: route(command, { gate: g.gate }),
            gate: g.gate,
            ...(authority ? { authority } : {}),
          });
        }
      }
      continue;
    }
    if (!mayIssueCommand(actor, s, command).allowed || !phaseAllows(s, command).allowed || !ready(s, command)) continue;
    actions.push({ command, method: 'POST', path: route(command), due: dueOf(s, command) });
  }
  return { actions, nextDeadline };
}

/**
 * Whether the tender waits for `actor`: a gate they may decide, their own conflict declaration, their
 * body's answer to an invitation, or, for the tender's procurement officers, a step of the procedure
 * that is theirs to take (not one that waits for a decision or a period to run out).
 */
export function waitsFor(
  actor: Actor,
  s: TenderState,
  authorities: ReadonlyMap<string, GateAuthority> = new Map(),
): boolean {
  return actionsFor(actor, s, authorities).actions.some((a) => WAITING_COMMANDS.has(a.command));
}

/** The commands that move a tender on; the rest (questions, extensions, reviews, cancellation) are always possible but never awaited. */
const WAITING_COMMANDS: ReadonlySet<ActionName> = new Set<ActionName>([
  'completeNeedsAnalysis',
  'decideGate',
  'registerDocuments',
  'publish',
  'selectCandidates',
  'inviteToNegotiate',
  'answerQuestion',
  'recordOpening',
  'declareConflict',
  'submitEvaluation',
  'recordRuling',
  'registerContract',
  'respondToInvitation',
]);
