import { MigrationInterface, QueryRunner } from 'typeorm';

/** Official SEK figures set by an administrator for threshold rows shipped without one. */
export class ThresholdOverrides1764000200000 implements MigrationInterface {
  name = 'ThresholdOverrides1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE threshold_overrides (
        id text PRIMARY KEY,
        sek bigint NOT NULL CHECK (sek > 0),
        source text NOT NULL,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE threshold_overrides`);
  }
}
