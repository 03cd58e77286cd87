import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { DEFAULT_POLICY_RULES } from '@tenderflow/domain/policy';
import type { Actor } from '@tenderflow/domain/types';
import { getInvitationStateQuery } from '../coordination/coordination.messages';
import {
  actors,
  cmd,
  contract,
  contractState,
  driveTo,
  Harness,
  needsAnalysis,
  passDeadline,
  startHarness,
  startTender,
  state,
  stopFollowUp,
  waitFor,
  refusal,
} from '../../test/support/tender-harness';
import type { CommandPayloads } from '@tenderflow/temporal-common/tender-types';

/**
 * The organisation's policy, pinned in the start input, on the time-skipping server: one test of
 * the effect of each rule (the API's store, versions and pinning over HTTP are in
 * test/e2e/policy.e2e-spec.ts).
 */
// A whole procedure to follow-up takes about a second alone, several on a loaded two-core machine.
jest.setTimeout(30_000);

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('tender workflow: the pinned policy', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-policy');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  /** National regime, 2 MSEK: below the EU threshold, so only the policy asks for lots. */
  const national = {
    regime: 'national' as const,
    procedure: 'simplified' as const,
    estimatedValueSek: 2_000_000,
    frameworkAgreement: false,
    extensionOptionMonths: 0,
  };
  const plainNeeds: CommandPayloads['completeNeedsAnalysis'] = {
    sustainability: { notApplicableReason: 'Standard office goods' },
    supplyPreparedness: { criticality: 'low' },
  };

  it('pins the version and the rules it was started with: state, audit chain', async () => {
    const handle = await startTender(h, {
      policyVersion: 'REGION@2/HSN@1',
      policy: { questionCutoffDays: 12, dualApprovalFromSek: 5_000_000 },
    });
    const s = await state(handle);
    expect(s.policyVersion).toBe('REGION@2/HSN@1');
    expect(s.policy).toEqual({ ...DEFAULT_POLICY_RULES, questionCutoffDays: 12, dualApprovalFromSek: 5_000_000 });
    const created = h.records.audit.get(handle.workflowId)!.find((e) => e.type === 'tender.created')!;
    expect(created.payload).toMatchObject({
      input: { policyVersion: 'REGION@2/HSN@1', policy: { dualApprovalFromSek: 5_000_000 } },
    });
  });

  it('questionCutoffDays: questions close 15 days before the deadline instead of 10', async () => {
    const strict = await startTender(h, { policy: { questionCutoffDays: 15 } });
    const usual = await startTender(h);
    for (const [handle, days] of [
      [strict, 15],
      [usual, 10],
    ] as const) {
      const s = await driveTo(h, handle, 'published');
      const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
      const cutoff = s.deadlines.find((d) => d.kind === 'question_cutoff')!;
      // Counted backwards from the deadline (days < 0), and not moved off a holiday (1930:173 only extends periods).
      expect({ days: cutoff.days, lastDay: cutoff.lastDay }).toEqual({
        days: -days,
        lastDay: addDays(deadline.lastDay, -days),
      });
    }
  });

  it('coordinationResponseDays and coordinationReminderDays: bodies answer within 20 days, reminded 5 days before', async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' }],
      policy: { coordinationResponseDays: 20, coordinationReminderDays: 5 },
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.deadlines.map((d) => [d.kind, d.days])).toEqual([['coordination_response', 20]]);
    const child = await env.client.workflow
      .getHandle(coordinationWorkflowId(s.id, 'KOMM'))
      .query(getInvitationStateQuery);
    expect(child.reminder?.basis).toMatch(/^policy: reminder 5 days before the response deadline/);
    expect(child.response.lastDay).toBe(s.deadlines[0].lastDay);
    expect(child.reminder!.lastDay < child.response.lastDay).toBe(true);
    // The body stays silent: reminded once, then not joined at the 20-day deadline (no workflow is left running).
    await passDeadline(h, handle, 'coordination_response');
    const done = await waitFor(handle, (x) => x.phase === 'documents', 'documents');
    expect(done.participants[0].status).toBe('not_joined');
    expect(
      h.records.notes.get(coordinationWorkflowId(s.id, 'KOMM'))!.filter((n) => n.kind === 'reminder'),
    ).toHaveLength(1);
  });

  describe('dualApprovalFromSek at 5 MSEK', () => {
    const dan: Actor = {
      sub: 'dan',
      name: 'Dan Beslutsfattare',
      org: 'HSN',
      roles: ['approver'],
      approvalLimitSek: 5_500_000,
    };

    it('a 6 MSEK tender needs two different approvers; the same approver twice is refused (409); each must qualify', async () => {
      const handle = await startTender(h, {
        estimatedValueSek: 6_000_000,
        policyVersion: 'HSN@3',
        policy: { dualApprovalFromSek: 5_000_000 },
      });
      let s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      expect(s.pendingGates[0]).toMatchObject({ gate: 'decision_to_procure', approvalsRequired: 2 });
      expect(s.pendingGates[0].mayDecide).toContain('two distinct approvers');

      s = await cmd(handle, 'decideGate', actors.bo, {
        gate: 'decision_to_procure',
        decision: 'approve',
        comment: 'Budget is in place',
      });
      expect(s.phase).toBe('needs_analysis');
      expect(s.pendingGates[0].approvals).toEqual([
        { by: { sub: 'bo', name: actors.bo.name }, at: expect.any(String), comment: 'Budget is in place' },
      ]);
      // The inbox no longer offers the gate to the first approver.
      expect(s.pendingGates[0].eligibility.excluded).toContain('bo');
      expect(s.pendingGates[0].mayDecide).toContain('one more is needed');

      const again = await refusal(
        cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' }),
      );
      expect(again.cause).toMatchObject({
        type: 'Conflict',
        details: [{ rule: 'dual_approval_same_approver', paragraph: 'inköpspolicy: dualApprovalFromSek (HSN@3)' }],
      });
      const small = await refusal(cmd(handle, 'decideGate', dan, { gate: 'decision_to_procure', decision: 'approve' }));
      expect(small.cause).toMatchObject({ type: 'Forbidden', details: [{ rule: 'approval_limit' }] });

      s = await cmd(handle, 'decideGate', actors.cia, { gate: 'decision_to_procure', decision: 'approve' });
      expect(s.phase).toBe('documents');
      expect(s.pendingGates).toEqual([]);
      expect(s.gateDecisions[0]).toMatchObject({
        decidedBy: { sub: 'cia' },
        approvedBy: [{ sub: 'bo' }, { sub: 'cia' }],
      });
      const types = h.records.audit.get(handle.workflowId)!.map((e) => e.type);
      expect(types.filter((t) => t === 'gate.approval_recorded')).toHaveLength(1);
      expect(h.records.notes.get(handle.workflowId)!.map((n) => n.subject)).toContainEqual(
        expect.stringContaining('needs a second approver'),
      );
    });

    it('below the value one approver decides, as before', async () => {
      const handle = await startTender(h, { estimatedValueSek: 4_999_999, policy: { dualApprovalFromSek: 5_000_000 } });
      let s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      expect(s.pendingGates[0].approvalsRequired).toBeUndefined();
      s = await cmd(handle, 'decideGate', dan, { gate: 'decision_to_procure', decision: 'approve' });
      expect(s.phase).toBe('documents');
    });

    it('a rejection by one qualifying approver takes effect at once', async () => {
      const handle = await startTender(h, { estimatedValueSek: 6_000_000, policy: { dualApprovalFromSek: 5_000_000 } });
      await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
      const s = await cmd(handle, 'decideGate', actors.cia, {
        gate: 'decision_to_procure',
        decision: 'reject',
        comment: 'Not this year',
      });
      expect(s.phase).toBe('cancelled');
    });
  });

  it('directAwardQuotesFromSek and directAwardMinQuotes: a 250 000 SEK direct award needs three quotes, the supplier among them', async () => {
    const handle = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 250_000,
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      policy: { directAwardQuotesFromSek: 100_000, directAwardMinQuotes: 3 },
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, plainNeeds);
    const s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('contract');
    const signed = { ...(await contract(h, s)), supplier: 'Fönsterputs AB', valueSek: 240_000, options: [] };
    const quotes = [
      { supplier: 'Fönsterputs AB', amountSek: 240_000 },
      { supplier: 'Glansen AB', amountSek: 265_000 },
      { supplier: 'Klarsikt AB', amountSek: 290_000 },
    ];
    const none = await refusal(cmd(handle, 'registerContract', actors.anna, signed));
    expect(none.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'direct_award_quotes', field: 'quotes', paragraph: 'inköpspolicy: directAwardQuotesFromSek' }],
    });
    const two = await refusal(cmd(handle, 'registerContract', actors.anna, { ...signed, quotes: quotes.slice(0, 2) }));
    expect(two.cause?.message).toContain('needs 3 recorded quotes');
    const bad = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...signed, quotes: [{ supplier: 'X', amountSek: -5 }] }),
    );
    expect(bad.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'quotes' }] });
    const done = await cmd(handle, 'registerContract', actors.anna, { ...signed, quotes });
    expect(done.phase).toBe('follow_up');
    expect(done.contract!.quotes).toEqual(quotes);
    await stopFollowUp(h, handle);
  });

  it('lotsRequiredFromSek: above 1 MSEK the needs analysis divides into lots or says why, also below the EU threshold', async () => {
    const withPolicy = await startTender(h, { ...national, policy: { lotsRequiredFromSek: 1_000_000 } });
    const err = await refusal(cmd(withPolicy, 'completeNeedsAnalysis', actors.anna, plainNeeds));
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [
        { rule: 'divide_or_justify', field: 'lotJustification', paragraph: 'inköpspolicy: lotsRequiredFromSek' },
      ],
    });
    const s = await cmd(withPolicy, 'completeNeedsAnalysis', actors.anna, {
      ...plainNeeds,
      lotJustification: 'One integrated delivery',
    });
    expect(s.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
    // Without the rule, the same tender needs neither (4 kap. 14 § LOU applies above the threshold only).
    const usual = await startTender(h, national);
    expect((await cmd(usual, 'completeNeedsAnalysis', actors.anna, plainNeeds)).pendingGates).toHaveLength(1);
  });

  it('sustainabilityCriteriaRequiredFromSek: from 500 000 SEK criteria are required, a not-applicable reason is refused', async () => {
    const handle = await startTender(h, { ...national, policy: { sustainabilityCriteriaRequiredFromSek: 500_000 } });
    const err = await refusal(cmd(handle, 'completeNeedsAnalysis', actors.anna, plainNeeds));
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'sustainability_criteria_required', field: 'sustainability.criteria' }],
    });
    const s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      ...plainNeeds,
      sustainability: { criteria: ['Ecolabelled paper (bas)'], level: 'bas' },
    });
    expect(s.needsAnalysis!.sustainability).toEqual({ criteria: ['Ecolabelled paper (bas)'], level: 'bas' });
  });

  describe('followUpPlanRequired', () => {
    const plan = [
      {
        what: 'Delivery precision ≥ 98 %',
        how: 'Monthly delivery report against the order system',
        byWhom: 'Laboratory manager',
        everyMonths: 6,
        owner: 'procurement' as const,
      },
    ];

    it('the documents gate needs a follow-up plan (422 without one, 400 for a malformed one)', async () => {
      const handle = await startTender(h, { policy: { followUpPlanRequired: true } });
      await driveTo(h, handle, 'documents');
      const docs = { documents: [{ title: 'Tender documents', reference: 'DOC-1' }] };
      const missing = await refusal(cmd(handle, 'registerDocuments', actors.anna, docs));
      expect(missing.cause).toMatchObject({
        type: 'RuleViolation',
        details: [{ rule: 'follow_up_plan_required', field: 'followUpPlan' }],
      });
      const malformed = await refusal(
        cmd(handle, 'registerDocuments', actors.anna, { ...docs, followUpPlan: [{ ...plan[0], everyMonths: 0 }] }),
      );
      expect(malformed.cause).toMatchObject({
        type: 'BadRequest',
        details: [{ field: 'followUpPlan[0].everyMonths' }],
      });
      const s = await cmd(handle, 'registerDocuments', actors.anna, { ...docs, followUpPlan: plan });
      expect(s.documents!.followUpPlan).toEqual(plan);
      expect(s.pendingGates.map((g) => g.gate)).toEqual(['documents_approval']);
    });

    it("the plan seeds the contract's milestones: every 6 months from the start, owned by the side it names", async () => {
      const handle = await startTender(h, { policy: { followUpPlanRequired: true } });
      const s = await driveTo(h, handle, 'contract', {
        documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
        followUpPlan: plan,
      });
      await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
      const followed = await waitFor(handle, (x) => x.phase === 'follow_up', 'follow_up');
      const c = await contractState(h, followed);
      // Start 2027-03-01, end 2029-02-28 (contract() in the test support).
      expect(
        c.milestones.filter((m) => m.kind === 'planned_follow_up').map((m) => [m.title, m.dueDate, m.owner]),
      ).toEqual([
        ['Follow-up 1: Delivery precision ≥ 98 %', '2027-09-01', 'procurement'],
        ['Follow-up 2: Delivery precision ≥ 98 %', '2028-03-01', 'procurement'],
        ['Follow-up 3: Delivery precision ≥ 98 %', '2028-09-01', 'procurement'],
      ]);
      expect(c.milestones.find((m) => m.kind === 'planned_follow_up')!.basis).toContain('Laboratory manager');
      await stopFollowUp(h, handle);
    });
  });

  describe('groupCoordinationCheck', () => {
    beforeAll(() => {
      h.records.groupActivity = (req) => ({
        organizations: ['REGION', req.organization],
        tenders: [],
        contracts:
          req.category === 'lab-shared'
            ? [
                {
                  id: 'REGION-2025-00007-K1',
                  title: 'Reagents for the region',
                  organization: 'REGION',
                  supplier: 'Acme Lab AB',
                  endDate: '2027-12-31',
                },
              ]
            : [],
      });
    });

    it('at the decision to procure the group has a contract in the category: a reason to procure separately is required, and shown', async () => {
      const handle = await startTender(h, { category: 'lab-shared', policy: { groupCoordinationCheck: true } });
      const err = await refusal(cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis));
      expect(err.cause).toMatchObject({
        type: 'RuleViolation',
        details: [{ rule: 'group_coordination_reason_missing', field: 'separateProcurementReason' }],
      });
      expect(err.cause?.message).toContain('REGION-2025-00007-K1');
      expect((await state(handle)).groupCoordination).toBeUndefined();

      const reason = "The region's agreement does not cover our sites in the north";
      const s = await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
        ...needsAnalysis,
        separateProcurementReason: reason,
      });
      expect(s.groupCoordination).toMatchObject({
        organizations: ['REGION', 'HSN'],
        contracts: [{ id: 'REGION-2025-00007-K1' }],
        separateProcurementReason: reason,
      });
      expect(s.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
      expect(h.records.groupRequests.filter((r) => r.tenderId === s.id)).toEqual([
        { tenderId: s.id, organization: 'HSN', category: 'lab-shared' },
        { tenderId: s.id, organization: 'HSN', category: 'lab-shared' },
      ]);
    });

    it('nothing running in the category: no reason needed; without the rule the group is not asked', async () => {
      const checked = await startTender(h, { category: 'lab-alone', policy: { groupCoordinationCheck: true } });
      const s = await cmd(checked, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      expect(s.groupCoordination).toMatchObject({ tenders: [], contracts: [] });
      const unchecked = await startTender(h, { category: 'lab-shared' });
      const u = await cmd(unchecked, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
      expect(u.groupCoordination).toBeUndefined();
      expect(h.records.groupRequests.some((r) => r.tenderId === u.id)).toBe(false);
    });
  });

  it('contractValueTolerancePercent: a contract 5 % above the approved 4 MSEK passes under a 10 % tolerance, not under the default 0 %', async () => {
    for (const [policy, accepted] of [
      [{ contractValueTolerancePercent: 10 }, true],
      [undefined, false],
    ] as const) {
      const handle = await startTender(h, policy ? { policy } : {});
      const s = await driveTo(h, handle, 'contract');
      const signed = { ...(await contract(h, s)), valueSek: 4_200_000 };
      if (accepted) {
        expect((await cmd(handle, 'registerContract', actors.anna, signed)).phase).toBe('follow_up');
        await stopFollowUp(h, handle);
      } else {
        const err = await refusal(cmd(handle, 'registerContract', actors.anna, signed));
        expect(err.cause).toMatchObject({
          type: 'RuleViolation',
          details: [{ rule: 'contract_value_above_award', field: 'valueSek' }],
        });
      }
    }
  });
});
