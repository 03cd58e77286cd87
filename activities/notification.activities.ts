import { assertCallerWrites, describeWith, type WriterDeps } from './provenance';
import type { NotificationInput } from './activity-types';
import { auditEscalations, escalationsOf, queueNotification, type OutboxOptions } from './notification-outbox';

export type { OutboxOptions };

/**
 * Queues a notification in the outbox and resolves it against the directory of people: one
 * delivery per person it reaches, a failed delivery for each recipient that reaches no one, and an
 * escalation when a gate's approvers resolve to no one. Sending happens apart from the workflow
 * (the worker's outbox dispatcher), so a mail server that is down never blocks a tender.
 * Idempotent by `key`: a retried activity finds its rows and only completes the audit of an
 * escalation it recorded.
 */
export function createNotificationActivities({ dataSource, outbox, temporal }: WriterDeps & { outbox: OutboxOptions }) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    async notify(n: NotificationInput): Promise<void> {
      await assertCallerWrites(dataSource, [n.tenderId], describe, 'notify');
      await dataSource.transaction((m) => queueNotification(m, n, outbox));
      await auditEscalations(dataSource, await escalationsOf(dataSource, n.key));
    },
  };
}
