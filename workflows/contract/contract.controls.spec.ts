import type { Actor } from '@tenderflow/domain/types';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  proposal,
  signed,
  startHarness,
  startTender,
  today,
} from '../../test/support/tender-harness';
import { completeMilestoneUpdate, getContractStateQuery, registerChangeUpdate } from './contract.messages';
import type {
  CompleteMilestonePayload,
  ContractState,
  Milestone,
  RegisterChangePayload,
} from '@tenderflow/temporal-common/contract-types';

/**
 * Follow-up planned when the requirements are written (issue 31), on Temporal's time-skipping
 * server: a 2 + 1 + 1 year contract whose register holds three contract conditions (quarterly,
 * yearly with Upphandlingsmyndigheten's criterion, once). The controls fall due on their days with
 * their reminders; a control's deviation says its severity and sets the supplier's corrective
 * action; changes are checked against 17 kap. LOU (a low-value change taken, one past 10 % refused,
 * an unforeseen one taken with its notice planned, one past 50 % refused); an option is used within
 * the options and an extension beyond them refused. The contract reserves a penalty of at most
 * 200 000 kr and a right to terminate: the major deviation puts a sanction to an approver's decision
 * (not the recorder's, within their limit, a declared sanction within its clause), and a critical
 * one later ends in the contract's termination.
 *
 * The contract: 3 900 000 kr of supplies above the threshold, 2 389 585 kr (confirmed for the test).
 */
const DAY = 86_400_000;

describe('contract follow-up: controls from the register, deviations, changes (17 kap. LOU)', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'controls');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('plans the controls, takes a deviation with its severity, and checks each change against its paragraph', async () => {
    const tender = await startTender(h, {
      frameworkAgreement: false,
      threshold: {
        id: 'thr-2024-supplies-services',
        validFrom: '2024-01-01',
        validTo: null,
        sek: 2_389_585,
        eur: 221_000,
        confirmed: true,
        source: 'test',
      },
    });
    const condition = (
      reference: string,
      followUp: NonNullable<Parameters<typeof cmd<'registerRequirement'>>[3]['followUp']>,
      extra: object = {},
    ) =>
      cmd(tender, 'registerRequirement', actors.anna, {
        kind: 'contract_condition',
        text: `Condition ${reference}`,
        reference,
        followUp,
        ...extra,
      });
    // Through the award and the standstill, the register's three conditions written with the documents.
    await driveTo(h, tender, 'contract', undefined, undefined, async () => {
      await condition('AV 4.1', {
        method: 'document',
        frequency: 'quarterly',
        owner: 'using_unit',
        evidence: 'Report',
      });
      await condition(
        'AV 4.2',
        { method: 'audit', frequency: 'yearly', owner: 'procurement', evidence: 'Transport records' },
        { sustainabilityCriterionId: '10137:2' },
      );
      await condition('AV 4.3', {
        method: 'self_declaration',
        frequency: 'once',
        owner: 'procurement',
        evidence: 'Signed declaration',
      });
    });
    const s = await cmd(tender, 'registerContract', actors.anna, {
      supplier: proposal.supplier,
      valueSek: 3_900_000,
      startDate: '2027-03-01',
      endDate: '2029-02-28',
      options: [
        { description: 'First extension, 1 year', months: 12 },
        { description: 'Second extension, 1 year', months: 12 },
      ],
      signedAt: await today(h),
      sanctions: [
        { kind: 'penalty', clauseReference: 'AV 14.2', maxAmountSek: 200_000 },
        { kind: 'termination', clauseReference: 'AV 15.1' },
      ],
    });
    const contract = env.client.workflow.getHandle(s.followUp!.workflowId);
    const read = () => contract.query(getContractStateQuery);
    const complete = (actor: Actor, payload: CompleteMilestonePayload) =>
      signed(contract, completeMilestoneUpdate, { actor, payload });
    const change = (actor: Actor, payload: RegisterChangePayload) =>
      signed(contract, registerChangeUpdate, { actor, payload });
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: { cause?: unknown }) => e.cause,
      );

    // The controls, from the register: once by the start-up meeting, quarterly and yearly from the start.
    let c: ContractState = await read();
    const controls = () => c.milestones.filter((m) => m.kind === 'control');
    expect(controls().map((m) => `${m.dueDate} ${m.owner} ${m.title}`)).toEqual([
      "2027-03-31 procurement Control: K3 (supplier's self-declaration)",
      '2027-06-01 using_unit Control 1: K1 (document)',
      '2027-09-01 using_unit Control 2: K1 (document)',
      '2027-12-01 using_unit Control 3: K1 (document)',
      '2028-03-01 using_unit Control 4: K1 (document)',
      '2028-03-01 procurement Control 1: K2 (audit)',
      '2028-06-01 using_unit Control 5: K1 (document)',
      '2028-09-01 using_unit Control 6: K1 (document)',
      '2028-12-01 using_unit Control 7: K1 (document)',
    ]);
    expect(controls()[5].control).toEqual({ requirementId: 'K2', method: 'audit', criterionId: '10137:2' });

    // The first quarterly control falls due on its day: reminded 14 days before, overdue after its end.
    const first = controls()[1];
    await env.sleep(Math.max(1, Date.parse(first.dueAt) + DAY / 2 - (await env.currentTimeMs())));
    c = await read();
    const due = c.milestones.find((m) => m.id === first.id)!;
    expect(due.status).toBe('overdue');
    expect(due.remindedAt).toBeDefined();
    expect(Date.parse(due.remindedAt!)).toBeGreaterThanOrEqual(Date.parse(due.remindAt!));
    expect(Date.parse(due.remindedAt!)).toBeLessThan(Date.parse(due.dueAt));
    const reminders = h.records.notes
      .get(contract.workflowId)!
      .filter((n) => n.kind === 'reminder' && n.subject.includes(first.title));
    expect(reminders).toHaveLength(1);

    // A control's deviation says how grave it is, and may set the supplier's corrective due date.
    const todayNow = await today(h);
    expect(
      await refused(complete(actors.carl, { milestoneId: first.id, outcome: 'deviation', note: 'Report missing' })),
    ).toMatchObject({ type: 'BadRequest', details: [{ field: 'severity' }] });
    expect(
      await refused(
        complete(actors.carl, {
          milestoneId: first.id,
          outcome: 'deviation',
          note: 'Report missing',
          severity: 'major',
          correctiveDueDate: todayNow,
        }),
      ),
    ).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'corrective_due_date', field: 'correctiveDueDate' }] });
    expect(
      await refused(complete(actors.carl, { milestoneId: first.id, outcome: 'ok', note: 'Fine', severity: 'minor' })),
    ).toMatchObject({ type: 'BadRequest', details: [{ field: 'severity' }] });
    c = await complete(actors.carl, {
      milestoneId: first.id,
      outcome: 'deviation',
      note: 'The quarterly report is missing',
      reference: 'DNR-2027-77',
      severity: 'major',
      correctiveDueDate: '2027-06-20',
    });
    const deviated = c.milestones.find((m) => m.id === first.id)!;
    expect(deviated.completion).toMatchObject({ outcome: 'deviation', severity: 'major', reference: 'DNR-2027-77' });
    const fix = c.milestones.find((m) => m.id === deviated.completion!.correctiveActionId) as Milestone;
    expect(fix).toMatchObject({
      kind: 'corrective_action',
      correctiveFor: first.id,
      dueDate: '2027-06-20',
      owner: 'using_unit',
      status: 'scheduled',
    });

    // The major deviation on a contract with sanctions puts them to a decision, due in 30 days, for the approvers.
    const sanction = c.milestones.find((m) => m.id === deviated.completion!.sanctionDecisionId)!;
    expect(sanction).toMatchObject({
      kind: 'sanction_decision',
      owner: 'procurement',
      status: 'scheduled',
      sanctionFor: { milestoneId: first.id, severity: 'major', recordedBy: { sub: 'carl' } },
    });
    expect(Date.parse(sanction.dueDate) - Date.parse(todayNow)).toBe(30 * DAY);
    expect(c.sanctions?.declared.map((x) => x.kind)).toEqual(['penalty', 'termination']);
    const asked = h.records.notes.get(contract.workflowId)!.filter((n) => n.subject.includes(sanction.title));
    expect(asked.map((n) => n.recipients)).toEqual([['role:approver@HSN', 'role:procurement_officer@HSN']]);
    const decide = (
      actor: Actor,
      sanctionDecision: CompleteMilestonePayload['sanction'],
      outcome: 'ok' | 'deviation' = 'ok',
    ) => complete(actor, { milestoneId: sanction.id, outcome, note: 'Per AV 14.2', sanction: sanctionDecision });
    const penalty = { decision: 'impose' as const, kind: 'penalty' as const, amountSek: 50_000 };
    // Not a procurement officer; not the approver who recorded the deviation; not above one's limit.
    expect(await refused(decide(actors.anna, penalty))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'role' }],
    });
    const carlApprover: Actor = {
      ...actors.carl,
      roles: ['contract_manager', 'approver'],
      approvalLimitSek: 1_000_000,
    };
    expect(await refused(decide(carlApprover, penalty))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'four_eyes' }],
    });
    expect(await refused(decide({ ...actors.bo, approvalLimitSek: 49_999 }, penalty))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'approval_limit' }],
    });
    // Only what the contract declares, within its clause; a decision is not a deviation.
    expect(
      await refused(decide(actors.bo, { decision: 'impose', kind: 'price_reduction', amountSek: 10_000 })),
    ).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'sanction_not_declared', field: 'sanction.kind' }] });
    expect(await refused(decide(actors.bo, { ...penalty, amountSek: 200_001 }))).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'sanction_amount_limit', field: 'sanction.amountSek' }],
    });
    expect(await refused(decide(actors.bo, penalty, 'deviation'))).toMatchObject({
      type: 'BadRequest',
      details: [{ field: 'outcome' }],
    });
    expect(
      await refused(complete(actors.carl, { milestoneId: first.id, outcome: 'ok', note: 'x', sanction: penalty })),
    ).toMatchObject({ type: 'Conflict', details: [{ rule: 'milestone_closed' }] });
    // Twenty decisions at once (Bo and Cia, each ten times): one is taken, the rest find the milestone closed.
    const burst20 = await Promise.allSettled(
      Array.from({ length: 20 }, (_v, i) => decide(i % 2 ? actors.cia : actors.bo, penalty)),
    );
    const taken = burst20.filter((r) => r.status === 'fulfilled');
    expect(taken).toHaveLength(1);
    for (const r of burst20.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason.cause).toMatchObject({ details: [{ rule: 'milestone_closed' }] });
    c = (taken[0] as PromiseFulfilledResult<ContractState>).value;
    expect(c.milestones.find((m) => m.id === sanction.id)!.completion).toMatchObject({
      outcome: 'ok',
      sanction: { ...penalty, valueSek: 50_000, authority: { policy: 'approver', approvalLimitSek: 50_000_000 } },
    });
    expect(['bo', 'cia']).toContain(c.milestones.find((m) => m.id === sanction.id)!.completion!.by.sub);
    const decided = h.records.audit.get(contract.workflowId)!.filter((e) => e.type === 'contract.sanction_decided');
    expect(decided).toHaveLength(1);
    expect(decided[0].payload).toMatchObject({
      milestoneId: sanction.id,
      deviationIn: first.id,
      decision: 'impose',
      kind: 'penalty',
      clauses: ['AV 14.2'],
      amountSek: 50_000,
    });

    // Changes, each against its paragraph of 17 kap. LOU; refused ones change nothing.
    const base = { overallNatureChanged: false, description: 'Another delivery address' };
    expect(await refused(change(actors.carl, { ...base, ground: 'low_value', valueChangeSek: 1 }))).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'role' }],
    });
    c = await change(actors.anna, { ...base, ground: 'low_value', valueChangeSek: 300_000 });
    expect(c.valueSek).toBe(4_200_000);
    expect(c.changes).toEqual([
      expect.objectContaining({
        id: 'C1',
        ground: 'low_value',
        paragraph: '17 kap. 9 § LOU',
        valueAfterSek: 4_200_000,
      }),
    ]);
    // 300 000 + 100 000 = 400 000 is not below 10 % of 3 900 000 (390 000).
    expect(await refused(change(actors.anna, { ...base, ground: 'low_value', valueChangeSek: 100_000 }))).toMatchObject(
      {
        type: 'RuleViolation',
        details: [{ rule: 'change_above_low_value', field: 'valueChangeSek', paragraph: '17 kap. 9 § LOU' }],
      },
    );
    // Unforeseen (12 §): at most 50 % of 3 900 000 = 1 950 000 each; above the threshold a notice is due (16 §).
    expect(
      await refused(change(actors.anna, { ...base, ground: 'unforeseen', valueChangeSek: 1_950_001 })),
    ).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'change_above_half', paragraph: '17 kap. 12 § LOU' }] });
    c = await change(actors.anna, {
      ...base,
      ground: 'unforeseen',
      valueChangeSek: 1_950_000,
      description: 'New analysis method required by the authority',
    });
    const c2 = c.changes![1];
    expect(c2).toMatchObject({ id: 'C2', paragraph: '17 kap. 12 § LOU', valueAfterSek: 6_150_000 });
    const notice = c.milestones.find((m) => m.id === c2.noticeMilestoneId)!;
    expect(notice).toMatchObject({
      kind: 'modification_notice',
      owner: 'procurement',
      title: 'Notice of change C2 (17 kap. 16 § LOU)',
    });
    expect(Date.parse(notice.dueDate) - Date.parse(await today(h))).toBe(30 * DAY);
    expect(
      await refused(
        change(actors.anna, { ...base, ground: 'low_value', valueChangeSek: 1, overallNatureChanged: true }),
      ),
    ).toMatchObject({ details: [{ rule: 'change_overall_nature' }] });
    expect((await read()).changes).toHaveLength(2);

    // Twenty low-value changes at once: checked one after the other against the net total, so that
    // exactly as many are taken as fit below 390 000 (300 000 + 8 × 10 000), the rest refused whole.
    const burst = await Promise.allSettled(
      Array.from({ length: 20 }, (_v, i) =>
        change(actors.anna, { ...base, ground: 'low_value', valueChangeSek: 10_000, description: `Address ${i}` }),
      ),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(8);
    c = await read();
    expect(c.changes!.filter((x) => x.ground === 'low_value').reduce((a, x) => a + x.valueChangeSek, 0)).toBe(380_000);
    expect(c.valueSek).toBe(6_150_000 + 80_000);
    // Straight to Temporal: an unsigned Update is refused, and one too long for the register too; nothing is written.
    expect(
      await refused(
        contract.executeUpdate(registerChangeUpdate, {
          args: [{ actor: actors.anna, payload: { ...base, ground: 'unforeseen', valueChangeSek: 1 } }],
        }),
      ),
    ).toMatchObject({ type: 'Forbidden' });
    expect(
      await refused(
        change(actors.anna, { ...base, ground: 'unforeseen', valueChangeSek: 1, description: 'x'.repeat(2001) }),
      ),
    ).toMatchObject({ type: 'BadRequest', details: [{ field: 'description' }] });
    expect((await read()).changes).toHaveLength(10);

    // An option is used within the options; an extension beyond them is refused.
    const decision = c.milestones.find((m) => m.kind === 'extension_decision')!;
    expect(
      await refused(
        complete(actors.anna, { milestoneId: decision.id, outcome: 'ok', note: 'x', extend: true, months: 36 }),
      ),
    ).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'extension_within_options' }] });
    c = await complete(actors.anna, {
      milestoneId: decision.id,
      outcome: 'ok',
      note: 'Extend',
      extend: true,
      months: 12,
    });
    expect(c).toMatchObject({ endDate: '2030-02-28', optionMonthsRemaining: 12, latestEndDate: '2031-02-28' });

    // A critical deviation in the yearly audit: the approver terminates the contract; it ends today,
    // no option remains, and the controls and reviews after today lapse.
    const audit = c.milestones.find((m) => m.kind === 'control' && m.control?.requirementId === 'K2')!;
    c = await complete(actors.anna, {
      milestoneId: audit.id,
      outcome: 'deviation',
      note: 'Transport records falsified',
      severity: 'critical',
    });
    const last = c.milestones.find(
      (m) => m.id === c.milestones.find((x) => x.id === audit.id)!.completion!.sanctionDecisionId,
    )!;
    expect(
      await refused(
        complete(actors.bo, {
          milestoneId: last.id,
          outcome: 'ok',
          note: 'x',
          sanction: { decision: 'impose', kind: 'termination', amountSek: 1 },
        }),
      ),
    ).toMatchObject({ type: 'BadRequest', details: [{ field: 'sanction.amountSek' }] });
    // A termination is decided at the contract's value: above a 1 000 000 kr limit.
    expect(
      await refused(
        complete(
          { ...actors.cia, approvalLimitSek: 1_000_000 },
          { milestoneId: last.id, outcome: 'ok', note: 'x', sanction: { decision: 'impose', kind: 'termination' } },
        ),
      ),
    ).toMatchObject({ type: 'Forbidden', details: [{ rule: 'approval_limit' }] });
    const endDay = await today(h);
    c = await complete(actors.cia, {
      milestoneId: last.id,
      outcome: 'ok',
      note: 'Terminated under AV 15.1',
      sanction: { decision: 'impose', kind: 'termination' },
    });
    expect(c).toMatchObject({ terminatedOn: endDay, endDate: endDay, optionMonthsRemaining: 0, latestEndDate: endDay });
    const after = c.milestones.filter(
      (m) => m.dueDate > endDay && !m.completion && ['control', 'periodic_review'].includes(m.kind),
    );
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((m) => m.status === 'lapsed')).toBe(true);
    expect(c.milestones.find((m) => m.id === last.id)!.completion!.sanction).toMatchObject({
      decision: 'impose',
      kind: 'termination',
      valueSek: c.valueSek,
    });
    // The day ends: so does the contract.
    await env.sleep(DAY);
    expect((await read()).status).not.toBe('active');
  }, 180_000);
});
