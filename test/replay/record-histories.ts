/**
 * Records the histories that workflows/replay.spec.ts replays: every workflow type, on the paths a
 * running tender takes, under the time-skipping server. Run after a deliberate, patched change of
 * workflow code and commit the result:  npm run replay:record
 * Histories already in the folder are kept (they stand for workflows running in production);
 * a new recording gets today's date in its name (REPLAY_STAMP names a second recording of one day,
 * e.g. `REPLAY_STAMP=2026-12-03b`, so the day's first one is kept).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { respondToInvitationUpdate } from '@tenderflow/workflows/coordination/coordination.messages';
import {
  completeMilestoneUpdate,
  getContractStateQuery,
  registerChangeUpdate,
} from '@tenderflow/workflows/contract/contract.messages';
import {
  actors,
  cmd,
  contract,
  contractOf,
  driveTo,
  Harness,
  needsAnalysis,
  openingTenders,
  passDeadline,
  proposal,
  signed,
  smallNeedsAnalysis,
  startHarness,
  startTender,
  state,
  today,
  waitFor,
} from '../support/tender-harness';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import type { DelegationOrder } from '@tenderflow/domain/delegation';
import { delegationPin } from '@tenderflow/domain/delegation-authority';

const DIR = join(__dirname, 'histories');
const stamp = process.env.REPLAY_STAMP ?? new Date().toISOString().slice(0, 10);
/** REPLAY_ONLY=name,name…: write only these recordings (a change that adds paths records just them). */
const only = process.env.REPLAY_ONLY ? new Set(process.env.REPLAY_ONLY.split(',')) : undefined;

async function save(h: Harness, name: string, handle: WorkflowHandle, runId?: string): Promise<void> {
  if (only && !only.has(name)) return;
  const target = runId ? h.env.client.workflow.getHandle(handle.workflowId, runId) : handle;
  const history = await target.fetchHistory();
  const description = await target.describe();
  const file = join(DIR, `${stamp}-${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ workflowId: handle.workflowId, workflowType: description.type, recordedAt: new Date().toISOString(), events: history.events?.length, eventTypes: history.events?.map((e) => e.eventType), historyBase64: Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('base64') }, null, 1)}\n`,
  );
  process.stdout.write(`recorded ${file} (${description.type}, ${history.events?.length} events)\n`);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  mkdirSync(DIR, { recursive: true });
  const env = await createTimeSkippingEnv();
  const h = await startHarness(env, 'replay-record');
  try {
    // EU open procedure through award, standstill and contract into follow-up (tender + contract child).
    const eu = await startTender(h);
    let s = await driveTo(h, eu, 'contract');
    s = await cmd(eu, 'registerContract', actors.anna, await contract(h, s));
    s = await waitFor(eu, (x) => x.phase === 'follow_up', 'follow_up');
    const follow = env.client.workflow.getHandle(contractOf(h, s).workflowId);
    await env.sleep('100 days'); // start-up meeting due, reminders and an escalation fire
    await save(h, 'tender-eu-open-follow-up', eu);
    await save(h, 'contract-first-months', follow);

    // Direct award: needs analysis, decision to procure, contract.
    const direct = await startTender(h, {
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 450_000,
      frameworkAgreement: false,
    });
    await cmd(direct, 'completeNeedsAnalysis', actors.anna, {
      ...needsAnalysis,
      lots: undefined,
      lotJustification: 'Below the threshold',
    });
    s = await cmd(direct, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    s = await cmd(direct, 'registerContract', actors.anna, await contract(h, s));
    await waitFor(direct, (x) => x.phase === 'follow_up', 'follow_up');
    await save(h, 'tender-direct-award', direct);

    // Cancelled after request and approval.
    const cancelled = await startTender(h);
    await cmd(cancelled, 'requestCancellation', actors.anna, {
      reason: 'The need has disappeared after a reorganisation',
    });
    await cmd(cancelled, 'decideGate', actors.bo, { gate: 'cancellation', decision: 'approve', comment: 'Agreed' });
    await waitFor(cancelled, (x) => x.phase === 'cancelled', 'cancelled');
    await save(h, 'tender-cancelled', cancelled);

    // Joint procurement: one body joins, one stays silent until the deadline.
    const joint = await startTender(h, {
      invitedBodies: [
        { organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' },
        { organization: 'TYST', name: 'Tysta kommunen', contactEmail: 'inkop@tysta.se' },
      ],
    });
    await cmd(joint, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    s = await cmd(joint, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    const komm = env.client.workflow.getHandle(coordinationWorkflowId(s.id, 'KOMM'));
    await signed(komm, respondToInvitationUpdate, {
      actor: actors.pia,
      payload: { organization: 'KOMM', answer: 'join', estimatedVolume: '20 %', mandateReference: 'KS 2026/14' },
    });
    await passDeadline(h, joint, 'coordination_response');
    await waitFor(joint, (x) => x.phase === 'documents', 'documents');
    await save(h, 'tender-joint', joint);
    await save(h, 'coordination-joined', komm);
    await save(h, 'coordination-silent', env.client.workflow.getHandle(coordinationWorkflowId(s.id, 'TYST')));
    await state(joint);

    // Under a pinned policy (patches policy-dual-approval, policy-group-coordination): the group is
    // asked at the decision to procure, every gate needs two approvers, the documents carry a follow-up plan.
    const pinned = await startTender(h, {
      estimatedValueSek: 6_000_000,
      policyVersion: 'REGION@1/HSN@1',
      policy: { dualApprovalFromSek: 5_000_000, groupCoordinationCheck: true, followUpPlanRequired: true },
    });
    await cmd(pinned, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    await cmd(pinned, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(pinned, 'decideGate', actors.cia, { gate: 'decision_to_procure', decision: 'approve' });
    await cmd(pinned, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
      followUpPlan: [{ what: 'Delivery precision', how: 'Monthly report', byWhom: 'Lab manager', everyMonths: 6 }],
    });
    await cmd(pinned, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(pinned, 'decideGate', actors.cia, { gate: 'documents_approval', decision: 'approve' });
    await save(h, 'tender-policy-pinned', pinned);

    // Bounded tenders: questions whose texts go to the read model, until the run continues as new
    // (at a low event budget, so that both runs stay small files); then a command in the next run.
    const busy = await startTender(h, { historyEventsBudget: 150 });
    await driveTo(h, busy, 'published');
    const firstRun = (await busy.describe()).runId;
    for (let n = 1; n <= 12; n++)
      await cmd(busy, 'askQuestion', actors.anna, {
        question: `Question ${n} about requirement 4.${n}`,
        askedBy: `Supplier ${n} AB`,
      });
    for (let n = 1; n <= 12; n++)
      await cmd(busy, 'answerQuestion', actors.anna, { questionId: `Q${n}`, answer: `Answer ${n}: see appendix ${n}` });
    const nextRun = (await busy.describe()).runId;
    if (nextRun === firstRun) throw new Error('the busy tender did not continue as new');
    await cmd(busy, 'extendDeadline', actors.anna, {
      deadline: nextYear((await state(busy)).deadlines.find((d) => d.kind === 'tender_deadline')!.lastDay),
      reason: 'Many questions',
    });
    await save(h, 'tender-questions-first-run', busy, firstRun);
    await save(h, 'tender-questions-continued', busy, nextRun);

    // Rule set LOU-2026.3: an award without prior notice with an ex-ante notice, to its contract.
    const quiet = await startTender(h, {
      ruleSet: 'LOU-2026.3',
      procedure: 'negotiated_without_notice',
      withoutNoticeGround: 'single_supplier',
      negotiationGround: 'Only Acme Lab AB holds the rights to the analysis platform.',
    });
    await driveTo(h, quiet, 'approved');
    s = await cmd(quiet, 'inviteToNegotiate', actors.anna, {
      suppliers: [{ supplier: 'Acme Lab AB', orgNumber: '556000-0001' }],
      deadline: await day(h, 7),
    });
    await cmd(quiet, 'appointEvaluators', actors.anna, { evaluators: [actors.eva] });
    s = await passDeadline(h, quiet, 'tender_deadline');
    await cmd(quiet, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: openingTenders(s).slice(0, 1),
    });
    await cmd(quiet, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });
    await cmd(quiet, 'submitEvaluation', actors.anna, { proposals: [proposal] });
    await cmd(quiet, 'recordExAnteNotice', actors.anna, {
      publishedOn: await day(h, 0),
      advertisingDatabase: 'TED',
      supplier: 'Acme Lab AB',
    });
    await cmd(quiet, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    s = await passDeadline(h, quiet, 'ex_ante_wait');
    await cmd(quiet, 'registerContract', actors.anna, await contract(h, s));
    await save(h, 'tender-without-notice-ex-ante', quiet);

    // A direct award above 100 000 SEK documented at its documentation milestone (19 a kap. 11 §).
    const documented = await startTender(h, {
      ruleSet: 'LOU-2026.3',
      regime: 'direct',
      procedure: 'direct_award',
      estimatedValueSek: 650_000,
      category: 'windows',
      frameworkAgreement: false,
    });
    await cmd(documented, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    s = await cmd(documented, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
    s = await cmd(documented, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      supplier: 'Fönsterputs AB',
      valueSek: 640_000,
    });
    const record = contractOf(h, s);
    const milestone = (await record.query(getContractStateQuery)).milestones.find((m) => m.kind === 'documentation')!;
    await signed(record, completeMilestoneUpdate, {
      actor: actors.anna,
      payload: {
        milestoneId: milestone.id,
        outcome: 'ok',
        note: 'Documented',
        directAwardDocumentation: {
          competition: 'Price enquiry to three suppliers',
          suppliersAsked: [
            { name: 'Fönsterputs AB', orgNumber: '556000-0004', answer: 'tendered', priceSek: 640_000 },
            { name: 'Glans AB', answer: 'declined' },
          ],
          winner: { name: 'Fönsterputs AB', orgNumber: '556000-0004' },
          reason: 'The only tender, within the budget',
          authority: { name: 'Hälso- och sjukvårdsnämnden', orgNumber: '232100-0016' },
        },
      },
    });
    await save(h, 'tender-direct-award-documented', documented);
    await save(h, 'contract-direct-award-documented', record);

    // Gates by the delegation order (issue 29): the decision to procure goes to item 1.2, whose
    // delegate is away and names a substitute, who decides; the documents' approval (2.2, whose
    // substitute function nobody holds) finds nobody present and escalates to 2.3.
    const order: DelegationOrder = {
      items: [
        {
          id: '1.2',
          decision: 'decision_to_procure',
          delegate: 'chef',
          limit: { sek: 10_000_000 },
          reportToBoard: true,
          substitute: { nearestSuperior: true },
        },
        {
          id: '2.2',
          decision: 'documents_approval',
          delegate: 'chef',
          limit: { sek: 10_000_000 },
          reportToBoard: true,
          substitute: { function: 'vice' },
        },
        {
          id: '2.3',
          decision: 'documents_approval',
          delegate: 'direktor',
          reportToBoard: true,
          substitute: { nearestSuperior: true },
        },
      ],
    };
    const everyone = [actors.bo, actors.cia].map(({ sub, name }) => ({ sub, name }));
    const directory = (absences: { sub: string; from: string; to: string; substitute?: string }[]) => ({
      functions: [{ code: 'direktor' }, { code: 'chef', superior: 'direktor' }],
      personFunctions: [
        { sub: 'bo', code: 'chef', validFrom: '2020-01-01' },
        { sub: 'cia', code: 'direktor', validFrom: '2020-01-01' },
      ],
      absences,
      people: everyone,
    });
    h.records.directories.set(
      'HSN',
      directory([{ sub: 'bo', from: '2020-01-01', to: '2099-12-31', substitute: 'cia' }]),
    );
    const delegated = await startTender(h, {
      estimatedValueSek: 2_000_000,
      regime: 'national',
      procedure: 'simplified',
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      delegation: delegationPin(1, order, {}),
    });
    await cmd(delegated, 'completeNeedsAnalysis', actors.anna, smallNeedsAnalysis);
    await cmd(delegated, 'decideGate', actors.cia, {
      gate: 'decision_to_procure',
      decision: 'approve',
      authority: {
        item: '1.2',
        function: 'chef',
        via: 'substitute',
        asSubstituteFor: { sub: 'bo', name: actors.bo.name },
      },
    });
    h.records.directories.set('HSN', directory([{ sub: 'bo', from: '2020-01-01', to: '2099-12-31' }]));
    await cmd(delegated, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    await cmd(delegated, 'decideGate', actors.cia, {
      gate: 'documents_approval',
      decision: 'approve',
      authority: { item: '2.3', function: 'direktor', via: 'delegate' },
    });
    await save(h, 'tender-delegation-order-gates', delegated);

    // The requirements register, the opening's prices and each tender's assessment, to the award gate (issue 30).
    h.records.directories.delete('HSN');
    const assessed = await startTender(h);
    await driveTo(h, assessed, 'documents');
    await cmd(assessed, 'registerRequirement', actors.anna, {
      kind: 'supplier_requirement',
      text: 'Turnover of at least 10 MSEK a year',
      reference: 'AF 3.2',
    });
    await cmd(assessed, 'registerRequirement', actors.anna, {
      kind: 'contract_condition',
      text: 'Euro VI vehicles',
      reference: 'KV 7.3',
      sustainabilityCriterionId: '10137:2',
      followUp: { method: 'document', frequency: 'yearly', owner: 'procurement', evidence: 'Vehicle list' },
    });
    await cmd(assessed, 'registerRequirement', actors.anna, {
      kind: 'object_requirement',
      text: 'Shelf life 12 months',
      reference: 'KS 2.1',
      lot: 'Chemistry',
    });
    await cmd(assessed, 'withdrawRequirement', actors.anna, {
      requirementId: 'K3',
      reason: 'Moved to the specification',
    });
    await cmd(assessed, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    await cmd(assessed, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(assessed, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(assessed, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    s = await passDeadline(h, assessed, 'tender_deadline');
    const [first, second] = openingTenders(s);
    await cmd(assessed, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: [
        { ...first, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 1_900_000 }] },
        { ...second, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 1_200_000 }] },
      ],
    });
    await cmd(assessed, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });
    await cmd(assessed, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties' });
    const checks = { exclusion: { groundFound: false }, qualification: { met: true } };
    await cmd(assessed, 'assessTender', actors.anna, {
      ...checks,
      supplier: first.supplier,
      requirements: [{ requirementId: 'K1', met: true }],
      result: 'admitted',
    });
    await cmd(assessed, 'assessTender', actors.anna, {
      ...checks,
      supplier: second.supplier,
      requirements: [{ requirementId: 'K1', met: false, note: 'Turnover 4 MSEK' }],
      result: 'rejected',
      reason: 'K1 not met',
    });
    await cmd(assessed, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: first.supplier, lot: 'Chemistry', reasons: 'The only admitted tender' }],
    });
    await save(h, 'tender-requirements-assessment', assessed);

    // On to the award with its red flags justified: the evaluation report and each tenderer's award
    // decision notice are issued as documents, beside the opening protocol (issue 30, part 4).
    await cmd(assessed, 'decideGate', actors.bo, {
      gate: 'award_decision',
      decision: 'approve',
      justification: 'The cheaper tender lacked the required turnover.',
    });
    await save(h, 'tender-decision-documents', assessed);

    // Into follow-up (issue 31): the register's contract condition is a control of the contract; a
    // control's deviation with its severity; a change under 17 kap. 12 § with the notice it makes due.
    s = await passDeadline(h, assessed, 'standstill');
    // The contract reserves a penalty and a termination right (sanctions: not in the earlier recordings).
    s = await cmd(assessed, 'registerContract', actors.anna, {
      ...(await contract(h, s)),
      sanctions: [
        { kind: 'penalty', clauseReference: 'AV 14.2', maxAmountSek: 100_000 },
        { kind: 'termination', clauseReference: 'AV 15.1' },
      ],
    });
    s = await waitFor(assessed, (x) => x.phase === 'follow_up', 'follow_up');
    const controlled = contractOf(h, s);
    const planned = await controlled.query(getContractStateQuery);
    const control = planned.milestones.find((m) => m.kind === 'control')!;
    await signed(controlled, completeMilestoneUpdate, {
      actor: actors.anna,
      payload: { milestoneId: control.id, outcome: 'deviation', note: 'Vehicle list missing', severity: 'minor' },
    });
    await signed(controlled, registerChangeUpdate, {
      actor: actors.anna,
      payload: { ground: 'unforeseen', valueChangeSek: 100_000, overallNatureChanged: false, description: 'New route' },
    });
    await save(h, 'contract-controls-changes', controlled);

    // A major deviation in a periodic review puts the contract's sanctions to a decision; an approver
    // within the policy's limit imposes the penalty (issue 31).
    const review = planned.milestones.find((m) => m.kind === 'periodic_review')!;
    const deviated = await signed(controlled, completeMilestoneUpdate, {
      actor: actors.carl,
      payload: { milestoneId: review.id, outcome: 'deviation', note: 'Deliveries late all quarter', severity: 'major' },
    });
    const sanctionId = deviated.milestones.find((m) => m.id === review.id)!.completion!.sanctionDecisionId!;
    await signed(controlled, completeMilestoneUpdate, {
      actor: actors.bo,
      payload: {
        milestoneId: sanctionId,
        outcome: 'ok',
        note: 'Penalty per AV 14.2',
        sanction: { decision: 'impose', kind: 'penalty', amountSek: 40_000 },
      },
    });
    await save(h, 'contract-sanction-decision', controlled);
  } finally {
    await h.stop();
    await env.teardown();
  }
}

/** The test server's day in Sweden, `n` days on. */
async function day(h: Harness, n: number): Promise<string> {
  const t = Date.parse(`${await today(h)}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function nextYear(day: string): string {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
