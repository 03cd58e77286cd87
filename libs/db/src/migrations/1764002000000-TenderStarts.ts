import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tender starts the system itself made: the API's (POST /tenders) and the worker's
 * (a contract's re-procurement), each with the SHA-256 of the start input it gave Temporal. The one
 * writer of audit, outbox and read model (commitStep) writes for a tender only when its start is
 * here: a workflow started straight in Temporal, around the API, writes nothing (ARCHITECTURE §5).
 * A start retried with another input (a new creation time) adds a row; tenders that ran before this
 * table are carried over without a digest.
 */
export class TenderStarts1764002000000 implements MigrationInterface {
  name = 'TenderStarts1764002000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tender_starts (
        id bigserial PRIMARY KEY,
        tender_id text NOT NULL,
        workflow_id text NOT NULL,
        input_sha256 text CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
        origin text NOT NULL CHECK (origin IN ('api', 'reprocurement', 'before_provenance')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tender_id, input_sha256)
      )`);
    await q.query(`CREATE INDEX tender_starts_tender ON tender_starts (tender_id)`);
    await q.query(`
      INSERT INTO tender_starts (tender_id, workflow_id, origin)
      SELECT id, workflow_id, 'before_provenance' FROM tenders`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tender_starts`);
  }
}
