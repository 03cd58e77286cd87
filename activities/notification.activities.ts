import { DataSource } from 'typeorm';
import type { NotificationInput } from './activity-types';

/**
 * Queues a notification in the outbox. Delivery happens apart from the workflow (the worker's
 * outbox dispatcher), so a mail server that is down never blocks a tender. Idempotent by `key`.
 */
export function createNotificationActivities({ dataSource }: { dataSource: DataSource }) {
  return {
    async notify(n: NotificationInput): Promise<void> {
      await dataSource.query(
        `INSERT INTO notifications (key, tender_id, kind, recipients, subject, body) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (key) DO NOTHING`,
        [n.key, n.tenderId, n.kind, n.recipients, n.subject, n.body],
      );
    },
  };
}
