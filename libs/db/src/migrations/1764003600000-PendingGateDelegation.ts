import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pending gate that goes by the delegation order (issue 29) keeps its item in the inbox's table:
 * the inbox asks the directory who holds the item's function, who is absent and who stands in.
 * Null for a gate decided by the token's approval limit.
 */
export class PendingGateDelegation1764003600000 implements MigrationInterface {
  name = 'PendingGateDelegation1764003600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pending_gates ADD COLUMN delegation jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pending_gates DROP COLUMN delegation`);
  }
}
