import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delegation order (delegationsordning, issue 29) of each organisation as versioned data, kept
 * like its policy (PolicyAndCategories, PolicyIdempotency): append-only versions, the board decision
 * that adopted each, and the Idempotency-Key of the request that adopted it. Adoptions are audited
 * in the organisation's policy chain (`policy:<org>`) in audit_events.
 */
export class DelegationOrders1764003200000 implements MigrationInterface {
  name = 'DelegationOrders1764003200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delegation_orders (
        organization text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        valid_from timestamptz NOT NULL DEFAULT now(),
        decided_by_sub text NOT NULL,
        decided_by_name text NOT NULL,
        reference text NOT NULL,
        "order" jsonb NOT NULL,
        idempotency_key text,
        PRIMARY KEY (organization, version)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX delegation_orders_idempotency ON delegation_orders (organization, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    // A version, once decided, is history: the same refusal as policy_versions'.
    await q.query(`
      CREATE FUNCTION delegation_orders_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'delegation_orders is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER delegation_orders_no_update BEFORE UPDATE OR DELETE ON delegation_orders FOR EACH ROW EXECUTE FUNCTION delegation_orders_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER delegation_orders_no_truncate BEFORE TRUNCATE ON delegation_orders FOR EACH STATEMENT EXECUTE FUNCTION delegation_orders_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delegation_orders`);
    await q.query(`DROP FUNCTION delegation_orders_append_only()`);
  }
}
