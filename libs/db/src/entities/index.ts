import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { TenderEntity } from './tender.entity';

export { IdempotencyKeyEntity, TenderEntity };
export type { ExternalAction, ExternalActionKind } from './tender.entity';
export const ENTITIES = [TenderEntity, IdempotencyKeyEntity];
