import { DataSource } from 'typeorm';
import { createNotificationActivities } from '../../activities/notification.activities';
import { NotificationDelivery, OutgoingNotification } from '../../apps/worker/src/outbox/delivery';
import { MAX_ATTEMPTS, OutboxDispatcher, retryDelaySeconds } from '../../apps/worker/src/outbox/outbox-dispatcher';
import { buildDataSourceOptions } from '../../libs/db/src';

/**
 * A delivery that fails the first `failures` times for this spec's notifications, then records
 * what it delivered. Notifications other suites left pending in the shared outbox go through.
 */
class FlakyDelivery extends NotificationDelivery {
  delivered: OutgoingNotification[] = [];
  constructor(
    private failures: number,
    private readonly mine: (key: string) => boolean = () => true,
  ) {
    super();
  }
  async deliver(n: OutgoingNotification): Promise<void> {
    if (!this.mine(n.key)) return;
    if (this.failures-- > 0) throw new Error('SMTP 421 service not available');
    this.delivered.push(n);
  }
}

/** Other suites leave notifications in the shared outbox (its background dispatcher is idle in tests): drain them all each time. */
const ALL = 100_000;

describe('notification outbox (real PostgreSQL)', () => {
  let ds: DataSource;
  const tenderId = `OBX-2026-${String(process.pid).padStart(5, '0')}`;

  beforeAll(async () => {
    ds = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!, { poolSize: 4 })).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const row = async (key: string) =>
    (await ds.query(`SELECT status, attempts, last_error, next_attempt_at > now() AS later FROM notifications WHERE key = $1`, [key]))[0];

  it('queues each notification once, retries a failed delivery later, and delivers it', async () => {
    const { notify } = createNotificationActivities({ dataSource: ds });
    const n = {
      key: `tender-${tenderId}:award_notice:1`,
      tenderId,
      kind: 'award_notice' as const,
      recipients: ['anbud@supplier.example'],
      subject: 'Tilldelningsbeslut',
      body: 'Winner: Lab AB. Reasons: lowest price. Standstill: 10 days.',
    };
    await notify(n);
    await notify(n); // a retried activity
    expect((await ds.query(`SELECT count(*)::int AS c FROM notifications WHERE key = $1`, [n.key]))[0].c).toBe(1);

    const delivery = new FlakyDelivery(1, (key) => key.startsWith(`tender-${tenderId}:`));
    const dispatcher = new OutboxDispatcher(ds, delivery, 1000);
    await dispatcher.drainOnce(ALL);
    expect(await row(n.key)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP 421 service not available', later: true });
    // Not due yet: nothing is sent again until the retry time.
    await dispatcher.drainOnce(ALL);
    expect(delivery.delivered).toHaveLength(0);
    await ds.query(`UPDATE notifications SET next_attempt_at = now() WHERE key = $1`, [n.key]);
    await dispatcher.drainOnce(ALL);
    expect(delivery.delivered.map((d) => d.key)).toEqual([n.key]);
    expect(await row(n.key)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });

  it('gives up after the last attempt and backs off exponentially up to an hour', async () => {
    expect([1, 2, 3, 7, 20].map(retryDelaySeconds)).toEqual([60, 120, 240, 3600, 3600]);
    const key = `tender-${tenderId}:reminder:1`;
    await createNotificationActivities({ dataSource: ds }).notify({ key, tenderId, kind: 'reminder', recipients: ['x@y.example'], subject: 's', body: 'b' });
    await ds.query(`UPDATE notifications SET attempts = $2 WHERE key = $1`, [key, MAX_ATTEMPTS - 1]);
    await new OutboxDispatcher(ds, new FlakyDelivery(99), 1000).drainOnce(ALL);
    expect(await row(key)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });
});
