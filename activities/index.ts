import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { createAuditActivities } from './audit.activities';
import { createCommitActivities } from './commit.activities';
import { createContractActivities } from './contract.activities';
import { withDatabaseErrorClassification } from './db-errors';
import { createDeadlineActivities } from './deadline.activities';
import { createDirectAwardActivities } from './direct-award.activities';
import { createInvitationActivities } from './invitation.activities';
import { createNotificationActivities, type OutboxOptions } from './notification.activities';
import { createReconcilerActivities } from './reconciler.activities';
import { createPolicyActivities } from './policy.activities';
import { createTenderActivities } from './tender.activities';

export interface ActivityDeps {
  dataSource: DataSource;
  /** The worker's Temporal client, for the reconciler's visibility and history reads. */
  temporal: () => Client;
  /** Links and sender of the messages the outbox writes. */
  outbox: OutboxOptions;
}

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return withDatabaseErrorClassification({
    ...createTenderActivities(deps),
    ...createContractActivities(deps),
    ...createDeadlineActivities(),
    ...createDirectAwardActivities(deps),
    ...createCommitActivities(deps),
    ...createAuditActivities(deps),
    ...createInvitationActivities(deps),
    ...createNotificationActivities(deps),
    ...createReconcilerActivities(deps),
    ...createPolicyActivities(deps),
  });
}
