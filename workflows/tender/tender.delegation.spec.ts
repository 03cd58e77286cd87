import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import type { DelegationOrder } from '@tenderflow/domain/delegation';
import { delegationPin, type AuthorityDirectory } from '@tenderflow/domain/delegation-authority';
import type { Actor } from '@tenderflow/domain/types';
import type { GateAuthority, TenderState } from '@tenderflow/temporal-common/tender-types';
import {
  actors,
  cmd,
  Harness,
  smallNeedsAnalysis,
  startHarness,
  startTender,
  state,
  type TenderHandle,
  refusal,
  ruleOf,
} from '../../test/support/tender-harness';

/**
 * Gates that go by the delegation order the tender pinned (issue 29), on the time-skipping server:
 * the level that covers the value, the people present who may decide it (in the harness's directory,
 * as the real activity reads PostgreSQL's), substitutes, further delegation, escalation past a level
 * with nobody present, and a token's limit that only lowers. The API's side (the authority read from
 * the directory, the inbox) is in test/e2e/delegation-gates.e2e-spec.ts.
 */
jest.setTimeout(30_000);

const ORDER: DelegationOrder = {
  items: [
    {
      id: '1.1',
      decision: 'decision_to_procure',
      delegate: 'upphandlingschef',
      limit: { sek: 1_000_000 },
      furtherDelegation: { allowed: true, to: ['kategorichef'] },
      reportToBoard: false,
      substitute: { nearestSuperior: true },
    },
    {
      id: '1.2',
      decision: 'decision_to_procure',
      delegate: 'forvaltningschef',
      limit: { sek: 10_000_000 },
      reportToBoard: true,
      substitute: { function: 'bitr_forvaltningschef' },
    },
    {
      id: '1.3',
      decision: 'decision_to_procure',
      delegate: 'regiondirektor',
      reportToBoard: true,
      substitute: { nearestSuperior: true },
    },
  ],
};

const people = {
  bo: actors.bo, // förvaltningschef; his token says 50 MSEK
  cia: actors.cia, // upphandlingschef; her token says 50 MSEK too
  sam: { sub: 'sam', name: 'Sam Ersättare', org: 'HSN', roles: ['approver'] },
  kim: { sub: 'kim', name: 'Kim Kategorichef', org: 'HSN', roles: ['approver'] },
  rut: { sub: 'rut', name: 'Rut Regiondirektör', org: 'HSN', roles: ['approver'] },
} satisfies Record<string, Actor>;

/** The directory: who holds which function (since 2020, open-ended); `absences` as the test sets them. */
function directory(absences: AuthorityDirectory['absences'] = []) {
  return {
    functions: [
      { code: 'regiondirektor' },
      { code: 'forvaltningschef', superior: 'regiondirektor' },
      { code: 'bitr_forvaltningschef', superior: 'regiondirektor' },
      { code: 'upphandlingschef', superior: 'forvaltningschef' },
      { code: 'kategorichef', superior: 'upphandlingschef' },
    ],
    personFunctions: [
      { sub: 'bo', code: 'forvaltningschef', validFrom: '2020-01-01' },
      { sub: 'cia', code: 'upphandlingschef', validFrom: '2020-01-01' },
      { sub: 'kim', code: 'kategorichef', validFrom: '2020-01-01' },
      { sub: 'rut', code: 'regiondirektor', validFrom: '2020-01-01' },
    ],
    absences,
    people: Object.values(people).map(({ sub, name }) => ({ sub, name })),
  };
}

/** An absence around whatever day the test server's clock shows. */
const onLeave = (sub: string, substitute?: string) => ({
  sub,
  from: '2020-01-01',
  to: '2099-12-31',
  ...(substitute ? { substitute } : {}),
});

describe('tender workflow: gates by the delegation order', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-delegation');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  /** A tender of `value` SEK that pinned version 3 of the order, at its decision to procure. */
  async function atDecisionToProcure(value: number, version = 3): Promise<{ handle: TenderHandle; s: TenderState }> {
    const handle = await startTender(h, {
      estimatedValueSek: value,
      regime: 'national',
      procedure: 'simplified',
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      delegation: delegationPin(version, ORDER, { category: 'lab', regime: 'national', procedure: 'simplified' }),
    });
    const s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    return { handle, s };
  }
  const decide = (handle: TenderHandle, who: Actor, authority?: GateAuthority) =>
    cmd(handle, 'decideGate', who, {
      gate: 'decision_to_procure',
      decision: 'approve',
      ...(authority ? { authority } : {}),
    });
  const gateRequests = (handle: TenderHandle) =>
    (h.records.notes.get(handle.workflowId) ?? []).filter((n) => n.kind === 'gate_request');

  it('puts a value above a function’s limit at the next level; a token with a larger limit cannot decide', async () => {
    h.records.directories.set('HSN', directory());
    const { handle, s } = await atDecisionToProcure(4_000_000);
    const pending = s.pendingGates[0];
    expect(pending.delegation).toMatchObject({ version: 3, item: { id: '1.2', delegate: 'forvaltningschef' } });
    expect(pending.delegation!.limitSek).toBe(10_000_000);
    expect(pending.mayDecide).toContain('item 1.2 of the delegation order (version 3)');
    // Only the people of the level are told: Bo, the förvaltningschef.
    expect(gateRequests(handle).map((n) => n.recipients)).toEqual([['user:bo']]);

    // Cia's token says 50 MSEK, but the order gives her (upphandlingschef) 1 MSEK.
    const noClaim = await refusal(decide(handle, people.cia));
    expect(ruleOf(noClaim)).toBe('delegation_order');
    expect(noClaim.cause?.message).toContain('belongs to forvaltningschef');
    const lowerItem = await refusal(
      decide(handle, people.cia, { item: '1.1', function: 'upphandlingschef', via: 'delegate' }),
    );
    expect(ruleOf(lowerItem)).toBe('delegation_order');

    const after = await decide(handle, people.bo, { item: '1.2', function: 'forvaltningschef', via: 'delegate' });
    expect(after.phase).toBe('documents');
    expect(after.gateDecisions[0]).toMatchObject({
      decidedBy: { sub: 'bo' },
      // The limit it was taken within: the item's 10 MSEK, not the token's 50.
      approvalLimitSek: 10_000_000,
      delegation: { version: 3, item: '1.2', function: 'forvaltningschef', via: 'delegate', reportToBoard: true },
    });
    const decided = h.records.audit.get(handle.workflowId)!.find((e) => e.type === 'gate.decided')!;
    expect(decided.payload).toMatchObject({
      command: 'decideGate',
      payload: { authority: { item: '1.2', function: 'forvaltningschef', via: 'delegate' } },
    });
  });

  it('a delegate on leave is not asked; the substitute their absence names decides, recorded as standing in', async () => {
    h.records.directories.set('HSN', directory([onLeave('bo', 'sam')]));
    const { handle } = await atDecisionToProcure(4_000_000);
    expect(gateRequests(handle).map((n) => n.recipients)).toEqual([['user:sam']]);
    const asked = h.records.decidersAsked.at(-1)!;
    expect(asked).toMatchObject({ tenderId: expect.any(String), organization: 'HSN', excluded: ['anna'] });
    expect(asked.levels.map((l) => l.id)).toEqual(['1.2', '1.3']);

    const after = await decide(handle, people.sam, {
      item: '1.2',
      function: 'forvaltningschef',
      via: 'substitute',
      asSubstituteFor: { sub: 'bo', name: 'Bo Beslutsfattare' },
    });
    expect(after.gateDecisions[0].delegation).toEqual({
      version: 3,
      item: '1.2',
      function: 'forvaltningschef',
      via: 'substitute',
      asSubstituteFor: { sub: 'bo', name: 'Bo Beslutsfattare' },
      reportToBoard: true,
    });
  });

  it('further delegation only where the item allows it', async () => {
    h.records.directories.set('HSN', directory());
    const small = await atDecisionToProcure(800_000);
    expect(small.s.pendingGates[0].delegation!.item.id).toBe('1.1');
    expect(gateRequests(small.handle).map((n) => n.recipients)).toEqual([['user:cia', 'user:kim']]);

    const large = await atDecisionToProcure(4_000_000);
    // 1.2 delegates no further: the kategorichef's claim is refused there.
    const refused = await refusal(
      decide(large.handle, people.kim, { item: '1.2', function: 'kategorichef', via: 'further' }),
    );
    expect(ruleOf(refused)).toBe('delegation_order');
    // 1.1 does, to the kategorichef.
    const after = await decide(small.handle, people.kim, { item: '1.1', function: 'kategorichef', via: 'further' });
    expect(after.gateDecisions[0].delegation).toMatchObject({ item: '1.1', function: 'kategorichef', via: 'further' });
    // A function the item does not name is refused even where further delegation is allowed.
    const other = await atDecisionToProcure(800_000);
    const wrong = await refusal(
      decide(other.handle, people.bo, { item: '1.1', function: 'forvaltningschef', via: 'further' }),
    );
    expect(ruleOf(wrong)).toBe('delegation_order');
  });

  it('with nobody eligible present, the gate escalates to the next level and the escalation is recorded', async () => {
    // Bo is away without a named substitute, and the bitr. förvaltningschef post is vacant.
    h.records.directories.set('HSN', directory([onLeave('bo')]));
    const { handle, s } = await atDecisionToProcure(4_000_000);
    expect(s.pendingGates[0].delegation).toMatchObject({ item: { id: '1.3' }, passedOver: ['1.2'] });
    expect(s.pendingGates[0].delegation!.limitSek).toBeUndefined();
    const escalated = h.records.audit.get(handle.workflowId)!.find((e) => e.type === 'gate.escalated')!;
    expect(escalated.payload).toEqual({
      gate: 'decision_to_procure',
      version: 3,
      from: '1.2',
      to: '1.3',
      passedOver: ['1.2'],
    });
    expect(escalated.reason).toMatch(
      /^nobody eligible under item 1\.2 of the delegation order was present on \d{4}-\d{2}-\d{2}$/,
    );
    expect(gateRequests(handle).map((n) => n.recipients)).toEqual([['user:rut']]);

    // A token's limit lowers what the order grants: Rut's token with 1 MSEK cannot take a 4 MSEK decision.
    const lowered = await refusal(
      decide(
        handle,
        { ...people.rut, approvalLimitSek: 1_000_000 },
        {
          item: '1.3',
          function: 'regiondirektor',
          via: 'delegate',
        },
      ),
    );
    expect(ruleOf(lowered)).toBe('approval_limit');
    const after = await decide(handle, people.rut, { item: '1.3', function: 'regiondirektor', via: 'delegate' });
    expect(after.gateDecisions[0].delegation).toMatchObject({ item: '1.3', passedOver: ['1.2'] });
  });

  it('keeps the version it pinned, and a tender without a pinned order goes by the token’s limit as before', async () => {
    h.records.directories.set('HSN', directory());
    const pinned = await atDecisionToProcure(4_000_000, 1);
    expect((await state(pinned.handle)).delegation!.version).toBe(1);
    const after = await decide(pinned.handle, people.bo, {
      item: '1.2',
      function: 'forvaltningschef',
      via: 'delegate',
    });
    expect(after.gateDecisions[0].delegation!.version).toBe(1);

    const asked = h.records.decidersAsked.length;
    const plain = await startTender(h, {});
    const s = await cmd(plain, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    expect(s.pendingGates[0].delegation).toBeUndefined();
    expect(h.records.decidersAsked.length).toBe(asked);
    expect(gateRequests(plain).map((n) => n.recipients)).toEqual([['role:approver@HSN']]);
    const decided = await decide(plain, people.cia);
    expect(decided.gateDecisions[0]).toMatchObject({ approvalLimitSek: 50_000_000 });
    expect(decided.gateDecisions[0].delegation).toBeUndefined();
  });

  it('the policy’s dual approval works on top: two different people with the item’s authority, each recorded', async () => {
    h.records.directories.set('HSN', {
      ...directory(),
      personFunctions: [
        ...directory().personFunctions,
        { sub: 'sam', code: 'forvaltningschef', validFrom: '2020-01-01' },
      ],
    });
    const handle = await startTender(h, {
      estimatedValueSek: 4_000_000,
      regime: 'national',
      procedure: 'simplified',
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      policy: { dualApprovalFromSek: 3_000_000 },
      delegation: delegationPin(3, ORDER, { category: 'lab', regime: 'national', procedure: 'simplified' }),
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    expect(gateRequests(handle).map((n) => n.recipients)).toEqual([['user:bo', 'user:sam']]);
    const fv = { item: '1.2', function: 'forvaltningschef', via: 'delegate' } as const;
    const first = await decide(handle, people.bo, fv);
    expect(first.pendingGates[0].approvals).toEqual([
      expect.objectContaining({
        by: { sub: 'bo', name: people.bo.name },
        delegation: expect.objectContaining({ item: '1.2' }),
      }),
    ]);
    const again = await refusal(decide(handle, people.bo, fv));
    expect(ruleOf(again)).toBe('dual_approval_same_approver');
    const after = await decide(handle, people.sam, fv);
    expect(after.phase).toBe('documents');
    expect(after.gateDecisions[0]).toMatchObject({
      approvedBy: [{ sub: 'bo' }, { sub: 'sam' }],
      delegation: { item: '1.2', function: 'forvaltningschef', via: 'delegate' },
    });
    const events = h.records.audit.get(handle.workflowId)!.filter((e) => e.type === 'delegation.decided');
    expect(events.map((e) => [e.actor?.sub, (e.payload as { firstOf?: number }).firstOf])).toEqual([
      ['bo', 2],
      ['sam', undefined],
    ]);
  });
});
