import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { TenderEntity } from './tender.entity';

export { IdempotencyKeyEntity, TenderEntity };
export const ENTITIES = [TenderEntity, IdempotencyKeyEntity];
