import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contract follow-up's read model (ARCHITECTURE §5): contracts and their milestones, for listing and
 * filtering, and the last state of a follow-up whose workflow history has gone. Written by the
 * contract workflow's idempotent snapshot activity; the newest state_version wins.
 */
export class ContractsAndMilestones1764000400000 implements MigrationInterface {
  name = 'ContractsAndMilestones1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contracts (
        id text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        tender_id text NOT NULL,
        organization text NOT NULL,
        category text NOT NULL,
        title text NOT NULL,
        supplier text NOT NULL,
        value_sek bigint NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        latest_end_date date NOT NULL,
        status text NOT NULL,
        criticality text NOT NULL,
        successor_tender_id text,
        state jsonb NOT NULL,
        state_version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contracts_tender ON contracts (tender_id)`);
    await q.query(`CREATE INDEX contracts_organization ON contracts (organization, category)`);
    await q.query(`
      CREATE TABLE milestones (
        contract_id text NOT NULL REFERENCES contracts (id),
        id text NOT NULL,
        tender_id text NOT NULL,
        organization text NOT NULL,
        category text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        owner text NOT NULL,
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL,
        escalations integer NOT NULL DEFAULT 0,
        outcome text,
        note text,
        completed_by text,
        completed_at timestamptz,
        corrective_for text,
        PRIMARY KEY (contract_id, id)
      )`);
    await q.query(
      `CREATE INDEX milestones_open ON milestones (organization, due_at) WHERE status IN ('scheduled', 'overdue')`,
    );
    await q.query(`ALTER TABLE tenders ADD COLUMN previous_tender_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenders DROP COLUMN previous_tender_id`);
    await q.query(`DROP TABLE milestones`);
    await q.query(`DROP TABLE contracts`);
  }
}
