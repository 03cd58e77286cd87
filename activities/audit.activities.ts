import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import type { AuditEventInput } from './activity-types';
import {
  assertCallerWrites,
  callingWorkflow,
  describeWith,
  eventProblem,
  refuseCaller,
  writerKind,
  type WriterDeps,
} from './provenance';

export { appendAuditEvents };

/** The audit append that histories from before commitStep still schedule: for the calling workflow's own tenders and kinds only. */
export function createAuditActivities({ dataSource, temporal }: WriterDeps) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    async appendAudit(events: AuditEventInput[]): Promise<void> {
      await assertCallerWrites(
        dataSource,
        events.map((e) => e.tenderId),
        describe,
        'appendAudit',
      );
      const caller = callingWorkflow();
      const foreign =
        caller &&
        events.map((e) => eventProblem(writerKind(caller.workflowId, e.tenderId) ?? 'tender', e.type)).find(Boolean);
      if (caller && foreign) await refuseCaller(dataSource, caller, `appendAudit: ${foreign}`);
      await appendAuditEvents(dataSource, events, undefined, caller?.runId);
    },
  };
}
