import { DataSource } from 'typeorm';
import { createAuditActivities } from './audit.activities';
import { createContractActivities } from './contract.activities';
import { createDeadlineActivities } from './deadline.activities';
import { createDirectAwardActivities } from './direct-award.activities';
import { createNotificationActivities } from './notification.activities';
import { createTenderActivities } from './tender.activities';

export interface ActivityDeps {
  dataSource: DataSource;
}

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTenderActivities(deps),
    ...createContractActivities(deps),
    ...createDeadlineActivities(),
    ...createDirectAwardActivities(deps),
    ...createAuditActivities(deps),
    ...createNotificationActivities(deps),
  };
}
