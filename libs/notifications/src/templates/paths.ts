import type { Gate } from '@tenderflow/domain/types';

/** The API resources where recipients act (with an API client and their token). */
export const paths = {
  tender: (id: string) => `/tenders/${encodeURIComponent(id)}`,
  decision: (id: string, gate: Gate) => `/tenders/${encodeURIComponent(id)}/gates/${gate}/decision`,
  inbox: () => '/approvals?status=pending',
  escalated: () => '/approvals?status=escalated',
  evaluators: (id: string) => `/tenders/${encodeURIComponent(id)}/evaluators`,
  opening: (id: string) => `/tenders/${encodeURIComponent(id)}/opening`,
  response: (id: string, org: string) =>
    `/tenders/${encodeURIComponent(id)}/coordination/${encodeURIComponent(org)}/response`,
  contract: (id: string) => `/contracts/${encodeURIComponent(id)}`,
  milestones: (id: string) => `/contracts/${encodeURIComponent(id)}/milestones`,
  completion: (contractId: string, milestoneId: string) =>
    `/contracts/${encodeURIComponent(contractId)}/milestones/${encodeURIComponent(milestoneId)}/completion`,
  people: (org: string) => `/organizations/${encodeURIComponent(org)}/people`,
};

/** The web console's pages (console/, served at /console/) where recipients act in a browser. */
export const consolePaths = {
  tender: (id: string) => `/console/tenders/${encodeURIComponent(id)}`,
  approvals: () => '/console/approvals',
  followUp: () => '/console/follow-up',
};

/**
 * The legal or policy basis of each gate. LOU names no gate for the decision to procure or the
 * approval of documents: those are the organisation's delegation order (delegationsordning).
 * 12 kap. 12 § LOU: the tenderers are notified in writing of an award decision and of a decision
 * to cancel, with the reasons.
 */
export const GATE_PARAGRAPH: Readonly<Record<Gate, string | null>> = {
  decision_to_procure: null,
  documents_approval: null,
  award_decision: '12 kap. 12 § LOU',
  cancellation: '12 kap. 12 § LOU',
};
