import { DataSource } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import type { AuditEventInput } from './activity-types';

export { appendAuditEvents };

export function createAuditActivities({ dataSource }: { dataSource: DataSource }) {
  return {
    async appendAudit(events: AuditEventInput[]): Promise<void> {
      await appendAuditEvents(dataSource, events);
    },
  };
}
