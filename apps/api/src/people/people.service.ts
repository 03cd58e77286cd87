import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PersonRow } from '@tenderflow/db/directory';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, conflict } from '../common/problem';
import { DirectoryChain } from './directory-chain';
import { FunctionsService, holdingsOf, sameHoldings, type Holding } from './functions.service';
import { assertDirectoryAdmin } from './people-access';
import { PeopleImportDto, PersonFunctionDto, PROCUREMENT_EXTENSION, ScimUserDto } from './people.dto';

export { directoryChain } from './directory-chain';

interface Imported {
  sub: string;
  name: string;
  email: string | null;
  roles: string[];
  approvalLimitSek: number | null;
  categories: string[];
  locale: 'sv' | 'en';
  active: boolean;
  externalId: string | null;
  /** The functions the import says the person holds; absent when it says nothing about them. */
  functions?: Holding[];
}

function fromScim(u: ScimUserDto): Imported {
  const emails = u.emails ?? [];
  const ext = u[PROCUREMENT_EXTENSION];
  return {
    sub: u.userName,
    name: u.displayName,
    email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null,
    roles: [...new Set((u.roles ?? []).map((r) => r.value))].sort(),
    approvalLimitSek: ext?.approvalLimitSek ?? null,
    categories: [...new Set(ext?.categories ?? [])].sort(),
    locale: u.preferredLanguage?.startsWith('en') ? 'en' : 'sv',
    active: u.active ?? true,
    externalId: u.externalId ?? null,
  };
}

function same(row: PersonRow, p: Imported): boolean {
  return (
    row.name === p.name &&
    row.email === p.email &&
    JSON.stringify([...row.roles].sort()) === JSON.stringify(p.roles) &&
    (row.approval_limit_sek === null ? null : Number(row.approval_limit_sek)) === p.approvalLimitSek &&
    JSON.stringify([...row.categories].sort()) === JSON.stringify(p.categories) &&
    row.locale === p.locale &&
    row.active === p.active &&
    row.external_id === p.externalId &&
    row.source === 'import'
  );
}

/**
 * Imports an organisation's people (PUT: the list is the whole of what the import knows). Listed
 * people are created or updated; imported people no longer listed become inactive; people known
 * only from their sign-ins are left as they are. One transaction, audited in the organisation's
 * directory chain with who did it and what changed.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: DirectoryChain,
    private readonly functions: FunctionsService,
  ) {}

  assertAdmin(actor: Actor, org: string): void {
    assertDirectoryAdmin(actor, org);
  }

  async replace(actor: Actor, org: string, dto: PeopleImportDto) {
    this.assertAdmin(actor, org);
    const people = dto.Resources.map(fromScim);
    const asked = new Map<string, PersonFunctionDto[]>();
    dto.Resources.forEach((u, i) => {
      const list = u[PROCUREMENT_EXTENSION]?.functions;
      if (list) asked.set(people[i].sub, list);
    });
    const dup = people.map((p) => p.sub).find((s, i, all) => all.indexOf(s) !== i);
    if (dup !== undefined) {
      throw badRequest(`userName ${dup} is listed twice`, [
        { field: 'Resources.userName', rule: 'unique', message: `userName ${dup} is listed twice` },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      // One import per organisation at a time; sign-ins of its people wait for it.
      await this.chain.lock(m, org);
      const existing: PersonRow[] = await m.query(`SELECT * FROM people WHERE sub = ANY($1) FOR UPDATE`, [
        people.map((p) => p.sub),
      ]);
      const foreign = existing.filter((r) => r.organization !== org);
      if (foreign.length) {
        throw conflict(
          `${foreign.map((r) => `${r.sub} belongs to ${r.organization}`).join('; ')}: a person belongs to one organisation`,
          { rule: 'other_organization' },
        );
      }
      const bySub = new Map(existing.map((r) => [r.sub, r]));
      const held = await holdingsOf(m, [...asked.keys()]);
      for (const [i, p] of people.entries()) {
        const list = asked.get(p.sub);
        if (list) {
          const field = `Resources.${i}.${PROCUREMENT_EXTENSION}.functions`;
          p.functions = await this.functions.resolve(m, org, list, held.get(p.sub) ?? [], field);
        }
      }
      const created: string[] = [];
      const updated: string[] = [];
      for (const p of people) {
        const row = bySub.get(p.sub);
        const functionsChanged = p.functions !== undefined && !sameHoldings(held.get(p.sub) ?? [], p.functions);
        if (row && same(row, p) && !functionsChanged) continue;
        (row ? updated : created).push(p.sub);
        await m.query(
          `INSERT INTO people (sub, organization, name, email, roles, approval_limit_sek, categories, locale, active, source, external_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'import',$10)
           ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, roles = EXCLUDED.roles,
             approval_limit_sek = EXCLUDED.approval_limit_sek, categories = EXCLUDED.categories, locale = EXCLUDED.locale,
             active = EXCLUDED.active, source = 'import', external_id = EXCLUDED.external_id, updated_at = now()`,
          [p.sub, org, p.name, p.email, p.roles, p.approvalLimitSek, p.categories, p.locale, p.active, p.externalId],
        );
        if (functionsChanged) await this.functions.replaceHoldings(m, org, p.sub, p.functions ?? []);
      }
      // An UPDATE … RETURNING answers [rows, count] through TypeORM's query().
      const [deactivated]: [{ sub: string }[], number] = await m.query(
        `UPDATE people SET active = false, updated_at = now() WHERE organization = $1 AND source = 'import' AND active AND NOT (sub = ANY($2)) RETURNING sub`,
        [org, people.map((p) => p.sub)],
      );
      const summary = {
        organization: org,
        received: people.length,
        created,
        updated,
        unchanged: people.length - created.length - updated.length,
        deactivated: deactivated.map((r) => r.sub).sort(),
      };
      await this.chain.record(m, org, 'directory.imported', actor, {
        ...summary,
        people: people.filter((p) => created.includes(p.sub) || updated.includes(p.sub)),
      });
      return summary;
    });
  }
}
