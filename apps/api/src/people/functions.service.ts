import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { overlaps, within } from '@tenderflow/domain/absences';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, notFound, ruleViolation } from '../common/problem';
import { swedishToday } from '../common/today';
import { DirectoryChain } from './directory-chain';
import { assertFunctionsAdmin, assertMember } from './people-access';
import type { PersonFunctionDto, PersonFunctionsDto, SaveFunctionDto } from './people.dto';

/** A function a person holds, as stored and shown: days `YYYY-MM-DD`, both included. */
export interface Holding {
  code: string;
  validFrom: string;
  validTo: string | null;
}

interface FunctionRow {
  code: string;
  name: string;
  superior: string | null;
  updated_at: Date;
}

const byHolding = (a: Holding, b: Holding) =>
  a.code.localeCompare(b.code) ||
  a.validFrom.localeCompare(b.validFrom) ||
  (a.validTo ?? '').localeCompare(b.validTo ?? '');

export const sameHoldings = (a: Holding[], b: Holding[]) =>
  JSON.stringify([...a].sort(byHolding)) === JSON.stringify([...b].sort(byHolding));

/** The holdings of these people, by sub. */
export async function holdingsOf(m: DataSource | EntityManager, subs: string[]): Promise<Map<string, Holding[]>> {
  const rows: { sub: string; code: string; valid_from: string; valid_to: string | null }[] = await m.query(
    `SELECT sub, code, valid_from::text, valid_to::text FROM person_functions WHERE sub = ANY($1) ORDER BY code, valid_from`,
    [subs],
  );
  const out = new Map<string, Holding[]>();
  for (const r of rows) {
    out.set(r.sub, [...(out.get(r.sub) ?? []), { code: r.code, validFrom: r.valid_from, validTo: r.valid_to }]);
  }
  return out;
}

/**
 * The functions of an organisation's delegation order (issue 29) and the people who hold them, for
 * which period. The registry is the organisation's (policy_admin or admin); an import or an
 * administrator says who holds what. Every change is an event of the organisation's directory chain.
 */
@Injectable()
export class FunctionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: DirectoryChain,
  ) {}

  /** The registry, each function with the active people who hold it today and whether they are away. */
  async list(actor: Actor, org: string) {
    assertMember(actor, org);
    const today = swedishToday();
    const functions: FunctionRow[] = await this.dataSource.query(
      `SELECT code, name, superior, updated_at FROM functions WHERE organization = $1 ORDER BY code`,
      [org],
    );
    const holders: {
      code: string;
      sub: string;
      name: string;
      valid_from: string;
      valid_to: string | null;
      absent: boolean;
    }[] = await this.dataSource.query(
      `SELECT f.code, p.sub, p.name, f.valid_from::text, f.valid_to::text,
                EXISTS (SELECT 1 FROM absences a WHERE a.sub = p.sub AND a.cancelled_at IS NULL
                          AND a.from_date <= $2::date AND a.to_date >= $2::date) AS absent
           FROM person_functions f JOIN people p ON p.sub = f.sub
          WHERE f.organization = $1 AND p.active AND f.valid_from <= $2::date AND (f.valid_to IS NULL OR f.valid_to >= $2::date)
          ORDER BY p.name, p.sub`,
      [org, today],
    );
    return {
      organization: org,
      on: today,
      items: functions.map((f) => ({
        code: f.code,
        name: f.name,
        superior: f.superior,
        updatedAt: f.updated_at.toISOString(),
        holders: holders
          .filter((h) => h.code === f.code)
          .map((h) => ({ sub: h.sub, name: h.name, validFrom: h.valid_from, validTo: h.valid_to, absent: h.absent })),
      })),
    };
  }

  /** Registers a function or changes its name or superior. The superior is registered, and no function is above itself. */
  async save(actor: Actor, org: string, code: string, dto: SaveFunctionDto) {
    assertFunctionsAdmin(actor, org);
    const superior = dto.superior ?? null;
    await this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, org);
      const registry = await this.registry(m, org);
      if (superior !== null) {
        if (!registry.has(superior)) throw unknownFunction(org, superior, 'superior');
        // Walk up from the superior: reaching this code again would close a circle.
        for (let at: string | null = superior, steps = 0; at !== null && steps <= registry.size; steps += 1) {
          if (at === code) {
            throw ruleViolation(
              `${superior} is ${code} or below it: a function cannot be its own superior`,
              'function_superior_cycle',
              undefined,
              {
                errors: [
                  { field: 'superior', rule: 'function_superior_cycle', message: `${superior} is below ${code}` },
                ],
              },
            );
          }
          at = registry.get(at)?.superior ?? null;
        }
      }
      const before = registry.get(code);
      await m.query(
        `INSERT INTO functions (organization, code, name, superior) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization, code) DO UPDATE SET name = EXCLUDED.name, superior = EXCLUDED.superior, updated_at = now()`,
        [org, code, dto.name, superior],
      );
      await this.chain.record(m, org, 'function.saved', actor, {
        code,
        name: dto.name,
        superior,
        ...(before ? { previous: { name: before.name, superior: before.superior } } : {}),
      });
    });
    return (await this.list(actor, org)).items.find((f) => f.code === code);
  }

  /** Replaces the functions one person of the organisation holds (admin or policy_admin of the organisation). */
  async setHoldings(actor: Actor, org: string, sub: string, dto: PersonFunctionsDto) {
    assertFunctionsAdmin(actor, org);
    return this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, org);
      const [person]: { sub: string; organization: string }[] = await m.query(
        `SELECT sub, organization FROM people WHERE sub = $1 FOR UPDATE`,
        [sub],
      );
      if (!person || person.organization !== org) throw notFound(`${org} has no person ${sub}`);
      const previous = (await holdingsOf(m, [sub])).get(sub) ?? [];
      const holdings = await this.resolve(m, org, dto.functions, previous, 'functions');
      if (!sameHoldings(previous, holdings)) {
        await this.replaceHoldings(m, org, sub, holdings);
        await this.chain.record(m, org, 'person.functions_changed', actor, { sub, functions: holdings, previous });
      }
      return { organization: org, sub, functions: holdings };
    });
  }

  /**
   * The holdings a list asks for: each code registered, each period coherent, one code's periods
   * apart. A function without `validFrom` keeps the first day already recorded for it, or starts today.
   * Problems name the field under `prefix` (`functions.0.code`).
   */
  async resolve(
    m: EntityManager,
    org: string,
    list: PersonFunctionDto[],
    previous: Holding[],
    prefix: string,
  ): Promise<Holding[]> {
    const registry = await this.registry(m, org);
    const today = swedishToday();
    const holdings = list.map((f, i) => {
      if (!registry.has(f.code)) throw unknownFunction(org, f.code, `${prefix}.${i}.code`);
      const validFrom =
        f.validFrom ??
        previous.find((p) => p.code === f.code && within(today, p.validFrom, p.validTo))?.validFrom ??
        today;
      const validTo = f.validTo ?? null;
      if (validTo !== null && validTo < validFrom) {
        const field = `${prefix}.${i}.validTo`;
        throw badRequest(`${field} ${validTo} is before validFrom ${validFrom}`, [
          { field, rule: 'date_order', message: `${field} must be on or after validFrom` },
        ]);
      }
      return { code: f.code, validFrom, validTo };
    });
    holdings.forEach((a, i) => {
      const clash = holdings.findIndex((b, j) => j !== i && b.code === a.code && overlaps(period(a), period(b)));
      if (clash > i) {
        const field = `${prefix}.${clash}`;
        throw badRequest(`${a.code} is held twice on the same days`, [
          { field, rule: 'function_periods_overlap', message: `${field} overlaps ${prefix}.${i}` },
        ]);
      }
    });
    return holdings.sort(byHolding);
  }

  async replaceHoldings(m: EntityManager, org: string, sub: string, holdings: Holding[]): Promise<void> {
    await m.query(`DELETE FROM person_functions WHERE sub = $1`, [sub]);
    for (const h of holdings) {
      await m.query(
        `INSERT INTO person_functions (sub, organization, code, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)`,
        [sub, org, h.code, h.validFrom, h.validTo],
      );
    }
  }

  private async registry(m: EntityManager, org: string): Promise<Map<string, FunctionRow>> {
    const rows: FunctionRow[] = await m.query(
      `SELECT code, name, superior, updated_at FROM functions WHERE organization = $1`,
      [org],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }
}

const period = (h: Holding) => ({ from: h.validFrom, to: h.validTo ?? '9999-12-31' });

function unknownFunction(org: string, code: string, field: string) {
  return ruleViolation(`${org} has no function ${code}: register it first`, 'unknown_function', undefined, {
    errors: [{ field, rule: 'unknown_function', message: `${code} is not a function of ${org}` }],
  });
}
