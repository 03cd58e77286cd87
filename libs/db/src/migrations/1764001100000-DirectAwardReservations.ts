import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The direct-award ledger (19 a kap. 2 § LOU): one row per direct award, written in the same
 * transaction that allocates the tender's id, under an advisory lock per organisation, category
 * and financial year. Creations in flight count from their first instant, before the workflow or
 * the read model has a row. Existing direct awards are carried over.
 */
export class DirectAwardReservations1764001100000 implements MigrationInterface {
  name = 'DirectAwardReservations1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE direct_award_reservations (
        tender_id text PRIMARY KEY,
        organization text NOT NULL,
        category text NOT NULL,
        financial_year integer NOT NULL,
        amount_sek bigint NOT NULL CHECK (amount_sek >= 0),
        reserved_by text NOT NULL,
        reserved_at timestamptz NOT NULL DEFAULT now(),
        revised_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX direct_award_reservations_scope ON direct_award_reservations (organization, category, financial_year)`,
    );
    await q.query(`
      INSERT INTO direct_award_reservations (tender_id, organization, category, financial_year, amount_sek, reserved_by, reserved_at)
      SELECT id, organization, category, extract(year FROM created_at AT TIME ZONE 'Europe/Stockholm')::int,
             estimated_value_sek, created_by, created_at
        FROM tenders WHERE regime = 'direct'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE direct_award_reservations`);
  }
}
