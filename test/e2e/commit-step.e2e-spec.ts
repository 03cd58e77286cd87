import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { AuditEventInput, NotificationInput, StepCommit } from '@tenderflow/activities/activity-types';
import { createCommitActivities } from '@tenderflow/activities/commit.activities';
import { recordTenderStart } from '@tenderflow/db/tender-starts';
import { PERMANENT_DB_ERROR, withDatabaseErrorClassification } from '@tenderflow/activities/db-errors';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { buildDataSourceOptions } from '@tenderflow/db';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

/**
 * One step of a workflow against the real PostgreSQL: audit events, outbox rows and the read-model
 * snapshot in one transaction (all or nothing), idempotent when the activity runs again, and the
 * audit chain intact with several writers on one tender.
 */
const ORG = `CMT${process.pid % 100_000}`;
const outbox = { publicBaseUrl: 'https://tenderflow.example', from: 'upphandling@region.example' };
const anna = { sub: `${ORG}-anna`, name: 'Anna Upphandlare', org: ORG };

describe('commitStep: one transaction per step (real PostgreSQL)', () => {
  let ds: DataSource;
  let audit: AuditService;
  let commitStep: (step: StepCommit) => Promise<unknown>;
  let serial = 0;

  beforeAll(async () => {
    ds = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!, { poolSize: 6 })).initialize();
    audit = new AuditService(ds);
    // As the worker registers it: permanent database errors become non-retryable failures.
    ({ commitStep } = withDatabaseErrorClassification({ ...createCommitActivities({ dataSource: ds, outbox }) }));
    await ds.query(
      `INSERT INTO people (sub, organization, name, email, roles, categories, source) VALUES ($1,$2,$3,$4,$5,$6,'import')`,
      [anna.sub, ORG, anna.name, 'anna@cmt.example', ['procurement_officer'], []],
    );
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  // As the API does before it starts a workflow: the writer writes only for recorded starts.
  const newTender = () => {
    serial += 1;
    const id = `${ORG}-2026-${String(serial).padStart(5, '0')}`;
    return { id, workflowId: `tender-${id}` };
  };
  const started = async (t: { id: string; workflowId: string }) => {
    await recordTenderStart(ds.manager, {
      tenderId: t.id,
      workflowId: t.workflowId,
      input: { id: t.id },
      origin: 'api',
    });
    return t;
  };

  const tenderState = (
    t: { id: string; workflowId: string },
    version: number,
    overrides: Partial<TenderState> = {},
  ): TenderState => ({
    id: t.id,
    workflowId: t.workflowId,
    title: 'Laboratory reagents 2027–2030',
    organization: ORG,
    category: 'lab',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    regime: 'eu',
    procedure: 'open',
    frameworkAgreement: true,
    ruleSet: 'test',
    threshold: {
      id: 'sub_central-supplies_services-2026',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      sek: null,
      eur: 216000,
      confirmed: false,
      source: 'test',
    },
    phase: version > 1 ? 'documents' : 'needs_analysis',
    deadlines: [],
    pastDeadlines: [],
    pendingGates: [],
    participants: [],
    lots: [],
    candidates: [],
    questions: [],
    tendersReceived: [],
    evaluators: [],
    reviews: [],
    obligations: [],
    gateDecisions: [],
    commands: [],
    timeline: [{ phase: 'needs_analysis', enteredAt: '2026-11-25T10:00:00.000Z' }],
    createdBy: { sub: anna.sub, name: anna.name },
    createdAt: '2026-11-25T10:00:00.000Z',
    version,
    ...overrides,
  });

  const event = (
    t: { id: string; workflowId: string },
    seq: number,
    type: string,
    workflowId = t.workflowId,
  ): AuditEventInput => ({
    tenderId: t.id,
    workflowId,
    seq,
    type,
    actor: anna,
    at: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString(),
    payload: type === 'tender.created' ? { seq, input: { id: t.id } } : { seq },
  });

  const message = (
    t: { id: string; workflowId: string },
    n: number,
    recipients = [`user:${anna.sub}`],
  ): NotificationInput => ({
    key: `${t.workflowId}:other:${n}`,
    tenderId: t.id,
    kind: 'other',
    recipients,
    subject: `${t.id}: message ${n}`,
    body: 'Something happened.',
  });

  const counts = async (t: { id: string; workflowId: string }) => {
    const [row] = await ds.query(
      `SELECT (SELECT count(*)::int FROM audit_events WHERE tender_id = $1) AS audit,
              (SELECT count(*)::int FROM notifications WHERE tender_id = $1) AS notifications,
              (SELECT count(*)::int FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.tender_id = $1) AS deliveries,
              (SELECT state_version FROM tenders WHERE id = $1) AS version`,
      [t.id],
    );
    return row as { audit: number; notifications: number; deliveries: number; version: number | null };
  };

  it('writes the audit events, the outbox rows (resolved) and the snapshot of a step', async () => {
    const t = await started(newTender());
    await commitStep({
      workflowId: t.workflowId,
      events: [event(t, 1, 'tender.created'), event(t, 2, 'notification.queued')],
      notifications: [message(t, 1)],
      snapshot: { kind: 'tender', state: tenderState(t, 1) },
    });
    expect(await counts(t)).toEqual({ audit: 2, notifications: 1, deliveries: 1, version: 1 });
    expect(await audit.verify(t.id)).toMatchObject({ valid: true, events: 2 });
  });

  it('writes nothing of a step whose snapshot PostgreSQL refuses: no audit row, no outbox row; the failure is permanent', async () => {
    const t = await started(newTender());
    await commitStep({
      workflowId: t.workflowId,
      events: [event(t, 1, 'tender.created')],
      notifications: [],
      snapshot: { kind: 'tender', state: tenderState(t, 1) },
    });
    const before = await counts(t);

    // NUL is not storable in a PostgreSQL text column (SQLSTATE 22021, a data exception).
    const refused = commitStep({
      workflowId: t.workflowId,
      events: [event(t, 2, 'command.accepted'), event(t, 3, 'notification.queued')],
      notifications: [message(t, 1)],
      snapshot: { kind: 'tender', state: tenderState(t, 2, { title: 'Reagents\u0000' }) },
    });
    const err = await refused.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: PERMANENT_DB_ERROR, nonRetryable: true, details: [{ sqlState: '22021' }] });

    expect(await counts(t)).toEqual(before);
    expect(before).toEqual({ audit: 1, notifications: 0, deliveries: 0, version: 1 });

    // The workflow refuses the command and goes on from its last committed state, reusing the
    // sequence numbers: nothing of the refused step is there to make them look written already.
    await commitStep({
      workflowId: t.workflowId,
      events: [event(t, 2, 'command.accepted')],
      notifications: [],
      snapshot: { kind: 'tender', state: tenderState(t, 2) },
    });
    const rows: { type: string }[] = await ds.query(
      `SELECT type FROM audit_events WHERE tender_id = $1 ORDER BY chain_index`,
      [t.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['tender.created', 'command.accepted']);
    expect(await counts(t)).toMatchObject({ notifications: 0, version: 2 });
    expect(await audit.verify(t.id)).toMatchObject({ valid: true, events: 2 });
  });

  it('is idempotent: a retried activity (a worker died after the commit) writes nothing new, and an older snapshot never overwrites a newer one', async () => {
    const t = await started(newTender());
    const step: StepCommit = {
      workflowId: t.workflowId,
      events: [event(t, 1, 'tender.created'), event(t, 2, 'notification.queued')],
      notifications: [message(t, 1), message(t, 2, [`user:${anna.sub}`, 'email:ext@partner.example'])],
      snapshot: { kind: 'tender', state: tenderState(t, 1) },
    };
    await commitStep(step);
    const once = await counts(t);
    await commitStep(step);
    await Promise.all([commitStep(step), commitStep(step)]);
    expect(await counts(t)).toEqual(once);
    expect(once).toEqual({ audit: 2, notifications: 2, deliveries: 3, version: 1 });

    await commitStep({
      workflowId: t.workflowId,
      events: [event(t, 3, 'phase.changed')],
      notifications: [],
      snapshot: { kind: 'tender', state: tenderState(t, 2) },
    });
    await commitStep(step); // the first step, late
    const [row] = await ds.query(`SELECT state_version, phase FROM tenders WHERE id = $1`, [t.id]);
    expect(row).toEqual({ state_version: 2, phase: 'documents' });
    expect(await audit.verify(t.id)).toMatchObject({ valid: true, events: 3 });
  });

  it('keeps the chain linear with several writers on one tender at once (the tender and its coordination children), escalations included', async () => {
    const t = await started(newTender());
    const children = [`coordination-${t.id}-KOMMA`, `coordination-${t.id}-KOMMB`];
    // A gate request no approver of the organisation can decide is escalated in the same transaction.
    const gateRequest: NotificationInput = {
      ...message(t, 1, [`role:approver@${ORG}`]),
      kind: 'gate_request',
      about: {
        topic: 'gate_request',
        gate: 'decision_to_procure',
        since: '2026-11-25T10:00:00.000Z',
        requestedBy: { sub: anna.sub, name: anna.name },
        eligibility: { role: 'approver', organization: ORG, minApprovalLimitSek: 4_000_000, excluded: [anna.sub] },
      },
    };
    const steps: StepCommit[] = [
      {
        workflowId: t.workflowId,
        events: [event(t, 1, 'tender.created'), event(t, 2, 'notification.queued')],
        notifications: [gateRequest],
        snapshot: { kind: 'tender', state: tenderState(t, 1) },
      },
      ...children.map((w) => ({
        workflowId: w,
        events: [1, 2, 3].map((seq) => event(t, seq, 'invitation.sent', w)),
        notifications: [{ ...message(t, 1), key: `${w}:invitation:1`, kind: 'invitation' as const }],
      })),
    ];
    await Promise.all([...steps, ...steps].map((s) => commitStep(s)));

    const rows: { type: string; event_key: string }[] = await ds.query(
      `SELECT type, event_key FROM audit_events WHERE tender_id = $1 ORDER BY chain_index`,
      [t.id],
    );
    expect(rows).toHaveLength(2 + 3 + 3 + 1);
    expect(rows.filter((r) => r.type === 'gate.escalated')).toEqual([
      { type: 'gate.escalated', event_key: `outbox:${gateRequest.key}:escalated` },
    ]);
    expect(await audit.verify(t.id)).toMatchObject({ valid: true, events: 9 });
    const [escalation] = await ds.query(`SELECT count(*)::int AS n FROM gate_escalations WHERE request_key = $1`, [
      gateRequest.key,
    ]);
    expect(escalation.n).toBe(1);
  });

  it('writes a contract snapshot with its milestones, only over an older version', async () => {
    const t = await started(newTender());
    // The fields the contract's writer stores (its whole state goes into a jsonb column as it is).
    const contract = (version: number, status: ContractState['status']) =>
      ({
        id: `${t.id}-K1`,
        workflowId: `contract-${t.id}-K1`,
        tenderId: t.id,
        organization: ORG,
        category: 'lab',
        title: 'Reagents',
        supplier: 'Acme Lab AB',
        valueSek: 4_000_000,
        startDate: '2027-01-01',
        endDate: '2028-12-31',
        latestEndDate: '2030-12-31',
        status,
        criticality: 'high',
        milestones: [
          {
            id: 'm1',
            kind: 'startup_meeting',
            title: 'Start-up meeting',
            owner: 'procurement',
            dueDate: '2027-01-31',
            dueAt: '2027-01-31T22:59:59.999Z',
            status: 'scheduled',
            escalations: 0,
          },
        ],
        version,
      }) as unknown as ContractState;
    const step = (version: number, status: ContractState['status']): StepCommit => ({
      workflowId: `contract-${t.id}-K1`,
      events: [event(t, version, 'contract.planned', `contract-${t.id}-K1`)],
      notifications: [],
      snapshot: { kind: 'contract', state: contract(version, status) },
    });
    await commitStep(step(2, 'active'));
    await commitStep(step(1, 'ended'));
    const rows = await ds.query(
      `SELECT c.status, c.state_version, count(m.id)::int AS milestones FROM contracts c LEFT JOIN milestones m ON m.contract_id = c.id WHERE c.id = $1 GROUP BY c.id`,
      [`${t.id}-K1`],
    );
    expect(rows).toEqual([{ status: 'active', state_version: 2, milestones: 1 }]);
  });

  it('writes nothing for a tender whose start the system did not record (a workflow started around the API), and logs it', async () => {
    const forged = newTender(); // no recorded start
    const first = (t: { id: string; workflowId: string }): StepCommit => ({
      workflowId: t.workflowId,
      events: [event(t, 1, 'tender.created'), event(t, 2, 'notification.queued')],
      notifications: [message(t, 1)],
      snapshot: { kind: 'tender', state: tenderState(t, 1) },
    });
    const refused = await commitStep(first(forged)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect((refused as ApplicationFailure).type).toBe(PERMANENT_DB_ERROR);
    expect((refused as ApplicationFailure).nonRetryable).toBe(true);
    expect(await counts(forged)).toEqual({ audit: 0, notifications: 0, deliveries: 0, version: null });
    const [logged] = await ds.query(`SELECT kind, route, status FROM security_events WHERE route = $1`, [
      forged.workflowId,
    ]);
    expect(logged).toEqual({ kind: 'unrecorded_start', route: forged.workflowId, status: 403 });

    // A recorded tender, started with another input than the one recorded (its creator changed): refused too.
    const other = newTender();
    await recordTenderStart(ds.manager, {
      tenderId: other.id,
      workflowId: other.workflowId,
      input: { id: other.id, createdBy: 'someone else' },
      origin: 'api',
    });
    await expect(commitStep(first(other))).rejects.toBeInstanceOf(ApplicationFailure);
    expect(await counts(other)).toEqual({ audit: 0, notifications: 0, deliveries: 0, version: null });
  });

  it("refuses steps for a known tender from a workflow that is not the tender's, its contract's or a coordination's", async () => {
    const t = await started(newTender());
    await commitStep({
      workflowId: t.workflowId,
      events: [event(t, 1, 'tender.created')],
      notifications: [],
      snapshot: { kind: 'tender', state: tenderState(t, 1) },
    });
    const stranger = `tender-${ORG}-2026-99999`;
    await expect(
      commitStep({
        workflowId: stranger,
        events: [event(t, 2, 'command.accepted', stranger)],
        notifications: [],
        snapshot: undefined,
      }),
    ).rejects.toBeInstanceOf(ApplicationFailure);
    // Its coordination child writes into the tender's chain, as the workflows do.
    await commitStep({
      workflowId: `coordination-${t.id}-PARTNER`,
      events: [event(t, 1, 'invitation.sent', `coordination-${t.id}-PARTNER`)],
      notifications: [],
    });
    expect(await counts(t)).toMatchObject({ audit: 2, version: 1 });
    expect(await audit.verify(t.id)).toMatchObject({ valid: true, events: 2 });
  });
});
