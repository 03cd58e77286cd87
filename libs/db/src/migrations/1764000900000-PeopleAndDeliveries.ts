import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory of people (recorded from signed-in tokens, or imported by an administrator), the
 * outbox's per-recipient deliveries, and the gates escalated because no one could decide them.
 *
 * A notification (one per workflow message, unique by key) is resolved once into deliveries: one
 * per person (or address) it reaches, or one failed delivery per recipient that reached nobody.
 * The dispatcher sends deliveries, never notifications. Rows the old dispatcher had delivered or
 * given up on become one delivery each, so their outcome stays visible; pending ones are resolved
 * by the new dispatcher.
 */
export class PeopleAndDeliveries1764000900000 implements MigrationInterface {
  name = 'PeopleAndDeliveries1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        sub text PRIMARY KEY,
        organization text NOT NULL,
        name text NOT NULL,
        email text,
        roles text[] NOT NULL DEFAULT '{}',
        approval_limit_sek bigint CHECK (approval_limit_sek >= 0),
        categories text[] NOT NULL DEFAULT '{}',
        locale text NOT NULL DEFAULT 'sv' CHECK (locale IN ('sv', 'en')),
        active boolean NOT NULL DEFAULT true,
        source text NOT NULL CHECK (source IN ('token', 'import')),
        external_id text,
        last_signed_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX people_organization ON people (organization) WHERE active`);

    await q.query(`ALTER TABLE notifications ADD COLUMN about jsonb`);
    await q.query(`ALTER TABLE notifications ADD COLUMN tender jsonb`);
    await q.query(`ALTER TABLE notifications ADD COLUMN resolved_at timestamptz`);

    await q.query(`
      CREATE TABLE notification_deliveries (
        id bigserial PRIMARY KEY,
        notification_id bigint NOT NULL REFERENCES notifications (id),
        recipient_key text NOT NULL,
        recipient text NOT NULL,
        person_sub text,
        person_name text,
        address text,
        channel text NOT NULL CHECK (channel IN ('email', 'outbox', 'none')),
        locale text,
        subject text,
        body text,
        calendar text,
        message_id text,
        status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        last_error text,
        smtp_response text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        failed_at timestamptz,
        UNIQUE (notification_id, recipient_key)
      )`);
    await q.query(
      `CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'queued'`,
    );
    await q.query(
      `CREATE INDEX notification_deliveries_claimed ON notification_deliveries (claimed_until) WHERE status = 'sending'`,
    );
    await q.query(`CREATE INDEX notification_deliveries_notification ON notification_deliveries (notification_id)`);

    // What the old dispatcher did with each notification, as one delivery per notification.
    await q.query(`
      INSERT INTO notification_deliveries (notification_id, recipient_key, recipient, channel, status, attempts, last_error, created_at, sent_at, failed_at)
      SELECT id, 'legacy', array_to_string(recipients, ', '), 'email',
             CASE status WHEN 'delivered' THEN 'sent' ELSE 'failed' END, attempts, last_error, created_at,
             CASE status WHEN 'delivered' THEN delivered_at END, CASE status WHEN 'failed' THEN now() END
        FROM notifications WHERE status IN ('delivered', 'failed')`);
    await q.query(
      `UPDATE notifications SET resolved_at = coalesce(delivered_at, now()) WHERE status IN ('delivered', 'failed')`,
    );
    await q.query(`DROP INDEX notifications_due`);
    await q.query(
      `ALTER TABLE notifications DROP COLUMN status, DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN next_attempt_at, DROP COLUMN delivered_at`,
    );
    await q.query(`CREATE INDEX notifications_unresolved ON notifications (id) WHERE resolved_at IS NULL`);

    await q.query(`
      CREATE TABLE gate_escalations (
        tender_id text NOT NULL,
        gate text NOT NULL,
        requested_at timestamptz NOT NULL,
        escalated_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        request_key text NOT NULL,
        notification_key text NOT NULL UNIQUE,
        recipients text[] NOT NULL,
        PRIMARY KEY (tender_id, gate, requested_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gate_escalations`);
    await q.query(`DROP INDEX notifications_unresolved`);
    await q.query(`
      ALTER TABLE notifications
        ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error text,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN delivered_at timestamptz`);
    await q.query(`
      UPDATE notifications n SET
        status = CASE WHEN s.failed > 0 THEN 'failed' WHEN s.open > 0 THEN 'pending' ELSE 'delivered' END,
        attempts = s.attempts, delivered_at = s.sent_at
        FROM (SELECT notification_id, count(*) FILTER (WHERE status = 'failed') AS failed,
                     count(*) FILTER (WHERE status IN ('queued', 'sending')) AS open,
                     max(attempts) AS attempts, max(sent_at) AS sent_at
                FROM notification_deliveries GROUP BY notification_id) s
       WHERE s.notification_id = n.id`);
    await q.query(`CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`ALTER TABLE notifications DROP COLUMN resolved_at, DROP COLUMN tender, DROP COLUMN about`);
    await q.query(`DROP TABLE people`);
  }
}
