import {
  policyVersionLabel,
  resolvePolicy,
  type PolicyLayer,
  type PolicyRuleName,
  type PolicyRules,
} from '@tenderflow/domain/policy';

/** What the store reads through: a DataSource, or the EntityManager of a transaction. */
export interface Queryable {
  /** Rows as the caller declares them (the SQL decides their shape), as TypeORM's own `query<T>`. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** How deep a group may nest (region → company → subsidiary …); a guard against a cycle in the data. */
const MAX_DEPTH = 16;

export interface PolicyVersion {
  organization: string;
  version: number;
  validFrom: string;
  decidedBy: { sub: string; name: string };
  reference: string;
  /** What this level overrides (partial). */
  rules: Partial<PolicyRules>;
  categoryRules: Record<string, Partial<PolicyRules>>;
}

export interface EffectivePolicy {
  organization: string;
  category?: string;
  /** The label a tender pins, e.g. `REGION@3/BOLAG@1`: every level from the group down, with its version (0: none yet). */
  policyVersion: string;
  chain: { organization: string; version: number }[];
  rules: PolicyRules;
  sources: Record<PolicyRuleName, string>;
}

interface VersionRow {
  organization: string;
  version: number;
  valid_from: Date;
  decided_by_sub: string;
  decided_by_name: string;
  reference: string;
  rules: Partial<PolicyRules>;
  category_rules: Record<string, Partial<PolicyRules>>;
}

const toVersion = (r: VersionRow): PolicyVersion => ({
  organization: r.organization,
  version: r.version,
  validFrom: r.valid_from.toISOString(),
  decidedBy: { sub: r.decided_by_sub, name: r.decided_by_name },
  reference: r.reference,
  rules: r.rules,
  categoryRules: r.category_rules ?? {},
});

/**
 * The organisation and the groups above it, the group first: `[REGION, BOLAG]`. An organisation
 * that is not registered as reference data stands alone: `[ORG]`.
 */
export async function organisationChain(db: Queryable, organization: string): Promise<string[]> {
  const rows: { code: string }[] = await db.query(
    `WITH RECURSIVE up(code, parent, depth) AS (
       SELECT code, parent, 0 FROM organisations WHERE code = $1
       UNION ALL
       SELECT o.code, o.parent, up.depth + 1 FROM organisations o JOIN up ON o.code = up.parent WHERE up.depth < $2
     )
     SELECT code FROM up ORDER BY depth DESC`,
    [organization, MAX_DEPTH],
  );
  return rows.length > 0 ? rows.map((r) => r.code) : [organization];
}

/** Every organisation of the group the organisation belongs to: the group (its top) and all its companies. */
export async function groupOrganisations(db: Queryable, organization: string): Promise<string[]> {
  const [top] = await organisationChain(db, organization);
  const rows: { code: string }[] = await db.query(
    `WITH RECURSIVE down(code, depth) AS (
       SELECT $1::text, 0
       UNION ALL
       SELECT o.code, down.depth + 1 FROM organisations o JOIN down ON o.parent = down.code WHERE down.depth < $2
     )
     SELECT DISTINCT code FROM down ORDER BY code`,
    [top, MAX_DEPTH],
  );
  return rows.map((r) => r.code);
}

/** The newest version of each organisation's policy (none: not in the map). */
export async function currentVersions(db: Queryable, organizations: string[]): Promise<Map<string, PolicyVersion>> {
  const rows: VersionRow[] = await db.query(
    `SELECT DISTINCT ON (organization) * FROM policy_versions WHERE organization = ANY($1) ORDER BY organization, version DESC`,
    [organizations],
  );
  return new Map(rows.map((r) => [r.organization, toVersion(r)]));
}

/** Every version of the organisation's own policy, newest first. */
export async function policyVersions(db: Queryable, organization: string): Promise<PolicyVersion[]> {
  const rows: VersionRow[] = await db.query(
    `SELECT * FROM policy_versions WHERE organization = $1 ORDER BY version DESC`,
    [organization],
  );
  return rows.map(toVersion);
}

/**
 * The rules in force for the organisation (and a category of it): the defaults, then the group's
 * rules down to the organisation's own, then the category's overrides at each of those levels.
 */
export async function effectivePolicy(
  db: Queryable,
  organization: string,
  category?: string,
): Promise<EffectivePolicy> {
  const chain = await organisationChain(db, organization);
  const versions = await currentVersions(db, chain);
  const layers: PolicyLayer[] = chain.map((o) => ({ source: o, rules: versions.get(o)?.rules }));
  if (category !== undefined) {
    layers.push(...chain.map((o) => ({ source: `${o}#${category}`, rules: versions.get(o)?.categoryRules[category] })));
  }
  const { rules, sources } = resolvePolicy(layers);
  const versionChain = chain.map((o) => ({ organization: o, version: versions.get(o)?.version ?? 0 }));
  return {
    organization,
    ...(category !== undefined ? { category } : {}),
    policyVersion: policyVersionLabel(versionChain),
    chain: versionChain,
    rules,
    sources,
  };
}

export interface CategoryRecord {
  code: string;
  name: string;
  manager: { sub: string; name: string } | null;
  updatedAt: string;
}

interface CategoryRow {
  code: string;
  name: string;
  manager_sub: string | null;
  manager_name: string | null;
  updated_at: Date;
}

const toCategory = (r: CategoryRow): CategoryRecord => ({
  code: r.code,
  name: r.name,
  manager: r.manager_sub ? { sub: r.manager_sub, name: r.manager_name ?? r.manager_sub } : null,
  updatedAt: r.updated_at.toISOString(),
});

export async function categories(db: Queryable, organization: string): Promise<CategoryRecord[]> {
  const rows: CategoryRow[] = await db.query(`SELECT * FROM categories WHERE organization = $1 ORDER BY code`, [
    organization,
  ]);
  return rows.map(toCategory);
}

export async function findCategory(db: Queryable, organization: string, code: string): Promise<CategoryRecord | null> {
  const [row]: CategoryRow[] = await db.query(`SELECT * FROM categories WHERE organization = $1 AND code = $2`, [
    organization,
    code,
  ]);
  return row ? toCategory(row) : null;
}

/**
 * What a new tender pins (ARCHITECTURE §5a): the effective rules of its organisation and category now,
 * the version label, and the category's name and manager when the category is registered.
 */
export async function policyPin(
  db: Queryable,
  organization: string,
  category: string,
): Promise<{
  policy: PolicyRules;
  policyVersion: string;
  categoryInfo?: { code: string; name: string; manager: { sub: string; name: string } | null };
}> {
  const [effective, registered] = await Promise.all([
    effectivePolicy(db, organization, category),
    findCategory(db, organization, category),
  ]);
  return {
    policy: effective.rules,
    policyVersion: effective.policyVersion,
    ...(registered
      ? { categoryInfo: { code: registered.code, name: registered.name, manager: registered.manager } }
      : {}),
  };
}
