import type { EntityManager } from 'typeorm';

/** A person of the directory as stored (people table). */
export interface PersonRow {
  sub: string;
  organization: string;
  name: string;
  email: string | null;
  roles: string[];
  approval_limit_sek: string | null;
  categories: string[];
  locale: string;
  active: boolean;
  source: 'token' | 'import';
  external_id: string | null;
  last_signed_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** SQL expressions for a gate's eligibility and for a person, as the caller names them (columns or parameters). */
export interface GateSql {
  organization: string;
  minApprovalLimitSek: string;
  excluded: string;
  requestedBy: string;
}
export interface PersonSql {
  organization: string;
  roles: string;
  approvalLimitSek: string;
  sub: string;
}

/**
 * Who may decide a pending gate, as one SQL predicate: an approver of the gate's organisation whose
 * limit covers the value, who is not excluded (the tender's evaluators) and did not ask for it
 * (four-eyes). The approvals inbox (which gates may this caller decide?) and the outbox (which
 * people may decide this gate?) both use it, so an e-mail reaches exactly those whose inbox shows
 * the gate. The workflow's validator checks the same rule (workflows/tender/authority.ts mayDecideGate).
 */
export function approverMayDecideSql(g: GateSql, p: PersonSql): string {
  return (
    `(${g.organization} = ${p.organization} AND 'approver' = ANY(${p.roles}) AND ${g.minApprovalLimitSek} <= coalesce(${p.approvalLimitSek}, 0)` +
    ` AND NOT (${p.sub} = ANY(${g.excluded})) AND ${g.requestedBy} <> ${p.sub})`
  );
}

const PERSON = {
  organization: 'p.organization',
  roles: 'p.roles',
  approvalLimitSek: 'p.approval_limit_sek',
  sub: 'p.sub',
};

/** The active people who may decide a gate of this eligibility, by name. */
export function eligibleApprovers(
  m: EntityManager,
  e: { organization: string; minApprovalLimitSek: number; excluded: string[] },
  requestedBy: string,
): Promise<PersonRow[]> {
  const gate = { organization: '$1', minApprovalLimitSek: '$2::bigint', excluded: '$3::text[]', requestedBy: '$4' };
  return m.query(
    `SELECT p.* FROM people p WHERE p.active AND ${approverMayDecideSql(gate, PERSON)} ORDER BY p.name, p.sub`,
    [e.organization, e.minApprovalLimitSek, e.excluded, requestedBy],
  );
}

/** The active people of an organisation who hold a role (and, for category managers, the category). */
export function peopleWithRole(
  m: EntityManager,
  organization: string,
  role: string,
  category?: string,
): Promise<PersonRow[]> {
  return m.query(
    `SELECT p.* FROM people p WHERE p.active AND p.organization = $1 AND $2 = ANY(p.roles) AND ($3::text IS NULL OR $3 = ANY(p.categories))
     ORDER BY p.name, p.sub`,
    [organization, role, category ?? null],
  );
}

export async function personBySub(m: EntityManager, sub: string): Promise<PersonRow | undefined> {
  const rows: PersonRow[] = await m.query(`SELECT * FROM people WHERE sub = $1`, [sub]);
  return rows[0];
}
