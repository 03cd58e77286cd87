import type { DelegationItem } from '@tenderflow/domain/delegation';
import type { Actor } from '@tenderflow/domain/types';
import type { CompleteMilestonePayload, ContractState, Milestone } from '@tenderflow/temporal-common/contract-types';
import type { ContractRun } from './contract.run';
import { maySanction } from './contract.sanctions';

/**
 * Who may decide a sanction when the tender pinned the delegation order's `contract_sanction` items
 * (the time-skipping spec contract.controls.spec.ts covers the policy's rule without them): the
 * decider's authority on the day, as the API found it in the directory, must fit an item whose limit
 * covers the decision's value. Only the rule, on a contract's state: the workflow asks it in its validator.
 */
const items: DelegationItem[] = [
  {
    id: '6.1',
    decision: 'contract_sanction',
    delegate: 'upphandlingschef',
    limit: { sek: 100_000 },
    reportToBoard: false,
    substitute: { function: 'ekonomidirektor' },
    furtherDelegation: { allowed: true, to: ['avtalscontroller'] },
  },
  {
    id: '6.2',
    decision: 'contract_sanction',
    delegate: 'regiondirektor',
    limit: { prisbasbelopp: 50 },
    reportToBoard: true,
    substitute: { nearestSuperior: true },
  },
];

const decision: Milestone = {
  id: 'M12',
  kind: 'sanction_decision',
  title: 'Sanction decision after M4 (Control 1: K1 (document))',
  owner: 'procurement',
  dueDate: '2027-07-02',
  dueAt: '2027-07-02T21:59:59.000Z',
  remindAt: null,
  basis: 'policy',
  status: 'scheduled',
  escalations: 0,
  sanctionFor: { milestoneId: 'M4', severity: 'major', recordedBy: { sub: 'carl', name: 'Carl Avtal' } },
};

function run(delegated: boolean): ContractRun {
  const state = {
    organization: 'HSN',
    valueSek: 3_900_000,
    milestones: [decision],
    sanctions: {
      declared: [
        { kind: 'penalty', clauseReference: 'AV 14.2', maxAmountSek: 200_000 },
        { kind: 'termination', clauseReference: 'AV 15.1' },
      ],
      ...(delegated ? { delegation: { version: 4, items } } : {}),
    },
  } as unknown as ContractState;
  return { state, today: () => '2027-06-02' } as unknown as ContractRun;
}

const approver = (sub: string): Actor => ({ sub, name: sub, org: 'HSN', roles: ['approver'] });
const payload = (
  sanction: CompleteMilestonePayload['sanction'],
  authority?: CompleteMilestonePayload['authority'],
): CompleteMilestonePayload => ({
  milestoneId: 'M12',
  outcome: 'ok',
  note: 'Per AV 14.2',
  sanction,
  ...(authority ? { authority } : {}),
});
const penalty = (amountSek: number) => ({ decision: 'impose' as const, kind: 'penalty' as const, amountSek });

describe('sanction decisions under the delegation order the tender pinned', () => {
  it('takes the decision from an authority that fits an item covering its value, and from no one else', () => {
    const r = run(true);
    const chief = { item: '6.1', function: 'upphandlingschef', via: 'delegate' as const };
    expect(maySanction(r, decision, approver('ulla'), payload(penalty(50_000), chief))).toEqual({ allowed: true });
    // Further delegation the item allows, and a substitute for its delegate.
    expect(
      maySanction(
        r,
        decision,
        approver('ake'),
        payload(penalty(50_000), { item: '6.1', function: 'avtalscontroller', via: 'further' }),
      ),
    ).toEqual({ allowed: true });
    expect(
      maySanction(
        r,
        decision,
        approver('eva'),
        payload(penalty(50_000), {
          item: '6.1',
          function: 'upphandlingschef',
          via: 'substitute',
          asSubstituteFor: { sub: 'ulla', name: 'Ulla' },
        }),
      ),
    ).toEqual({ allowed: true });
    // No authority found in the directory, or one of a function the item does not name.
    expect(maySanction(r, decision, approver('bo'), payload(penalty(50_000)))).toMatchObject({
      allowed: false,
      rule: 'delegation_order',
      paragraph: 'delegationsordning version 4',
    });
    expect(
      maySanction(r, decision, approver('bo'), payload(penalty(50_000), { ...chief, function: 'ekonomichef' })),
    ).toMatchObject({ allowed: false, rule: 'delegation_order' });
    // 150 000 kr is above item 6.1's limit; 6.2's is in prisbasbelopp, whose 2027 amount is not decided
    // yet (never guessed): no item covers it, and the board decides.
    expect(maySanction(r, decision, approver('ulla'), payload(penalty(150_000), chief))).toMatchObject({
      allowed: false,
      rule: 'delegation_board',
    });
  });

  it('keeps the four eyes, the organisation and the approver role, and a token limit only lowers the order', () => {
    const r = run(true);
    const chief = { item: '6.1', function: 'upphandlingschef', via: 'delegate' as const };
    expect(maySanction(r, decision, approver('carl'), payload(penalty(50_000), chief))).toMatchObject({
      rule: 'four_eyes',
    });
    expect(
      maySanction(r, decision, { ...approver('ulla'), org: 'KOMM' }, payload(penalty(50_000), chief)),
    ).toMatchObject({ rule: 'organization' });
    expect(
      maySanction(
        r,
        decision,
        { ...approver('ulla'), roles: ['procurement_officer'] },
        payload(penalty(50_000), chief),
      ),
    ).toMatchObject({ rule: 'role' });
    expect(
      maySanction(r, decision, { ...approver('ulla'), approvalLimitSek: 10_000 }, payload(penalty(50_000), chief)),
    ).toMatchObject({ rule: 'approval_limit' });
  });

  it('without the order, the policy: an approver whose own limit covers the value', () => {
    const r = run(false);
    expect(maySanction(r, decision, approver('bo'), payload(penalty(50_000)))).toMatchObject({
      rule: 'approval_limit',
    });
    expect(maySanction(r, decision, { ...approver('bo'), approvalLimitSek: 50_000 }, payload(penalty(50_000)))).toEqual(
      { allowed: true },
    );
    // Refraining is decided at the most the sanctions could have come to: here the contract's value (termination).
    expect(
      maySanction(r, decision, { ...approver('bo'), approvalLimitSek: 3_899_999 }, payload({ decision: 'refrain' })),
    ).toMatchObject({ rule: 'approval_limit' });
  });
});
