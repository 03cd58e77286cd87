import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  contractState,
  driveTo,
  Harness,
  passDeadline,
  startHarness,
  startTender,
  stopFollowUp,
  today,
  refusal,
} from '../../test/support/tender-harness';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Rule set LOU-2026.2 in the tender workflow: accelerated procedures, extensions, direct-award duties. */
describe('tender workflow: rule set LOU-2026.2', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-lou-2026-2');
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('urgency needs a recorded justification (11 kap. 10 §); then 15 days and answers four days before the deadline (12 kap. 11 §)', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'approved');
    const err = await refusal(cmd(handle, 'publish', actors.anna, { urgent: true }));
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [
        { rule: 'urgency_justification_missing', paragraph: '11 kap. 10 § LOU', field: 'urgencyJustification' },
      ],
    });
    const justification = 'The current supplier is bankrupt; reagents run out within six weeks.';
    const s = await cmd(handle, 'publish', actors.anna, { urgent: true, urgencyJustification: justification });
    const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(deadline).toMatchObject({ days: 15, basis: expect.stringContaining('11 kap. 10 § LOU') });
    const latest = s.deadlines.find((d) => d.kind === 'latest_answer')!;
    expect(latest.lastDay).toBe(addDays(deadline.lastDay, -4));
    expect(latest.basis).toContain('fyra dagar');
    expect(s.publication).toMatchObject({ urgent: true, urgencyJustification: justification });
  });

  it('a prior information notice counts only when sent 35 days–12 months before (11 kap. 5 § andra stycket 2 p.)', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'approved');
    const day = await today(h);
    let err = await refusal(cmd(handle, 'publish', actors.anna, { priorInformationNotice: true }));
    expect(err.cause).toMatchObject({
      details: [{ rule: 'pin_date_missing', paragraph: '11 kap. 5 § andra stycket 2 p. LOU' }],
    });
    err = await refusal(
      cmd(handle, 'publish', actors.anna, {
        priorInformationNotice: true,
        priorInformationNoticeSentAt: addDays(day, -20),
      }),
    );
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'pin_out_of_range', field: 'priorInformationNoticeSentAt' }],
    });
    err = await refusal(
      cmd(handle, 'publish', actors.anna, {
        priorInformationNotice: true,
        priorInformationNoticeSentAt: addDays(day, -400),
      }),
    );
    expect(err.cause).toMatchObject({ details: [{ rule: 'pin_out_of_range' }] });
    const s = await cmd(handle, 'publish', actors.anna, {
      priorInformationNotice: true,
      priorInformationNoticeSentAt: addDays(day, -60),
    });
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')).toMatchObject({
      days: 15,
      basis: expect.stringContaining('11 kap. 5 § LOU'),
    });
    expect(s.publication).toMatchObject({
      priorInformationNotice: true,
      priorInformationNoticeSentAt: addDays(day, -60),
    });
  });

  it('documents not available electronically: five more days on the 11 kap. minimum', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'approved');
    const s = await cmd(handle, 'publish', actors.anna, { documentsAvailableElectronically: false });
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')).toMatchObject({
      days: 35,
      basis: expect.stringContaining('fem dagar'),
    });
    expect(s.publication?.documentsAvailableElectronically).toBe(false);
  });

  it('bilaga 2 services above the threshold: skälig tid (19 kap. 11 §), not the 11 kap. minimum', async () => {
    const handle = await startTender(h, { contractType: 'welfare_services', estimatedValueSek: 9_000_000 });
    const s = await driveTo(h, handle, 'published');
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')).toMatchObject({
      days: 15,
      basis: expect.stringContaining('19 kap. 11 § LOU'),
    });
  });

  it('after a significant change the new deadline leaves at least six days after it (11 kap. 8 § 2 p.; the floor is policy)', async () => {
    const handle = await startTender(h);
    let s = await driveTo(h, handle, 'published');
    const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    // Two days before the deadline the documents change significantly.
    await env.sleep(Date.parse(deadline.at) - (await env.currentTimeMs()) - 2 * 86_400_000);
    const day = await today(h);
    const err = await refusal(
      cmd(handle, 'extendDeadline', actors.anna, {
        deadline: addDays(deadline.lastDay, 1),
        reason: 'Changed requirement 4.2',
        significantChange: true,
      }),
    );
    expect(err.cause).toMatchObject({
      type: 'RuleViolation',
      details: [
        { rule: 'extension_after_change_too_short', paragraph: '11 kap. 8 § 2 p. LOU; organisationens policy' },
      ],
    });
    const target = addDays(day, 7);
    s = await cmd(handle, 'extendDeadline', actors.anna, {
      deadline: target,
      reason: 'Changed requirement 4.2',
      significantChange: true,
    });
    expect(s.deadlines.find((d) => d.kind === 'tender_deadline')).toMatchObject({
      lastDay: target,
      basis: expect.stringContaining('11 kap. 8 § 2 p. LOU'),
    });
  });

  it('a tender period agreed with the candidates is at least one day (11 kap. 7 §)', async () => {
    const handle = await startTender(h, { procedure: 'restricted' });
    await driveTo(h, handle, 'published');
    await passDeadline(h, handle, 'request_deadline');
    const err = await refusal(
      cmd(handle, 'selectCandidates', actors.anna, {
        candidates: [{ supplier: 'Acme Lab AB' }],
        agreedTenderPeriodDays: 0,
      }),
    );
    expect(err.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'agreedTenderPeriodDays' }] });
  });

  it('direct award of welfare services over 700 000 SEK: post-award notice (19 a kap. 13–14 §§) and documentation (19 a kap. 11 §)', async () => {
    const handle = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      contractType: 'welfare_services',
      estimatedValueSek: 3_000_000,
      frameworkAgreement: false,
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, {
      sustainability: { notApplicableReason: 'Personal assistance hours' },
      supplyPreparedness: { criticality: 'medium', measures: 'Two providers' },
    });
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Omsorg AB',
      valueSek: 2_900_000,
    });
    const c = await contractState(h, s);
    const duty = (kind: string) => c.milestones.find((m) => m.kind === kind);
    expect(duty('post_award_notice')?.basis).toContain('19 a kap. 13–14 §§ LOU');
    expect(duty('documentation')?.basis).toContain('19 a kap. 11 § LOU');
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });
});
