import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FINAL_PHASES, type Actor } from '@tenderflow/domain/types';
import { publishedCalendar, type AllDayEvent } from '@tenderflow/notifications/icalendar';
import { deadlineName } from '@tenderflow/notifications/templates/sv';
import { paths } from '@tenderflow/notifications/templates/paths';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { getStateQuery, type TenderState } from '@tenderflow/workflows/tender/tender.messages';
import { AppConfigService } from '../config/config.module';
import { TemporalService } from '../temporal/temporal.service';
import { listedOrganization } from '../tenders/tenders.service';

/** At most this many running tenders (newest first) on one calendar; an administrator's spans every organisation. */
export const CALENDAR_MAX_TENDERS = 300;
/** Workflow queries in flight at once for one calendar. */
const QUERY_CONCURRENCY = 8;

/**
 * The deadlines of the caller's running tenders as a published iCalendar: the tenders GET /tenders
 * lists for the caller (the same rule, listedOrganization), each one's current deadlines from its
 * workflow — the source of truth, which the read model keeps only the next one of.
 */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
    private readonly config: AppConfigService,
  ) {}

  async events(actor: Actor): Promise<AllDayEvent[]> {
    const organization = listedOrganization(actor) ?? null;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM tenders
        WHERE ($1::text IS NULL OR organization = $1) AND NOT (phase = ANY($2::text[]))
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [organization, FINAL_PHASES, CALENDAR_MAX_TENDERS],
    );
    const states: TenderState[] = [];
    for (let i = 0; i < rows.length; i += QUERY_CONCURRENCY) {
      const batch = await Promise.all(rows.slice(i, i + QUERY_CONCURRENCY).map((r) => this.state(r.id)));
      for (const s of batch) if (s) states.push(s);
    }
    const base = this.config.values.http.publicBaseUrl.replace(/\/+$/, '');
    return (
      states
        // The workflow has the last word on whose tender it is (the read model may lag a moment).
        .filter((s) => organization === null || s.organization === organization)
        .flatMap((s) =>
          s.deadlines.map((d) => {
            const what = deadlineName(d.kind);
            return {
              uid: `${s.id}.${d.kind}@tenderflow`,
              day: d.lastDay,
              summary: `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${s.title} (${s.id})`,
              description: [`Upphandling ${s.id}: ${s.title}`, `Sista dag: ${d.lastDay}`, `Grund: ${d.basis}`, `${base}${paths.tender(s.id)}`].join('\n'),
              url: `${base}${paths.tender(s.id)}`,
              categories: ['Tenderflow', s.organization],
            };
          }),
        )
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

  /** A tender whose workflow cannot answer now is left off this copy of the calendar, not the whole calendar. */
  private async state(id: string): Promise<TenderState | undefined> {
    try {
      return await this.temporal.client.workflow.getHandle(tenderWorkflowId(id)).query(getStateQuery);
    } catch (err) {
      this.logger.warn(`the calendar leaves out ${id}: ${(err as Error).message}`);
      return undefined;
    }
  }
}
