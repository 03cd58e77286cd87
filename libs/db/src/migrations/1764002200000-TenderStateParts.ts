import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tender's whole state in the read model (ARCHITECTURE §5: reads never replay a workflow): its parts
 * (libs/temporal-common state-parts.ts), written by each step's commit from the parts it changed,
 * and the texts the workflow does not keep (questions, answers). `tenders.state_complete` says the
 * parts hold the whole state: a tender's first step in a run writes them all; a tender that ran
 * before this table has none until its next step writes them. `tender_runs` binds the writing run.
 */
export class TenderStateParts1764002200000 implements MigrationInterface {
  name = 'TenderStateParts1764002200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tender_state_parts (
        tender_id text NOT NULL,
        part text NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (tender_id, part)
      )`);
    await q.query(`
      CREATE TABLE tender_texts (
        tender_id text NOT NULL,
        ref text NOT NULL,
        body jsonb NOT NULL,
        PRIMARY KEY (tender_id, ref)
      )`);
    await q.query(`ALTER TABLE tenders ADD COLUMN state_complete boolean NOT NULL DEFAULT false`);
    // The run a tender's workflow writes from, and the first run of its chain: a later run writes
    // only when Temporal says it continues that chain (continue-as-new, reset), see commit.activities.ts.
    await q.query(`
      CREATE TABLE tender_runs (
        tender_id text PRIMARY KEY,
        first_run_id text NOT NULL,
        run_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tender_runs`);
    await q.query(`ALTER TABLE tenders DROP COLUMN state_complete`);
    await q.query(`DROP TABLE tender_texts`);
    await q.query(`DROP TABLE tender_state_parts`);
  }
}
