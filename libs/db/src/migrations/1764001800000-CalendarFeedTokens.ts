import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar feed tokens: a calendar program (Outlook) subscribes to GET /calendar.ics?token=… and
 * cannot send a bearer token. Only the SHA-256 of each token is kept (the token itself is shown
 * once); a person has at most one active token, and a revoked one stays as a record.
 */
export class CalendarFeedTokens1764001800000 implements MigrationInterface {
  name = 'CalendarFeedTokens1764001800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feed_tokens (
        id text PRIMARY KEY,
        sub text NOT NULL REFERENCES people (sub) ON DELETE CASCADE,
        token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX calendar_feed_tokens_active ON calendar_feed_tokens (sub) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feed_tokens`);
  }
}
