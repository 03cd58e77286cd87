import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';
import type { FollowUpFrequency, FollowUpMethod, RequirementKind } from '@tenderflow/domain/requirements';
import type { ChangeGround, SubstantialTests } from '@tenderflow/domain/contract-changes';
import type { ContractSanction, SanctionDecision } from '@tenderflow/domain/contract-sanctions';
import type { DelegationItem } from '@tenderflow/domain/delegation';
import type { FollowUpPlanItem } from '@tenderflow/domain/policy';
import type { ContractType, Criticality, IsoDate, Procedure, Regime } from '@tenderflow/domain/types';
import type { CommandRecord, ContractPayload, PersonRef } from './common-types';
import type { CommandKey } from './command-types';

/**
 * The contract follow-up workflow's (`contract-<id>`, ARCHITECTURE §3 follow_up) start input, state and
 * payload types: plain types, for the API, the worker's activities and the workflows. The
 * messages are workflows/contract/contract.messages.ts.
 */

export const MILESTONE_KINDS = [
  'startup_meeting',
  'periodic_review',
  'labour_conditions_check',
  'sustainability_check',
  'extension_decision',
  'reprocurement_start',
  'post_award_notice',
  'documentation',
  'corrective_action',
  /** A line of the follow-up plan registered with the documents (policy followUpPlanRequired), recurring. */
  'planned_follow_up',
  /** A control of a contract condition or a requirement marked for follow-up in the requirements register. */
  'control',
  /** The notice of a change made under 17 kap. 11 or 12 § LOU (17 kap. 16 §). */
  'modification_notice',
  /** The decision on a declared sanction after a major or critical deviation (issue 31). */
  'sanction_decision',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** The policy splits responsibility: the procurement department or the unit that uses the contract. */
export type OwnerSide = 'procurement' | 'using_unit';

/** scheduled → overdue (escalated weekly) → done; an extension decision not taken by the end lapses. */
export type MilestoneStatus = 'scheduled' | 'overdue' | 'done' | 'lapsed';
export const MILESTONE_OUTCOMES = ['ok', 'deviation'] as const;
export type MilestoneOutcome = (typeof MILESTONE_OUTCOMES)[number];
/** How grave a deviation is: a control's deviation says it (issue 31). */
export const DEVIATION_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type DeviationSeverity = (typeof DEVIATION_SEVERITIES)[number];
/** The latest a corrective action may be set after the deviation is recorded. */
export const CORRECTIVE_ACTION_MAX_DAYS = 365;

/** Policy defaults (P, ARCHITECTURE §3), configurable per organisation through TenderPolicy.followUp. */
export interface FollowUpPolicy {
  /** The start-up meeting is held within this many days of the contract's start. */
  startupMeetingDays: number;
  /** Periodic review interval in months; `reviewIntervalMonthsHigh` for high and critical supply criticality. */
  reviewIntervalMonths: number;
  reviewIntervalMonthsHigh: number;
  /** Labour-conditions check (when required) and sustainability check (when criteria were set): months between checks. */
  labourConditionsCheckMonths: number;
  sustainabilityCheckMonths: number;
  /** The extension decision is due this many months before the current end (while options remain). */
  extensionDecisionMonthsBeforeEnd: number;
  /** Re-procurement starts this many months before the final end. */
  reprocurementMonthsBeforeEnd: number;
  /** A reminder goes to the owner side this many days before a milestone is due. */
  reminderDays: number;
  /** An overdue milestone is escalated to the category manager, and again every this many days until done. */
  escalationIntervalDays: number;
  /** A deviation creates a corrective-action milestone due this many days later. */
  correctiveActionDays: number;
  /** The notice of a change under 17 kap. 11 or 12 § LOU is due this many days after the change (LOU sets no limit). */
  modificationNoticeDays: number;
  /** A major or critical deviation on a contract with sanctions puts the sanction to a decision due this many days later. */
  sanctionDecisionDays: number;
}

export const DEFAULT_FOLLOW_UP_POLICY: Readonly<FollowUpPolicy> = Object.freeze({
  startupMeetingDays: 30,
  reviewIntervalMonths: 6,
  reviewIntervalMonthsHigh: 3,
  labourConditionsCheckMonths: 12,
  sustainabilityCheckMonths: 12,
  extensionDecisionMonthsBeforeEnd: 6,
  reprocurementMonthsBeforeEnd: 12,
  reminderDays: 14,
  escalationIntervalDays: 7,
  correctiveActionDays: 30,
  modificationNoticeDays: 30,
  sanctionDecisionDays: 30,
});

export interface MilestoneCompletion {
  outcome: MilestoneOutcome;
  note: string;
  by: PersonRef;
  at: string;
  reference?: string;
  /** Extension decision: whether an option was used, and for how many months. */
  extend?: boolean;
  months?: number;
  /** Re-procurement start: the new tender. */
  successorTenderId?: string;
  /** Deviation: how grave it is, and the corrective-action milestone it created. */
  severity?: DeviationSeverity;
  correctiveActionId?: string;
  /** A direct award's documentation: its record is in the chain (`contract.direct_award_documented`). */
  documentationRecorded?: boolean;
  /** Deviation: the sanction decision it put before the deciders. */
  sanctionDecisionId?: string;
  /** sanction_decision: what was decided, at which value, and under which authority. */
  sanction?: SanctionDecision & {
    /** The value the decision was taken at (contract-sanctions.ts sanctionDecisionValue). */
    valueSek: number;
    /** The delegation order's item and the decider's function, or the policy's approver rule. */
    authority: SanctionAuthority;
  };
}

/** Under what a sanction was decided: an item of the delegation order, or the policy (an approver within their limit). */
export type SanctionAuthority =
  | {
      order: number;
      item: string;
      function: string;
      via: 'delegate' | 'further' | 'substitute';
      asSubstituteFor?: PersonRef;
    }
  | { policy: 'approver'; approvalLimitSek: number };

/** The contract's declared sanctions and, when the tender pinned them, the delegation order's items that decide them. */
export interface ContractSanctions {
  declared: ContractSanction[];
  delegation?: { version: number; items: DelegationItem[] };
}

/**
 * A control planned from the requirements register when the contract is registered (issue 31): a
 * contract condition, or any requirement marked for follow-up, checked by its method, as often as
 * the register says, by the side it names. Its text and the evidence asked for stay in the tender's
 * read model under the requirement's id.
 */
export interface ContractControl {
  requirementId: string;
  kind: RequirementKind;
  method: FollowUpMethod;
  frequency: FollowUpFrequency;
  owner: OwnerSide;
  lot?: string;
  /** Upphandlingsmyndigheten's criterion id, for a sustainability requirement. */
  criterionId?: string;
}

export interface Milestone {
  /** M1, M2, … in the order the plan created them; never reused. */
  id: string;
  kind: MilestoneKind;
  title: string;
  owner: OwnerSide;
  /** The last day (Swedish date); the milestone is overdue after its end. */
  dueDate: IsoDate;
  /** 23:59:59 Stockholm time on dueDate, UTC ISO. */
  dueAt: string;
  /** 08:00 Stockholm time, `reminderDays` before dueDate (sent at once if that has passed but the due date has not); null without reminders. */
  remindAt: string | null;
  /** Why this milestone exists and how its date was computed. */
  basis: string;
  status: MilestoneStatus;
  remindedAt?: string;
  escalations: number;
  lastEscalatedAt?: string;
  /** corrective_action: the milestone whose deviation it corrects. */
  correctiveFor?: string;
  /** control: the requirement it checks, by which method (and the sustainability criterion's id). */
  control?: { requirementId: string; method: FollowUpMethod; criterionId?: string };
  /** sanction_decision: the milestone whose deviation it decides on, its severity, and who recorded it (not the decider: four eyes). */
  sanctionFor?: { milestoneId: string; severity: DeviationSeverity; recordedBy: PersonRef };
  completion?: MilestoneCompletion;
}

/** A body the contract covers: the organisation that procured it, and the bodies that joined. */
export interface ContractBuyer {
  organization: string;
  name: string;
  role: 'lead' | 'participant';
  estimatedVolume?: string;
  mandateReference?: string;
}

export interface ContractStartInput {
  contractId: string;
  tenderId: string;
  tenderWorkflowId: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  regime: Regime;
  procedure: Procedure;
  frameworkAgreement: boolean;
  /** The tender's estimated value (whole term incl. options): what a re-procurement starts from. */
  estimatedValueSek: number;
  contractTermMonths?: number;
  contract: ContractPayload;
  buyers: ContractBuyer[];
  /** From the needs analysis: they decide the review interval and which checks are planned. */
  criticality: Criticality;
  labourConditionsRequired: boolean;
  sustainabilityCriteria: string[];
  /** Statutory duties after signing, computed by the tender with the rules library (working days). */
  obligations: { kind: 'post_award_notice' | 'documentation'; lastDay: IsoDate; basis: string }[];
  /** 'direct_award': the documentation milestone needs the direct award's record (19 a kap. 11 § LOU). */
  documentationRecord?: 'direct_award';
  policy?: Partial<FollowUpPolicy>;
  /** The follow-up plan decided with the requirements: each line recurs as a milestone of its owner side. */
  followUpPlan?: FollowUpPlanItem[];
  /** The register's contract conditions and requirements marked for follow-up: each a control (issue 31). */
  controls?: ContractControl[];
  /** The threshold of 5 kap. 1 § LOU in SEK the tender was classified under, when confirmed: the low-value changes' limit (17 kap. 9 §). */
  thresholdSek?: number | null;
  /** The delegation order's `contract_sanction` items the tender pinned at its start: who decides a sanction. */
  sanctionDelegation?: { version: number; items: DelegationItem[] };
  registeredBy: PersonRef & { org: string };
  registeredAt: string;
  /** Continue-as-new: the state carried over from the previous run. Absent on the first run. */
  carried?: ContractState;
  /** The tender's command keys (tender.messages TenderStartInput.commandKeys), and any added since. */
  commandKeys: CommandKey[];
}

export interface ContractExtension {
  milestoneId: string;
  extend: boolean;
  months: number;
  from: IsoDate;
  to: IsoDate;
  decidedBy: PersonRef;
  at: string;
}

/** A change registered against the contract under 17 kap. 9–14 §§ LOU (issue 31). */
export interface ContractChange {
  /** C1, C2, … in order. */
  id: string;
  ground: ChangeGround;
  paragraph: string;
  valueChangeSek: number;
  valueAfterSek: number;
  description: string;
  clauseReference?: string;
  newSupplier?: string;
  /** The milestone of the notice due under 17 kap. 16 § LOU. */
  noticeMilestoneId?: string;
  by: PersonRef;
  at: string;
}

/** The most changes a contract records (a register, each checked against the ones before). */
export const MAX_CONTRACT_CHANGES = 50;

export interface RegisterChangePayload {
  ground: ChangeGround;
  /** Whole SEK excluding VAT: positive an increase, negative a decrease, 0 none. */
  valueChangeSek: number;
  overallNatureChanged: boolean;
  description: string;
  clauseReference?: string;
  newSupplier?: string;
  substantial?: SubstantialTests;
  /** 17 kap. 15 §: the value before the change under the contract's indexation clause. */
  indexedValueSek?: number;
}

export interface ContractState {
  id: string;
  workflowId: string;
  tenderId: string;
  title: string;
  organization: string;
  category: string;
  supplier: string;
  valueSek: number;
  signedAt: IsoDate;
  startDate: IsoDate;
  originalEndDate: IsoDate;
  /** The current end: moves with every extension used. */
  endDate: IsoDate;
  /** Option months not yet used or declined. 0 when the end is final. */
  optionMonthsRemaining: number;
  /** The latest the contract can run: endDate + optionMonthsRemaining. */
  latestEndDate: IsoDate;
  extensions: ContractExtension[];
  /** Changes registered under 17 kap. LOU; absent until the first. */
  changes?: ContractChange[];
  /** The sanctions the contract declares, and who decides them; absent when it declares none. */
  sanctions?: ContractSanctions;
  /** A termination decided as a sanction: the day the contract ended early. */
  terminatedOn?: IsoDate;
  buyers: ContractBuyer[];
  criticality: Criticality;
  /** 'direct_award': the documentation milestone is completed with the direct award's record (19 a kap. 11 § LOU). */
  documentationRecord?: 'direct_award';
  policy: FollowUpPolicy;
  /** active: running; ended: past its end, milestones still open; completed: follow-up done. */
  status: 'active' | 'ended' | 'completed';
  milestones: Milestone[];
  successorTenderId?: string;
  commands: CommandRecord[];
  /**
   * Recurring milestones are planned up to here (a rolling horizon: the end of the next contract
   * year, at most the current end), and the plan moves on with each contract year. Absent in
   * contracts registered before: their plan reaches the end.
   */
  plannedUntil?: IsoDate;
  /** Continue-as-new: the contract year this run covers (0 = until the first anniversary of the start) and earlier runs. */
  cycle: number;
  runs: number;
  /** Deterministic counters carried across runs (audit sequence, notification keys, milestone ids). */
  counters: { audit: number; notifications: number; milestones: number };
  createdAt: string;
  endedAt?: string;
  completedAt?: string;
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
}

export interface ContractOutcome {
  contractId: string;
  endDate: IsoDate;
  extensions: ContractExtension[];
  successorTenderId?: string;
  milestones: { total: number; deviations: number; lapsed: number };
  completedAt: string;
}

export interface CompleteMilestonePayload {
  milestoneId: string;
  outcome: MilestoneOutcome;
  note: string;
  reference?: string;
  /**
   * The documentation milestone of a direct award above 100 000 SEK (19 a kap. 11 § LOU, from rule set
   * LOU-2026.3): the record, required before the milestone is completed. Written to the audit chain
   * (`contract.direct_award_documented`), not kept in the contract's state.
   */
  directAwardDocumentation?: DirectAwardDocumentation;
  /** extension_decision only: use an option (true) or let the contract end (false). */
  extend?: boolean;
  /** extension_decision with extend: months to extend by, within the remaining options (default: the next option). */
  months?: number;
  /** A deviation only: how grave it is (required for a control's). */
  severity?: DeviationSeverity;
  /** A deviation only: the day the supplier's corrective action is due (default: the policy's days after today). */
  correctiveDueDate?: IsoDate;
  /** sanction_decision only: impose a declared sanction or refrain. */
  sanction?: SanctionDecision;
  /**
   * Set by the API, never by the caller: the decider's authority today under the delegation order's
   * item for a sanction decision (from the directory), which the workflow checks against the items
   * the contract pinned.
   */
  authority?: {
    item: string;
    function: string;
    via: 'delegate' | 'further' | 'substitute';
    asSubstituteFor?: PersonRef;
  };
}
