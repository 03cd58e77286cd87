import type { Gate } from '@tenderflow/domain/types';
import type { GateEligibility, PersonRef } from './tender-types';

/** What a message names: a deadline and a contract milestone (activities' notifications and the templates). */
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

export interface NotificationInput {
  /** Unique per message, e.g. `${workflowId}:award_notice:3`. */
  key: string;
  tenderId: string;
  kind:
    | 'invitation'
    | 'reminder'
    | 'escalation'
    | 'award_notice'
    | 'cancellation_notice'
    | 'publication'
    | 'gate_request'
    | 'other';
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

/**
 * The facts of a message. `gate_request` also decides who `role:approver@ORG` is: the approvers
 * its `eligibility` admits (the same rule as the inbox).
 */
export type NotificationAbout =
  | {
      topic: 'gate_request';
      gate: Gate;
      since: string;
      requestedBy: PersonRef;
      reason?: string;
      eligibility: GateEligibility;
    }
  | {
      topic: 'gate_escalated';
      gate: Gate;
      since: string;
      requestedBy: PersonRef;
      eligibility: GateEligibility;
      unreachable: PersonRef[];
    }
  | { topic: 'changes_requested'; gate: Gate; comment: string; by: PersonRef }
  | { topic: 'conflict_declared'; evaluator: PersonRef }
  | { topic: 'tender_ended'; outcome: 'cancelled' | 'unsuccessful'; reason: string; deadline: DeadlineRef }
  | { topic: 'deadline_overdue'; deadline: DeadlineRef }
  | {
      topic: 'joint_invitation';
      body: { organization: string; name: string };
      invitingOrganization: string;
      deadline: DeadlineRef;
      reminder: boolean;
    }
  | { topic: 'milestone_due'; milestone: MilestoneRef; deadline: DeadlineRef }
  | { topic: 'milestone_overdue'; milestone: MilestoneRef; deadline: DeadlineRef; escalation: number }
  | {
      topic: 'milestone_deviation';
      milestone: MilestoneRef;
      note: string;
      by: PersonRef;
      correctiveAction: MilestoneRef;
      deadline: DeadlineRef;
    }
  | {
      topic: 'contract_extended';
      contractId: string;
      supplier: string;
      from: string;
      to: string;
      months: number;
      note: string;
    }
  | { topic: 'contract_ends'; contractId: string; supplier: string; endDate: string; note: string };
