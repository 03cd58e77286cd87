import { Injectable, Logger, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Actor } from '@tenderflow/domain/types';
import { forbidden } from '../common/problem';
import { TemporalService } from '../temporal/temporal.service';
import { DecidedGateRow, LeadTimesReport, PendingGateRow, PhaseRow, shapeLeadTimes } from './lead-times';

const DAY = 86_400;

/**
 * Prometheus metrics of this API process, in a registry of its own (not prom-client's global one),
 * so several apps can live in one process (the tests) without clashing; and the lead-time report.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by method, matched route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly workflowStarts = new Counter({
    name: 'tenderflow_workflow_starts_total',
    help: 'Tender workflows started by this API (idempotent repeats not counted), by regime',
    labelNames: ['regime'] as const,
    registers: [this.registry],
  });

  private readonly gateWait = new Histogram({
    name: 'tenderflow_gate_pending_wait_seconds',
    help: 'How long each gate now pending has waited for a decision (recomputed from pending_gates at every scrape)',
    labelNames: ['gate'] as const,
    buckets: [3600, 4 * 3600, DAY, 2 * DAY, 3 * DAY, 5 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY],
    registers: [this.registry],
  });

  private readonly gateOldest = new Gauge({
    name: 'tenderflow_gate_oldest_pending_wait_seconds',
    help: 'The longest wait among the pending gates, by gate',
    labelNames: ['gate'] as const,
    registers: [this.registry],
  });

  private readonly scrapeErrors = new Counter({
    name: 'tenderflow_metrics_scrape_errors_total',
    help: 'Scrapes whose database part (gate waits, outbox states) failed; the rest of the metrics were still served',
    registers: [this.registry],
  });

  private readonly stalled = new Gauge({
    name: 'tenderflow_tenders_stalled',
    help: "Running tenders whose durable writes keep failing (search attribute TenderStalled); -1 when Temporal's visibility could not be asked",
    registers: [this.registry],
  });

  private readonly deliveries = new Gauge({
    name: 'tenderflow_notification_deliveries',
    help: 'Outbox deliveries (one per recipient of a message), by state: queued (incl. being sent), sent, failed',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  private readonly deliveryFailures = new Gauge({
    name: 'tenderflow_notification_deliveries_failed',
    help:
      'Deliveries that failed for good, by reason: unresolvable (the recipient reached no one), rejected (a permanent 5xx SMTP answer), ' +
      'exhausted (every retry failed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly deliveryRetries = new Gauge({
    name: 'tenderflow_notification_deliveries_retrying',
    help: 'Queued deliveries whose earlier attempts failed (SMTP down or answering 4xx), waiting for their next attempt',
    registers: [this.registry],
  });

  private readonly escalatedGates = new Gauge({
    name: 'tenderflow_gates_escalated_pending',
    help: 'Pending gates that reached no one who may decide them and were escalated',
    registers: [this.registry],
  });

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly temporal?: TemporalService,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  workflowStarted(regime: string): void {
    this.workflowStarts.inc({ regime });
  }

  /** The exposition text; gate waits are read fresh from the inbox table. */
  async scrape(): Promise<string> {
    let databaseFailed = false;
    try {
      const rows: { gate: string; seconds: number }[] = await this.dataSource.query(
        `SELECT gate, extract(epoch FROM now() - since)::float8 AS seconds FROM pending_gates`,
      );
      this.gateWait.reset();
      this.gateOldest.reset();
      const oldest = new Map<string, number>();
      for (const r of rows) {
        this.gateWait.observe({ gate: r.gate }, r.seconds);
        oldest.set(r.gate, Math.max(oldest.get(r.gate) ?? 0, r.seconds));
      }
      for (const [gate, seconds] of oldest) this.gateOldest.set({ gate }, seconds);
    } catch (err) {
      databaseFailed = true;
      this.logger.warn(`gate waits not refreshed: ${(err as Error).message}`);
    }
    if (!(await this.countDeliveries())) databaseFailed = true;
    if (databaseFailed) this.scrapeErrors.inc();
    await this.countStalled();
    return this.registry.metrics();
  }

  /** The outbox's states, read fresh: the worker that sends is another process. False when the database did not answer. */
  private async countDeliveries(): Promise<boolean> {
    try {
      const [row]: {
        queued: number;
        sent: number;
        failed: number;
        unresolvable: number;
        exhausted: number;
        retrying: number;
        escalated: number;
      }[] = await this.dataSource.query(
        `SELECT count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS queued,
                  count(*) FILTER (WHERE status = 'sent')::int AS sent,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  count(*) FILTER (WHERE status = 'failed' AND channel = 'none')::int AS unresolvable,
                  count(*) FILTER (WHERE status = 'failed' AND channel <> 'none' AND last_error LIKE 'gave up after %')::int AS exhausted,
                  count(*) FILTER (WHERE status = 'queued' AND attempts > 0)::int AS retrying,
                  (SELECT count(*)::int FROM gate_escalations e JOIN pending_gates g
                     ON g.tender_id = e.tender_id AND g.gate = e.gate AND g.since = e.requested_at) AS escalated
             FROM notification_deliveries`,
      );
      this.deliveries.set({ status: 'queued' }, row.queued);
      this.deliveries.set({ status: 'sent' }, row.sent);
      this.deliveries.set({ status: 'failed' }, row.failed);
      this.deliveryFailures.set({ reason: 'unresolvable' }, row.unresolvable);
      this.deliveryFailures.set({ reason: 'exhausted' }, row.exhausted);
      this.deliveryFailures.set({ reason: 'rejected' }, row.failed - row.unresolvable - row.exhausted);
      this.deliveryRetries.set(row.retrying);
      this.escalatedGates.set(row.escalated);
      return true;
    } catch (err) {
      this.logger.warn(`outbox states not refreshed: ${(err as Error).message}`);
      return false;
    }
  }

  private async countStalled(): Promise<void> {
    if (!this.temporal) return;
    try {
      const { count } = await this.temporal.client.workflow.count(
        `WorkflowType = 'tenderWorkflow' AND ExecutionStatus = 'Running' AND TenderStalled = true`,
      );
      this.stalled.set(count);
    } catch (err) {
      this.stalled.set(-1);
      this.logger.warn(`stalled tenders not counted: ${(err as Error).message}`);
    }
  }

  /**
   * Lead times per phase and gate waits, per category. A category manager sees the categories of
   * their token's `categories` claim, counted over their own organisation's tenders only (another
   * organisation's tenders, even of a shared category, are not theirs to count); an administrator
   * any category, over every organisation.
   */
  async leadTimes(actor: Actor, category?: string): Promise<LeadTimesReport & { organization: string | null }> {
    const isAdmin = actor.roles.includes('admin');
    const organization = isAdmin ? null : actor.org;
    const own = actor.categories ?? [];
    if (category !== undefined && !isAdmin && !own.includes(category)) {
      throw forbidden(
        `You manage the categories ${own.length ? own.join(', ') : '(none)'}; lead times of ${category} are not yours to see`,
      );
    }
    const categories = category !== undefined ? [category] : isAdmin ? null : own;
    if (categories && categories.length === 0)
      return { ...shapeLeadTimes([], { phases: [], decided: [], pending: [] }, new Date()), organization };

    // $1 null means every category (administrators without a filter); $2 null every organisation (administrators).
    const [phases, decided, pending] = await Promise.all([
      this.dataSource.query(
        `WITH per_tender AS (
           SELECT t.category, t.id, e->>'phase' AS phase,
                  sum(extract(epoch FROM (e->>'leftAt')::timestamptz - (e->>'enteredAt')::timestamptz))::float8 AS seconds,
                  bool_and(e ? 'leftAt') AS closed
             FROM tenders t CROSS JOIN LATERAL jsonb_array_elements(t.timeline) e
            WHERE ($1::text[] IS NULL OR t.category = ANY($1)) AND ($2::text IS NULL OR t.organization = $2)
            GROUP BY t.category, t.id, e->>'phase')
         SELECT category, phase, count(*)::int AS "tenders",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS "p50Seconds",
                percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS "p90Seconds"
           FROM per_tender WHERE closed
          GROUP BY category, phase`,
        [categories, organization],
      ) as Promise<PhaseRow[]>,
      this.dataSource.query(
        `WITH decisions AS (
           SELECT t.category, t.id, d->>'gate' AS gate, (d->>'at')::timestamptz AS decided_at
             FROM tenders t CROSS JOIN LATERAL jsonb_array_elements(t.gate_decisions) d
            WHERE ($1::text[] IS NULL OR t.category = ANY($1)) AND ($2::text IS NULL OR t.organization = $2)),
         waits AS (
           SELECT dc.category, dc.gate, extract(epoch FROM dc.decided_at - r.at)::float8 AS seconds
             FROM decisions dc
             LEFT JOIN LATERAL (
               SELECT a.at FROM audit_events a
                WHERE a.tender_id = dc.id AND a.type = 'gate.requested' AND a.payload->>'gate' = dc.gate AND a.at <= dc.decided_at
                ORDER BY a.at DESC LIMIT 1) r ON true)
         SELECT category, gate, count(*)::int AS "decisions", (count(*) - count(seconds))::int AS "unmatched",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS "p50Seconds",
                percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS "p90Seconds"
           FROM waits GROUP BY category, gate`,
        [categories, organization],
      ) as Promise<DecidedGateRow[]>,
      this.dataSource.query(
        `SELECT t.category, g.gate, count(*)::int AS "pending",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM now() - g.since)) AS "p50Seconds",
                max(extract(epoch FROM now() - g.since))::float8 AS "oldestSeconds"
           FROM pending_gates g JOIN tenders t ON t.id = g.tender_id
          WHERE ($1::text[] IS NULL OR t.category = ANY($1)) AND ($2::text IS NULL OR t.organization = $2)
          GROUP BY t.category, g.gate`,
        [categories, organization],
      ) as Promise<PendingGateRow[]>,
    ]);
    return { ...shapeLeadTimes(categories, { phases, decided, pending }, new Date()), organization };
  }
}
