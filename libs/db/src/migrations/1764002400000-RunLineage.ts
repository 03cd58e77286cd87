import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which run wrote what (ARCHITECTURE §5, provenance and resets):
 * - `audit_events.run_id`: the Temporal run whose step wrote the event (outside the hash, like
 *   `recorded_at`; `notifications.run_id` likewise for the outbox's keys). A step of a later run whose key an earlier run of the same workflow already
 *   took (an operator's reset replays the workflow and numbers its new steps from the reset point)
 *   is appended under a key of its own run, so the new run's decisions are never skipped.
 * - `tender_runs.run_started_at`: when the bound run started, so that a late step of a run an
 *   operator's reset replaced writes nothing and never takes the binding back.
 * - `tender_starts.command_keys`: the command keys a start pinned, so that a re-procurement pins
 *   the keys its tender was started with (and those its chain shows added), never a child's own.
 * - `child_runs`: the contract and coordination workflows that write for a tender, bound at their
 *   first step to the tender run that started them (Temporal's parent execution), then followed
 *   through their own continue-as-new.
 */
export class RunLineage1764002400000 implements MigrationInterface {
  name = 'RunLineage1764002400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN run_id text`);
    await q.query(`ALTER TABLE notifications ADD COLUMN run_id text`);
    await q.query(`ALTER TABLE tender_runs ADD COLUMN run_started_at timestamptz`);
    await q.query(`ALTER TABLE tender_starts ADD COLUMN command_keys jsonb`);
    await q.query(`
      CREATE TABLE child_runs (
        workflow_id text PRIMARY KEY,
        tender_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('contract', 'coordination')),
        first_run_id text NOT NULL,
        run_id text NOT NULL,
        run_started_at timestamptz,
        parent_run_id text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX child_runs_tender ON child_runs (tender_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE child_runs`);
    await q.query(`ALTER TABLE tender_starts DROP COLUMN command_keys`);
    await q.query(`ALTER TABLE tender_runs DROP COLUMN run_started_at`);
    await q.query(`ALTER TABLE notifications DROP COLUMN run_id`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN run_id`);
  }
}
