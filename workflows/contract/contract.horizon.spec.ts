import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  proposal,
  startHarness,
  startTender,
  today,
} from '../../test/support/tender-harness';
import { getContractStateQuery } from './contract.messages';
import { type ContractState } from '@tenderflow/temporal-common/contract-types';

const recurringKinds = new Set([
  'periodic_review',
  'labour_conditions_check',
  'sustainability_check',
  'planned_follow_up',
]);
const lastRecurringDue = (c: ContractState) =>
  c.milestones
    .filter((m) => recurringKinds.has(m.kind))
    .map((m) => m.dueDate)
    .sort()
    .pop();

/**
 * ARCHITECTURE §5: a contract of any length is followed up with bounded state. Recurring milestones are
 * planned on a rolling horizon (to the end of the next contract year), not to the end at once, and
 * the plan moves on as the years pass; a contract beyond the declared term or the policy's maximum
 * is refused.
 */
/** The test's dates, `shift` years later. */
let shift = 0;
const y = (date: string) => `${Number(date.slice(0, 4)) + shift}${date.slice(4)}`;

describe('contract follow-up: a 10-year contract (8 years + 2 years of options) on a rolling horizon', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'contract-horizon');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('refuses a contract past the declared term and one past the maximum, then plans two contract years at a time and keeps planning', async () => {
    const tender = await startTender(h, {
      frameworkAgreement: false,
      contractTermMonths: 96,
      extensionOptionMonths: 24,
    });
    await driveTo(h, tender, 'contract');
    const signedAt = await today(h);
    // The test server's clock starts at the wall clock: the calendar below moves on by whole years
    // until the contract starts after today (contract year 0), whatever day the test runs.
    while (y('2027-03-01') <= signedAt) shift += 1;
    const contract = { supplier: proposal.supplier, valueSek: 3_900_000, startDate: y('2027-03-01'), signedAt };
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('accepted');
        },
        (e: { cause?: unknown }) => e.cause,
      );
    // 9999-12-31: beyond any contract this product follows up (policy maximum, 600 months).
    expect(
      await refusal(cmd(tender, 'registerContract', actors.anna, { ...contract, endDate: '9999-12-31' })),
    ).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'contract_term_limit', field: 'endDate' }],
    });
    // Eight years and a day, with two years of options: longer than the 96 + 24 months the tender declared.
    expect(
      await refusal(
        cmd(tender, 'registerContract', actors.anna, {
          ...contract,
          endDate: y('2035-03-01'),
          options: [{ description: '2 years', months: 24 }],
        }),
      ),
    ).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'contract_term_beyond_declared', field: 'endDate' }],
    });

    const s = await cmd(tender, 'registerContract', actors.anna, {
      ...contract,
      endDate: y('2035-02-28'),
      options: [{ description: '2 years', months: 24 }],
    });
    expect(s.phase).toBe('follow_up');
    const handle = env.client.workflow.getHandle(s.followUp!.workflowId);
    const first = await handle.query(getContractStateQuery);
    // Registered before the start (contract year 0): recurring checks to the end of contract year 1, not to 2035.
    expect(first.plannedUntil).toBe(y('2029-03-01'));
    expect(lastRecurringDue(first)! <= y('2029-03-01')).toBe(true);
    // The decisions before the end are planned at once: they are one each.
    expect(first.milestones.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['extension_decision', 'reprocurement_start']),
    );

    // Three contract years later the horizon has moved with them.
    await env.sleep(Date.parse(`${y('2030-04-01')}T00:00:00Z`) - (await env.currentTimeMs()));
    const later = await handle.query(getContractStateQuery);
    expect(later.cycle).toBe(3);
    expect(later.plannedUntil).toBe(y('2032-03-01'));
    expect(lastRecurringDue(later)! > y('2031-03-01')).toBe(true);
    expect(lastRecurringDue(later)! <= y('2032-03-01')).toBe(true);
    const planned = h.records.audit.get(s.followUp!.workflowId)!.filter((e) => e.type === 'milestones.planned');
    expect(planned.map((e) => (e.payload as { until: string }).until)).toEqual([
      y('2030-03-01'),
      y('2031-03-01'),
      y('2032-03-01'),
    ]);
  });
});
