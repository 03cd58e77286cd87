import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TenderActivities } from '../../activities/tender.activities';
import { createTimeSkippingEnv, WORKFLOWS_PATH } from '../../test/support/temporal-test-env';
import { getStateQuery, TenderStartInput, TenderState } from './tender.messages';
import { tenderWorkflow } from './tender.workflow';

function startInput(overrides: Partial<TenderStartInput> = {}): TenderStartInput {
  return {
    id: 'HSN-2026-00001',
    title: 'Laboratory reagents 2027–2030',
    organization: 'HSN',
    category: 'lab',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    regime: 'eu',
    procedure: 'open',
    frameworkAgreement: true,
    contractTermMonths: 24,
    extensionOptionMonths: 24,
    electronicSubmission: true,
    invitedBodies: [],
    threshold: {
      id: 'sub_central-supplies_services-2026',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      sek: null,
      eur: 216000,
      confirmed: false,
      source: 'test',
    },
    ruleSet: 'test',
    createdBy: { sub: 'anna', name: 'Anna', org: 'HSN', roles: ['procurement_officer'] },
    createdAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

describe('tender workflow: start', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('waits in needs_analysis, records its read model and exposes its state by query', async () => {
    const snapshots: TenderState[] = [];
    const activities: Partial<TenderActivities> = {
      async recordTenderSnapshot(state) {
        snapshots.push(state);
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'test-start',
      workflowsPath: WORKFLOWS_PATH,
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(tenderWorkflow, {
        taskQueue: 'test-start',
        workflowId: 'tender-HSN-2026-00001',
        args: [startInput()],
      });
      // A year passes without any command: the tender is still waiting for its preparation.
      await env.sleep('365 days');
      const state = await handle.query(getStateQuery);
      expect(state.phase).toBe('needs_analysis');
      expect(state.workflowId).toBe('tender-HSN-2026-00001');
      expect(state.timeline).toEqual([{ phase: 'needs_analysis', enteredAt: '2026-11-25T10:00:00.000Z' }]);
      expect(snapshots.map((s) => [s.id, s.phase, s.version])).toEqual([['HSN-2026-00001', 'needs_analysis', 1]]);
    });
  });
});
