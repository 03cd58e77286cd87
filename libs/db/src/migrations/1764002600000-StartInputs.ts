import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tender_starts.input`: the start input the API recorded, so that a repeated `POST /tenders` with
 * the same `Idempotency-Key` starts (or finds) the tender with that input again instead of recording
 * a second one: one recorded start per tender from the API however many repeats race
 * (`recordApiStart`). Older rows have no input (their digest only).
 */
export class StartInputs1764002600000 implements MigrationInterface {
  name = 'StartInputs1764002600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tender_starts ADD COLUMN input jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tender_starts DROP COLUMN input`);
  }
}
