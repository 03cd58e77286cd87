import { DataSource } from 'typeorm';
import { createAuditActivities } from './audit.activities';
import { createContractActivities } from './contract.activities';
import { withDatabaseErrorClassification } from './db-errors';
import { createDeadlineActivities } from './deadline.activities';
import { createNotificationActivities } from './notification.activities';
import { createPolicyActivities } from './policy.activities';
import { createTenderActivities } from './tender.activities';

export interface ActivityDeps {
  dataSource: DataSource;
}

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return withDatabaseErrorClassification({
    ...createTenderActivities(deps),
    ...createContractActivities(deps),
    ...createDeadlineActivities(),
    ...createAuditActivities(deps),
    ...createNotificationActivities(deps),
    ...createPolicyActivities(deps),
  });
}
