import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  contract,
  contractOf,
  contractState,
  driveTo,
  Harness,
  openingTenders,
  passDeadline,
  proposal,
  signed,
  smallNeedsAnalysis,
  startHarness,
  startTender,
  stopFollowUp,
  today,
  refusal,
} from '../../test/support/tender-harness';
import { completeMilestoneUpdate } from '../contract/contract.messages';
import { type ContractState } from '@tenderflow/temporal-common/contract-types';
import { directAwardRecord } from '../../test/support/direct-award-record';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Rule set LOU-2026.3 in the workflows: an award without prior notice on its own path (6 kap. 12–19 §§,
 * 19 a kap.), the voluntary ex-ante notice and its wait (20 kap. 3 §), an advertised direct award
 * without a standstill, and a direct award's documentation (19 a kap. 11 §). Tenders started under
 * an earlier rule set keep the old behaviour (the harness's default rule set is such a one).
 */
describe('tender workflow: rule set LOU-2026.3', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-lou-2026-3');
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  const withoutNotice = {
    ruleSet: 'LOU-2026.3',
    procedure: 'negotiated_without_notice' as const,
    withoutNoticeGround: 'single_supplier' as const,
    negotiationGround: 'Only Acme Lab AB holds the rights to the analysis platform the reagents run on.',
  };

  /** From creation to the award decision without prior notice: no publication, the chosen suppliers negotiate. */
  async function negotiateToAward(handle: Awaited<ReturnType<typeof startTender>>) {
    await driveTo(h, handle, 'approved');
    const refused = await refusal(cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'TED' }));
    expect(refused.cause).toMatchObject({
      type: 'Conflict',
      details: [{ rule: 'without_notice', paragraph: '6 kap. 12–19 §§ LOU' }],
    });
    const day = await today(h);
    let s = await cmd(handle, 'inviteToNegotiate', actors.anna, {
      suppliers: [{ supplier: 'Acme Lab AB', orgNumber: '556000-0001' }],
      deadline: addDays(day, 7),
    });
    expect(s).toMatchObject({
      phase: 'negotiation',
      candidates: [{ supplier: 'Acme Lab AB' }],
      negotiation: { invitedBy: { sub: 'anna' } },
    });
    expect(s.publication).toBeUndefined();
    expect(s.tenderPeriod).toBeUndefined();
    const deadline = s.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(deadline).toMatchObject({
      lastDay: addDays(day, 7),
      basis: expect.stringContaining('ingen lagstadgad anbudstid'),
    });
    // No questions are taken in the negotiation: only the deadline runs.
    expect(s.deadlines.map((d) => d.kind)).toEqual(['tender_deadline']);
    const invitation = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'invitation')!;
    expect(invitation.recipients).toEqual(['supplier:556000-0001']);
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva] });
    s = await passDeadline(h, handle, 'tender_deadline');
    expect(s.phase).toBe('opening');
    const stranger = await refusal(
      cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) }),
    );
    expect(stranger.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'not_invited', field: 'tenders' }],
    });
    await cmd(handle, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: openingTenders(s).slice(0, 1),
    });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });
    return cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] });
  }

  it('negotiated procedure without prior notice, no ex-ante notice: invitation, opening, award, contract at once (no standstill, 20 kap. 2 § 1)', async () => {
    const handle = await startTender(h, withoutNotice);
    await negotiateToAward(handle);
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(s.phase).toBe('contract');
    expect(s.award?.standstillDays).toBeNull();
    expect(s.deadlines.some((d) => d.kind === 'standstill')).toBe(false);
    const notice = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'award_notice')!;
    expect(notice.body).toContain('Ingen avtalsspärr gäller för tilldelningen (20 kap. 2 § 1 LOU).');
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    expect(s.phase).toBe('follow_up');
    expect(s.exAnteNotice).toBeUndefined();
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it('with a voluntary ex-ante notice: no contract before 10 days have passed after its publication (20 kap. 3 §), then the contract', async () => {
    const handle = await startTender(h, withoutNotice);
    await negotiateToAward(handle);
    const day = await today(h);
    const future = await refusal(
      cmd(handle, 'recordExAnteNotice', actors.anna, {
        publishedOn: addDays(day, 1),
        advertisingDatabase: 'TED',
        supplier: 'Acme Lab AB',
      }),
    );
    expect(future.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'date_in_future', field: 'publishedOn' }],
    });
    // A notice dated before the procurement began would make the wait over before it started.
    const backdated = await refusal(
      cmd(handle, 'recordExAnteNotice', actors.anna, {
        publishedOn: '2020-01-01',
        advertisingDatabase: 'TED',
        supplier: 'Acme Lab AB',
      }),
    );
    expect(backdated.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'date_before_tender', field: 'publishedOn' }],
    });
    let s = await cmd(handle, 'recordExAnteNotice', actors.anna, {
      publishedOn: day,
      advertisingDatabase: 'TED',
      noticeReference: '2026/S 231-000001',
      supplier: 'Acme Lab AB',
    });
    expect(s.exAnteNotice).toMatchObject({ publishedOn: day, paragraph: '10 kap. 5 § LOU', supplier: 'Acme Lab AB' });
    const wait = s.deadlines.find((d) => d.kind === 'ex_ante_wait')!;
    // Ten days from the day after publication, moved past a weekend or holiday (20 kap. 18 §, lag 1930:173 2 §).
    expect(wait.lastDay >= addDays(day, 10)).toBe(true);
    expect(wait.basis).toContain('20 kap. 3 § LOU');
    expect(s.exAnteNotice!.waitLastDay).toBe(wait.lastDay);
    const again = await refusal(
      cmd(handle, 'recordExAnteNotice', actors.anna, {
        publishedOn: day,
        advertisingDatabase: 'TED',
        supplier: 'Acme Lab AB',
      }),
    );
    expect(again.cause).toMatchObject({ type: 'Conflict', details: [{ rule: 'already_recorded' }] });

    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(s.phase).toBe('contract');
    const early = await refusal(cmd(handle, 'registerContract', actors.anna, await contract(h, s)));
    expect(early.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'ex_ante_waiting_period', paragraph: '20 kap. 3 § LOU', field: 'signedAt' }],
    });
    expect(early.cause?.message).toContain(`not before ${addDays(wait.lastDay, 1)}`);
    s = await passDeadline(h, handle, 'ex_ante_wait');
    expect(s.pastDeadlines.find((d) => d.kind === 'ex_ante_wait')).toMatchObject({ outcome: 'passed' });
    const other = await refusal(
      cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), supplier: 'Nordic Reagents AB' }),
    );
    expect(other.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'awarded_supplier', field: 'supplier' }],
    });
    s = await cmd(handle, 'registerContract', actors.anna, await contract(h, s));
    expect(s.phase).toBe('follow_up');
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it('an ex-ante notice of a direct award (19 a kap. 9 §) protects only the contract with the supplier it announced (20 kap. 15 § 4)', async () => {
    const handle = await startTender(h, {
      ruleSet: 'LOU-2026.3',
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 300_000,
      category: 'ex-ante',
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    let s = await cmd(handle, 'recordExAnteNotice', actors.anna, {
      publishedOn: await today(h),
      advertisingDatabase: 'e-Avrop',
      supplier: 'Glans AB',
    });
    expect(s.exAnteNotice).toMatchObject({ paragraph: '19 a kap. 9 § LOU', supplier: 'Glans AB' });
    s = await passDeadline(h, handle, 'ex_ante_wait');
    const other = await refusal(
      cmd(handle, 'registerContract', actors.anna, {
        ...(await contract(h, s)),
        supplier: 'Fönsterputs AB',
        valueSek: 290_000,
      }),
    );
    expect(other.cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'ex_ante_notice_supplier', paragraph: '20 kap. 15 § 4 LOU', field: 'supplier' }],
    });
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Glans AB',
      valueSek: 290_000,
    });
    expect(s.phase).toBe('follow_up');
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it('under an earlier rule set the same procedure is still published and held by a standstill (histories unchanged)', async () => {
    const handle = await startTender(h, { ...withoutNotice, ruleSet: 'LOU-2026.2' });
    await driveTo(h, handle, 'approved');
    const refused = await refusal(
      cmd(handle, 'inviteToNegotiate', actors.anna, {
        suppliers: [{ supplier: 'Acme Lab AB' }],
        deadline: addDays(await today(h), 7),
      }),
    );
    expect(refused.cause).toMatchObject({ type: 'Conflict', details: [{ rule: 'procedure' }] });
    const s = await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'TED' });
    expect(s.phase).toBe('published');
  });

  it('an advertised direct award (regime direct, open shape): tendering path, award without a standstill (19 a kap. 10 §)', async () => {
    const handle = await startTender(h, {
      ruleSet: 'LOU-2026.3',
      regime: 'direct',
      procedure: 'open',
      estimatedValueSek: 500_000,
      contractType: 'supplies',
      category: 'lab-small',
    });
    let s = await driveTo(h, handle, 'award_decision', undefined, smallNeedsAnalysis);
    expect(s.phase).toBe('award_decision');
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(s.phase).toBe('contract');
    expect(s.award?.standstillDays).toBeNull();
    const notice = h.records.notes.get(handle.workflowId)!.find((n) => n.kind === 'award_notice')!;
    expect(notice.body).toContain('Ingen avtalsspärr gäller för tilldelningen (19 a kap. 10 § LOU).');
    expect(notice.body).toContain('Underrättelsen lämnas enligt 19 a kap. 10 § LOU.');
    // The contract goes to the awarded supplier only (the award is an award decision, not the decision to procure).
    const other = await refusal(
      cmd(handle, 'registerContract', actors.anna, {
        ...(await contract(h, s)),
        supplier: 'Someone Else AB',
        valueSek: 480_000,
      }),
    );
    expect(other.cause).toMatchObject({ details: [{ rule: 'awarded_supplier' }] });
    s = await cmd(handle, 'registerContract', actors.anna, { ...(await contract(h, s)), valueSek: 480_000 });
    const c = await contractState(h, s);
    // No post-award notice below 700 000 SEK (19 a kap. 13 §); documentation above 100 000 SEK (11 §).
    expect(c.milestones.map((m) => m.kind)).not.toContain('post_award_notice');
    expect(c.milestones.find((m) => m.kind === 'documentation')?.basis).toContain('19 a kap. 11 § LOU');
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });

  it('a direct award above 100 000 SEK: its documentation milestone takes the record, checked, and the record goes to the chain, not the state', async () => {
    const handle = await startTender(h, {
      ruleSet: 'LOU-2026.3',
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 650_000,
      contractType: 'services',
      category: 'cleaning',
    });
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    expect(s.phase).toBe('contract');
    s = await cmd(handle, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Fönsterputs AB',
      valueSek: 640_000,
    });
    const child = contractOf(h, s);
    let c: ContractState = await contractState(h, s);
    const documentation = c.milestones.find((m) => m.kind === 'documentation')!;
    const complete = (directAwardDocumentation?: unknown) =>
      refusal(
        signed(child, completeMilestoneUpdate, {
          actor: actors.anna,
          payload: {
            milestoneId: documentation.id,
            outcome: 'ok',
            note: 'Documented',
            ...(directAwardDocumentation !== undefined ? { directAwardDocumentation } : {}),
          } as never,
        }),
      );
    expect((await complete()).cause).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'direct_award_documentation_required', paragraph: '19 a kap. 11 § LOU' }],
    });
    const record: DirectAwardDocumentation = {
      ...directAwardRecord,
      authority: { name: 'Hälso- och sjukvårdsnämnden', orgNumber: '232100-0016' },
    };
    expect(
      (await complete({ ...record, winner: { name: 'Skinande AB', orgNumber: '556000-0005' } })).cause,
    ).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'winner_not_a_tenderer', field: 'directAwardDocumentation.winner.name' }],
    });
    expect((await complete({ ...record, winner: { name: 'Glans AB', orgNumber: '556000-0006' } })).cause).toMatchObject(
      {
        details: [{ rule: 'winner_not_contract_supplier' }],
      },
    );
    expect(
      (await complete({ ...record, suppliersAsked: [{ name: 'Skinande AB', answer: 'declined', priceSek: 1 }] })).cause,
    ).toMatchObject({
      type: 'BadRequest',
      details: [{ field: 'directAwardDocumentation.suppliersAsked[0].priceSek' }],
    });
    c = await signed(child, completeMilestoneUpdate, {
      actor: actors.anna,
      payload: { milestoneId: documentation.id, outcome: 'ok', note: 'Documented', directAwardDocumentation: record },
    });
    const done = c.milestones.find((m) => m.id === documentation.id)!;
    expect(done.completion).toMatchObject({ outcome: 'ok', documentationRecorded: true });
    expect(JSON.stringify(c)).not.toContain('Prisförfrågan');
    const event = h.records.audit.get(c.workflowId)!.find((e) => e.type === 'contract.direct_award_documented')!;
    expect(event.payload).toMatchObject({
      paragraph: '19 a kap. 11 § LOU',
      tenders: 2,
      suppliersAsked: 3,
      record: { competition: 'Prisförfrågan till tre leverantörer' },
    });
    // Another milestone takes no record.
    const other = c.milestones.find((m) => m.status !== 'done' && m.kind !== 'documentation')!;
    const misplaced = await refusal(
      signed(child, completeMilestoneUpdate, {
        actor: actors.anna,
        payload: { milestoneId: other.id, outcome: 'ok', note: 'x', directAwardDocumentation: record },
      }),
    );
    expect(misplaced.cause).toMatchObject({ type: 'BadRequest', details: [{ field: 'directAwardDocumentation' }] });
    expect((await stopFollowUp(h, handle)).phase).toBe('completed');
  });
});
