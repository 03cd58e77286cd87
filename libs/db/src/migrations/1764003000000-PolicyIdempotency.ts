import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Idempotency-Key of the request that adopted a policy version: a retry with the same key (an
 * answer lost on the way back) returns that version rather than adopting another. Unique per
 * organisation; older versions have none.
 */
export class PolicyIdempotency1764003000000 implements MigrationInterface {
  name = 'PolicyIdempotency1764003000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_versions ADD COLUMN idempotency_key text`);
    await q.query(
      `CREATE UNIQUE INDEX policy_versions_idempotency ON policy_versions (organization, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX policy_versions_idempotency`);
    await q.query(`ALTER TABLE policy_versions DROP COLUMN idempotency_key`);
  }
}
