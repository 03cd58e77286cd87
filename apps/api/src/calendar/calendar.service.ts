import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { stockholmDateOf } from '@tenderflow/domain/dates';
import { FINAL_PHASES, type Actor } from '@tenderflow/domain/types';
import { publishedCalendar, type AllDayEvent } from '@tenderflow/notifications/icalendar';
import { deadlineName } from '@tenderflow/notifications/templates/sv';
import { paths } from '@tenderflow/notifications/templates/paths';
import type { Deadline, TenderState } from '@tenderflow/temporal-common/tender-types';
import { AppConfigService } from '../config/config.module';
import { TenderStateReader } from '../tenders/tender-state.reader';
import { listedOrganization } from '../tenders/tenders.service';

/** At most this many running tenders (newest first) on one calendar; an administrator's spans every organisation. */
export const CALENDAR_MAX_TENDERS = 300;
/** Workflow queries in flight at once for one calendar. */
const QUERY_CONCURRENCY = 8;
/** How long one workflow may take to answer (a running worker answers in milliseconds). */
export const CALENDAR_QUERY_TIMEOUT_MS = 2_000;
/** How long one calendar may spend asking workflows; what is left is taken from the read model. */
export const CALENDAR_BUDGET_MS = 8_000;
/** A workflow that did not answer is not asked again for this long (its read-model row stands in). */
const UNREACHABLE_FOR_MS = 60_000;

interface TenderRow {
  id: string;
  title: string;
  organization: string;
  next_deadline: Date | null;
  next_deadline_kind: string | null;
  state_complete: boolean;
}

/**
 * The deadlines of the caller's running tenders as a published iCalendar: the tenders GET /tenders
 * lists for the caller (the same rule, listedOrganization), each one's current deadlines from its
 * workflow — the source of truth, which the read model keeps only the next one of.
 */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);
  /** Tenders whose workflow did not answer lately, with when to ask again. */
  private readonly unreachableUntil = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: TenderStateReader,
    private readonly config: AppConfigService,
  ) {}

  async events(actor: Actor): Promise<AllDayEvent[]> {
    const organization = listedOrganization(actor) ?? null;
    const rows: TenderRow[] = await this.dataSource.query(
      `SELECT id, title, organization, next_deadline, next_deadline_kind, state_complete FROM tenders
        WHERE ($1::text IS NULL OR organization = $1) AND NOT (phase = ANY($2::text[]))
          -- No next deadline in the read model: the tender has no running deadline to show.
          AND next_deadline IS NOT NULL
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [organization, FINAL_PHASES, CALENDAR_MAX_TENDERS],
    );
    // The read model holds each tender's running deadlines (its state's parts, ARCHITECTURE §5: reads never
    // replay): one statement for the whole calendar.
    const states: Pick<TenderState, 'id' | 'title' | 'organization' | 'deadlines'>[] = await this.storedDeadlines(
      rows.filter((r) => r.state_complete),
    );
    // A tender whose parts the read model does not hold yet is read as every API read is
    // (TenderStateReader: the read model, else the workflow by Query). A workflow whose worker
    // is down does not answer: the calendar does not wait for it, and after its budget it asks no more
    // workflows. Those tenders show the next deadline the read model has.
    const asked = rows.filter((r) => !r.state_complete);
    const budget = AbortSignal.timeout(CALENDAR_BUDGET_MS);
    const unanswered: TenderRow[] = [];
    for (let i = 0; i < asked.length; i += QUERY_CONCURRENCY) {
      const slice = asked.slice(i, i + QUERY_CONCURRENCY);
      const batch = budget.aborted
        ? slice.map(() => undefined)
        : await Promise.all(slice.map((r) => this.state(r.id, budget)));
      batch.forEach((s, k) => (s ? states.push(s) : unanswered.push(slice[k])));
    }
    const base = this.config.values.http.publicBaseUrl.replace(/\/+$/, '');
    const event = (
      t: { id: string; title: string; organization: string },
      kind: string,
      day: string,
      basis: string,
    ): AllDayEvent => {
      const what = deadlineName(kind);
      return {
        uid: `${t.id}.${kind}@tenderflow`,
        day,
        summary: `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${t.title} (${t.id})`,
        description: [
          `Upphandling ${t.id}: ${t.title}`,
          `Sista dag: ${day}`,
          `Grund: ${basis}`,
          `${base}${paths.tender(t.id)}`,
        ].join('\n'),
        url: `${base}${paths.tender(t.id)}`,
        categories: ['Tenderflow', t.organization],
      };
    };
    const fromReadModel = unanswered
      .filter((r) => r.next_deadline !== null && r.next_deadline_kind !== null)
      .map((r) =>
        event(
          r,
          r.next_deadline_kind!,
          stockholmDateOf(new Date(r.next_deadline!).getTime()),
          'se upphandlingen (bara nästa frist kunde läsas nu)',
        ),
      );
    return (
      states
        // The workflow has the last word on whose tender it is (the read model may lag a moment).
        .filter((s) => organization === null || s.organization === organization)
        .flatMap((s) => s.deadlines.map((d) => event(s, d.kind, d.lastDay, d.basis)))
        .concat(fromReadModel)
        .sort((a, b) => a.day.localeCompare(b.day) || a.uid.localeCompare(b.uid))
    );
  }

  async ics(actor: Actor, now = new Date()): Promise<string> {
    return publishedCalendar({
      prodId: '-//Tenderflow//Deadlines//SV',
      name: `Tenderflow: tidsfrister för ${actor.name}`,
      refresh: 'PT1H',
      events: await this.events(actor),
      now,
    });
  }

  /** The running deadlines of tenders whose state the read model holds whole. */
  private async storedDeadlines(
    rows: TenderRow[],
  ): Promise<Pick<TenderState, 'id' | 'title' | 'organization' | 'deadlines'>[]> {
    if (rows.length === 0) return [];
    const parts: { tender_id: string; value: Deadline }[] = await this.dataSource.query(
      `SELECT p.tender_id, p.value FROM tender_state_parts p
        WHERE p.tender_id = ANY($1::text[]) AND p.part LIKE 'deadlines/%' ORDER BY p.tender_id, p.part`,
      [rows.map((r) => r.id)],
    );
    const byTender = new Map<string, Deadline[]>();
    for (const p of parts) byTender.set(p.tender_id, [...(byTender.get(p.tender_id) ?? []), p.value]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      organization: r.organization,
      deadlines: byTender.get(r.id) ?? [],
    }));
  }

  /** A tender whose workflow cannot answer now is left off this copy of the calendar, not the whole calendar. */
  private async state(id: string, budget: AbortSignal): Promise<TenderState | undefined> {
    if ((this.unreachableUntil.get(id) ?? 0) > Date.now()) return undefined;
    const own = AbortSignal.timeout(CALENDAR_QUERY_TIMEOUT_MS);
    try {
      const signal = AbortSignal.any([budget, own]);
      return await this.reader.read(id, signal);
    } catch (err) {
      if (own.aborted) {
        if (this.unreachableUntil.size >= 10_000) this.unreachableUntil.clear();
        this.unreachableUntil.set(id, Date.now() + UNREACHABLE_FOR_MS);
      }
      this.logger.warn(`the calendar leaves out ${id}: ${(err as Error).message}`);
      return undefined;
    }
  }
}
