import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { addDays } from '@tenderflow/domain/dates';
import type { Actor } from '@tenderflow/domain/types';
import { workflowCodeForTests } from '../../test/support/shared-workflow-bundle';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  driveTo,
  Harness,
  startHarness,
  startTender,
  stopFollowUp,
  today,
  type TenderHandle,
} from '../../test/support/tender-harness';
import type { TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';

/**
 * Registering the signed contract (ARCHITECTURE §3 contract; libs/domain contract-rules): the workflow
 * refuses a contract that does not fit its award, on the time-skipping test server.
 */
describe('tender workflow: contract registration checks', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-contract');
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  /** An approver whose limit is 100 000 SEK. */
  const lena: Actor = {
    sub: 'lena',
    name: 'Lena Låggräns',
    org: 'HSN',
    roles: ['approver'],
    approvalLimitSek: 100_000,
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) =>
        (e as WorkflowUpdateFailedError).cause as unknown as {
          type: string;
          message: string;
          details: { rule?: string; paragraph?: string; field?: string }[];
        },
    );

  /** A direct award, approved at its decision to procure by `approver`: it waits in contract. */
  async function directAward(
    over: Partial<TenderStartInput>,
    approver: Actor = lena,
  ): Promise<{ handle: TenderHandle; s: TenderState }> {
    const handle = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      frameworkAgreement: false,
      estimatedValueSek: 90_000,
      ...over,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Small purchase' },
      supplyPreparedness: { criticality: 'low' },
    });
    const s = await cmd(handle, 'decideGate', approver, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('contract');
    return { handle, s };
  }

  it("the issue's case: approved by an approver with a 100 000 SEK limit, a 900 MSEK contract is refused; the approver's limit is kept with the decision", async () => {
    const { handle, s } = await directAward({});
    expect(s.gateDecisions).toEqual([
      expect.objectContaining({
        gate: 'decision_to_procure',
        decidedBy: { sub: 'lena', name: 'Lena Låggräns' },
        approvalLimitSek: 100_000,
      }),
    ]);
    const err = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 900_000_000 }),
    );
    expect(err).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'contract_value_above_award', field: 'valueSek' }],
    });
    expect(err.message).toMatch(/900 000 000 SEK exceeds the approved value 90 000 SEK/);
    // One krona above the approved value (the policy's default tolerance is 0 %).
    const above = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 90_001 }),
    );
    expect(above.details[0].rule).toBe('contract_value_above_award');
    const done = await cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 90_000 });
    expect(done.phase).toBe('follow_up');
    await stopFollowUp(h, handle);
  });

  it("with the policy's tolerance, the value may pass the approved value by that much, but never the approver's limit", async () => {
    const { handle, s } = await directAward({ policy: { contractValueTolerancePercent: 20 } });
    // 90 000 + 20 % = 108 000: within the award's margin, above Lena's 100 000.
    const err = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 108_000 }),
    );
    expect(err).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'contract_value_above_approval_limit', field: 'valueSek' }],
    });
    expect(err.message).toContain('Lena Låggräns');
    const done = await cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 100_000 });
    expect(done.contract?.valueSek).toBe(100_000);
    await stopFollowUp(h, handle);
  });

  it('signedAt may not be in the future (a contract signed in 2030), nor before the decision that awarded it', async () => {
    const { handle, s } = await directAward({});
    const future = await refusal(
      cmd(handle, 'registerContract', actors.anna, {
        ...(await contract(h, s)),
        signedAt: '2030-01-15',
        startDate: '2030-02-01',
        endDate: '2031-01-31',
      }),
    );
    expect(future).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'signed_in_future', field: 'signedAt' }] });
    const decidedOn = await today(h);
    const early = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), signedAt: addDays(decidedOn, -1) }),
    );
    expect(early).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'signed_before_award' }] });
    expect(early.message).toContain(decidedOn);
    expect(
      (await cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), signedAt: decidedOn })).phase,
    ).toBe('follow_up');
    await stopFollowUp(h, handle);
  });

  it('where a standstill applied, signedAt must be after its last day (20 kap. 1 § LOU)', async () => {
    const handle = await startTender(h);
    const s = await driveTo(h, handle, 'contract');
    const standstill = s.pastDeadlines.find((d) => d.kind === 'standstill')!;
    const during = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), signedAt: standstill.lastDay }),
    );
    expect(during).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'signed_during_standstill', paragraph: expect.stringContaining('20 kap. 1 § LOU') }],
    });
    const before = await refusal(
      cmd(handle, 'registerContract', actors.anna, {
        ...(await contract(h, s)),
        signedAt: addDays(s.award!.decidedAt.slice(0, 10), -1),
      }),
    );
    expect(before.details[0].rule).toBe('signed_before_award');
    const after = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      signedAt: addDays(standstill.lastDay, 1),
    });
    expect(after.phase).toBe('follow_up');
    await stopFollowUp(h, handle);
  });

  it('dates that do not fit together are a bad request naming the field', async () => {
    const { handle, s } = await directAward({});
    const c = await contract(h, s);
    const ends = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...c, endDate: addDays(c.startDate, -1) }),
    );
    expect(ends).toMatchObject({ type: 'BadRequest', details: [{ rule: 'contract_dates', field: 'endDate' }] });
    const signedAfterEnd = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...c, startDate: '2025-01-01', endDate: '2025-12-31' }),
    );
    expect(signedAfterEnd).toMatchObject({
      type: 'BadRequest',
      details: [{ rule: 'contract_dates', field: 'signedAt' }],
    });
  });

  it("a direct award's contract must keep the year's direct awards of the category below 700 000 SEK (19 a kap. 2 § LOU)", async () => {
    const category = `dx-${Math.random().toString(36).slice(2, 7)}`;
    const bo = actors.bo;
    const a = await directAward({ category, estimatedValueSek: 400_000 }, bo);
    expect(
      (await cmd(a.handle, 'registerContract', actors.anna, { ...(await contract(h, a.s)), valueSek: 400_000 })).phase,
    ).toBe('follow_up');
    // A second one, started past the API's creation check: its contract is checked against the first.
    const b = await directAward({ category, estimatedValueSek: 400_000 }, bo);
    const err = await refusal(
      cmd(b.handle, 'registerContract', actors.anna, { ...(await contract(h, b.s)), valueSek: 400_000 }),
    );
    expect(err).toMatchObject({
      type: 'RuleViolation',
      details: [
        {
          rule: 'direct_award_aggregate_limit',
          paragraph: expect.stringContaining('19 a kap. 2 § LOU'),
          field: 'valueSek',
        },
      ],
    });
    expect(err.message).toMatch(
      /already total 400 000 SEK; with this purchase of 400 000 SEK the sum would be 800 000 SEK/,
    );
    // The handler refused after asking the ledger; the API's command gateway records the refusal
    // once (tested over HTTP), so the workflow itself writes none.
    const refused = h.records.audit.get(b.handle.workflowId)!.filter((e) => e.type === 'command.refused');
    expect(refused).toEqual([]);
    // 300 000 brings the year to exactly the limit, which a direct award may reach.
    const done = await cmd(b.handle, 'registerContract', actors.anna, {
      ...(await contract(h, b.s)),
      valueSek: 300_000,
    });
    expect(done.phase).toBe('follow_up');
    expect(
      [...h.records.directAwards.values()]
        .filter((r) => r.scope.endsWith(category))
        .reduce((sum, r) => sum + r.amountSek, 0),
    ).toBe(700_000);
    await stopFollowUp(h, a.handle);
    await stopFollowUp(h, b.handle);
    // Versioning: a history with the checks (and their patch marker) replays.
    await Worker.runReplayHistory(workflowCodeForTests(), await b.handle.fetchHistory(), b.handle.workflowId);
  });
});
