import type {
  AuditEventInput,
  NotificationInput,
  SnapshotInput,
  StepCommit,
} from '@tenderflow/activities/activity-types';
import { StepRecorder, type StepWrites } from '@tenderflow/workflows/shared/recorder';

/** The one recorder of a step's audit events, notifications and snapshot (workflows/shared/recorder.ts). */
describe('StepRecorder', () => {
  const at = Date.parse('2026-04-15T08:00:00.000Z');
  let now: jest.SpyInstance;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockReturnValue(at);
  });
  afterEach(() => now.mockRestore());

  function recorder(log: string[]) {
    const written = {
      audit: [] as AuditEventInput[],
      notes: [] as NotificationInput[],
      snapshots: [] as number[],
      steps: [] as StepCommit[],
    };
    const writes: StepWrites<number> = {
      commitStep: async (step) => {
        log.push(
          `commit:${step.events.map((e) => e.seq).join(',')}|${step.notifications.map((m) => m.key).join(',')}|${step.snapshot ? (step.snapshot as unknown as { state: number }).state : '-'}`,
        );
        written.steps.push(step);
        written.audit.push(...step.events);
        written.notes.push(...step.notifications);
        if (step.snapshot) written.snapshots.push((step.snapshot as unknown as { state: number }).state);
      },
      appendAudit: async (events) => {
        log.push(`audit:${events.map((e) => e.seq).join(',')}`);
        written.audit.push(...events);
      },
      // A number stands for the state in this test.
      snapshot: (v) => ({ kind: 'tender', state: v }) as unknown as SnapshotInput,
    };
    const context = {
      tenderId: 'HSN-2026-00001',
      workflowId: 'tender-HSN-2026-00001',
      organization: 'HSN',
      tender: { title: 'Reagents', organization: 'HSN', category: 'lab', estimatedValueSek: 4_000_000 },
    };
    return { r: new StepRecorder<number>(() => context, writes), written };
  }

  it('writes a step as one commit (audit events, notifications, snapshot); numbers events and keys per workflow', async () => {
    const log: string[] = [];
    const { r, written } = recorder(log);
    r.event('gate.requested', { sub: 'anna', name: 'Anna' }, { gate: 'decision_to_procure' }, 'please');
    r.message('gate_request', ['role:approver@HSN', 'role:approver@HSN'], 'awaits', 'body');
    await r.record(2);
    expect(log).toEqual(['commit:1,2|tender-HSN-2026-00001:gate_request:1|2']);
    expect(written.steps[0].workflowId).toBe('tender-HSN-2026-00001');
    expect(written.audit[0]).toEqual({
      tenderId: 'HSN-2026-00001',
      workflowId: 'tender-HSN-2026-00001',
      seq: 1,
      type: 'gate.requested',
      actor: { sub: 'anna', name: 'Anna', org: 'HSN' },
      at: '2026-04-15T08:00:00.000Z',
      reason: 'please',
      payload: { gate: 'decision_to_procure' },
    });
    expect(written.audit[1]).toMatchObject({ seq: 2, type: 'notification.queued', actor: null });
    expect(written.notes[0]).toMatchObject({ recipients: ['role:approver@HSN'], tender: { title: 'Reagents' } });
    // Nothing pending: the next step writes only its snapshot; a step with nothing at all writes nothing.
    await r.record(3);
    await r.record();
    expect(log.slice(1)).toEqual(['commit:||3']);
  });

  it('rolls a refused step back to its mark: its seq and keys are used again', async () => {
    const log: string[] = [];
    const { r, written } = recorder(log);
    r.event('command.accepted', null, {});
    const mark = r.mark();
    r.event('command.accepted', null, { refused: true });
    r.message('other', ['user:anna'], 's', 'b');
    r.rollback(mark);
    r.message('other', ['user:bo'], 's', 'b');
    const step = r.take(7);
    expect(step.audit.map((e) => e.seq)).toEqual([1, 2]);
    expect(step.notifications.map((m) => [m.key, m.recipients])).toEqual([
      ['tender-HSN-2026-00001:other:1', ['user:bo']],
    ]);
    expect(step.snapshot).toBe(7);
    expect(written.audit).toEqual([]);
  });
});
