import type { ActivityOptions } from '@temporalio/workflow';
import type { AuditEventInput, NotificationInput } from '../../activities/activity-types';

/** Written by the audit and notification activities (activities/audit|notification.activities.ts). */
export interface RecordActivities {
  appendAudit(events: AuditEventInput[]): Promise<void>;
  notify(message: NotificationInput): Promise<void>;
}

/** Durable writes: retried until they succeed (they are idempotent by workflow ID and seq/key). */
export const DURABLE_WRITE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, nonRetryableErrorTypes: ['BadRequest'] },
};
