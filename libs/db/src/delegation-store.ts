import type { DelegationOrder } from '@tenderflow/domain/delegation';
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
