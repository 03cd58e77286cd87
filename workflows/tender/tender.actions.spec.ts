import type { Actor, Phase } from '@tenderflow/domain/types';
import type { Deadline, PendingGate, TenderState } from '@tenderflow/temporal-common/tender-types';
import { actionsFor, waitsFor } from './tender.actions';
import { gateEligibility } from './tender.gates';

const ORG = 'HSN';
const officer: Actor = { sub: 'anna', name: 'Anna', org: ORG, roles: ['procurement_officer'] };
const approver: Actor = {
  sub: 'cecilia',
  name: 'Cecilia',
  org: ORG,
  roles: ['approver'],
  approvalLimitSek: 10_000_000,
};
const partner: Actor = { sub: 'kim', name: 'Kim', org: 'KOMM', roles: ['partner'] };

const deadline = (kind: string, lastDay: string): Deadline => ({
  kind,
  lastDay,
  at: `${lastDay}T22:59:59.999Z`,
  basis: `${kind} basis`,
});

function gate(g: PendingGate['gate'], requestedBy = 'anna'): PendingGate {
  return {
    gate: g,
    requestedBy: { sub: requestedBy, name: requestedBy },
    since: '2026-11-25T10:00:00Z',
    mayDecide: '',
    eligibility: gateEligibility({ organization: ORG, estimatedValueSek: 2_000_000, evaluators: [] }, requestedBy),
  };
}

/** A tender of HSN with what a test sets; the rest empty. */
function tender(phase: Phase, more: Partial<TenderState> = {}): TenderState {
  return {
    id: 'HSN-2026-00042',
    organization: ORG,
    estimatedValueSek: 2_000_000,
    procedure: 'open',
    phase,
    deadlines: [],
    pastDeadlines: [],
    pendingGates: [],
    participants: [],
    questions: [],
    evaluators: [],
    reviews: [],
    ...more,
  } as TenderState;
}

const commands = (a: Actor, s: TenderState) => actionsFor(a, s).actions.map((x) => x.gate ?? x.command);

describe('what a person may do now (tender.actions.ts)', () => {
  it('documents registered and awaiting approval: the officer waits, an approver other than the requester decides', () => {
    const s = tender('documents', {
      documents: { items: [], registeredBy: { sub: 'anna', name: 'Anna' }, registeredAt: '', approved: false },
      pendingGates: [gate('documents_approval')],
    });
    expect(commands(officer, s)).toEqual(['appointEvaluators', 'requestCancellation']);
    expect(waitsFor(officer, s)).toBe(false);
    expect(commands(approver, s)).toEqual(['documents_approval']);
    expect(waitsFor(approver, s)).toBe(true);
    const action = actionsFor(approver, s).actions[0];
    expect(action.path).toBe('/tenders/HSN-2026-00042/gates/documents_approval/decision');
    // The four-eyes rule: the officer who asked is no decider even with the approver role.
    expect(commands({ ...approver, sub: 'anna' }, s)).toEqual([]);
    // Dual approval: an approver who approved already is not asked again.
    const approved = { ...s, pendingGates: [{ ...gate('documents_approval'), approvals: [{ by: approver, at: '' }] }] };
    expect(commands(approver, approved)).toEqual([]);
  });

  it('approved documents: the officer publishes, and the open procedure offers no invitation to negotiate', () => {
    const s = tender('documents', {
      documents: { items: [], registeredBy: { sub: 'anna', name: 'Anna' }, registeredAt: '', approved: true },
    });
    expect(commands(officer, s)).toEqual(['publish', 'appointEvaluators', 'requestCancellation']);
    expect(actionsFor(officer, s).actions[0].path).toBe('/tenders/HSN-2026-00042/publication');
    expect(waitsFor(officer, s)).toBe(true);
    expect(commands(partner, s)).toEqual([]);
  });

  it('published with an unanswered question: the answer is due by the latest answer day; the next deadline is the earliest', () => {
    const s = tender('published', {
      stage: 'tendering',
      deadlines: [deadline('tender_deadline', '2027-01-29'), deadline('latest_answer', '2027-01-23')],
      questions: [{ id: 'Q1', receivedAt: '', registeredBy: { sub: 'anna', name: 'Anna' } }],
    });
    const actions = actionsFor(officer, s);
    expect(actions.actions.map((a) => a.command)).toEqual([
      'extendDeadline',
      'askQuestion',
      'answerQuestion',
      'appointEvaluators',
      'requestCancellation',
    ]);
    expect(actions.actions.find((a) => a.command === 'answerQuestion')?.due).toMatchObject({
      kind: 'latest_answer',
      lastDay: '2027-01-23',
    });
    expect(actions.nextDeadline).toMatchObject({ kind: 'latest_answer', lastDay: '2027-01-23' });
    expect(waitsFor(officer, s)).toBe(true);
    // Answered: the officer can still register questions and extend, but nothing waits for them.
    const answered = { ...s, questions: [{ ...s.questions[0], answeredAt: '2027-01-10T10:00:00Z' }] };
    expect(commands(officer, answered)).not.toContain('answerQuestion');
    expect(waitsFor(officer, answered)).toBe(false);
  });

  it('an invited body answers for itself, by its response deadline; another body and the officer do not', () => {
    const s = tender('coordination', {
      participants: [{ organization: 'KOMM', name: 'Kommunen', status: 'invited' }],
      deadlines: [deadline('coordination_response', '2026-12-18')],
    });
    expect(actionsFor(partner, s).actions).toEqual([
      {
        command: 'respondToInvitation',
        method: 'POST',
        path: '/tenders/HSN-2026-00042/coordination/KOMM/response',
        organization: 'KOMM',
        due: {
          kind: 'coordination_response',
          lastDay: '2026-12-18',
          at: '2026-12-18T22:59:59.999Z',
          basis: 'coordination_response basis',
        },
      },
    ]);
    expect(waitsFor(partner, s)).toBe(true);
    expect(commands({ ...partner, org: 'OTHER' }, s)).toEqual([]);
    const answered = { ...s, participants: [{ ...s.participants[0], status: 'joined' as const }] };
    expect(commands(partner, answered)).toEqual([]);
  });

  it('an appointed evaluator declares once; the evaluation waits for the officer only until it is submitted', () => {
    const appointed = {
      sub: 'eva',
      name: 'Eva',
      appointedBy: { sub: 'anna', name: 'Anna' },
      appointedAt: '',
      status: 'appointed' as const,
    };
    const eva: Actor = { sub: 'eva', name: 'Eva', org: ORG, roles: ['category_manager'] };
    const s = tender('evaluation', { evaluators: [appointed] });
    expect(commands(eva, s)).toEqual(['declareConflict']);
    expect(waitsFor(eva, s)).toBe(true);
    expect(commands(eva, { ...s, evaluators: [{ ...appointed, status: 'declared' }] })).toEqual([]);
    expect(commands(officer, s)).toContain('submitEvaluation');
    expect(commands(officer, { ...s, pendingGates: [gate('award_decision')] })).not.toContain('submitEvaluation');
  });

  it('a tender that has ended offers nothing to anyone', () => {
    for (const phase of ['completed', 'cancelled', 'unsuccessful'] as Phase[]) {
      expect(commands(officer, tender(phase))).toEqual([]);
      expect(commands({ ...officer, roles: ['admin'] }, tender(phase))).toEqual([]);
    }
  });

  it('another organisation’s officer is offered nothing', () => {
    const s = tender('needs_analysis');
    expect(commands(officer, s)).toEqual(['completeNeedsAnalysis', 'requestCancellation']);
    expect(commands({ ...officer, org: 'REGION' }, s)).toEqual([]);
  });
});
