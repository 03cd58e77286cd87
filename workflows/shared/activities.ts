import type { ActivityOptions } from '@temporalio/workflow';
import type { AuditEventInput, NotificationInput } from '@tenderflow/activities/activity-types';

export type { CommitActivities, StepCommit } from '@tenderflow/activities/activity-types';

/**
 * Written by the audit and notification activities (activities/audit|notification.activities.ts).
 * Workflows now write a step with `commitStep` (CommitActivities); these stay registered for the
 * histories of runs that scheduled them.
 */
export interface RecordActivities {
  appendAudit(events: AuditEventInput[]): Promise<void>;
  notify(message: NotificationInput): Promise<void>;
}

/** Durable writes: retried until they succeed (they are idempotent by workflow ID and seq/key). */
export const DURABLE_WRITE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    backoffCoefficient: 2,
    nonRetryableErrorTypes: ['BadRequest'],
  },
};

/**
 * The tender's durable writes: retried by Temporal for about half a minute, then handed back to
 * the workflow, which shows the tender as stalled (state, search attribute TenderStalled, summary)
 * and keeps retrying with its own back-off until the write succeeds. Permanent database errors
 * are non-retryable (activities/db-errors.ts) and refuse the command instead.
 */
export const STALL_AWARE_WRITE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '16 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 6,
    nonRetryableErrorTypes: ['BadRequest'],
  },
};

/**
 * Reads a tender's workflow makes of PostgreSQL (its own texts, who may decide a gate): retried while
 * the database is away, never when the caller is not the tender the read is about (TextNotReadable).
 */
export const TENDER_READ_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    backoffCoefficient: 2,
    nonRetryableErrorTypes: ['TextNotReadable'],
  },
};
