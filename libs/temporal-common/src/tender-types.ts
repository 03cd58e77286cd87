import type { AssessmentResult } from '@tenderflow/domain/assessment';
import type { FlagCode } from '@tenderflow/domain/red-flags';
import type { RequirementFollowUp, RequirementKind, RequirementScoring } from '@tenderflow/domain/requirements';
import type {
  Actor,
  ContractType,
  Gate,
  GateDecision,
  IsoDate,
  Phase,
  Procedure,
  Regime,
  Role,
  NoticeChannel,
  ReviewOutcome,
} from '@tenderflow/domain/types';
import type { RowRef } from '@tenderflow/domain/classification';
import type { WithoutNoticeGround } from '@tenderflow/domain/procedures';
import type { FollowUpPlanItem, GroupActivity, PolicyRules } from '@tenderflow/domain/policy';
import type { DelegationItem } from '@tenderflow/domain/delegation';
import type { DelegatedAuthority, DelegationPin } from '@tenderflow/domain/delegation-authority';
import type { ContractOutcome, FollowUpPolicy } from './contract-types';
import type { CommandKey } from './command-types';
import type { CommandRecord, ContractPayload, PersonRef } from './common-types';
import type {
  AbnormallyLowTender,
  InvitedBody,
  NeedsAnalysisPayload,
  ProcurementDocument,
  Proposal,
  TenderPrice,
} from './tender-payloads';

export type { CommandRecord, ContractOption, ContractPayload, PersonRef, Subcontracting } from './common-types';

/**
 * The tender workflow's start input and state (and, re-exported, its command payloads and refusal
 * types from tender-payloads.ts): plain types, so that the API, the worker's activities and the
 * workflows may all import them. The messages themselves (Updates, the Query) are
 * workflows/tender/tender.messages.ts.
 */

/** The threshold row a tender was classified by (the provenance fields of libs/domain's RowRef). */
export type ThresholdRef = Pick<RowRef, 'id' | 'validFrom' | 'validTo' | 'sek' | 'eur' | 'confirmed' | 'source'>;

/** Everything the workflow needs to start; classification is done by the API before starting. */
export interface TenderStartInput {
  id: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  regime: Regime;
  procedure: Procedure;
  frameworkAgreement: boolean;
  contractTermMonths?: number;
  extensionOptionMonths: number;
  electronicSubmission: boolean;
  invitedBodies: InvitedBody[];
  threshold: ThresholdRef;
  ruleSet: string;
  createdBy: Actor;
  createdAt: string;
  /** Framework call-offs: hold a voluntary standstill after the award decision (P, default true). */
  callOffStandstill?: boolean;
  /** The organisation's policy (P) in force at creation, pinned for the tender's life; absent rules take the defaults (libs/domain policy.ts). */
  policy?: TenderPolicy;
  /** The version of the policy pinned in `policy`, e.g. `REGION@3/BOLAG@1` (the group's version, then the company's). */
  policyVersion?: string;
  /** The category as registered for the organisation, when it is: its name and category manager. */
  categoryInfo?: CategoryInfo;
  /**
   * The organisation's delegation order in force at creation, as far as this tender's gates go (issue
   * 29): pinned like the policy. Absent when the organisation had adopted none: the gates then take
   * an approver whose token's limit covers the value.
   */
  delegation?: DelegationPin;
  /** A re-procurement: the tender whose contract this one replaces. */
  previousTenderId?: string;
  /**
   * The public keys whose signatures the tender (and its children) accept on commands, pinned at
   * start (command-signature.ts). Absent only in tenders started before commands were signed.
   */
  commandKeys: CommandKey[];
  /**
   * Under 19 kap. (below the threshold, bilaga 2 services): how the authority's own procedure is
   * organised, as described in the procurement documents (19 kap. 9 § LOU).
   */
  procedureDescription?: string;
  /** The recorded ground of a negotiated procedure or dialogue (6 kap.), for the documentation and the individual report. */
  negotiationGround?: string;
  /**
   * An award without prior notice above the direct-award limit: the statute's ground (6 kap. 12–19 §§,
   * or 19 a kap. 3–6 §§ as a direct award). Absent within the limit, and in tenders before LOU-2026.3.
   */
  withoutNoticeGround?: WithoutNoticeGround;
  /** A call-off with renewed competition (7 kap. 7–8 §§ LOU): its individual report is required. */
  renewedCompetition?: boolean;
  /**
   * A run continued as new (tender.workflow.ts): the state it left and the recorder's counters, so
   * the audit numbering goes on. Absent in a tender's first run.
   */
  resumed?: TenderResumption;
  /**
   * When a run continues as new: at this many history events (default 4 000, tender.workflow.ts) or
   * when Temporal suggests it. The API never sets it; replay recordings and operators' tests lower it.
   */
  historyEventsBudget?: number;
}

export interface TenderResumption {
  state: TenderState;
  counters: { audit: number; notifications: number };
  /** How many runs the tender has had before this one. */
  runs: number;
  /** The read model holds the whole state as parts: the run sends only what it changes (else it writes them all first). */
  complete: boolean;
}

/** The policy's rules (libs/domain policy.ts: questionCutoffDays, dualApprovalFromSek, …), and the follow-up intervals. */
export interface TenderPolicy extends Partial<PolicyRules> {
  /** Contract follow-up: milestone intervals, reminders, escalation (contract.messages DEFAULT_FOLLOW_UP_POLICY). */
  followUp?: Partial<FollowUpPolicy>;
}

export interface CategoryInfo {
  code: string;
  name: string;
  manager: PersonRef | null;
}

// --- state ------------------------------------------------------------------------------------

export interface Deadline {
  /** What the tender calls it: tender_deadline, request_deadline, question_cutoff, latest_answer,
   * opening_due, standstill, review_hold, post_award_notice, documentation, coordination_response,
   * coordination_reminder. */
  kind: string;
  /** The instant the timer fires (end of the last day, Swedish time), UTC ISO. */
  at: string;
  lastDay: IsoDate;
  /** The law or policy it comes from, as the rules library words it. */
  basis: string;
  from?: IsoDate;
  days?: number;
  moved?: boolean;
  /** When the tender set or last moved it. */
  setAt?: string;
}

export interface PastDeadline extends Deadline {
  outcome: 'passed' | 'met' | 'superseded' | 'dropped';
  closedAt: string;
}

/** Who may decide a pending gate, as data (for the approvals inbox) and in words. */
export interface GateEligibility {
  role: Role;
  organization: string;
  minApprovalLimitSek: number;
  /** subs that may not decide: the requester (four-eyes) and every evaluator of this tender. */
  excluded: string[];
}

export interface PendingGate {
  gate: Gate;
  requestedBy: PersonRef;
  since: string;
  /** Who may decide: the rule in words, for the inbox and the UI. */
  mayDecide: string;
  eligibility: GateEligibility;
  /** The request's reason (cancellation) or what is to be decided. */
  reason?: string;
  /** Dual approval (policy dualApprovalFromSek): how many distinct approvers the gate needs, and who has approved so far. */
  approvalsRequired?: number;
  approvals?: { by: PersonRef; at: string; comment?: string; delegation?: DelegatedDecisionRecord }[];
  /** Under the delegation order: the item that decides the gate, and what it was asked with. */
  delegation?: PendingDelegation;
}

/** The delegation order's item a pending gate goes to (issue 29). */
export interface PendingDelegation {
  /** The order's version the tender pinned. */
  version: number;
  /** The level: the first item whose limit covers the value and that had somebody present to decide. */
  item: DelegationItem;
  /** Its limit in SEK on the day the gate was asked for (absent: no limit). */
  limitSek?: number;
  /** Lower levels passed over because nobody eligible was present when the gate was asked for (item ids). */
  passedOver?: string[];
  /** No item of the order covers the value: the board decides (`item` is the highest one, for its wording). */
  board?: true;
}

/** The authority a gate was decided with under the delegation order, as recorded (issue 29). */
export interface DelegatedDecisionRecord {
  version: number;
  item: string;
  function: string;
  via: DelegatedAuthority['via'];
  /** A substitute: whom they stood in for. */
  asSubstituteFor?: PersonRef;
  /** Lower levels the gate passed over for having nobody present. */
  passedOver?: string[];
  /** Whether the order reports the decision to the board (anmälan av delegationsbeslut). */
  reportToBoard: boolean;
}

export interface TimelineEntry {
  phase: Phase;
  enteredAt: string;
  leftAt?: string;
}

export interface Participant {
  organization: string;
  name: string;
  contactEmail?: string;
  /** not_joined: no answer by the response deadline. */
  status: 'invited' | 'joined' | 'declined' | 'not_joined';
  answeredAt?: string;
  answeredBy?: PersonRef;
  estimatedVolume?: string;
  mandateReference?: string;
  /** Why the body declined. */
  declineReason?: string;
  /** Where its texts are (tender-texts.ts `contentRef`): in the read model, not the workflow's state; the API fills them in. */
  textRef?: string;
  /** The body's coordination workflow (coordination-<tenderId>-<org>). */
  workflowId?: string;
}

/**
 * A requirement of the register as the workflow keeps it: what the rules and the follow-up read. Its
 * text, reference and follow-up evidence are in the read model (tender_texts, `requirementTextRef`);
 * GET /tenders/{id}/requirements fills them in.
 */
export interface Requirement {
  id: string;
  kind: RequirementKind;
  lot?: string;
  sustainabilityCriterionId?: string;
  /** `evidence` is text: filled in from the read model. */
  followUp?: Omit<RequirementFollowUp, 'evidence'> & { evidence?: string };
  scoring?: RequirementScoring;
  registeredBy: PersonRef;
  registeredAt: string;
  /** Taken out of the register before the documents were approved (kept: the chain has it). */
  withdrawn?: { by: PersonRef; at: string };
  /** Filled in from the read model. */
  text?: string;
  reference?: string;
  withdrawalReason?: string;
}

export interface Question {
  id: string;
  /** The text: in the read model (tender_texts), not in the workflow's state; the API fills it in. */
  question?: string;
  askedBy?: string;
  receivedAt: string;
  registeredBy: PersonRef;
  /** The text: in the read model (tender_texts), not in the workflow's state; the API fills it in. */
  answer?: string;
  answeredAt?: string;
  answeredBy?: PersonRef;
  /** The answer came later than six days before the deadline, which was extended (12 kap. 11 § LOU). */
  forcedExtension?: boolean;
}

export interface TenderReceived {
  supplier: string;
  orgNumber?: string;
  /** The tenderer's contact address for the award decision notice. */
  contactEmail?: string;
  receivedAt: string;
  lots?: string[];
  /** The prices read out at the opening, per lot (none: not recorded). */
  prices?: TenderPrice[];
  /** Received after the deadline: recorded, but not evaluated. */
  late: boolean;
}

/**
 * The assessment of a tender (issue 30, part 2) as the workflow keeps it: the facts its rules read.
 * The notes, the abnormally low price's explanation and reasons, and a rejection's reason are in
 * the read model (`textRef`), laid over it when the state is read.
 */
export interface TenderAssessment {
  supplier: string;
  exclusion: { groundFound: boolean; note?: string };
  qualification: { met: boolean; note?: string };
  requirements: { requirementId: string; met: boolean; note?: string }[];
  abnormallyLow?: {
    lot?: string;
    explanationRequestedOn: string;
    explanationReceivedOn?: string;
    outcome: 'accepted' | 'rejected';
    explanation?: string;
    reason?: string;
  }[];
  result: AssessmentResult;
  reason?: string;
  assessedBy: PersonRef;
  assessedAt: string;
  textRef?: string;
}

/**
 * An evaluator's score sheet for one tender and lot (issue 30, part 3): the state keeps that it
 * exists (the consensus waits for every evaluator's); the scores and notes are the evaluator's
 * own, in the read model, shown to the other evaluators only once the consensus is recorded.
 */
export interface ScoreSheet {
  supplier: string;
  lot?: string;
  evaluator: PersonRef;
  at: string;
  /** The scores and notes, in the read model. */
  textRef?: string;
}

/** The consensus scores of one tender and lot: what the ranking reads. The reason and the notes are in the read model. */
export interface ConsensusScore {
  supplier: string;
  lot?: string;
  /** By criterion id. */
  scores: Record<string, number>;
  decidedBy: PersonRef;
  at: string;
  /** The reason and notes, in the read model (filled in from it when the state is read). */
  textRef?: string;
  reason?: string;
  /** By criterion id. */
  notes?: Record<string, string>;
}

/** A lot's ranking as the evaluation computed it from the register, the prices and the consensus. */
/** A decision document the workflow issued (`document.issued`): where it is kept and its digest. */
export interface DecisionDocumentRecord {
  kind: 'opening_protocol' | 'evaluation_report';
  /** The document in the read model (tender_texts). */
  ref: string;
  /** SHA-256 (hex) of the document's canonical JSON. */
  sha256: string;
  issuedAt: string;
}

/** An award decision notice issued to one tenderer (libs/domain award-notice.ts; `award.notice_issued`). */
export interface AwardNoticeRecord {
  /** 1, 2, …: the tenderer's place in the opening's list. */
  n: number;
  supplier: string;
  orgNumber?: string;
  outcome: 'awarded' | 'not_awarded' | 'rejected' | 'late';
  /** The document in the read model (tender_texts). */
  ref: string;
  /** SHA-256 (hex) of the document's canonical JSON. */
  sha256: string;
  /** Where it was sent: email:<contact address>, or supplier:<id> when the opening named none. */
  recipient: string;
}

export interface LotRankingRecord {
  lot?: string;
  model: 'lowest_price' | 'weighted' | 'value_deduction';
  ranked: {
    supplier: string;
    rank: number;
    priceSek: number;
    total?: number;
    comparisonPriceSek?: number;
    tied?: boolean;
  }[];
  winner?: string;
  /** A tie at the first place left to lots: the proposal names the tender the drawing gave. */
  undecidedTie?: string[];
}

export interface Evaluator {
  sub: string;
  name: string;
  appointedBy: PersonRef;
  appointedAt: string;
  /** removed: declared a conflict of interest and cannot take part. */
  status: 'appointed' | 'declared' | 'removed';
  declaration?: { hasConflict: boolean; statement: string; at: string };
}

export interface Review {
  id: string;
  applicant: string;
  court: string;
  reference?: string;
  filedAt: string;
  filedBy: PersonRef;
  status: 'pending' | 'decided';
  outcome?: ReviewOutcome;
  rulingDate?: IsoDate;
  comment?: string;
  /** Where its texts are (tender-texts.ts `contentRef`): in the read model, not the workflow's state; the API fills them in. */
  textRef?: string;
}

export type { ReviewOutcome } from '@tenderflow/domain/types';

export type Obligation = 'post_award_notice' | 'documentation';

export interface ObligationState {
  obligation: Obligation;
  status: 'open' | 'overdue' | 'done';
  dueDay: IsoDate;
  basis: string;
  completedAt?: string;
  completedBy?: PersonRef;
  reference?: string;
}

export interface GateDecisionRecord {
  gate: Gate;
  decision: GateDecision;
  comment?: string;
  requestedBy: PersonRef;
  decidedBy: PersonRef;
  /** The decider's approval limit when deciding (delegation order); the contract is checked against it. */
  approvalLimitSek?: number;
  at: string;
  /** Dual approval: every approver of the decision, the first one first. */
  approvedBy?: PersonRef[];
  /** Under the delegation order: the item, version and, for a substitute, whom they stood in for. */
  delegation?: DelegatedDecisionRecord;
  /** An award approved with red flags raised: the flags, and the decider's written justification. */
  redFlags?: RaisedFlag[];
  justification?: string;
}

/** A red flag raised on the procedure before the award decision (libs/domain red-flags.ts): its code and value. */
export interface RaisedFlag {
  code: FlagCode;
  value: number;
}

export interface TenderState {
  /** Set while the tender's durable writes keep failing; cleared by the next successful write. */
  stalled?: { since: string; activity: string; error: string };
  id: string;
  workflowId: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  regime: Regime;
  procedure: Procedure;
  frameworkAgreement: boolean;
  ruleSet: string;
  threshold: ThresholdRef;
  /** 19 kap.: the procedure as described in the documents (19 kap. 9 § LOU). */
  procedureDescription?: string;
  /** The policy version pinned at creation (absent on tenders started before the policy was data) and its rules. */
  policyVersion?: string;
  policy?: PolicyRules;
  /** The category's name and category manager, when the category is registered. */
  categoryInfo?: CategoryInfo;
  /** The delegation order pinned at creation (its version and the items that may take each gate). */
  delegation?: DelegationPin;
  /** Policy groupCoordinationCheck: what the group had running in the category when the decision to procure was asked for. */
  groupCoordination?: GroupActivity & { checkedAt: string; separateProcurementReason?: string };
  phase: Phase;
  /** Within `published`: requests to participate, selection of candidates, or the tender period. */
  stage?: 'requests' | 'selection' | 'tendering';
  /** Running deadlines (timers armed). Passed, met and moved ones are in `pastDeadlines`. */
  deadlines: Deadline[];
  pastDeadlines: PastDeadline[];
  pendingGates: PendingGate[];
  participants: Participant[];
  lots: { title: string; estimatedValueSek: number }[];
  needsAnalysis?: NeedsAnalysisPayload & { completedBy: PersonRef; completedAt: string; textRef?: string };
  /** The last comment of a request_changes decision, until the phase is redone. */
  changesRequested?: { gate: Gate; comment: string; by: PersonRef; at: string };
  /** `items` are in the read model when `textRef` is set (the workflow keeps `itemCount`); the API fills them in. */
  documents?: {
    items: ProcurementDocument[];
    itemCount?: number;
    followUpPlan?: FollowUpPlanItem[];
    registeredBy: PersonRef;
    registeredAt: string;
    approved: boolean;
    textRef?: string;
  };
  publication?: {
    sentAt: string;
    advertisingDatabase: string;
    noticeReference?: string;
    electronicSubmission: boolean;
    priorInformationNotice: boolean;
    /** The day the prior information notice was sent (11 kap. 5 § andra stycket 2 p. LOU). */
    priorInformationNoticeSentAt?: IsoDate;
    urgent: boolean;
    /** Why urgency shortens the limits (11 kap. 10 § LOU). */
    urgencyJustification?: string;
    /** False: the documents are not available electronically; the tender period is five days longer. */
    documentsAvailableElectronically?: boolean;
  };
  /** The tender period's minimum (never shortened below it) and every extension. */
  tenderPeriod?: {
    minimum?: { lastDay: IsoDate; basis: string };
    extensions: { from: IsoDate; to: IsoDate; reason: string; by: PersonRef | null; at: string; forced: boolean }[];
  };
  candidates: { supplier: string; orgNumber?: string }[];
  /** A call-off with renewed competition (7 kap. 7–8 §§ LOU), from the start input: its individual report is required. */
  renewedCompetition?: boolean;
  /** An award without prior notice above the direct-award limit: the statute's ground (from the start input). */
  withoutNoticeGround?: WithoutNoticeGround;
  /** An award without prior notice: when the chosen suppliers (`candidates`) were invited, and by whom. */
  negotiation?: { invitedAt: string; invitedBy: PersonRef };
  /** A voluntary ex-ante transparency notice and the wait it imposes (20 kap. 3 § LOU). */
  exAnteNotice?: {
    publishedOn: IsoDate;
    advertisingDatabase: string;
    noticeReference?: string;
    supplier: string;
    /** 10 kap. 5 § or 19 a kap. 9 § LOU. */
    paragraph: string;
    /** The last day of the wait: the contract may be signed from the day after. */
    waitLastDay: IsoDate;
    recordedBy: PersonRef;
    recordedAt: string;
  };
  questions: Question[];
  /** The requirements register (issue 30): absent until the first requirement; texts in the read model. */
  requirements?: Requirement[];
  /** Each tender's assessment, the latest per supplier (issue 30): absent until the first. */
  assessments?: TenderAssessment[];
  /** The evaluators' score sheets (that each exists) and the consensus scores (issue 30, part 3). */
  scoreSheets?: ScoreSheet[];
  consensus?: ConsensusScore[];
  opening?: { openers: string[]; recordedBy: PersonRef; recordedAt: string };
  tendersReceived: TenderReceived[];
  evaluators: Evaluator[];
  /** The summary and the proposals' reasons are in the read model when `textRef` is set; the API fills them in. */
  evaluation?: {
    proposals: Proposal[];
    summary?: string;
    /** Tenders checked as abnormally low: the explanation asked for and the outcome (their texts are in the read model). */
    abnormallyLow?: AbnormallyLowTender[];
    /** The red flags raised on the procedure with these proposals as the award (issue 30): approving takes a justification. */
    redFlags?: RaisedFlag[];
    /** Computed from the consensus scores (when any is recorded): each lot's ranking. */
    ranking?: LotRankingRecord[];
    submittedBy: PersonRef;
    submittedAt: string;
    textRef?: string;
  };
  award?: {
    decidedBy: PersonRef;
    decidedAt: string;
    winners: Proposal[];
    noticeChannel: NoticeChannel;
    standstillDays: number | null;
    /** The evaluation's text, which holds the winners' reasons. */
    textRef?: string;
    /** Each tenderer's award decision notice: the document in the read model (ref) and its SHA-256. */
    notices?: AwardNoticeRecord[];
  };
  /** The opening protocol and the evaluation report as issued (issue 30, part 4), the latest of each kind. */
  decisionDocuments?: DecisionDocumentRecord[];
  reviews: Review[];
  contract?: ContractPayload & { registeredBy: PersonRef; registeredAt: string };
  /** The contract's follow-up: a child workflow contract-<id> (its milestones are there: GET /contracts/{id}). */
  followUp?: {
    contractId: string;
    workflowId: string;
    startedAt: string;
    /** stopped: the follow-up workflow was cancelled, terminated or failed before it completed. */
    status: 'running' | 'completed' | 'stopped';
    endedAt?: string;
    outcome?: ContractOutcome;
    failure?: string;
  };
  /** Re-procurement: the tender whose contract this one replaces, and the one that replaces this. */
  previousTenderId?: string;
  successorTenderId?: string;
  /** Documentation due when a tender ends cancelled or unsuccessful. A contract's duties are its follow-up milestones. */
  obligations: ObligationState[];
  gateDecisions: GateDecisionRecord[];
  commands: CommandRecord[];
  /** Set when the tender ended cancelled or unsuccessful. */
  outcome?: { phase: Phase; reason: string; at: string; by: PersonRef | null };
  timeline: TimelineEntry[];
  createdBy: PersonRef;
  createdAt: string;
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
}

/** What a command's Update answers: bounded, whatever the tender's size. */
export interface CommandAnswer {
  id: string;
  version: number;
  phase: Phase;
}

// The command payloads and refusal types.
export * from './tender-payloads';
