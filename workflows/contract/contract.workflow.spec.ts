import { WorkflowHandle } from '@temporalio/client';
import type { Actor } from '@tenderflow/domain/types';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowCodeForTests } from '../../test/support/shared-workflow-bundle';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import { getStateQuery } from '../tender/tender.messages';
import {
  actors,
  cmd,
  Harness,
  needsAnalysis,
  openingTenders,
  passDeadline,
  proposal,
  startHarness,
  startTender,
  today,
  waitFor,
  signed,
} from '../../test/support/tender-harness';
import { stockholmDate } from './milestone-plan';
import { completeMilestoneUpdate, getContractStateQuery } from './contract.messages';
import {
  type CompleteMilestonePayload,
  type ContractState,
  type Milestone,
} from '@tenderflow/temporal-common/contract-types';

/** Every run of a workflow ID, newest first, with its history: follows continue-as-new back to the first run. */
async function runHistories(env: TestWorkflowEnvironment, workflowId: string) {
  const runs: { runId: string; events: number; history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> }[] = [];
  let runId: string | undefined = (await env.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, events: history.events!.length, history });
    runId = history.events![0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

const open = (m: Milestone) => m.status === 'scheduled' || m.status === 'overdue';

describe('contract follow-up: a 4-year framework agreement (2 + 1 + 1 years)', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'contract');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  it('four years of milestones: one extension used and one declined, an overdue milestone escalated twice, a deviation and its corrective action, the re-procurement; every run under 2 000 events', async () => {
    const tender = await startTender(h);
    // Labour conditions required, criteria set, high criticality: every kind of milestone, reviews every 3 months.
    await cmd(tender, 'completeNeedsAnalysis', actors.anna, {
      ...needsAnalysis,
      laborConditions: { required: true, justification: 'Transport in the supply chain' },
    });
    await cmd(tender, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(tender, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-4Y' }],
    });
    await cmd(tender, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(tender, 'appointEvaluators', actors.anna, { evaluators: [actors.eva] });
    await cmd(tender, 'publish', actors.anna, {});
    let s = await passDeadline(h, tender, 'tender_deadline');
    await cmd(tender, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
    await cmd(tender, 'declareConflict', actors.eva, { hasConflict: false, statement: 'None' });
    await cmd(tender, 'submitEvaluation', actors.anna, { proposals: [proposal] });
    await cmd(tender, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    await passDeadline(h, tender, 'standstill');
    s = await cmd(tender, 'registerContract', actors.anna, {
      supplier: proposal.supplier,
      valueSek: 3_900_000,
      startDate: '2027-03-01',
      endDate: '2029-02-28',
      options: [
        { description: 'First extension, 1 year', months: 12 },
        { description: 'Second extension, 1 year', months: 12 },
      ],
      signedAt: await today(h),
    });
    expect(s.phase).toBe('follow_up');
    const contract = env.client.workflow.getHandle(s.followUp!.workflowId);
    const read = () => contract.query(getContractStateQuery);
    const complete = (actor: Actor, payload: CompleteMilestonePayload) =>
      signed(contract, completeMilestoneUpdate, { actor, payload });

    let c = await read();
    expect(c).toMatchObject({
      startDate: '2027-03-01',
      endDate: '2029-02-28',
      optionMonthsRemaining: 24,
      latestEndDate: '2031-02-28',
      status: 'active',
    });
    expect(new Set(c.milestones.map((m) => m.kind))).toEqual(
      new Set([
        'post_award_notice',
        'documentation',
        'startup_meeting',
        'periodic_review',
        'labour_conditions_check',
        'sustainability_check',
        'extension_decision',
        'reprocurement_start',
      ]),
    );
    const escalated = c.milestones.find((m) => m.kind === 'periodic_review')!; // the first review is left overdue
    const deviating = c.milestones.filter((m) => m.kind === 'periodic_review')[1]; // the second finds a deviation
    const decisions: boolean[] = [true, false]; // first option used, second declined

    // Refusals before the years start.
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: { cause?: unknown }) => e.cause,
      );
    expect(await refused(complete(actors.anna, { milestoneId: escalated.id, outcome: 'ok', note: 'x' }))).toMatchObject(
      { type: 'Forbidden', details: [{ rule: 'role' }] },
    ); // using unit's
    expect(
      await refused(complete({ ...actors.carl, org: 'RS' }, { milestoneId: escalated.id, outcome: 'ok', note: 'x' })),
    ).toMatchObject({
      type: 'Forbidden',
      details: [{ rule: 'organization' }],
    });
    expect(await refused(complete(actors.carl, { milestoneId: 'M999', outcome: 'ok', note: 'x' }))).toMatchObject({
      type: 'NotFound',
    });
    expect(
      await refused(complete(actors.carl, { milestoneId: escalated.id, outcome: 'fine' as never, note: 'x' })),
    ).toMatchObject({ type: 'BadRequest' });
    const decision1 = c.milestones.find((m) => m.kind === 'extension_decision')!;
    expect(
      await refused(
        complete(actors.anna, { milestoneId: decision1.id, outcome: 'ok', note: 'x', extend: true, months: 36 }),
      ),
    ).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'extension_within_options' }],
    });

    const wall = Date.now();
    let completions = 0;
    for (let guard = 0; guard < 200; guard++) {
      c = await read();
      if (c.status === 'completed') break;
      const next = c.milestones.filter(open).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      const now = await env.currentTimeMs();
      if (!next) {
        // Everything done: the contract runs out at the end of its last day.
        await env.sleep(Math.max(1, Date.parse(c.endDate) + 2 * 86_400_000 - now));
        await waitFor(tender, (x) => x.phase === 'completed', 'the tender to complete');
        continue;
      }
      // Complete each milestone on its last day; the first review only after two escalations.
      const target =
        next.id === escalated.id ? Date.parse(next.dueAt) + 8 * 86_400_000 : Date.parse(next.dueAt) - 6 * 3_600_000;
      if (target > now) await env.sleep(target - now);
      if (next.id === escalated.id) {
        for (let i = 0; i < 100 && (await read()).milestones.find((m) => m.id === next.id)!.escalations < 2; i++)
          await new Promise((r) => setTimeout(r, 25));
      }
      const actor = next.owner === 'using_unit' ? actors.carl : actors.anna;
      const payload: CompleteMilestonePayload = {
        milestoneId: next.id,
        outcome: next.id === deviating.id ? 'deviation' : 'ok',
        note: `${next.title}: done`,
      };
      if (next.kind === 'extension_decision') payload.extend = decisions.shift()!;
      await complete(actor, payload);
      completions += 1;
    }
    const wallMs = Date.now() - wall;

    // The tender completed when its follow-up ended.
    const t = await tender.query(getStateQuery);
    expect(t.phase).toBe('completed');
    expect(t.followUp).toMatchObject({ status: 'completed', outcome: { endDate: '2030-02-28' } });
    c = await read();
    expect(c.status).toBe('completed');

    // Extensions: 2029-02-28 → 2030-02-28 used; the second option declined; the plan grew with the year.
    expect(c.extensions.map((x) => [x.extend, x.months, x.from, x.to])).toEqual([
      [true, 12, '2029-02-28', '2030-02-28'],
      [false, 0, '2030-02-28', '2030-02-28'],
    ]);
    expect(c.endDate).toBe('2030-02-28');
    expect(c.optionMonthsRemaining).toBe(0);
    expect(
      c.milestones
        .filter((m) => m.kind === 'periodic_review')
        .map((m) => m.dueDate)
        .slice(-2),
    ).toEqual(['2029-09-01', '2029-12-01']);
    expect(c.milestones.filter((m) => m.kind === 'labour_conditions_check').map((m) => m.dueDate)).toEqual([
      '2028-03-01',
      '2029-03-01',
    ]);

    // The first review: overdue, escalated to the category manager twice, a week apart, then done.
    const e = c.milestones.find((m) => m.id === escalated.id)!;
    expect(e).toMatchObject({ status: 'done', escalations: 2 });
    const escalations = h.records.notes
      .get(contract.workflowId)!
      .filter((n) => n.kind === 'escalation' && n.subject.includes(e.title));
    expect(escalations).toHaveLength(2);
    expect(escalations[0].recipients).toEqual(['role:category_manager@HSN#lab', 'role:contract_manager@HSN']);
    expect(escalations[1].subject).toContain('escalation 2');
    const reminders = h.records.notes.get(contract.workflowId)!.filter((n) => n.kind === 'reminder');
    expect(reminders.length).toBeGreaterThan(10);
    // Each reminder names its milestone and deadline, for the e-mail and its calendar entry.
    for (const n of reminders) {
      const m = c.milestones.find((x) => x.id === (n.about as { milestone?: { id: string } }).milestone?.id)!;
      expect(n.about).toEqual({
        topic: 'milestone_due',
        milestone: { contractId: c.id, supplier: c.supplier, id: m.id, title: m.title, owner: m.owner },
        deadline: { kind: m.kind, lastDay: m.dueDate, at: m.dueAt, basis: m.basis },
      });
    }
    expect(escalations[1].about).toMatchObject({ topic: 'milestone_overdue', escalation: 2, milestone: { id: e.id } });

    // The deviation and its corrective action, due 30 days later and done.
    const d = c.milestones.find((m) => m.id === deviating.id)!;
    expect(d.completion).toMatchObject({ outcome: 'deviation', correctiveActionId: expect.any(String) });
    const fix = c.milestones.find((m) => m.id === d.completion!.correctiveActionId)!;
    expect(fix).toMatchObject({ kind: 'corrective_action', correctiveFor: d.id, owner: 'using_unit', status: 'done' });
    expect(Date.parse(fix.dueDate) - Date.parse(stockholmDate(Date.parse(d.completion!.at)))).toBe(30 * 86_400_000);

    // The re-procurement: moved to the day the extension was declined, and a new tender in needs_analysis.
    const r = c.milestones.find((m) => m.kind === 'reprocurement_start')!;
    expect(r.dueDate).toBe(stockholmDate(Date.parse(c.extensions[1].at)));
    expect(r.basis).toContain('due at once');
    expect(c.successorTenderId).toBeDefined();
    expect(t.successorTenderId).toBe(c.successorTenderId);
    const successor = await env.client.workflow.getHandle(`tender-${c.successorTenderId}`).query(getStateQuery);
    expect(successor).toMatchObject({
      phase: 'needs_analysis',
      previousTenderId: t.id,
      title: `${t.title} (re-procurement)`,
    });
    expect(h.records.reprocurements).toHaveLength(1);

    // History: every run of the follow-up, and the tender's, stays under 2 000 events.
    const runs = await runHistories(env, contract.workflowId);
    const tenderEvents = (await tender.fetchHistory()).events!.length;
    const largest = Math.max(...runs.map((x) => x.events));
    console.log(
      `4-year follow-up: ${completions} milestones completed in ${wallMs} ms of wall time; ${runs.length} runs of ${contract.workflowId} ` +
        `with ${runs
          .map((x) => x.events)
          .reverse()
          .join(', ')} events (largest ${largest}); the tender's history: ${tenderEvents} events`,
    );
    // One run per contract year, state carried by continue-as-new: signing to 2028-03-01, to 2029-03-01, to the end 2030-02-28.
    expect(runs.length).toBe(3);
    for (const run of runs) expect(run.events).toBeLessThan(2_000);
    expect(tenderEvents).toBeLessThan(2_000);
    expect(c.runs).toBe(runs.length);

    // Versioning: the busiest run replays against the current workflow code.
    const busiest = runs.find((x) => x.events === largest)!;
    await Worker.runReplayHistory(workflowCodeForTests(), busiest.history, contract.workflowId);
  }, 180_000);
});

export type { ContractState };
