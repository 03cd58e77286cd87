import type { DelegationOrder } from '@tenderflow/domain/delegation';
import { authorityOn, type AuthorityDirectory } from '@tenderflow/domain/delegation-authority';
import type { GateAuthority, PendingDelegation } from '@tenderflow/temporal-common/tender-types';
import type { Queryable } from './policy-store';

/** One adopted version of an organisation's delegation order (table delegation_orders). */
export interface DelegationOrderVersion {
  organization: string;
  version: number;
  validFrom: string;
  decidedBy: { sub: string; name: string };
  reference: string;
  items: DelegationOrder['items'];
}

interface Row {
  organization: string;
  version: number;
  valid_from: Date;
  decided_by_sub: string;
  decided_by_name: string;
  reference: string;
  order: DelegationOrder;
}

const toVersion = (r: Row): DelegationOrderVersion => ({
  organization: r.organization,
  version: r.version,
  validFrom: r.valid_from.toISOString(),
  decidedBy: { sub: r.decided_by_sub, name: r.decided_by_name },
  reference: r.reference,
  items: r.order.items,
});

/** The version in force (the newest), or undefined when the organisation has adopted none. */
export async function currentDelegationOrder(
  db: Queryable,
  organization: string,
): Promise<DelegationOrderVersion | undefined> {
  const [row] = await db.query<Row[]>(
    `SELECT * FROM delegation_orders WHERE organization = $1 ORDER BY version DESC LIMIT 1`,
    [organization],
  );
  return row ? toVersion(row) : undefined;
}

/** Every version of the organisation's delegation order, newest first. */
export async function delegationOrderVersions(db: Queryable, organization: string): Promise<DelegationOrderVersion[]> {
  const rows = await db.query<Row[]>(`SELECT * FROM delegation_orders WHERE organization = $1 ORDER BY version DESC`, [
    organization,
  ]);
  return rows.map(toVersion);
}

/** An organisation's directory on a day as authority under the order goes (libs/domain delegation-authority.ts). */
export interface DirectoryOnDay extends AuthorityDirectory {
  /** The active people of the organisation with their names; approvers are the ones who may be asked to decide. */
  people: { sub: string; name: string; approver: boolean }[];
}

/**
 * Who holds which function on the day, who is absent then and whom their absence names, and the
 * registry's superiors: read in one go, dates as calendar days.
 */
export async function directoryOn(db: Queryable, organization: string, date: string): Promise<DirectoryOnDay> {
  const [functions, personFunctions, absences, people] = await Promise.all([
    db.query<{ code: string; superior: string | null }[]>(
      `SELECT code, superior FROM functions WHERE organization = $1 ORDER BY code`,
      [organization],
    ),
    db.query<{ sub: string; code: string; validFrom: string; validTo: string | null }[]>(
      `SELECT pf.sub, pf.code, pf.valid_from::text AS "validFrom", pf.valid_to::text AS "validTo"
       FROM person_functions pf JOIN people p ON p.sub = pf.sub
       WHERE pf.organization = $1 AND p.active AND pf.valid_from <= $2::date AND (pf.valid_to IS NULL OR pf.valid_to >= $2::date)
       ORDER BY pf.sub, pf.code`,
      [organization, date],
    ),
    db.query<{ sub: string; from: string; to: string; substitute: string | null }[]>(
      `SELECT sub, from_date::text AS "from", to_date::text AS "to", substitute FROM absences
       WHERE organization = $1 AND cancelled_at IS NULL AND from_date <= $2::date AND to_date >= $2::date
       ORDER BY sub, from_date`,
      [organization, date],
    ),
    db.query<{ sub: string; name: string; approver: boolean }[]>(
      `SELECT sub, name, 'approver' = ANY(roles) AS approver FROM people WHERE organization = $1 AND active ORDER BY sub`,
      [organization],
    ),
  ]);
  return { functions, personFunctions, absences, people };
}

/**
 * The authority a person has today under the delegation order for each pending gate that goes by
 * it (gate → authority), from the directory: what the API passes to the workflow with a decision,
 * and how the inbox and the tender's actions know whom a gate waits for. A gate the person has no
 * authority for is absent. One read of the directory, and only when some gate goes by the order.
 */
export async function gateAuthoritiesOf(
  db: Queryable,
  sub: string,
  organization: string,
  gates: readonly { gate: string; delegation?: Pick<PendingDelegation, 'item' | 'board'> }[],
  date: string,
): Promise<Map<string, GateAuthority>> {
  const found = new Map<string, GateAuthority>();
  const delegated = gates.filter((g) => g.delegation && !g.delegation.board);
  if (delegated.length === 0) return found;
  const dir = await directoryOn(db, organization, date);
  for (const g of delegated) {
    const a = gateAuthorityIn(dir, sub, g.delegation!.item, date);
    if (a) found.set(g.gate, a);
  }
  return found;
}

/** A person's authority under an item on the day, from a directory read once, with the absent holder's name. */
export function gateAuthorityIn(
  dir: DirectoryOnDay,
  sub: string,
  item: PendingDelegation['item'],
  date: string,
): GateAuthority | undefined {
  const a = authorityOn(sub, item, date, dir);
  if (!a) return undefined;
  const nameOf = (s: string) => dir.people.find((p) => p.sub === s)?.name ?? s;
  return {
    item: a.item,
    function: a.function,
    via: a.via,
    ...(a.asSubstituteFor ? { asSubstituteFor: { sub: a.asSubstituteFor, name: nameOf(a.asSubstituteFor) } } : {}),
  };
}
