import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last action an operator took on a tender's workflow outside the API (terminate, cancel, reset),
 * as the reconciler found it in Temporal: { action, identity, reason, at, runId }.
 */
export class ExternalActions1764000650000 implements MigrationInterface {
  name = 'ExternalActions1764000650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenders ADD COLUMN external_action jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenders DROP COLUMN external_action`);
  }
}
