/**
 * The shared vocabulary of a tender. Wire values (the strings) appear in the HTTP contract,
 * in workflow state and in search attributes: once released they never change.
 */

/**
 * `social_services` and `welfare_services` are both services of bilaga 2 LOU (sociala tjänster och
 * andra särskilda tjänster). Welfare services (välfärdstjänster) had their own bilaga 2 a for
 * tenders started before 2022-02-01; since then they are listed in bilaga 2 (Upphandlingsmyndigheten,
 * "Bilaga 2 a: Förteckning över välfärdstjänster"). The separate type keeps them distinguishable.
 */
export const CONTRACT_TYPES = ['supplies', 'services', 'works', 'social_services', 'welfare_services'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export const REGIMES = ['direct', 'national', 'eu', 'framework_call_off'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * `simplified` (förenklat förfarande) and `selective` (urvalsförfarande) are legacy labels: the
 * procedures were abolished on 2022-02-01 and only tenders started before then may carry them.
 */
export const PROCEDURES = [
  'direct_award',
  'simplified',
  'selective',
  'open',
  'restricted',
  'negotiated_with_notice',
  'competitive_dialogue',
  'innovation_partnership',
  'negotiated_without_notice',
  'call_off',
] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const PHASES = [
  'needs_analysis',
  'coordination',
  'documents',
  'published',
  /** An award without prior notice (6 kap. 12–19 §§, 19 a kap.): the chosen suppliers are invited to tender and negotiate. */
  'negotiation',
  'opening',
  'evaluation',
  'award_decision',
  'standstill',
  'under_review',
  'contract',
  'follow_up',
  'completed',
  'cancelled',
  'unsuccessful',
] as const;
export type Phase = (typeof PHASES)[number];
export const FINAL_PHASES: readonly Phase[] = ['completed', 'cancelled', 'unsuccessful'];

export const GATES = ['decision_to_procure', 'documents_approval', 'award_decision', 'cancellation'] as const;
export type Gate = (typeof GATES)[number];

export const GATE_DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];

export const ROLES = [
  'procurement_officer',
  'approver',
  'category_manager',
  'contract_manager',
  'partner',
  /** Changes the procurement policy of their own organisation (ARCHITECTURE §1 and §5a). */
  'policy_admin',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** How the award notice is sent: it decides the length of the standstill (deadlines.ts, standstillEnd). */
export const NOTICE_CHANNELS = ['electronic', 'other'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** How a review (överprövning) ends: rejected (the contract may follow), correction (back to evaluation), redo (back to the documents). */
export const REVIEW_OUTCOMES = ['rejected', 'correction', 'redo'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** A partner organisation's answer to an invitation to a coordinated procurement. */
export const INVITATION_ANSWERS = ['join', 'decline'] as const;
export type InvitationAnswer = (typeof INVITATION_ANSWERS)[number];

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const SUSTAINABILITY_LEVELS = ['bas', 'avancerad', 'spjutspets'] as const;
export type SustainabilityLevel = (typeof SUSTAINABILITY_LEVELS)[number];

/** The person behind a command, taken from the verified token and passed into the workflow. */
export interface Actor {
  sub: string;
  name: string;
  org: string;
  roles: Role[];
  approvalLimitSek?: number;
  categories?: string[];
}

/** Bilaga 2 services: social and other special services, welfare services included. */
export const ANNEX2_CONTRACT_TYPES: readonly ContractType[] = ['social_services', 'welfare_services'];
export const isAnnex2 = (t: ContractType): boolean => ANNEX2_CONTRACT_TYPES.includes(t);

/**
 * The day the 2022 rules below the threshold took effect (lag 2021:1110): tenders started on or
 * after it follow the new 19 and 19 a kap.; earlier ones keep the older rules.
 */
export const LOU_2022_REFORM_DATE = '2022-02-01';

/** A calendar date in Sweden, `YYYY-MM-DD`. */
export type IsoDate = string;
