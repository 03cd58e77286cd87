import { DataSource } from 'typeorm';
import { createAuditActivities } from '@tenderflow/activities/audit.activities';
import type { AuditEventInput } from '@tenderflow/activities/activity-types';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { buildDataSourceOptions } from '@tenderflow/db';

/** The audit log against the real PostgreSQL: idempotent appends, the chain, and the database's refusal to change it. */
describe('audit chain (real PostgreSQL)', () => {
  let ds: DataSource;
  let audit: AuditService;
  const tenderId = `AUD-2026-${String(process.pid).padStart(5, '0')}`;
  const event = (seq: number, type: string, payload: unknown): AuditEventInput => ({
    tenderId,
    workflowId: `tender-${tenderId}`,
    seq,
    type,
    actor: { sub: 'anna', name: 'Anna Andersson', org: 'HSN' },
    at: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString(),
    reason: seq === 2 ? 'approved after review' : undefined,
    payload,
  });

  beforeAll(async () => {
    ds = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!, { poolSize: 4 })).initialize();
    audit = new AuditService(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('writes each event once, however often the activity runs', async () => {
    const { appendAudit } = createAuditActivities({ dataSource: ds });
    const events = [
      event(1, 'tender.created', { title: 'Reagents', valueSek: 4_000_000 }),
      event(2, 'gate.decided', { gate: 'decision_to_procure', decision: 'approve' }),
    ];
    await appendAudit(events);
    await appendAudit(events); // a retried activity
    await Promise.all([
      appendAudit([event(3, 'phase.changed', { to: 'documents' })]),
      appendAudit([event(3, 'phase.changed', { to: 'documents' })]),
    ]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE tender_id = $1`, [tenderId]);
    expect(n).toBe(3);
    const page = await audit.list(tenderId);
    expect(page.items.map((e) => [e.index, e.type])).toEqual([
      [1, 'tender.created'],
      [2, 'gate.decided'],
      [3, 'phase.changed'],
    ]);
    expect(page.items[1].prevHash).toBe(page.items[0].hash);
    expect(await audit.verify(tenderId)).toEqual({ valid: true, events: 3, head: page.items[2].hash });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table', async () => {
    await expect(
      ds.query(`UPDATE audit_events SET reason = 'edited' WHERE tender_id = $1`, [tenderId]),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(ds.query(`DELETE FROM audit_events WHERE tender_id = $1`, [tenderId])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it("finds a row changed behind the application's back", async () => {
    // Someone with the owner's rights switches the trigger off and edits the payload of row 2.
    await ds.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
      await m.query(
        `UPDATE audit_events SET payload = '{"gate":"decision_to_procure","decision":"reject"}' WHERE tender_id = $1 AND chain_index = 2`,
        [tenderId],
      );
      await m.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
    });
    const result = await audit.verify(tenderId);
    expect(result).toMatchObject({ valid: false, brokenAt: 2, problem: "the row's content does not match its hash" });
  });
});
