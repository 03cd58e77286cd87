import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { AuditAndOutbox1764000100000 } from './1764000100000-AuditAndOutbox';
import { ThresholdOverrides1764000200000 } from './1764000200000-ThresholdOverrides';
import { PendingGatesAndTimeline1764000300000 } from './1764000300000-PendingGatesAndTimeline';
import { ContractsAndMilestones1764000400000 } from './1764000400000-ContractsAndMilestones';
import { SecurityLog1764000500000 } from './1764000500000-SecurityLog';
import { ExternalActions1764000650000 } from './1764000650000-ExternalActions';
import { PeopleAndDeliveries1764000900000 } from './1764000900000-PeopleAndDeliveries';
import { DirectAwardReservations1764001100000 } from './1764001100000-DirectAwardReservations';
import { PolicyAndCategories1764001400000 } from './1764001400000-PolicyAndCategories';
import { CalendarFeedTokens1764001800000 } from './1764001800000-CalendarFeedTokens';
import { TenderStarts1764002000000 } from './1764002000000-TenderStarts';
import { TenderStateParts1764002200000 } from './1764002200000-TenderStateParts';
import { RunLineage1764002400000 } from './1764002400000-RunLineage';
import { StartInputs1764002600000 } from './1764002600000-StartInputs';
import { OrganisationIdentity1764002800000 } from './1764002800000-OrganisationIdentity';
import { PolicyIdempotency1764003000000 } from './1764003000000-PolicyIdempotency';
import { DelegationOrders1764003200000 } from './1764003200000-DelegationOrders';
import { FunctionsAndAbsences1764003400000 } from './1764003400000-FunctionsAndAbsences';
import { PendingGateDelegation1764003600000 } from './1764003600000-PendingGateDelegation';

/** Every migration, oldest first. Listed explicitly so the compiled app needs no glob. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  AuditAndOutbox1764000100000,
  ThresholdOverrides1764000200000,
  PendingGatesAndTimeline1764000300000,
  ContractsAndMilestones1764000400000,
  SecurityLog1764000500000,
  ExternalActions1764000650000,
  PeopleAndDeliveries1764000900000,
  DirectAwardReservations1764001100000,
  PolicyAndCategories1764001400000,
  CalendarFeedTokens1764001800000,
  TenderStarts1764002000000,
  TenderStateParts1764002200000,
  RunLineage1764002400000,
  StartInputs1764002600000,
  OrganisationIdentity1764002800000,
  PolicyIdempotency1764003000000,
  DelegationOrders1764003200000,
  FunctionsAndAbsences1764003400000,
  PendingGateDelegation1764003600000,
];
