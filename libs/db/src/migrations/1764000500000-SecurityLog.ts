import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refused attempts that do not belong in a tender's chain: callers of another organisation, a
 * tender that does not exist, malformed requests, bad tokens or signatures. Bounded: the writer
 * keeps the newest rows only (SecurityLogService).
 */
export class SecurityLog1764000500000 implements MigrationInterface {
  name = 'SecurityLog1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        actor_sub text,
        actor_org text,
        method text NOT NULL,
        route text NOT NULL,
        status integer NOT NULL,
        reason text NOT NULL,
        payload_digest text,
        payload_bytes integer,
        payload_excerpt text
      )`);
    await q.query(`CREATE INDEX security_events_at ON security_events (at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_events`);
  }
}
