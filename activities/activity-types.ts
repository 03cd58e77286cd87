/**
 * Payloads that workflows hand to activities for the audit log and the notification outbox.
 * Both are written idempotently: (workflowId, seq) and `key` are unique.
 */
import type { AuditEventInput } from '@tenderflow/db/audit-chain';
import type { Gate } from '@tenderflow/domain/types';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { PartsDelta } from '@tenderflow/temporal-common/state-parts';
import type { GateEligibility, PersonRef, TenderState } from '@tenderflow/temporal-common/tender-types';

export type { AuditEventInput };

export interface NotificationInput {
  /** Unique per message, e.g. `${workflowId}:award_notice:3`. */
  key: string;
  tenderId: string;
  kind: 'invitation' | 'reminder' | 'escalation' | 'award_notice' | 'cancellation_notice' | 'publication' | 'gate_request' | 'other';
  /**
   * Symbolic recipients, resolved against the directory of people when the message is queued:
   * `user:<sub>`, `role:<role>@<ORG>`, `role:category_manager@<ORG>#<category>`, `email:<address>`,
   * `org:<ORG>` (the body's partners), `supplier:<id>`, `adverts:<database>`.
   */
  recipients: string[];
  /** The message in short English words: the log's line, and the text of a message without `about`. */
  subject: string;
  body: string;
  /** What the message is about, as data: the templates write each recipient's e-mail from it. */
  about?: NotificationAbout;
  /**
   * The tender as the workflow knows it now. A command can reach a new tender before its first
   * read-model row is written, so the outbox does not rely on that row for what a message says.
   */
  tender?: { title: string; organization: string; category: string; estimatedValueSek: number };
}

/** A deadline as a message names it. */
export interface DeadlineRef {
  kind: string;
  /** The last day, YYYY-MM-DD (Swedish calendar). */
  lastDay: string;
  /** The instant the deadline passes, UTC ISO, when known. */
  at?: string;
  basis: string;
}

export interface MilestoneRef {
  contractId: string;
  supplier: string;
  id: string;
  title: string;
  owner: 'procurement' | 'using_unit';
}

/**
 * The facts of a message. `gate_request` also decides who `role:approver@ORG` is: the approvers
 * its `eligibility` admits (the same rule as the inbox).
 */
export type NotificationAbout =
  | { topic: 'gate_request'; gate: Gate; since: string; requestedBy: PersonRef; reason?: string; eligibility: GateEligibility }
  | { topic: 'gate_escalated'; gate: Gate; since: string; requestedBy: PersonRef; eligibility: GateEligibility; unreachable: PersonRef[] }
  | { topic: 'changes_requested'; gate: Gate; comment: string; by: PersonRef }
  | { topic: 'conflict_declared'; evaluator: PersonRef }
  | { topic: 'tender_ended'; outcome: 'cancelled' | 'unsuccessful'; reason: string; deadline: DeadlineRef }
  | { topic: 'deadline_overdue'; deadline: DeadlineRef }
  | { topic: 'joint_invitation'; body: { organization: string; name: string }; invitingOrganization: string; deadline: DeadlineRef; reminder: boolean }
  | { topic: 'milestone_due'; milestone: MilestoneRef; deadline: DeadlineRef }
  | { topic: 'milestone_overdue'; milestone: MilestoneRef; deadline: DeadlineRef; escalation: number }
  | { topic: 'milestone_deviation'; milestone: MilestoneRef; note: string; by: PersonRef; correctiveAction: MilestoneRef; deadline: DeadlineRef }
  | { topic: 'contract_extended'; contractId: string; supplier: string; from: string; to: string; months: number; note: string }
  | { topic: 'contract_ends'; contractId: string; supplier: string; endDate: string; note: string };

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
