/**
 * The run kernel of one tender: its state, the commit that ends every change, phase entry, gate
 * requests, the end of a tender and its deadlines. The command modules (commands/) and the timers
 * (tender.timers.ts) change the tender only through a run.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  patched,
  proxyActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { ComputedDeadline, DeadlineActivities, DeadlineRequest } from '@tenderflow/activities/deadline.activities';
import type { createTenderActivities } from '@tenderflow/activities/tender.activities';
import { tenderRules, type PolicyRules } from '@tenderflow/domain/policy';
import type { Actor, Phase } from '@tenderflow/domain/types';
import { assertMove } from '@tenderflow/domain/phases';
import type { Deadline, PersonRef, TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';
import {
  STALL_AWARE_WRITE_OPTIONS,
  TENDER_READ_OPTIONS,
  type CommitActivities,
  type RecordActivities,
} from '../shared/activities';
import { CommandKeys } from '../shared/command-auth';
import type { CommandKey } from '@tenderflow/temporal-common/command-signature';
import { StepRecorder } from '../shared/recorder';
import { refuse, toFailure } from '@tenderflow/temporal-common/refusals';
import { TakesTurns } from '../shared/turns';
import { pendingEligibility } from './tender.gates';
import { diffParts, hashesOf, partsOf, type PartHashes } from '@tenderflow/temporal-common/state-parts';
import { contentRef } from '@tenderflow/temporal-common/tender-texts';
import type { RecorderMark } from '../shared/recorder';
import {
  bodyAddress,
  deadlineRef,
  initialState,
  isPermanentWriteError,
  messageOf,
  person,
  snapshot,
  tenderRow,
} from './tender.state';
import { publishState } from './tender.visibility';

/** `appendAudit` only for the refusals of runs from before 'refusals-recorded-by-api'. */
const { commitStep, appendAudit } = proxyActivities<CommitActivities & Pick<RecordActivities, 'appendAudit'>>(
  STALL_AWARE_WRITE_OPTIONS,
);

/** Reads of the tender's own content (the award notice quotes the evaluation's reasons). */
const { tenderText } =
  proxyActivities<Pick<ReturnType<typeof createTenderActivities>, 'tenderText'>>(TENDER_READ_OPTIONS);

/** Pure computation: a bad request will not get better by retrying. */
const deadlineActivities = proxyActivities<DeadlineActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['DeadlineInputError', 'DomainInputError', 'InvalidDateError', 'RangeError'],
  },
});

/**
 * Since this patch the content of a step other than a question (the needs analysis's texts, the
 * documents, the evaluation's reasons, a ruling's comment, a decline's reason) is written to the read
 * model by the step and the state keeps its ref (`TenderRun.content`).
 */
export const CONTENT_IN_TEXTS_PATCH = 'content-in-texts';

export class TenderRun extends TakesTurns {
  readonly state: TenderState;
  committed: TenderState;
  /** Audit events, notifications and the read model of each step: written in one place (shared/recorder.ts). */
  readonly recorder: StepRecorder<TenderState>;
  /** The coordination children run in this scope, so that a tender that ends withdraws them. */
  invitations?: CancellationScope;
  /** The children's results (coordination invitations, the contract's follow-up), awaited before the tender returns. */
  readonly children: Promise<unknown>[] = [];
  /** The organisation's policy pinned at creation (its defaults when the input has none): the tender runs under it to the end. */
  readonly policy: PolicyRules;
  /** Whose signatures commands must carry (shared/command-auth.ts); passed on to the children. */
  readonly keys: CommandKeys;
  /**
   * The state's parts as the read model has them (state-parts.ts): a step sends only the parts that
   * differ. None yet in a new run: its first step writes them all (a continued run's too).
   */
  private parts?: PartHashes;
  private pendingParts?: PartHashes;
  /** The version `parts` were committed at. */
  private partsVersion = 0;
  /**
   * The read model holds this chain's whole state (a full write has been committed): a continued run
   * then starts from the parts of the state it was given, and sends only what it changes.
   */
  complete = false;

  /** Children running now (coordination invitations, the contract's follow-up): a run continues as new only without. */
  private runningChildren = 0;

  /** Children the change under way starts once it is committed (afterCommit); a change undone drops them. */
  private starts: Array<() => Promise<void>> = [];

  constructor(readonly input: TenderStartInput) {
    super();
    const resumed = input.resumed;
    this.keys = new CommandKeys(input.commandKeys);
    this.policy = tenderRules(input.policy);
    this.state = resumed ? snapshot(resumed.state) : initialState(input, workflowInfo().workflowId, this.policy);
    this.committed = snapshot(this.state);
    if (resumed?.complete) {
      this.parts = hashesOf(partsOf(this.committed));
      this.partsVersion = this.committed.version;
      this.complete = true;
    }
    this.recorder = new StepRecorder<TenderState>(
      () => {
        const { id, workflowId, title, organization, category, estimatedValueSek } = this.state;
        return { tenderId: id, workflowId, organization, tender: { title, organization, category, estimatedValueSek } };
      },
      {
        commitStep,
        appendAudit,
        snapshot: (state) => {
          const texts = partsOf(state);
          this.pendingParts = hashesOf(texts);
          const parts = diffParts(this.parts, texts, this.pendingParts);
          return {
            kind: 'tender-parts',
            row: tenderRow(state),
            parts,
            ...(parts.full ? {} : { base: this.partsVersion }),
          };
        },
      },
      resumed ? { ...resumed.counters } : { audit: 0, notifications: 0 },
      (activity, write) => this.durably(activity, write),
    );
  }

  // --- recording --------------------------------------------------------------------------------

  event(type: string, actor: Actor | PersonRef | null | undefined, payload: unknown, reason: string | undefined): void {
    this.recorder.event(type, actor, payload, reason);
  }

  /** A notification for the outbox (StepRecorder.message). */
  message(...args: Parameters<StepRecorder<TenderState>['message']>): void {
    this.recorder.message(...args);
  }

  /** Content the state does not keep (shared/recorder.ts `text`): written to the read model by this step. */
  text(ref: string, body: Record<string, unknown>): void {
    this.recorder.text(ref, body);
  }

  /**
   * Content of `kind` the state keeps by ref (libs/temporal-common tender-texts.ts): written to the
   * read model by this step under a ref of this step's version, which is returned for the state to
   * keep. Undefined in a history from before CONTENT_IN_TEXTS_PATCH: the state keeps the content.
   */
  content(kind: string, body: Record<string, unknown>): string | undefined {
    if (!patched(CONTENT_IN_TEXTS_PATCH)) return undefined;
    const ref = contentRef(kind, this.state.version + 1);
    this.text(ref, body);
    return ref;
  }

  /** A content text this tender's steps wrote (`content`), from the read model; undefined when none is stored. */
  async storedContent<T>(ref: string): Promise<T | undefined> {
    return ((await tenderText({ tenderId: this.state.id, ref })) ?? undefined) as T | undefined;
  }

  /** Writes what this change produced (shared/recorder.ts): audit, notifications, the read model. */
  async record(): Promise<void> {
    const full = this.parts === undefined;
    const result = await this.recorder.record(this.state);
    // Written: the read model has these parts now (a refused write keeps the ones before). When it
    // could not take them (it lacks the version they differ from), the next step writes them all.
    if (this.pendingParts) {
      if (result && result.resync) {
        this.parts = undefined;
        this.complete = false;
      } else {
        this.parts = this.pendingParts;
        this.partsVersion = this.state.version;
        if (full) this.complete = true;
      }
    }
    this.pendingParts = undefined;
  }

  /** Ends a change: version + 1, search attributes and summary, the committed state, then the record. */
  async commit(): Promise<void> {
    this.state.version += 1;
    for (const g of this.state.pendingGates) Object.assign(g, pendingEligibility(this.state, g));
    publishState(this.state);
    this.committed = snapshot(this.state);
    await this.record();
    const starts = this.starts.splice(0);
    for (const start of starts) await start();
  }

  /**
   * Starts a child once the change that decided it is committed (the start waits for the next
   * commit): a command that fails later, or whose step PostgreSQL refuses, has started nothing, so
   * no child outlives the decision that was undone (before, it ran on holding its id).
   */
  afterCommit(start: () => Promise<void>): void {
    this.starts.push(start);
  }

  /**
   * A durable write that keeps failing (PostgreSQL down) does not block silently: after the
   * activity's own retries the tender is marked stalled where operators look (GET /tenders/{id},
   * the TenderStalled search attribute, the summary in the Temporal UI), and the write is retried
   * with a growing pause until it succeeds. A permanent error is thrown for the caller to refuse.
   */
  private async durably(activity: string, write: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        if (this.state.stalled) {
          delete this.state.stalled;
          delete this.committed.stalled;
          publishState(this.state);
        }
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isPermanentWriteError(err)) throw err;
        const stalled = {
          since: this.state.stalled?.since ?? this.now(),
          activity,
          error: messageOf(err).slice(0, 500),
        };
        this.state.stalled = stalled;
        this.committed.stalled = stalled;
        publishState(this.state);
        await sleep(Math.min(60_000 * 2 ** attempt, 600_000));
      }
    }
  }

  /** Back to the last committed state after a step PostgreSQL refused for good. */
  restore(committed: TenderState, marks: { audit: number; notifications: number }): void {
    for (const key of Object.keys(this.state)) delete (this.state as unknown as Record<string, unknown>)[key];
    Object.assign(this.state, snapshot(committed));
    this.committed = committed;
    this.recorder.discard(marks);
    this.starts = [];
    this.pendingParts = undefined;
    publishState(this.state);
  }

  /**
   * Back to the last committed state after a command failed half-way (all or nothing): its changes,
   * its audit events, messages and texts are forgotten, as if it had never run.
   */
  undo(committed: TenderState, marks: RecorderMark): void {
    for (const key of Object.keys(this.state)) delete (this.state as unknown as Record<string, unknown>)[key];
    Object.assign(this.state, snapshot(committed));
    this.committed = committed;
    this.recorder.rollback(marks);
    this.starts = [];
    this.pendingParts = undefined;
    publishState(this.state);
  }

  /** A signed rotation added a command key: the chain says which, and who asked. */
  async recordKeyAdded(key: CommandKey, actor: Actor): Promise<void> {
    this.event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey }, undefined);
    await this.commit();
  }

  /** A child's result, awaited before the tender returns; counted as running until it settles. */
  watch(result: Promise<unknown>): void {
    this.runningChildren += 1;
    this.children.push(result.finally(() => (this.runningChildren -= 1)));
  }

  hasRunningChildren(): boolean {
    return this.runningChildren > 0 || this.starts.length > 0;
  }

  /**
   * A tender that ends (cancelled) withdraws the invitations still running, and waits for its
   * children's results: explicit, rather than relying on the parent-close policy alone.
   */
  async withdrawInvitations(): Promise<void> {
    this.invitations?.cancel();
    await Promise.allSettled(this.children);
  }

  // --- phases and gates -------------------------------------------------------------------------

  /**
   * Moves the tender to phase `to`. Entering the phase it is in changes nothing. Any other move must
   * be in the phase map (libs/domain/src/phases.ts): one it does not list is a bug, and the plain
   * Error fails the workflow task (Temporal retries it; a fixed worker resumes the tender) before
   * anything of the move is recorded.
   */
  enter(to: Phase, actor: Actor | null, reason?: string): void {
    const from = this.state.phase;
    if (from === to) return;
    assertMove(from, to);
    const at = this.now();
    const current = this.state.timeline[this.state.timeline.length - 1];
    if (current && !current.leftAt) current.leftAt = at;
    this.state.timeline.push({ phase: to, enteredAt: at });
    this.state.phase = to;
    if (to !== 'published') delete this.state.stage;
    this.event('phase.changed', actor, { from, to }, reason);
  }

  /** Ends the tender cancelled or unsuccessful: timers stop, tenderers hear of it, documentation is due. */
  async end(phase: 'cancelled' | 'unsuccessful', reason: string, actor: Actor | null): Promise<void> {
    const s = this.state;
    const documentation = await this.compute({
      kind: 'documentation',
      rule: 'documentation',
      from: this.now(),
      params: { regime: s.regime },
    });
    this.closeAllDeadlines('dropped');
    s.pendingGates = [];
    s.outcome = { phase, reason, at: this.now(), by: actor ? person(actor) : null };
    s.obligations.push({
      obligation: 'documentation',
      status: 'open',
      dueDay: documentation.lastDay,
      basis: documentation.basis,
    });
    this.setDeadline(documentation);
    this.message(
      'cancellation_notice',
      [
        ...this.tendererRecipients(),
        ...s.participants.filter((b) => b.status === 'joined' || b.status === 'invited').map(bodyAddress),
        `user:${s.createdBy.sub}`,
      ],
      `${s.id}: the procurement is ${phase === 'cancelled' ? 'cancelled (avbruten)' : 'unsuccessful'}`,
      `"${s.title}" ends ${phase}. Reason: ${reason}. Documentation is due by ${documentation.lastDay} (${documentation.basis}).`,
      { topic: 'tender_ended', outcome: phase, reason, deadline: deadlineRef(documentation) },
    );
    this.enter(phase, actor, reason);
  }

  tendererRecipients(): string[] {
    const s = this.state;
    const from = s.tendersReceived.length > 0 ? s.tendersReceived : s.candidates;
    return from.map((t) => `supplier:${t.orgNumber ?? t.supplier}`);
  }

  // --- deadlines --------------------------------------------------------------------------------

  setDeadline(d: ComputedDeadline): void {
    this.closeDeadline(d.kind, 'superseded');
    const deadline: Deadline = { ...d, setAt: this.now() };
    this.state.deadlines.push(deadline);
    this.event('deadline.set', null, deadline, undefined);
  }

  closeDeadline(kind: string, outcome: 'passed' | 'met' | 'superseded' | 'dropped'): Deadline | undefined {
    const i = this.state.deadlines.findIndex((d) => d.kind === kind);
    if (i < 0) return undefined;
    const [d] = this.state.deadlines.splice(i, 1);
    this.state.pastDeadlines.push({ ...d, outcome, closedAt: this.now() });
    return d;
  }

  closeAllDeadlines(outcome: 'met' | 'dropped', keep: string[] = []): void {
    for (const d of [...this.state.deadlines]) if (!keep.includes(d.kind)) this.closeDeadline(d.kind, outcome);
  }

  running(kind: string): Deadline | undefined {
    return this.state.deadlines.find((d) => d.kind === kind);
  }

  lastPast(kind: string): Deadline | undefined {
    return [...this.state.pastDeadlines].reverse().find((d) => d.kind === kind);
  }

  /** A deadline from the rules library (working days and holidays: behind the deadline activity). */
  async compute(req: DeadlineRequest): Promise<ComputedDeadline> {
    try {
      return await deadlineActivities.computeDeadline(req);
    } catch (err) {
      throw asRefusal(err);
    }
  }

  async computeOptional(req: DeadlineRequest): Promise<ComputedDeadline | null> {
    try {
      return await deadlineActivities.computeOptionalDeadline(req);
    } catch (err) {
      throw asRefusal(err);
    }
  }
}

/** A deadline the rules library could not compute from the command's input is the caller's error. */
function asRefusal(err: unknown): unknown {
  if (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'DeadlineInputError'
  ) {
    const details = (err.cause.details?.[0] ?? {}) as { field?: string };
    return toFailure(refuse('BadRequest', err.cause.message, details.field ? { field: details.field } : {}));
  }
  return err;
}
