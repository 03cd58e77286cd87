import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The functions an organisation delegates to (upphandlingschef, förvaltningschef, …) with the
 * function above each (for the "nearest superior" substitute), the people who hold them and for
 * which period, and people's absences with who stands in (issue 29). Days are `date`s and every
 * period includes its last day. An absence is cancelled, never deleted, so the chain's events keep
 * pointing at a row.
 */
export class FunctionsAndAbsences1764003400000 implements MigrationInterface {
  name = 'FunctionsAndAbsences1764003400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE functions (
        organization text NOT NULL,
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_-]{1,63}$'),
        name text NOT NULL,
        superior text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization, code),
        FOREIGN KEY (organization, superior) REFERENCES functions (organization, code),
        CHECK (superior IS NULL OR superior <> code)
      )`);
    await q.query(`
      CREATE TABLE person_functions (
        id bigserial PRIMARY KEY,
        sub text NOT NULL REFERENCES people (sub),
        organization text NOT NULL,
        code text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        FOREIGN KEY (organization, code) REFERENCES functions (organization, code),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`CREATE INDEX person_functions_sub ON person_functions (sub)`);
    await q.query(`CREATE INDEX person_functions_code ON person_functions (organization, code)`);
    await q.query(`
      CREATE TABLE absences (
        id text PRIMARY KEY,
        organization text NOT NULL,
        sub text NOT NULL REFERENCES people (sub),
        from_date date NOT NULL,
        to_date date NOT NULL,
        substitute text REFERENCES people (sub),
        reason text,
        recorded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        cancelled_by text,
        CHECK (to_date >= from_date),
        CHECK (substitute IS NULL OR substitute <> sub)
      )`);
    await q.query(`CREATE INDEX absences_person ON absences (sub, from_date) WHERE cancelled_at IS NULL`);
    await q.query(
      `CREATE INDEX absences_organization ON absences (organization, from_date, to_date) WHERE cancelled_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE absences`);
    await q.query(`DROP TABLE person_functions`);
    await q.query(`DROP TABLE functions`);
  }
}
