import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE SEQUENCE tender_number_seq`);
    await q.query(`
      CREATE TABLE tenders (
        id text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        title text NOT NULL,
        organization text NOT NULL,
        category text NOT NULL,
        contract_type text NOT NULL,
        regime text NOT NULL,
        procedure text NOT NULL,
        estimated_value_sek bigint NOT NULL,
        phase text NOT NULL,
        rule_set text NOT NULL,
        threshold_id text,
        next_deadline timestamptz,
        next_deadline_kind text,
        created_by text NOT NULL,
        state_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenders_keyset ON tenders (created_at, id)`);
    await q.query(`CREATE INDEX "IDX_tenders_organization" ON tenders (organization)`);
    await q.query(`CREATE INDEX "IDX_tenders_category" ON tenders (category)`);
    await q.query(`CREATE INDEX "IDX_tenders_phase" ON tenders (phase)`);
    await q.query(`CREATE INDEX tenders_next_deadline ON tenders (next_deadline) WHERE next_deadline IS NOT NULL`);
    await q.query(`CREATE INDEX tenders_title_trgm ON tenders USING gin (title gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        actor_sub text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        tender_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_sub, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE tenders`);
    await q.query(`DROP SEQUENCE tender_number_seq`);
  }
}
