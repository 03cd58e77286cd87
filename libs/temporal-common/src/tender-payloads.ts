/**
 * The tender workflow's command payloads (one input object per Update) and its refusal types:
 * plain types and the refusal table, for the API, the worker's activities and the workflows.
 */
import type { TenderAssessmentInput } from '@tenderflow/domain/assessment';
import type { RequirementInput } from '@tenderflow/domain/requirements';
import type { ScoreSheetInput } from '@tenderflow/domain/scoring';
import type {
  Actor,
  Criticality,
  Gate,
  GateDecision,
  InvitationAnswer,
  IsoDate,
  NoticeChannel,
  ReviewOutcome,
  SustainabilityLevel,
} from '@tenderflow/domain/types';
import type { FollowUpPlanItem } from '@tenderflow/domain/policy';
import type { CommandAuth } from './command-types';

export interface InvitedBody {
  organization: string;
  name: string;
  contactEmail: string;
}

export type SustainabilityAssessment =
  { criteria: string[]; level: SustainabilityLevel } | { notApplicableReason: string };

export interface NeedsAnalysisPayload {
  need?: string;
  marketAnalysis?: string;
  risks?: string;
  sustainability: SustainabilityAssessment;
  /** 17 kap. 2 § LOU: required above the threshold. */
  laborConditions?: { required: boolean; justification: string };
  supplyPreparedness: { criticality: Criticality; measures?: string };
  /** Above the threshold (not bilaga 2 services): two or more lots, or the reason for not dividing (4 kap. 14 § LOU; libs/domain checkLotDivision). */
  lots?: { title: string; estimatedValueSek: number }[];
  lotJustification?: string;
  /** More bodies to invite to a joint procurement (besides those named at the start). */
  invitedBodies?: InvitedBody[];
  /** Policy groupCoordinationCheck: why this is procured separately although the group already buys in the category. */
  separateProcurementReason?: string;
}

export interface ProcurementDocument {
  title: string;
  reference: string;
  version?: string;
}

export interface Proposal {
  lot?: string;
  supplier: string;
  score?: number;
  /** In the read model (the evaluation's text), not in the workflow's state since 'content-in-texts'; the API fills it in. */
  reasons?: string;
}

/**
 * A tender that appeared abnormally low (onormalt lågt anbud, ABNORMALLY_LOW_PARAGRAPH in libs/domain
 * procedures.ts): the authority asked the tenderer to explain the price and then accepted or rejected it.
 */
export interface AbnormallyLowTender {
  supplier: string;
  lot?: string;
  /** The day the explanation was asked for. */
  explanationRequestedOn: IsoDate;
  /** The day the explanation came in; absent when none came. */
  explanationReceivedOn?: IsoDate;
  outcome: 'accepted' | 'rejected';
  /** In the read model (the evaluation's text), not in the workflow's state; the API fills them in. */
  explanation?: string;
  reason?: string;
}
import type { ContractPayload, PersonRef } from './common-types';

// --- commands -----------------------------------------------------------------------------------

/**
 * Every command: the verified actor (from the API's token), its payload and an optional reason, and
 * the API's signature over all of them (the validator refuses a command without a valid one).
 */
export interface CommandInput<P> {
  actor: Actor;
  payload: P;
  reason?: string;
  auth?: CommandAuth;
}

export interface DecideGatePayload {
  gate: Gate;
  decision: GateDecision;
  /** Required for reject and request_changes. */
  comment?: string;
  /** award_decision: how the award notice is sent (20 kap. 1 § LOU: 10 or 15 days). Default electronic. */
  noticeChannel?: NoticeChannel;
  /**
   * Set by the API, never by the caller: the delegation order's authority the decider has today
   * (from the directory's functions and absences), which the workflow checks against the pending
   * item. Required for a gate that goes by the order.
   */
  authority?: GateAuthority;
  /** award_decision: why the award is approved although red flags are raised (required then). */
  justification?: string;
}

/** The authority a decider claims under the order, with the name of the person a substitute stands in for. */
export interface GateAuthority {
  item: string;
  function: string;
  via: 'delegate' | 'further' | 'substitute';
  asSubstituteFor?: { sub: string; name: string };
}

export interface RespondToInvitationPayload {
  organization: string;
  answer: InvitationAnswer;
  estimatedVolume?: string;
  /** The body's mandate (fullmakt); required to join. */
  mandateReference?: string;
  /** Required to decline. */
  reason?: string;
  comment?: string;
}

export interface RegisterDocumentsPayload {
  documents: ProcurementDocument[];
  /** How the contract will be followed up (policy followUpPlanRequired); it seeds the contract's milestones. */
  followUpPlan?: FollowUpPlanItem[];
}

export interface PublishPayload {
  advertisingDatabase?: string;
  noticeReference?: string;
  /** A later last day for tenders than the minimum. */
  deadline?: IsoDate;
  /** Restricted and similar: a later last day for requests to participate than the minimum. */
  requestDeadline?: IsoDate;
  electronicSubmission?: boolean;
  /** A prior information notice shortens the limits: it needs `priorInformationNoticeSentAt`. */
  priorInformationNotice?: boolean;
  /** The day the PIN was sent for publication: 35 days–12 months before today (11 kap. 5 § andra stycket 2 p. LOU). */
  priorInformationNoticeSentAt?: IsoDate;
  /** Urgency shortens the limits (11 kap. 10 § LOU): it needs `urgencyJustification`. */
  urgent?: boolean;
  urgencyJustification?: string;
  /** Default true. False: the procurement documents cannot be made available electronically (five more days). */
  documentsAvailableElectronically?: boolean;
}

/**
 * An award without prior notice (negotiated_without_notice): the suppliers the authority turns to,
 * and the last day for their tenders (no statutory time limit; the authority's own).
 */
export interface InviteToNegotiatePayload {
  suppliers: { supplier: string; orgNumber?: string }[];
  deadline: IsoDate;
}

/**
 * A voluntary ex-ante transparency notice (annons om avsikt: 10 kap. 5 § LOU above the threshold,
 * 19 a kap. 9 § LOU for a direct award): published on `publishedOn`, it bars the contract for 10 days
 * (20 kap. 3 §) and, kept, protects it against invalidity (20 kap. 15 § 4).
 */
export interface RecordExAnteNoticePayload {
  publishedOn: IsoDate;
  /** Where: TED above the threshold, a registered advertising database (lagen 2019:668) below it. */
  advertisingDatabase: string;
  noticeReference?: string;
  /** The supplier the authority intends to award the contract to. */
  supplier: string;
}

export interface SelectCandidatesPayload {
  candidates: { supplier: string; orgNumber?: string }[];
  /** 11 kap. 7 § LOU: the tender period agreed with all selected candidates, in days. */
  agreedTenderPeriodDays?: number;
  deadline?: IsoDate;
}

export interface ExtendDeadlinePayload {
  /** The new last day; must be later than the current one. */
  deadline: IsoDate;
  reason: string;
  /**
   * The extension follows a significant change to the procurement documents (11 kap. 8 § 2 p. LOU):
   * the new deadline leaves at least the answer period (6 days, 4 under urgency) after today.
   */
  significantChange?: boolean;
}

export interface AskQuestionPayload {
  question: string;
  askedBy?: string;
}

export interface AnswerQuestionPayload {
  questionId: string;
  answer: string;
  /** When the answer forces an extension: a later last day than the minimum it forces. */
  extendTo?: IsoDate;
}

export interface AppointEvaluatorsPayload {
  evaluators: PersonRef[];
}

export interface RecordOpeningPayload {
  /** subs of at least two distinct people appointed by the authority (12 kap. 10 § LOU). */
  openers: string[];
  tenders: {
    supplier: string;
    orgNumber?: string;
    /** Where the award decision notice is sent (12 kap. 12 § LOU); none: the notice waits in the outbox. */
    contactEmail?: string;
    receivedAt: string;
    lots?: string[];
    prices?: TenderPrice[];
  }[];
}

/** A tender's price as read out at the opening: for a lot, or for the whole procurement (no lot). */
export interface TenderPrice {
  lot?: string;
  priceSek: number;
}

export interface DeclareConflictPayload {
  hasConflict: boolean;
  statement: string;
}

export interface SubmitEvaluationPayload {
  proposals: Proposal[];
  summary?: string;
  /** Tenders checked as abnormally low: the explanation asked for and the outcome (a rejected one wins nothing). */
  abnormallyLow?: AbnormallyLowTender[];
}

export interface FileReviewPayload {
  id?: string;
  applicant: string;
  court: string;
  reference?: string;
}

export interface RecordRulingPayload {
  reviewId: string;
  outcome: ReviewOutcome;
  rulingDate: IsoDate;
  comment?: string;
}

export interface RequestCancellationPayload {
  reason: string;
}

/** The payload of each command, by its wire name. */
/** One requirement for the register (libs/domain requirements.ts); its text, reference and evidence go to the read model. */
export type RegisterRequirementPayload = RequirementInput;

/** The assessment of one tender (libs/domain assessment.ts); its notes and reasons go to the read model. */
export type AssessTenderPayload = TenderAssessmentInput;

/** An evaluator's own scores of one tender (for one lot) on the register's award criteria (libs/domain scoring.ts). */
export type ScoreTenderPayload = Omit<ScoreSheetInput, 'reason'>;

/** The consensus scores of one tender (for one lot), with the reason (libs/domain scoring.ts). */
export type RecordConsensusPayload = ScoreSheetInput & { reason: string };

export interface WithdrawRequirementPayload {
  requirementId: string;
  reason: string;
}

export interface CommandPayloads {
  completeNeedsAnalysis: NeedsAnalysisPayload;
  decideGate: DecideGatePayload;
  registerDocuments: RegisterDocumentsPayload;
  publish: PublishPayload;
  selectCandidates: SelectCandidatesPayload;
  inviteToNegotiate: InviteToNegotiatePayload;
  recordExAnteNotice: RecordExAnteNoticePayload;
  extendDeadline: ExtendDeadlinePayload;
  askQuestion: AskQuestionPayload;
  answerQuestion: AnswerQuestionPayload;
  appointEvaluators: AppointEvaluatorsPayload;
  recordOpening: RecordOpeningPayload;
  declareConflict: DeclareConflictPayload;
  submitEvaluation: SubmitEvaluationPayload;
  fileReview: FileReviewPayload;
  recordRuling: RecordRulingPayload;
  registerContract: ContractPayload;
  requestCancellation: RequestCancellationPayload;
  registerRequirement: RegisterRequirementPayload;
  withdrawRequirement: WithdrawRequirementPayload;
  assessTender: AssessTenderPayload;
  scoreTender: ScoreTenderPayload;
  recordConsensus: RecordConsensusPayload;
}
export type CommandName = keyof CommandPayloads;

// --- refusals -----------------------------------------------------------------------------------

/** ApplicationFailure types of a refused command, and the HTTP status the API answers with. */
export const REFUSAL_STATUS = {
  Forbidden: 403,
  NotFound: 404,
  InvalidPhase: 409,
  Conflict: 409,
  RuleViolation: 422,
  BadRequest: 400,
} as const;
export type RefusalType = keyof typeof REFUSAL_STATUS;

/** The `details[0]` of a refusal. */
export interface RefusalDetails {
  rule?: string;
  paragraph?: string;
  field?: string;
}
