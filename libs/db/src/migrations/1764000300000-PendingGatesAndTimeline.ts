import { MigrationInterface, QueryRunner } from 'typeorm';

/** The approvals inbox and the phase timeline, kept from workflow snapshots. */
export class PendingGatesAndTimeline1764000300000 implements MigrationInterface {
  name = 'PendingGatesAndTimeline1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenders ADD COLUMN timeline jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`ALTER TABLE tenders ADD COLUMN gate_decisions jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`
      CREATE TABLE pending_gates (
        tender_id text NOT NULL REFERENCES tenders (id),
        gate text NOT NULL,
        organization text NOT NULL,
        role text NOT NULL,
        min_approval_limit_sek bigint NOT NULL,
        excluded text[] NOT NULL,
        requested_by_sub text NOT NULL,
        requested_by_name text NOT NULL,
        since timestamptz NOT NULL,
        may_decide text NOT NULL,
        reason text,
        PRIMARY KEY (tender_id, gate)
      )`);
    await q.query(`CREATE INDEX pending_gates_inbox ON pending_gates (organization, min_approval_limit_sek, since)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pending_gates`);
    await q.query(`ALTER TABLE tenders DROP COLUMN gate_decisions`);
    await q.query(`ALTER TABLE tenders DROP COLUMN timeline`);
  }
}
