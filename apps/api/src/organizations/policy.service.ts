import { Injectable } from '@nestjs/common';
import { isOrganisationNumber } from '@tenderflow/domain/direct-award';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  categories,
  currentVersions,
  effectivePolicy,
  findCategory,
  organisationChain,
  policyPin,
  policyVersions,
  type CategoryRecord,
  type PolicyVersion,
} from '@tenderflow/db/policy-store';
import {
  policyConsistencyProblems,
  resolvePolicy,
  type CategoryRulesEntry,
  type PolicyRules,
} from '@tenderflow/domain/policy';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, forbidden, notFound, ProblemDetails, ruleViolation } from '../common/problem';
import { CATEGORY_CODE, SaveCategoryDto, SaveOrganizationDto } from './organization.dto';
import { PolicyChain } from './policy-chain';
import { isPolicyUpdate, policyUpdateProblems, type PolicyUpdate } from './policy-schema';

interface OrganisationRow {
  code: string;
  name: string;
  parent: string | null;
  org_number: string | null;
  address: { street: string; postalCode: string; city: string } | null;
  updated_at: Date;
}

/**
 * The organisation's procurement policy as versioned data (ARCHITECTURE §5a), the organisations as
 * reference data (group and wholly-owned companies), and their categories with category managers.
 * Every change is a row that is never updated (policy_versions) or an upsert of reference data, and
 * every change is an event in the organisation's policy chain, in the same transaction.
 */
@Injectable()
export class PolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: PolicyChain,
  ) {}

  // --- who may see and change ---------------------------------------------------------------------

  /** Members of the organisation, members of its companies (they inherit from it), administrators. */
  async assertMayRead(actor: Actor, organization: string): Promise<void> {
    if (actor.roles.includes('admin') || actor.org === organization) return;
    if ((await organisationChain(this.dataSource, actor.org)).includes(organization)) return;
    throw forbidden(
      `The policy of ${organization} is open to its members and its companies; you act for ${actor.org}`,
      { rule: 'organization' },
    );
  }

  /** A policy_admin of that organisation, or an administrator. */
  assertMayChange(actor: Actor, organization: string): void {
    if (actor.roles.includes('admin')) return;
    if (!actor.roles.includes('policy_admin')) {
      throw forbidden('Only a policy_admin of the organisation (or an administrator) changes its policy', {
        rule: 'role',
      });
    }
    if (actor.org !== organization) {
      throw forbidden(`You are policy_admin of ${actor.org}, not of ${organization}`, { rule: 'organization' });
    }
  }

  // --- the policy ---------------------------------------------------------------------------------

  /** The policy in force: the organisation's own version, the rules in force (inherited ones included) and where each comes from. */
  async get(actor: Actor, organization: string) {
    await this.assertMayRead(actor, organization);
    return this.current(organization);
  }

  private async current(organization: string, db: DataSource | EntityManager = this.dataSource) {
    const [effective, own] = await Promise.all([
      effectivePolicy(db, organization),
      currentVersions(db, [organization]),
    ]);
    const mine = own.get(organization);
    return {
      organization,
      version: mine?.version ?? 0,
      validFrom: mine?.validFrom ?? null,
      decidedBy: mine?.decidedBy ?? null,
      reference: mine?.reference ?? null,
      rules: effective.rules,
      /** What this organisation's own version overrides; the rest is inherited. */
      overrides: mine?.rules ?? {},
      categoryRules: asEntries(mine?.categoryRules ?? {}),
      sources: effective.sources,
      /** The label a tender created now pins (the group's version, then this organisation's). */
      policyVersion: effective.policyVersion,
      inheritsFrom: effective.chain.filter((c) => c.organization !== organization),
    };
  }

  async versions(actor: Actor, organization: string) {
    await this.assertMayRead(actor, organization);
    const items = await policyVersions(this.dataSource, organization);
    return { organization, items: items.map((v) => ({ ...v, categoryRules: asEntries(v.categoryRules) })) };
  }

  /**
   * Version n+1 of the organisation's policy. Refused with 400 naming the field when the body
   * breaks the published schema; with 422 naming the field when it is well-formed but names a
   * category the organisation has not registered, or makes the rules in force contradict each other.
   */
  async put(actor: Actor, organization: string, body: unknown, idempotencyKey?: string) {
    this.assertMayChange(actor, organization);
    const problems = policyUpdateProblems(body);
    if (problems.length > 0 || !isPolicyUpdate(body)) throw invalidPolicy(problems);
    const update: PolicyUpdate = body;
    const entries = update.categoryRules ?? [];
    return this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, organization);
      const categoryRules = Object.fromEntries(entries.map((e) => [e.category, e.rules]));
      // A retry of an adoption whose answer was lost: the version it adopted, not another one.
      const retried = await this.chain.adoptedBefore(
        m,
        'policy_versions',
        organization,
        idempotencyKey,
        { reference: update.reference, rules: update.rules, categoryRules },
        (r: { reference: string; rules: unknown; category_rules: unknown }) => ({
          reference: r.reference,
          rules: r.rules,
          categoryRules: r.category_rules,
        }),
      );
      if (retried) return this.current(organization, m);
      await this.checkCategories(m, organization, entries);
      await this.checkConsistency(m, organization, update.rules, entries);
      const [{ version }]: { version: number }[] = await m.query(
        `SELECT COALESCE(MAX(version), 0) + 1 AS version FROM policy_versions WHERE organization = $1`,
        [organization],
      );
      const [{ valid_from }]: { valid_from: Date }[] = await m.query(
        `INSERT INTO policy_versions (organization, version, decided_by_sub, decided_by_name, reference, rules, category_rules, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING valid_from`,
        [
          organization,
          version,
          actor.sub,
          actor.name,
          update.reference,
          JSON.stringify(update.rules),
          JSON.stringify(categoryRules),
          idempotencyKey ?? null,
        ],
      );
      await this.chain.record(
        m,
        organization,
        'policy.version_created',
        actor,
        valid_from,
        update.reference,
        {
          version,
          rules: update.rules,
          categoryRules: entries,
        },
        `v${version}`,
      );
      return this.current(organization, m);
    });
  }

  /** Each category once, and only categories the organisation has registered (422 naming the entry). */
  private async checkCategories(m: EntityManager, organization: string, entries: CategoryRulesEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const known = new Set((await categories(m, organization)).map((c) => c.code));
    const errors: NonNullable<ProblemDetails['errors']> = [];
    entries.forEach((e, i) => {
      const field = `categoryRules.${i}.category`;
      if (entries.findIndex((x) => x.category === e.category) < i) {
        errors.push({ field, rule: 'duplicate_category', message: `${e.category} is given more than once` });
      } else if (!known.has(e.category)) {
        errors.push({ field, rule: 'unknown_category', message: `${e.category} is not a category of ${organization}` });
      }
    });
    if (errors.length > 0) {
      throw ruleViolation(
        `categoryRules: ${errors.map((e) => e.message).join('; ')} (categories are registered with PUT /organizations/${organization}/categories/{code})`,
        errors[0].rule,
        undefined,
        { errors },
      );
    }
  }

  /** The rules this version puts in force (the inherited ones included) must hold together, for the organisation and each category. */
  private async checkConsistency(
    m: EntityManager,
    organization: string,
    rules: Partial<PolicyRules>,
    entries: CategoryRulesEntry[],
  ): Promise<void> {
    const chain = await organisationChain(m, organization);
    const versions = await currentVersions(m, chain);
    const above = chain.filter((o) => o !== organization).map((o) => ({ source: o, rules: versions.get(o)?.rules }));
    const problems: NonNullable<ProblemDetails['errors']> = [];
    const own = resolvePolicy([...above, { source: organization, rules }]).rules;
    for (const p of policyConsistencyProblems(own))
      problems.push({ field: `rules.${p.field}`, rule: 'policy_consistency', message: p.message });
    entries.forEach((e, i) => {
      const inCategory = resolvePolicy([
        ...above,
        { source: organization, rules },
        { source: `${organization}#${e.category}`, rules: e.rules },
      ]).rules;
      for (const p of policyConsistencyProblems(inCategory))
        problems.push({ field: `categoryRules.${i}.rules.${p.field}`, rule: 'policy_consistency', message: p.message });
    });
    if (problems.length > 0) {
      throw ruleViolation(
        `The rules in force would contradict each other: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
        'policy_consistency',
        undefined,
        {
          errors: problems,
        },
      );
    }
  }

  /** What a tender created now pins (TendersService.create). */
  pin(organization: string, category: string) {
    return policyPin(this.dataSource, organization, category);
  }

  // --- the organisation's chain -------------------------------------------------------------------

  async auditEvents(actor: Actor, organization: string, after: number) {
    await this.assertMayRead(actor, organization);
    return this.chain.list(organization, after);
  }

  async verify(actor: Actor, organization: string) {
    await this.assertMayRead(actor, organization);
    return this.chain.verify(organization);
  }

  // --- organisations (reference data) -------------------------------------------------------------

  async organisations() {
    const rows: OrganisationRow[] = await this.dataSource.query(`SELECT * FROM organisations ORDER BY code`);
    return { items: rows.map(toOrganisation) };
  }

  async organisation(organization: string) {
    const [row]: OrganisationRow[] = await this.dataSource.query(`SELECT * FROM organisations WHERE code = $1`, [
      organization,
    ]);
    if (!row) throw notFound(`Organisation ${organization} is not registered`);
    const chain = await organisationChain(this.dataSource, organization);
    const companies: { code: string }[] = await this.dataSource.query(
      `SELECT code FROM organisations WHERE parent = $1 ORDER BY code`,
      [organization],
    );
    return { ...toOrganisation(row), group: chain[0], companies: companies.map((c) => c.code) };
  }

  /** The organisation as the register has it (name, organisation number, address), or null when it is not registered. */
  async identity(organization: string): Promise<{
    name: string;
    orgNumber: string | null;
    address: OrganisationRow['address'];
    updatedAt: string;
  } | null> {
    const [row]: OrganisationRow[] = await this.dataSource.query(`SELECT * FROM organisations WHERE code = $1`, [
      organization,
    ]);
    return row
      ? {
          name: row.name,
          orgNumber: row.org_number ?? null,
          address: row.address ?? null,
          updatedAt: row.updated_at.toISOString(),
        }
      : null;
  }

  /** An administrator registers an organisation, and which group wholly owns it (its parent). */
  async saveOrganisation(actor: Actor, organization: string, dto: SaveOrganizationDto) {
    if (!actor.roles.includes('admin'))
      throw forbidden('Only an administrator maintains the organisations (reference data)', { rule: 'role' });
    // Well-formed (the schema's 400) but with a wrong check digit: a rule, 422.
    if (dto.orgNumber !== undefined && !isOrganisationNumber(dto.orgNumber)) {
      throw ruleViolation(
        `${dto.orgNumber} is not an organisation number: its check digit is wrong`,
        'org_number_check_digit',
        undefined,
        {
          errors: [
            {
              field: 'orgNumber',
              rule: 'org_number_check_digit',
              message: 'the last digit is the check digit of the other nine (Luhn)',
            },
          ],
        },
      );
    }
    const parent = dto.parent ?? null;
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('organisations', 0))`);
      if (parent !== null) {
        const [known] = await m.query(`SELECT 1 FROM organisations WHERE code = $1`, [parent]);
        if (!known) {
          throw ruleViolation(
            `The parent ${parent} is not a registered organisation`,
            'unknown_organisation',
            undefined,
            {
              errors: [
                {
                  field: 'parent',
                  rule: 'unknown_organisation',
                  message: `${parent} is not a registered organisation`,
                },
              ],
            },
          );
        }
        if ((await organisationChain(m, parent)).includes(organization)) {
          throw ruleViolation(`${organization} would own itself through ${parent}`, 'ownership_cycle', undefined, {
            errors: [
              {
                field: 'parent',
                rule: 'ownership_cycle',
                message: `${parent} belongs to ${organization}'s own group below it`,
              },
            ],
          });
        }
      }
      const [before]: OrganisationRow[] = await m.query(`SELECT * FROM organisations WHERE code = $1`, [organization]);
      const [saved]: OrganisationRow[] = await m.query(
        `INSERT INTO organisations (code, name, parent, org_number, address) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent = EXCLUDED.parent, org_number = EXCLUDED.org_number, address = EXCLUDED.address,
           updated_at = now() RETURNING *`,
        [
          organization,
          dto.name,
          parent,
          dto.orgNumber ?? null,
          dto.address
            ? JSON.stringify({ street: dto.address.street, postalCode: dto.address.postalCode, city: dto.address.city })
            : null,
        ],
      );
      await this.chain.record(
        m,
        organization,
        'organization.saved',
        actor,
        saved.updated_at,
        undefined,
        {
          name: dto.name,
          parent,
          orgNumber: saved.org_number,
          address: saved.address,
          ...(before
            ? {
                previous: {
                  name: before.name,
                  parent: before.parent,
                  orgNumber: before.org_number ?? null,
                  address: before.address ?? null,
                },
              }
            : {}),
        },
        `organization:${randomUUID()}`,
      );
    });
    return this.organisation(organization);
  }

  // --- categories ---------------------------------------------------------------------------------

  async categories(actor: Actor, organization: string) {
    await this.assertMayRead(actor, organization);
    const [list, own] = await Promise.all([
      categories(this.dataSource, organization),
      currentVersions(this.dataSource, [organization]),
    ]);
    const items = await Promise.all(list.map((c) => this.withRules(organization, c, own.get(organization))));
    return { organization, items };
  }

  async category(actor: Actor, organization: string, code: string) {
    await this.assertMayRead(actor, organization);
    return this.categoryView(organization, code);
  }

  private async categoryView(organization: string, code: string) {
    const found = await findCategory(this.dataSource, organization, assertCategoryCode(code));
    if (!found) throw notFound(`${organization} has no category ${code}`);
    const own = await currentVersions(this.dataSource, [organization]);
    return this.withRules(organization, found, own.get(organization));
  }

  /** Registers or renames a category and names its category manager (policy_admin or administrator). */
  async saveCategory(actor: Actor, organization: string, code: string, dto: SaveCategoryDto) {
    this.assertMayChange(actor, organization);
    assertCategoryCode(code);
    await this.dataSource.transaction(async (m) => {
      const before = await findCategory(m, organization, code);
      const [saved]: { updated_at: Date }[] = await m.query(
        `INSERT INTO categories (organization, code, name, manager_sub, manager_name) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization, code) DO UPDATE SET name = EXCLUDED.name, manager_sub = EXCLUDED.manager_sub,
           manager_name = EXCLUDED.manager_name, updated_at = now()
         RETURNING updated_at`,
        [organization, code, dto.name, dto.manager?.sub ?? null, dto.manager?.name ?? null],
      );
      await this.chain.record(
        m,
        organization,
        'category.saved',
        actor,
        saved.updated_at,
        undefined,
        {
          code,
          name: dto.name,
          manager: dto.manager ?? null,
          ...(before ? { previous: { name: before.name, manager: before.manager } } : {}),
        },
        `category:${code}:${randomUUID()}`,
      );
    });
    return this.categoryView(organization, code);
  }

  private async withRules(organization: string, c: CategoryRecord, own: PolicyVersion | undefined) {
    const effective = await effectivePolicy(this.dataSource, organization, c.code);
    return { ...c, overrides: own?.categoryRules[c.code] ?? {}, rules: effective.rules, sources: effective.sources };
  }
}

function invalidPolicy(errors: NonNullable<ProblemDetails['errors']>) {
  return badRequest(`Invalid policy: ${errors.map((e) => `${e.field} (${e.rule}): ${e.message}`).join('; ')}`, errors);
}

function assertCategoryCode(code: string): string {
  if (!CATEGORY_CODE.test(code)) {
    throw badRequest(`"${code}" is not a category code`, [
      { field: 'code', rule: 'format', message: 'a lower-case code of 2–64 characters' },
    ]);
  }
  return code;
}

function toOrganisation(r: OrganisationRow) {
  return {
    code: r.code,
    name: r.name,
    parent: r.parent,
    orgNumber: r.org_number ?? null,
    address: r.address ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The stored map of category overrides as the API shows them: `[{ category, rules }]`. */
function asEntries(map: Record<string, Partial<PolicyRules>>): CategoryRulesEntry[] {
  return Object.entries(map).map(([category, rules]) => ({ category, rules }));
}
