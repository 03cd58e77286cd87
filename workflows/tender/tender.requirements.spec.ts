import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import type { CommandPayloads } from '@tenderflow/temporal-common/tender-types';
import { requirementTextRef, requirementWithdrawalRef } from '@tenderflow/temporal-common/tender-texts';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  passDeadline,
  readModel,
  startHarness,
  startTender,
  state,
  today,
  type TenderHandle,
  refusal,
} from '../../test/support/tender-harness';

/**
 * The requirements register in the tender workflow (issue 30, part 1), on the time-skipping server:
 * requirements registered one per command in the documents phase, their texts in the read model and
 * not in the state, withdrawal with a reason, the register closed while the documents await approval
 * and once they are approved, and the payload's rules (lots, follow-up, scoring) refused by name.
 */
jest.setTimeout(30_000);

const condition: CommandPayloads['registerRequirement'] = {
  kind: 'contract_condition',
  text: 'Deliveries are made with vehicles meeting Euro VI or better.',
  reference: 'Kontraktsvillkor 7.3',
  lot: 'Chemistry',
  sustainabilityCriterionId: '10137:2',
  followUp: {
    method: 'document',
    frequency: 'yearly',
    owner: 'procurement',
    evidence: 'A list of the vehicles used with their emission class',
  },
};
const criterion: CommandPayloads['registerRequirement'] = {
  kind: 'award_criterion',
  text: 'Delivery time in working days',
  reference: 'Utvärdering 5.1',
  scoring: { maxScore: 5, weight: 25 },
};

describe('tender workflow: the requirements register', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-requirements');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  const detailsOf = (e: WorkflowUpdateFailedError) =>
    (e.cause as { type?: string; details?: [{ rule?: string; field?: string }] }) ?? {};
  const texts = (handle: TenderHandle) => readModel.entry(handle.workflowId).texts;

  it('registers requirements with their texts in the read model, withdraws one, and closes at the approval', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'documents');

    await cmd(handle, 'registerRequirement', actors.anna, condition);
    let s = await cmd(handle, 'registerRequirement', actors.anna, criterion);
    expect(s.requirements).toEqual([
      {
        id: 'K1',
        kind: 'contract_condition',
        lot: 'Chemistry',
        sustainabilityCriterionId: '10137:2',
        followUp: { method: 'document', frequency: 'yearly', owner: 'procurement' },
        registeredBy: { sub: 'anna', name: actors.anna.name },
        registeredAt: expect.any(String),
      },
      {
        id: 'K2',
        kind: 'award_criterion',
        scoring: { maxScore: 5, weight: 25 },
        registeredBy: { sub: 'anna', name: actors.anna.name },
        registeredAt: expect.any(String),
      },
    ]);
    // The words are content: in the read model by the requirement's ref, not in the workflow's state.
    expect(JSON.stringify(s.requirements)).not.toContain('Euro VI');
    expect(texts(handle).get(requirementTextRef('K1'))).toEqual({
      text: condition.text,
      reference: 'Kontraktsvillkor 7.3',
      evidence: 'A list of the vehicles used with their emission class',
    });
    expect(texts(handle).get(requirementTextRef('K2'))).toEqual({
      text: 'Delivery time in working days',
      reference: 'Utvärdering 5.1',
    });

    s = await cmd(handle, 'withdrawRequirement', actors.anna, {
      requirementId: 'K2',
      reason: 'Delivery time is a requirement, not a criterion',
    });
    expect(s.requirements![1].withdrawn).toMatchObject({ by: { sub: 'anna' } });
    expect(texts(handle).get(requirementWithdrawalRef('K2'))).toEqual({
      reason: 'Delivery time is a requirement, not a criterion',
    });
    const again = await refusal(cmd(handle, 'withdrawRequirement', actors.anna, { requirementId: 'K2', reason: 'x' }));
    expect(detailsOf(again)).toMatchObject({ type: 'Conflict', details: [{ rule: 'already_withdrawn' }] });
    const unknown = await refusal(
      cmd(handle, 'withdrawRequirement', actors.anna, { requirementId: 'K9', reason: 'x' }),
    );
    expect(detailsOf(unknown)).toMatchObject({ type: 'NotFound', details: [{ field: 'requirementId' }] });

    // The documents go for approval: the register is what is approved, and closes.
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    const frozen = await refusal(cmd(handle, 'registerRequirement', actors.anna, criterion));
    expect(detailsOf(frozen)).toMatchObject({ type: 'Conflict', details: [{ rule: 'requirements_frozen' }] });
    // Changes requested: the register opens again.
    await cmd(handle, 'decideGate', actors.bo, {
      gate: 'documents_approval',
      decision: 'request_changes',
      comment: 'Add the delivery-time requirement',
    });
    s = await cmd(handle, 'registerRequirement', actors.anna, {
      kind: 'object_requirement',
      text: 'Delivery within 2 working days of the order.',
      reference: 'Kravspecifikation 3.1',
    });
    expect(s.requirements!.map((r) => r.id)).toEqual(['K1', 'K2', 'K3']);
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-2' }],
    });
    s = await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    expect(s.documents?.approved).toBe(true);
    const closed = await refusal(
      cmd(handle, 'withdrawRequirement', actors.anna, { requirementId: 'K1', reason: 'Too late' }),
    );
    expect(detailsOf(closed)).toMatchObject({ type: 'Conflict', details: [{ rule: 'requirements_frozen' }] });
  });

  it('refuses a requirement that breaks the register’s rules, naming the field, and changes nothing', async () => {
    const handle = await startTender(h);
    // Before the documents phase: the phase refuses.
    const early = await refusal(cmd(handle, 'registerRequirement', actors.anna, criterion));
    expect(detailsOf(early)).toMatchObject({ type: 'InvalidPhase' });
    await driveTo(h, handle, 'documents');

    const bad: [Partial<CommandPayloads['registerRequirement']>, string][] = [
      [{ ...condition, lot: 'Microbiology' }, 'lot'],
      [{ ...condition, followUp: undefined }, 'followUp'],
      [{ ...condition, followUp: { ...condition.followUp!, frequency: 'weekly' as never } }, 'followUp.frequency'],
      [{ ...condition, sustainabilityCriterionId: 'ISO 14001' }, 'sustainabilityCriterionId'],
      [{ ...criterion, scoring: undefined }, 'scoring'],
      [{ ...criterion, scoring: { maxScore: 5, weight: 25, maxDeductionSek: 100_000 } }, 'scoring'],
      [{ ...criterion, scoring: { maxScore: 0, weight: 25 } }, 'scoring.maxScore'],
      [{ ...condition, scoring: { maxScore: 5, weight: 10 } }, 'scoring'],
      [{ ...criterion, text: ' ' }, 'text'],
      [{ ...criterion, kind: 'wish' as never }, 'kind'],
    ];
    for (const [payload, field] of bad) {
      const e = await refusal(
        cmd(handle, 'registerRequirement', actors.anna, payload as CommandPayloads['registerRequirement']),
      );
      expect({ field, refusal: detailsOf(e) }).toMatchObject({
        field,
        refusal: { type: 'BadRequest', details: [{ field }] },
      });
    }
    // A category manager is not a procurement officer.
    const role = await refusal(
      cmd(handle, 'registerRequirement', { ...actors.anna, roles: ['category_manager'] }, criterion),
    );
    expect(detailsOf(role)).toMatchObject({ type: 'Forbidden' });
    const s = await cmd(handle, 'registerRequirement', actors.anna, criterion);
    expect(s.requirements!.map((r) => r.id)).toEqual(['K1']);
  });

  it('assesses each tender against the register before the evaluation; a rejected tender wins nothing', async () => {
    const handle = await startTender(h);
    await driveTo(h, handle, 'documents');
    await cmd(handle, 'registerRequirement', actors.anna, {
      kind: 'supplier_requirement',
      text: 'Turnover of at least 10 MSEK a year',
      reference: 'AF 3.2',
    });
    await cmd(handle, 'registerRequirement', actors.anna, {
      kind: 'object_requirement',
      text: 'Shelf life of at least 12 months',
      reference: 'KS 2.1',
      lot: 'Chemistry',
    });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    let s = await passDeadline(h, handle, 'tender_deadline');
    const deadline = [...s.pastDeadlines].reverse().find((d) => d.kind === 'tender_deadline')!;
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    // A price for a lot the tender is not for is refused, by field.
    const offLot = await refusal(
      cmd(handle, 'recordOpening', actors.anna, {
        openers: ['anna', 'olof'],
        tenders: [{ supplier: 'A AB', receivedAt, lots: ['Haematology'], prices: [{ lot: 'Chemistry', priceSek: 1 }] }],
      }),
    );
    expect(detailsOf(offLot)).toMatchObject({ type: 'BadRequest', details: [{ field: 'tenders[0].prices[0].lot' }] });
    s = await cmd(handle, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: [
        { supplier: 'A AB', receivedAt, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 900_000 }] },
        { supplier: 'B AB', receivedAt, lots: ['Chemistry'], prices: [{ lot: 'Chemistry', priceSek: 1_100_000 }] },
        { supplier: 'C AB', receivedAt, lots: ['Haematology'], prices: [{ lot: 'Haematology', priceSek: 400_000 }] },
      ],
    });
    expect(s.phase).toBe('evaluation');
    expect(s.tendersReceived[0].prices).toEqual([{ lot: 'Chemistry', priceSek: 900_000 }]);
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });
    await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties' });

    // Before every tender is assessed, the evaluation is refused.
    const early = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, { proposals: [{ supplier: 'B AB', reasons: 'Best' }] }),
    );
    expect(detailsOf(early)).toMatchObject({ type: 'RuleViolation', details: [{ rule: 'assessments_missing' }] });

    const base = {
      exclusion: { groundFound: false, note: 'Skatteverket checked' },
      qualification: { met: true },
    };
    // K2 (Chemistry) applies to A; leaving it out is refused, naming it.
    const unanswered = await refusal(
      cmd(handle, 'assessTender', actors.anna, {
        ...base,
        supplier: 'A AB',
        requirements: [{ requirementId: 'K1', met: true }],
        result: 'admitted',
      }),
    );
    expect(detailsOf(unanswered)).toMatchObject({
      type: 'RuleViolation',
      details: [{ rule: 'requirements_unanswered', field: 'requirements' }],
    });
    expect(unanswered.cause?.message).toContain('K2');
    // Admitting a tender that fails a mandatory requirement is refused.
    const admittedFailing = await refusal(
      cmd(handle, 'assessTender', actors.anna, {
        ...base,
        supplier: 'A AB',
        requirements: [
          { requirementId: 'K1', met: true },
          { requirementId: 'K2', met: false, note: 'Shelf life 6 months' },
        ],
        result: 'admitted',
      }),
    );
    expect(detailsOf(admittedFailing)).toMatchObject({ details: [{ rule: 'admitted_with_failure', field: 'result' }] });
    s = await cmd(handle, 'assessTender', actors.anna, {
      ...base,
      supplier: 'A AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false, note: 'Shelf life 6 months' },
      ],
      result: 'rejected',
      reason: 'K2 not met: the shelf life is 6 months',
    });
    // The facts in the state; the notes and the reason in the read model.
    expect(s.assessments![0]).toMatchObject({
      supplier: 'A AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false, note: 'Shelf life 6 months' },
      ],
      result: 'rejected',
      reason: 'K2 not met: the shelf life is 6 months',
    });
    expect((await state(handle)).assessments![0]).not.toHaveProperty('reason');
    // B: abnormally low? No — but checked and accepted after an explanation; C (Haematology) needs only K1.
    await cmd(handle, 'assessTender', actors.anna, {
      ...base,
      supplier: 'B AB',
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: true },
      ],
      result: 'admitted',
    });
    const day = await today(h);
    await cmd(handle, 'assessTender', actors.anna, {
      ...base,
      supplier: 'C AB',
      requirements: [{ requirementId: 'K1', met: true }],
      abnormallyLow: [
        {
          lot: 'Haematology',
          explanationRequestedOn: day,
          explanationReceivedOn: day,
          outcome: 'accepted',
          explanation: 'Own production of the reagents',
          reason: 'The explanation accounts for the price',
        },
      ],
      result: 'admitted',
    });
    const rejectedWins = await refusal(
      cmd(handle, 'submitEvaluation', actors.anna, { proposals: [{ supplier: 'A AB', reasons: 'Lowest price' }] }),
    );
    expect(detailsOf(rejectedWins)).toMatchObject({ details: [{ rule: 'supplier_rejected' }] });
    s = await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [
        { supplier: 'B AB', lot: 'Chemistry', reasons: 'Lowest admitted price' },
        { supplier: 'C AB', lot: 'Haematology', reasons: 'Only tender' },
      ],
    });
    expect(s.phase).toBe('award_decision');
    // The assessment closes with the evaluation (the phase moved on).
    const late = await refusal(
      cmd(handle, 'assessTender', actors.anna, {
        ...base,
        supplier: 'A AB',
        requirements: [
          { requirementId: 'K1', met: true },
          { requirementId: 'K2', met: true },
        ],
        result: 'admitted',
      }),
    );
    expect(detailsOf(late)).toMatchObject({ type: 'InvalidPhase' });
  });
});
