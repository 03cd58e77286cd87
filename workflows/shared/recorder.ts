/**
 * What one step of a workflow produced, and the one place that writes it: audit events (a
 * deterministic seq per workflow), notifications for the outbox (a unique key each) and the
 * read-model snapshot. The tender, contract and coordination workflows all record through here.
 * A step is one `commitStep` activity: one PostgreSQL transaction writes all of it (the
 * transactional outbox, activities/commit.activities.ts), idempotent by workflow ID and seq, by
 * key and by version, so a retried step writes nothing twice and a refused one leaves nothing.
 */
import type { Actor } from '@tenderflow/domain/types';
import type {
  AuditEventInput,
  CommitResult,
  NotificationAbout,
  NotificationInput,
  SnapshotInput,
  StepCommit,
  StepText,
} from '@tenderflow/activities/activity-types';

/** The activities a recorder writes with. */
export interface StepWrites<S> {
  /** The whole step in one transaction. */
  commitStep(step: StepCommit): Promise<CommitResult | void>;
  /** Only for the refusal record of histories from before the API recorded refusals. */
  appendAudit(events: AuditEventInput[]): Promise<void>;
  /** How the read model files this workflow's snapshot; absent where a workflow keeps none. */
  snapshot?(state: S): SnapshotInput;
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
  texts: StepText[];
  snapshot?: S;
}

/** A point to roll a refused step back to. */
export interface RecorderMark {
  audit: number;
  notifications: number;
  events: number;
  messages: number;
  texts: number;
}

type ActorLike = Pick<Actor, 'sub' | 'name'> & { org?: string };

export class StepRecorder<S> {
  private events: AuditEventInput[] = [];
  private messages: NotificationInput[] = [];
  private texts: StepText[] = [];

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
  message(
    kind: NotificationInput['kind'],
    recipients: string[],
    subject: string,
    body: string,
    about?: NotificationAbout,
  ): void {
    const c = this.context();
    const key = `${c.workflowId}:${kind}:${++this.counters.notifications}`;
    const unique = recipients.filter((r, i) => recipients.indexOf(r) === i);
    this.messages.push({
      key,
      tenderId: c.tenderId,
      kind,
      recipients: unique,
      subject,
      body,
      ...(about ? { about } : {}),
      ...(c.tender ? { tender: c.tender } : {}),
    });
    this.event('notification.queued', null, { key, kind, recipients: unique, subject });
  }

  /**
   * Content the workflow does not keep (a question's text, an answer): written to the read model by
   * this step's commit (tender_texts), and covered by the chain through the audit event that carries
   * the command's payload.
   */
  text(ref: string, body: Record<string, unknown>): void {
    this.texts.push({ tenderId: this.context().tenderId, ref, body });
  }

  mark(): RecorderMark {
    return {
      audit: this.counters.audit,
      notifications: this.counters.notifications,
      events: this.events.length,
      messages: this.messages.length,
      texts: this.texts.length,
    };
  }

  /** Forgets what was produced since the mark (a step refused before it changed anything). */
  rollback(mark: RecorderMark): void {
    this.counters.audit = mark.audit;
    this.counters.notifications = mark.notifications;
    this.events.length = mark.events;
    this.messages.length = mark.messages;
    this.texts.length = mark.texts;
  }

  /** Back to the mark's counters with nothing pending (a step PostgreSQL refused for good). */
  discard(mark: Pick<RecorderMark, 'audit' | 'notifications'>): void {
    this.counters.audit = mark.audit;
    this.counters.notifications = mark.notifications;
    this.events.length = 0;
    this.messages.length = 0;
    this.texts.length = 0;
  }

  /** Writes the step, all of it or nothing, in one activity (nothing when the step produced nothing); what the commit answered. */
  async record(snapshot?: S): Promise<CommitResult | void> {
    const step = this.take(snapshot);
    const file = step.snapshot !== undefined ? this.writes.snapshot : undefined;
    if (step.audit.length === 0 && step.notifications.length === 0 && step.texts.length === 0 && !file) return;
    const commit: StepCommit = {
      workflowId: this.context().workflowId,
      events: step.audit,
      notifications: step.notifications,
      ...(step.texts.length > 0 ? { texts: step.texts } : {}),
      ...(file ? { snapshot: file(step.snapshot as S) } : {}),
    };
    let result: CommitResult | void = undefined;
    await this.guard('commitStep', async () => {
      result = await this.writes.commitStep(commit);
    });
    return result;
  }

  /** The step as one value (what one transactional write would take), leaving nothing pending. */
  take(snapshot?: S): RecordedStep<S> {
    return {
      audit: this.events.splice(0),
      notifications: this.messages.splice(0),
      texts: this.texts.splice(0),
      ...(snapshot !== undefined ? { snapshot } : {}),
    };
  }

  /** Only the audit events pending (the refusal record of histories from before the API recorded refusals). */
  async recordAuditOnly(): Promise<void> {
    const events = this.events.splice(0);
    if (events.length > 0) await this.writes.appendAudit(events);
  }
}
