import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The authority's organisation number and postal address in the organisation register: the individual
 * report states the authority's name and address (upphandlingsförordningen 16 § 1) and a direct award's
 * documentation its organisation number (19 a kap. 11 § LOU). Older rows have neither ("not recorded").
 */
export class OrganisationIdentity1764002800000 implements MigrationInterface {
  name = 'OrganisationIdentity1764002800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations ADD COLUMN org_number text, ADD COLUMN address jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations DROP COLUMN address, DROP COLUMN org_number`);
  }
}
