import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { substitutesOn } from '@tenderflow/domain/absences';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, conflict, notFound, ruleViolation } from '../common/problem';
import { swedishToday } from '../common/today';
import { DirectoryChain } from './directory-chain';
import { assertMember, assertSelfOrFunctionsAdmin } from './people-access';
import type { RecordAbsenceDto } from './people.dto';

interface AbsenceRow {
  id: string;
  organization: string;
  sub: string;
  name: string;
  from_date: string;
  to_date: string;
  substitute: string | null;
  substitute_name: string | null;
  reason: string | null;
  recorded_by: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
}

const SELECT = `SELECT a.id, a.organization, a.sub, p.name, a.from_date::text, a.to_date::text, a.substitute, s.name AS substitute_name,
                       a.reason, a.recorded_by, a.created_at, a.cancelled_at, a.cancelled_by
                  FROM absences a JOIN people p ON p.sub = a.sub LEFT JOIN people s ON s.sub = a.substitute`;

function view(r: AbsenceRow) {
  return {
    id: r.id,
    sub: r.sub,
    name: r.name,
    from: r.from_date,
    to: r.to_date,
    substitute: r.substitute ? { sub: r.substitute, name: r.substitute_name ?? r.substitute } : null,
    reason: r.reason,
    recordedBy: r.recorded_by,
    recordedAt: r.created_at.toISOString(),
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
  };
}

/**
 * People's absences and who stands in for them (issue 29). A person records their own; an
 * administrator or policy_admin of the organisation anyone's. Absences of one person never overlap;
 * one not yet started can be cancelled. Each change is an event of the organisation's directory chain.
 */
@Injectable()
export class AbsencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: DirectoryChain,
  ) {}

  async record(actor: Actor, org: string, sub: string, dto: RecordAbsenceDto) {
    assertSelfOrFunctionsAdmin(actor, org, sub);
    if (dto.to < dto.from) {
      throw badRequest(`to ${dto.to} is before from ${dto.from}`, [
        { field: 'to', rule: 'date_order', message: 'to must be on or after from' },
      ]);
    }
    const id = randomUUID();
    await this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, org);
      await this.person(m, org, sub);
      if (dto.substitute !== undefined) await this.assertSubstitute(m, org, sub, dto.substitute);
      const [clash]: AbsenceRow[] = await m.query(
        `${SELECT} WHERE a.sub = $1 AND a.cancelled_at IS NULL AND a.from_date <= $3::date AND a.to_date >= $2::date LIMIT 1`,
        [sub, dto.from, dto.to],
      );
      if (clash) {
        throw conflict(
          `${sub} is already away ${clash.from_date}–${clash.to_date} (absence ${clash.id}): absences of one person do not overlap`,
          { rule: 'absence_overlap' },
        );
      }
      await m.query(
        `INSERT INTO absences (id, organization, sub, from_date, to_date, substitute, reason, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [id, org, sub, dto.from, dto.to, dto.substitute ?? null, dto.reason ?? null, actor.sub],
      );
      await this.chain.record(m, org, 'absence.recorded', actor, {
        id,
        sub,
        from: dto.from,
        to: dto.to,
        substitute: dto.substitute ?? null,
        ...(dto.reason ? { reason: dto.reason } : {}),
      });
    });
    return view(await this.find(this.dataSource, org, sub, id));
  }

  /** One person's absences, latest first (cancelled ones too, marked). */
  async ofPerson(actor: Actor, org: string, sub: string) {
    assertSelfOrFunctionsAdmin(actor, org, sub);
    const rows: AbsenceRow[] = await this.dataSource.query(
      `${SELECT} WHERE a.organization = $1 AND a.sub = $2 ORDER BY a.from_date DESC, a.created_at DESC`,
      [org, sub],
    );
    return { organization: org, sub, items: rows.map(view) };
  }

  /**
   * Who of the organisation is away on a day and who stands in, for its members. The reason is the
   * person's and their administrators' only; it is left out here.
   */
  async on(actor: Actor, org: string, day = swedishToday()) {
    assertMember(actor, org);
    const rows: AbsenceRow[] = await this.dataSource.query(
      `${SELECT} WHERE a.organization = $1 AND a.cancelled_at IS NULL AND a.from_date <= $2::date AND a.to_date >= $2::date
        ORDER BY p.name, a.sub`,
      [org, day],
    );
    const absences = rows.map((r) => ({ sub: r.sub, from: r.from_date, to: r.to_date, substitute: r.substitute }));
    return {
      organization: org,
      on: day,
      items: rows.map((r) => ({ ...view(r), reason: undefined })),
      substitutes: substitutesOn(day, absences),
    };
  }

  /** Cancels an absence that has not started (its first day is after today in Sweden). */
  async cancel(actor: Actor, org: string, sub: string, id: string) {
    assertSelfOrFunctionsAdmin(actor, org, sub);
    await this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, org);
      const found = await this.find(m, org, sub, id);
      if (found.cancelled_at) throw notFound(`${sub} has no absence ${id}`);
      const today = swedishToday();
      if (found.from_date <= today) {
        throw conflict(`The absence began on ${found.from_date}: only one not yet started can be cancelled`, {
          rule: 'absence_started',
        });
      }
      await m.query(`UPDATE absences SET cancelled_at = now(), cancelled_by = $2 WHERE id = $1`, [id, actor.sub]);
      await this.chain.record(m, org, 'absence.cancelled', actor, {
        id,
        sub,
        from: found.from_date,
        to: found.to_date,
      });
    });
    return view(await this.find(this.dataSource, org, sub, id));
  }

  private async person(m: EntityManager, org: string, sub: string): Promise<void> {
    const [p]: { organization: string }[] = await m.query(`SELECT organization FROM people WHERE sub = $1`, [sub]);
    if (!p || p.organization !== org) throw notFound(`${org} has no person ${sub}`);
  }

  /** The substitute is an active person of the same organisation, and not the absent person. */
  private async assertSubstitute(m: EntityManager, org: string, sub: string, substitute: string): Promise<void> {
    if (substitute === sub) {
      throw ruleViolation(`${sub} cannot stand in for themselves`, 'substitute_self', undefined, {
        errors: [{ field: 'substitute', rule: 'substitute_self', message: 'the substitute is the absent person' }],
      });
    }
    const [p]: { organization: string; active: boolean }[] = await m.query(
      `SELECT organization, active FROM people WHERE sub = $1`,
      [substitute],
    );
    // Another organisation's person and no person at all are answered alike: the directory of one
    // organisation does not say who is in another's.
    if (!p || p.organization !== org || !p.active) {
      throw ruleViolation(`${substitute} is not an active person of ${org}`, 'substitute_unknown', undefined, {
        errors: [
          {
            field: 'substitute',
            rule: 'substitute_unknown',
            message: `${substitute} is not an active person of ${org}`,
          },
        ],
      });
    }
  }

  private async find(m: DataSource | EntityManager, org: string, sub: string, id: string): Promise<AbsenceRow> {
    const [row]: AbsenceRow[] = await m.query(`${SELECT} WHERE a.id = $1 AND a.organization = $2 AND a.sub = $3`, [
      id,
      org,
      sub,
    ]);
    if (!row) throw notFound(`${sub} has no absence ${id}`);
    return row;
  }
}
