import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createNotificationActivities } from '@tenderflow/activities/notification.activities';
import { LogDelivery, type OutgoingEmail } from '../../apps/worker/src/outbox/delivery';
import { OutboxDispatcher, retryDelaySeconds } from '../../apps/worker/src/outbox/outbox-dispatcher';
import { buildDataSourceOptions } from '@tenderflow/db';

/**
 * The outbox against the real PostgreSQL, without a mail server: how a message is resolved
 * against the directory into deliveries (one per person, a visible failure for each recipient
 * that reaches no one), idempotently, and how rows left unresolved or claimed by a worker that
 * died are picked up. Sending over SMTP is in notifications.e2e-spec.ts.
 */

const ORG = `OBX${process.pid % 100_000}`;
const outbox = { publicBaseUrl: 'https://tenderflow.example', from: 'upphandling@region.example' };

describe('notification outbox (real PostgreSQL)', () => {
  let ds: DataSource;
  const tenderId = `${ORG}-2026-00001`;

  beforeAll(async () => {
    Logger.overrideLogger(false); // LogDelivery's lines: the rows are what the tests read
    ds = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!, { poolSize: 4 })).initialize();
    const person = (sub: string, name: string, email: string | null, roles: string[], categories: string[] = []) =>
      ds.query(
        `INSERT INTO people (sub, organization, name, email, roles, categories, source) VALUES ($1,$2,$3,$4,$5,$6,'import')`,
        [`${ORG}-${sub}`, ORG, name, email, roles, categories],
      );
    await person('anna', 'Anna Upphandlare', 'anna@obx.example', ['procurement_officer']);
    await person('carl', 'Carl Avtal', 'carl@obx.example', ['contract_manager', 'procurement_officer']);
    await person('cilla', 'Cilla Avtal', null, ['contract_manager']);
    await person('gone', 'Gustav Gått', 'gustav@obx.example', ['contract_manager']);
    await ds.query(`UPDATE people SET active = false WHERE sub = $1`, [`${ORG}-gone`]);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const deliveries = async (key: string) =>
    (await ds.query(
      `SELECT d.recipient, d.person_sub, d.address, d.channel, d.status, d.last_error, d.locale, d.subject
         FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1 ORDER BY d.id`,
      [key],
    )) as {
      recipient: string;
      person_sub: string | null;
      address: string | null;
      channel: string;
      status: string;
      last_error: string | null;
    }[];

  it('resolves each recipient: a queued e-mail per person, a visible failure for each one that reaches no one; once per key', async () => {
    const { notify } = createNotificationActivities({ dataSource: ds, outbox });
    const n = {
      key: `tender-${tenderId}:other:1`,
      tenderId,
      kind: 'other' as const,
      recipients: [
        `user:${ORG}-anna`,
        `role:contract_manager@${ORG}`,
        'email:ext@partner.example',
        'supplier:556000-0001',
        'adverts:outbox',
        `user:${ORG}-ghost`,
        `user:${ORG}-gone`,
        'bogus',
      ],
      subject: `${tenderId}: something`,
      body: 'Something happened.',
    };
    await notify(n);
    await notify(n); // a retried activity
    expect((await ds.query(`SELECT count(*)::int AS c FROM notifications WHERE key = $1`, [n.key]))[0].c).toBe(1);
    const rows = await deliveries(n.key);
    const byWho = (who: string) => rows.filter((r) => r.person_sub === who || r.recipient === who || r.address === who);
    expect(byWho(`${ORG}-anna`)).toEqual([
      expect.objectContaining({ status: 'queued', channel: 'email', address: 'anna@obx.example' }),
    ]);
    expect(byWho(`${ORG}-carl`)).toEqual([
      expect.objectContaining({ status: 'queued', recipient: `role:contract_manager@${ORG}` }),
    ]);
    expect(byWho(`${ORG}-cilla`)).toEqual([
      expect.objectContaining({ status: 'failed', last_error: expect.stringContaining('has no e-mail address') }),
    ]);
    expect(byWho('ext@partner.example')).toEqual([expect.objectContaining({ status: 'queued', channel: 'email' })]);
    expect(byWho('supplier:556000-0001')).toEqual([
      expect.objectContaining({
        status: 'failed',
        channel: 'none',
        last_error: expect.stringContaining('no e-mail address is known for supplier'),
      }),
    ]);
    expect(byWho('adverts:outbox')).toEqual([expect.objectContaining({ status: 'sent', channel: 'outbox' })]);
    expect(byWho(`user:${ORG}-ghost`)).toEqual([
      expect.objectContaining({ status: 'failed', last_error: expect.stringContaining('is not in the directory') }),
    ]);
    expect(byWho(`user:${ORG}-gone`)).toEqual([
      expect.objectContaining({ status: 'failed', last_error: expect.stringContaining('inactive') }),
    ]);
    expect(byWho('bogus')).toEqual([
      expect.objectContaining({
        status: 'failed',
        last_error: expect.stringContaining('not a recipient this system knows'),
      }),
    ]);
    // The inactive contract manager is not reached through the role either.
    expect(rows.filter((r) => r.person_sub === `${ORG}-gone`)).toEqual([]);
    expect(rows).toHaveLength(9);
  });

  it('writes one e-mail per person, however many recipients reach them', async () => {
    const key = `tender-${tenderId}:other:2`;
    await createNotificationActivities({ dataSource: ds, outbox }).notify({
      key,
      tenderId,
      kind: 'other',
      recipients: [
        `user:${ORG}-carl`,
        `role:procurement_officer@${ORG}`,
        `role:contract_manager@${ORG}`,
        'email:CARL@obx.example',
      ],
      subject: 's',
      body: 'b',
    });
    const carl = (await deliveries(key)).filter(
      (r) => r.person_sub === `${ORG}-carl` || r.address?.toLowerCase() === 'carl@obx.example',
    );
    expect(carl).toEqual([expect.objectContaining({ recipient: `user:${ORG}-carl`, status: 'queued' })]);
  });

  it('resolves rows left unresolved (queued before the directory existed) when the dispatcher drains', async () => {
    const key = `tender-${tenderId}:reminder:legacy`;
    await ds.query(
      `INSERT INTO notifications (key, tender_id, kind, recipients, subject, body) VALUES ($1,$2,'reminder',$3,'s','b')`,
      [key, tenderId, [`user:${ORG}-anna`]],
    );
    const dispatcher = new OutboxDispatcher(ds, new LogDelivery(), {
      ...outbox,
      pollMs: 1000,
      maxAttempts: 3,
      retryBaseSeconds: 60,
    });
    await dispatcher.drainOnce(100_000);
    expect(await deliveries(key)).toEqual([expect.objectContaining({ person_sub: `${ORG}-anna`, status: 'sent' })]);
    expect(
      (await ds.query(`SELECT resolved_at IS NOT NULL AS done FROM notifications WHERE key = $1`, [key]))[0].done,
    ).toBe(true);
  });

  it('sends again what a worker claimed and never marked once its lease has run out, and nothing whose lease runs', async () => {
    const key = `tender-${tenderId}:other:3`;
    await createNotificationActivities({ dataSource: ds, outbox }).notify({
      key,
      tenderId,
      kind: 'other',
      recipients: [`user:${ORG}-anna`],
      subject: 's',
      body: 'b',
    });
    await ds.query(
      `UPDATE notification_deliveries SET status = 'sending', attempts = 1, claimed_until = now() + interval '10 minutes'
        WHERE notification_id = (SELECT id FROM notifications WHERE key = $1)`,
      [key],
    );
    const dispatcher = new OutboxDispatcher(ds, new LogDelivery(), {
      ...outbox,
      pollMs: 1000,
      maxAttempts: 3,
      retryBaseSeconds: 60,
    });
    await dispatcher.drainOnce(100_000);
    expect(await deliveries(key)).toEqual([expect.objectContaining({ status: 'sending' })]);
    await ds.query(
      `UPDATE notification_deliveries SET claimed_until = now() - interval '1 second' WHERE notification_id = (SELECT id FROM notifications WHERE key = $1)`,
      [key],
    );
    await dispatcher.drainOnce(100_000);
    const [row] = await ds.query(
      `SELECT status, attempts FROM notification_deliveries WHERE notification_id = (SELECT id FROM notifications WHERE key = $1)`,
      [key],
    );
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('writes what the workflow says of its tender when the read model has no row yet (a command that raced the first snapshot)', async () => {
    const fresh = `${ORG}-2026-00077`;
    await ds.query(
      `INSERT INTO people (sub, organization, name, email, roles, categories, source) VALUES ($1,$2,'Kai Kategori','kai@obx.example','{category_manager}','{lab}','import')`,
      [`${ORG}-kai`, ORG],
    );
    const key = `tender-${fresh}:gate_request:1`;
    await createNotificationActivities({ dataSource: ds, outbox }).notify({
      key,
      tenderId: fresh,
      kind: 'gate_request',
      recipients: [`role:approver@${ORG}`],
      subject: `${fresh}: decision_to_procure awaits your decision`,
      body: 'b',
      about: {
        topic: 'gate_request',
        gate: 'decision_to_procure',
        since: new Date().toISOString(),
        requestedBy: { sub: `${ORG}-anna`, name: 'Anna Upphandlare' },
        eligibility: { role: 'approver', organization: ORG, minApprovalLimitSek: 1_000_000, excluded: [`${ORG}-anna`] },
      },
      tender: { title: 'Snabb upphandling', organization: ORG, category: 'lab', estimatedValueSek: 1_000_000 },
    });
    // No approver in OBX: escalated to the category manager of the tender's category (known from the message) and the administrators.
    const [escalation] = await ds.query(`SELECT recipients FROM gate_escalations WHERE request_key = $1`, [key]);
    expect(escalation.recipients).toEqual([`role:category_manager@${ORG}#lab`, `role:admin@${ORG}`]);
    const [kai] = await deliveries(`${key}:escalated`);
    expect(kai).toMatchObject({
      person_sub: `${ORG}-kai`,
      status: 'queued',
      subject: `Upphandling ${fresh}: Snabb upphandling`,
    });
  });

  it('two dispatchers at once claim disjoint rows, commit the claim before sending, and send each e-mail once', async () => {
    const key = `tender-${tenderId}:other:concurrent`;
    const addresses = Array.from({ length: 8 }, (_, i) => `c${i}@partner.example`);
    await createNotificationActivities({ dataSource: ds, outbox }).notify({
      key,
      tenderId,
      kind: 'other',
      recipients: addresses.map((a) => `email:${a}`),
      subject: 's',
      body: 'b',
    });

    /** Records what it sends, and what another connection sees of the row meanwhile. */
    class WatchedDelivery extends LogDelivery {
      readonly sent: string[] = [];
      readonly seenWhileSending: string[] = [];
      override async send(e: OutgoingEmail): Promise<string> {
        if (e.notificationKey === key) {
          const [row] = await ds.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [e.id]);
          this.seenWhileSending.push(row.status);
          await new Promise((r) => setTimeout(r, 100));
          this.sent.push(e.to);
        }
        return super.send(e);
      }
    }
    const options = { ...outbox, pollMs: 1000, maxAttempts: 3, retryBaseSeconds: 60 };
    const [a, b] = [new WatchedDelivery(), new WatchedDelivery()];
    const [da, db] = [new OutboxDispatcher(ds, a, options), new OutboxDispatcher(ds, b, options)];
    await Promise.all([da.drainOnce(4), db.drainOnce(4)]);
    // Both had work at once: neither waited for the other's claim, and none of one's rows went to the other.
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    while ((await Promise.all([da.drainOnce(4), db.drainOnce(4)])).some((r) => r.sent > 0));
    const all = [...a.sent, ...b.sent].sort();
    expect(all).toEqual([...addresses].sort());
    // The claim was committed before the e-mail was sent: another connection saw the row `sending`.
    expect(new Set([...a.seenWhileSending, ...b.seenWhileSending])).toEqual(new Set(['sending']));
    expect((await deliveries(key)).map((d) => d.status)).toEqual(addresses.map(() => 'sent'));
  });

  it('backs off exponentially from the configured base up to an hour', () => {
    expect([1, 2, 3, 7, 20].map((n) => retryDelaySeconds(n))).toEqual([60, 120, 240, 3600, 3600]);
    expect([1, 2, 3].map((n) => retryDelaySeconds(n, 0.5))).toEqual([0.5, 1, 2]);
  });
});
