/**
 * What one step of a workflow produced, and the one place that writes it: audit events (a
 * deterministic seq per workflow), notifications for the outbox (a unique key each) and the
 * read-model snapshot. The tender, contract and coordination workflows all record through here,
 * in one order: the audit events, then the notifications and the snapshot side by side. Each write is
 * idempotent (by workflow ID and seq, by key, by version), so a retried step writes nothing twice.
 *
 * The writes are the activities the workflow passes in; `record` is the only place that calls them,
 * so that a step can become one transactional activity by changing this file alone.
 */
import type { Actor } from '../../libs/domain/src/types';
import type { AuditEventInput, NotificationAbout, NotificationInput } from '../../activities/activity-types';

/** The activities a recorder writes with. `snapshot` is absent where a workflow keeps no read model. */
export interface StepWrites<S> {
  appendAudit(events: AuditEventInput[]): Promise<void>;
  notify(message: NotificationInput): Promise<void>;
  snapshot?(state: S): Promise<void>;
  /** The snapshot activity's name, as a stalled workflow reports it. */
  snapshotActivity?: string;
}

/** Wraps one write, e.g. to show the workflow as stalled while PostgreSQL is down; default: just write. */
export type WriteGuard = (activity: string, write: () => Promise<void>) => Promise<void>;

/** The seq counters; the contract keeps them in its state, so that they survive continue-as-new. */
export interface RecorderCounters {
  audit: number;
  notifications: number;
}

export interface RecorderContext {
  tenderId: string;
  workflowId: string;
  /** The organisation named for an actor who carries none. */
  organization: string;
  /** The tender as messages describe it (the outbox does not rely on a read-model row for it). */
  tender?: NotificationInput['tender'];
}

/** What one step produced. */
export interface RecordedStep<S> {
  audit: AuditEventInput[];
  notifications: NotificationInput[];
  snapshot?: S;
}

/** A point to roll a refused step back to. */
export interface RecorderMark {
  audit: number;
  notifications: number;
  events: number;
  messages: number;
}

type ActorLike = Pick<Actor, 'sub' | 'name'> & { org?: string };

export class StepRecorder<S> {
  private events: AuditEventInput[] = [];
  private messages: NotificationInput[] = [];

  constructor(
    private readonly context: () => RecorderContext,
    private readonly writes: StepWrites<S>,
    readonly counters: RecorderCounters = { audit: 0, notifications: 0 },
    private readonly guard: WriteGuard = (_activity, write) => write(),
  ) {}

  event(type: string, actor: ActorLike | null | undefined, payload: unknown, reason?: string): void {
    const c = this.context();
    this.events.push({
      tenderId: c.tenderId,
      workflowId: c.workflowId,
      seq: ++this.counters.audit,
      type,
      actor: actor ? { sub: actor.sub, name: actor.name, org: actor.org ?? c.organization } : null,
      at: new Date(Date.now()).toISOString(),
      ...(reason ? { reason } : {}),
      payload,
    });
  }

  /** A notification for the outbox, and the audit event that says it was queued. */
  message(kind: NotificationInput['kind'], recipients: string[], subject: string, body: string, about?: NotificationAbout): void {
    const c = this.context();
    const key = `${c.workflowId}:${kind}:${++this.counters.notifications}`;
    const unique = recipients.filter((r, i) => recipients.indexOf(r) === i);
    this.messages.push({ key, tenderId: c.tenderId, kind, recipients: unique, subject, body, ...(about ? { about } : {}), ...(c.tender ? { tender: c.tender } : {}) });
    this.event('notification.queued', null, { key, kind, recipients: unique, subject });
  }

  mark(): RecorderMark {
    return { audit: this.counters.audit, notifications: this.counters.notifications, events: this.events.length, messages: this.messages.length };
  }

  /** Forgets what was produced since the mark (a step refused before it changed anything). */
  rollback(mark: RecorderMark): void {
    this.counters.audit = mark.audit;
    this.counters.notifications = mark.notifications;
    this.events.length = mark.events;
    this.messages.length = mark.messages;
  }

  /** Back to the mark's counters with nothing pending (a step PostgreSQL refused for good). */
  discard(mark: Pick<RecorderMark, 'audit' | 'notifications'>): void {
    this.counters.audit = mark.audit;
    this.counters.notifications = mark.notifications;
    this.events.length = 0;
    this.messages.length = 0;
  }

  /**
   * Writes the step: its audit events first (the chain holds what happened before anything is
   * sent), then the notifications and the snapshot side by side.
   */
  async record(snapshot?: S): Promise<void> {
    const step = this.take(snapshot);
    if (step.audit.length > 0) await this.guard('appendAudit', () => this.writes.appendAudit(step.audit));
    const write = this.writes.snapshot;
    await Promise.all([
      ...step.notifications.map((m) => this.guard('notify', () => this.writes.notify(m))),
      ...(step.snapshot !== undefined && write ? [this.guard(this.writes.snapshotActivity ?? 'snapshot', () => write(step.snapshot as S))] : []),
    ]);
  }

  /** The step as one value (what one transactional write would take), leaving nothing pending. */
  take(snapshot?: S): RecordedStep<S> {
    return { audit: this.events.splice(0), notifications: this.messages.splice(0), ...(snapshot !== undefined ? { snapshot } : {}) };
  }

  /** Only the audit events pending (the refusal record of histories from before the API recorded refusals). */
  async recordAuditOnly(): Promise<void> {
    const events = this.events.splice(0);
    if (events.length > 0) await this.writes.appendAudit(events);
  }
}
