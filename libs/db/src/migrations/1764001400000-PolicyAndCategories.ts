import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The procurement policy as data (ARCHITECTURE §5a): the organisations as reference data (a wholly-owned
 * company names its group as parent), each organisation's policy versions (append-only: a change is
 * a new version), its categories with their category managers, and the version each tender pinned.
 * Policy changes are audited in their own hash chain in audit_events (`policy:<org>`).
 */
export class PolicyAndCategories1764001400000 implements MigrationInterface {
  name = 'PolicyAndCategories1764001400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisations (
        code text PRIMARY KEY,
        name text NOT NULL,
        parent text REFERENCES organisations (code),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (parent IS NULL OR parent <> code)
      )`);
    await q.query(`CREATE INDEX organisations_parent ON organisations (parent)`);
    await q.query(`
      CREATE TABLE policy_versions (
        organization text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        valid_from timestamptz NOT NULL DEFAULT now(),
        decided_by_sub text NOT NULL,
        decided_by_name text NOT NULL,
        reference text NOT NULL,
        rules jsonb NOT NULL,
        category_rules jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (organization, version)
      )`);
    // A version, once decided, is history: the database refuses changes, whoever asks.
    await q.query(`
      CREATE FUNCTION policy_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'policy_versions is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER policy_versions_no_update BEFORE UPDATE OR DELETE ON policy_versions FOR EACH ROW EXECUTE FUNCTION policy_versions_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions FOR EACH STATEMENT EXECUTE FUNCTION policy_versions_append_only()`,
    );
    await q.query(`
      CREATE TABLE categories (
        organization text NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        manager_sub text,
        manager_name text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization, code)
      )`);
    await q.query(`ALTER TABLE tenders ADD COLUMN policy_version text`);
    // The group-wide coordination check looks for the category across organisations.
    await q.query(
      `CREATE INDEX tenders_category_running ON tenders (category, organization) WHERE phase NOT IN ('completed', 'cancelled', 'unsuccessful')`,
    );
    await q.query(
      `CREATE INDEX contracts_category_active ON contracts (category, organization) WHERE status = 'active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contracts_category_active`);
    await q.query(`DROP INDEX tenders_category_running`);
    await q.query(`ALTER TABLE tenders DROP COLUMN policy_version`);
    await q.query(`DROP TABLE categories`);
    await q.query(`DROP TABLE policy_versions`);
    await q.query(`DROP FUNCTION policy_versions_append_only()`);
    await q.query(`DROP TABLE organisations`);
  }
}
