/**
 * Payloads that workflows hand to activities for the audit log and the notification outbox.
 * Both are written idempotently: (workflowId, seq) and `key` are unique.
 */
import type { AuditEventInput } from '@tenderflow/db/audit-chain';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { PartsDelta } from '@tenderflow/temporal-common/state-parts';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';

export type { AuditEventInput };

export type {
  DeadlineRef,
  MilestoneRef,
  NotificationAbout,
  NotificationInput,
} from '@tenderflow/temporal-common/message-refs';
import type { NotificationAbout, NotificationInput } from '@tenderflow/temporal-common/message-refs';

export type NotificationTopic = NotificationAbout['topic'];

/**
 * The tender's read-model row: the columns the list, the inbox and the calendar filter on, and the
 * current deadlines only (the next one is a column). Bounded: no texts, no collections that grow.
 */
export type TenderRow = Pick<
  TenderState,
  | 'id'
  | 'workflowId'
  | 'title'
  | 'organization'
  | 'category'
  | 'contractType'
  | 'regime'
  | 'procedure'
  | 'estimatedValueSek'
  | 'phase'
  | 'ruleSet'
  | 'threshold'
  | 'deadlines'
  | 'createdBy'
  | 'version'
  | 'createdAt'
  | 'timeline'
  | 'gateDecisions'
  | 'pendingGates'
  | 'previousTenderId'
  | 'policyVersion'
>;

/**
 * A read-model snapshot, by the kind of workflow that keeps it. Written only when its version is newer.
 * A tender's step carries its row and the parts of its state that changed (state-parts.ts), never
 * the whole state; `{ kind: 'tender', state }` is the shape of steps scheduled before that, which a
 * worker may still be asked to run.
 */
export type SnapshotInput =
  | {
      kind: 'tender-parts';
      row: TenderRow;
      parts: PartsDelta;
      /** The version the parts differ from (absent for a full write). */
      base?: number;
    }
  | { kind: 'tender'; state: TenderState }
  | { kind: 'contract'; state: ContractState };

/** Content a step writes beside the state (a question's text): upserted by (tender, ref). */
export interface StepText {
  tenderId: string;
  /** e.g. `question:Q17`, `answer:Q17`. */
  ref: string;
  body: Record<string, unknown>;
}

/**
 * Everything one step of a workflow writes: its audit events, its outbox rows and its read-model
 * snapshot, committed together in one transaction (activities/commit.activities.ts).
 */
export interface StepCommit {
  workflowId: string;
  events: AuditEventInput[];
  notifications: NotificationInput[];
  texts?: StepText[];
  snapshot?: SnapshotInput;
}

/**
 * What a commit tells its workflow: `resync` when the read model did not take the step's parts (it
 * does not hold the version they are a difference from: a reset, a write lost to an older run), so
 * that the workflow's next step writes its whole state. Recorded in history: replay is unchanged.
 */
export interface CommitResult {
  resync?: boolean;
}

export interface CommitActivities {
  commitStep(step: StepCommit): Promise<CommitResult | void>;
}
