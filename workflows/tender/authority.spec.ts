import type { Actor, Gate, Role } from '@tenderflow/domain/types';
import { ROLES } from '@tenderflow/domain/types';
import { mayCompleteMilestone } from '../shared/authority';
import { mayIssueCommand, mayRespondForBody, phaseAllows, type TenderAuthorityView } from './authority';
import { gateEligibility, mayDecideGate } from './tender.gates';
import type { CommandName, CommandPayloads } from '@tenderflow/temporal-common/tender-types';

const ORG = 'HSN';
const tender: TenderAuthorityView = {
  organization: ORG,
  estimatedValueSek: 4_000_000,
  phase: 'evaluation',
  pendingGates: (['decision_to_procure', 'documents_approval', 'award_decision', 'cancellation'] as Gate[]).map(
    (gate) => {
      const eligibility = gateEligibility(
        { organization: ORG, estimatedValueSek: 4_000_000, evaluators: [] },
        'requester',
      );
      return {
        gate,
        requestedBy: { sub: 'requester', name: 'R' },
        since: '2026-11-25T10:00:00Z',
        mayDecide: '',
        eligibility,
      };
    },
  ),
  // The acting person in the matrix is appointed (declarations are the caller's own).
  evaluators: [
    {
      sub: 'me',
      name: 'Me',
      appointedBy: { sub: 'x', name: 'X' },
      appointedAt: '2026-11-25T10:00:00Z',
      status: 'appointed',
    },
  ],
  participants: [{ organization: 'KOMM', name: 'Kommunen', status: 'invited' }],
};

/** One person per role: of the tender's organisation (partners: of the invited body), limit above the value. */
const actorWith = (role: Role): Actor => ({
  sub: role === 'approver' ? 'boss' : 'me',
  name: role,
  org: role === 'partner' ? 'KOMM' : ORG,
  roles: [role],
  approvalLimitSek: role === 'approver' ? 10_000_000 : undefined,
});

const payloads: { [N in CommandName]: Partial<CommandPayloads[N]> } = {
  completeNeedsAnalysis: {},
  decideGate: { gate: 'award_decision' },
  registerDocuments: {},
  publish: {},
  selectCandidates: {},
  inviteToNegotiate: {},
  recordExAnteNotice: {},
  extendDeadline: {},
  askQuestion: {},
  answerQuestion: {},
  appointEvaluators: {},
  recordOpening: {},
  declareConflict: {},
  submitEvaluation: {},
  fileReview: {},
  recordRuling: {},
  registerContract: {},
  requestCancellation: {},
  registerRequirement: {},
  withdrawRequirement: {},
  assessTender: {},
  scoreTender: {},
  recordConsensus: {},
};

const OFFICER = ['procurement_officer', 'admin'];
const expected: Record<CommandName, readonly string[]> = {
  completeNeedsAnalysis: OFFICER,
  decideGate: ['approver'],
  registerDocuments: OFFICER,
  publish: OFFICER,
  selectCandidates: OFFICER,
  inviteToNegotiate: OFFICER,
  recordExAnteNotice: OFFICER,
  extendDeadline: OFFICER,
  askQuestion: OFFICER,
  answerQuestion: OFFICER,
  appointEvaluators: OFFICER,
  recordOpening: OFFICER,
  // Any role of the organisation that is an appointed evaluator ('me'); the approver in the matrix
  // is another person, the partner of another body.
  declareConflict: ['procurement_officer', 'category_manager', 'contract_manager', 'policy_admin', 'admin'],
  submitEvaluation: OFFICER,
  fileReview: OFFICER,
  recordRuling: OFFICER,
  registerContract: OFFICER,
  requestCancellation: OFFICER,
  registerRequirement: OFFICER,
  withdrawRequirement: OFFICER,
  assessTender: OFFICER,
  // Only an evaluator who has declared no conflict ('me' has not declared yet): nobody here.
  scoreTender: [],
  recordConsensus: OFFICER,
};

const matrix = (Object.keys(payloads) as CommandName[]).flatMap((command) =>
  ROLES.map((role) => [command, role, expected[command].includes(role)] as const),
);

describe('authority matrix: every role × every command', () => {
  it.each(matrix)('%s by %s → allowed: %s', (command, role, allowed) => {
    const verdict = mayIssueCommand(actorWith(role), tender, command, payloads[command]);
    expect(verdict.allowed).toBe(allowed);
    if (!verdict.allowed) expect(verdict.type).toBe('Forbidden');
  });
});

describe('authority: the finer rules', () => {
  const approver = actorWith('approver');

  it.each([
    ['another organisation', { ...approver, org: 'RS' }, 'organization'],
    ['a limit below the value', { ...approver, approvalLimitSek: 3_999_999 }, 'approval_limit'],
    ['no limit at all', { ...approver, approvalLimitSek: undefined }, 'approval_limit'],
    ['the requester', { ...approver, sub: 'requester' }, 'four_eyes'],
    ['an evaluator', { ...approver, sub: 'me' }, 'evaluator_excluded'],
    ['an admin without the approver role', { ...approver, roles: ['admin'] as Role[] }, 'role'],
  ])('a gate may not be decided by %s', (_what, actor, rule) => {
    expect(mayDecideGate(actor, tender, 'award_decision')).toMatchObject({ allowed: false, type: 'Forbidden', rule });
  });

  it('a limit exactly at the value is enough', () => {
    expect(mayDecideGate({ ...approver, approvalLimitSek: 4_000_000 }, tender, 'award_decision')).toEqual({
      allowed: true,
    });
  });

  it('a gate that is not pending: 409', () => {
    expect(mayDecideGate(approver, { ...tender, pendingGates: [] }, 'award_decision')).toMatchObject({
      allowed: false,
      type: 'Conflict',
    });
  });

  it('an admin acts as procurement officer for any organisation; an officer only for their own', () => {
    expect(mayIssueCommand({ ...actorWith('admin'), org: 'RS' }, tender, 'publish').allowed).toBe(true);
    expect(mayIssueCommand({ ...actorWith('procurement_officer'), org: 'RS' }, tender, 'publish')).toMatchObject({
      allowed: false,
      rule: 'organization',
    });
  });

  it("a partner answers only for its own body, and only when invited (the API asks before it reaches the body's workflow)", () => {
    const partner = actorWith('partner');
    expect(mayRespondForBody(partner, tender, 'RS')).toMatchObject({ allowed: false, rule: 'own_body_only' });
    expect(mayRespondForBody({ ...partner, org: 'RS' }, tender, 'RS')).toMatchObject({
      allowed: false,
      rule: 'not_invited',
    });
    expect(mayRespondForBody(actorWith('procurement_officer'), tender, 'KOMM')).toMatchObject({
      allowed: false,
      rule: 'role',
    });
    expect(mayRespondForBody(partner, tender, 'KOMM').allowed).toBe(true);
  });

  it('milestones: contract managers of the organisation; procurement officers too for the procurement side', () => {
    const contract = { organization: ORG };
    expect(mayCompleteMilestone(actorWith('contract_manager'), contract, 'using_unit').allowed).toBe(true);
    expect(mayCompleteMilestone(actorWith('contract_manager'), contract, 'procurement').allowed).toBe(true);
    expect(mayCompleteMilestone(actorWith('procurement_officer'), contract, 'procurement').allowed).toBe(true);
    expect(mayCompleteMilestone(actorWith('procurement_officer'), contract, 'using_unit')).toMatchObject({
      allowed: false,
      type: 'Forbidden',
      rule: 'role',
    });
    expect(mayCompleteMilestone({ ...actorWith('contract_manager'), org: 'RS' }, contract, 'using_unit')).toMatchObject(
      { allowed: false, rule: 'organization' },
    );
    expect(mayCompleteMilestone(actorWith('partner'), contract, 'procurement')).toMatchObject({
      allowed: false,
      rule: 'role',
    });
    expect(mayCompleteMilestone({ ...actorWith('admin'), org: 'RS' }, contract, 'using_unit').allowed).toBe(true);
  });

  it('a declaration by someone of another organisation, or not appointed, is refused', () => {
    expect(mayIssueCommand({ ...actorWith('contract_manager'), org: 'RS' }, tender, 'declareConflict')).toMatchObject({
      allowed: false,
      rule: 'organization',
    });
    expect(
      mayIssueCommand({ ...actorWith('contract_manager'), sub: 'nobody' }, tender, 'declareConflict'),
    ).toMatchObject({
      allowed: false,
      rule: 'not_an_evaluator',
    });
  });

  it('a command without a valid actor is a bad request', () => {
    expect(mayIssueCommand(undefined as unknown as Actor, tender, 'publish')).toMatchObject({
      allowed: false,
      type: 'BadRequest',
    });
  });

  it.each([
    ['publish', 'evaluation', false],
    ['publish', 'documents', true],
    ['requestCancellation', 'under_review', true],
    ['requestCancellation', 'contract', false],
    ['requestCancellation', 'follow_up', false],
    ['fileReview', 'standstill', true],
    ['fileReview', 'contract', false],
  ] as const)('phase: %s in %s → %s', (command, phase, allowed) => {
    const v = phaseAllows({ phase }, command);
    expect(v.allowed).toBe(allowed);
    if (!v.allowed) expect(v.type).toBe('InvalidPhase');
  });

  it.each([
    ['decision_to_procure', 'needs_analysis', true],
    ['documents_approval', 'needs_analysis', false],
    ['award_decision', 'award_decision', true],
    ['cancellation', 'contract', true],
    ['cancellation', 'completed', false],
  ] as const)('phase: gate %s in %s → %s', (gate, phase, allowed) => {
    expect(phaseAllows({ phase }, 'decideGate', { gate }).allowed).toBe(allowed);
  });
});
