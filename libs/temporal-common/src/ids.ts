/** Workflow IDs are derived from domain IDs so that a start is idempotent and an ID is readable. */
export const DEFAULT_TASK_QUEUE = 'tenderflow';

/**
 * An organisation code, 2–32 characters of A–Z, 0–9, _ or -: the one definition, as a fragment the
 * other id patterns (and the tender list's cursor) are built from.
 */
export const ORGANIZATION_CODE_PART = '[A-Z0-9_-]{2,32}';
/** What an organisation code is, in words, for the messages that refuse one. */
export const ORGANIZATION_CODE_WORDS = '2–32 characters of A–Z, 0–9, _ or -';
/** An organisation code, as CreateTenderDto accepts it and the tender checks an invited body's. */
export const ORGANIZATION_CODE = new RegExp(`^${ORGANIZATION_CODE_PART}$`);
/** `ORG-YYYY-NNNNN` as a fragment (the tender list's cursor ends with one). */
export const TENDER_ID_PART = `${ORGANIZATION_CODE_PART}-[0-9]{4}-[0-9]{5,}`;
/** `ORG-YYYY-NNNNN`, as tenderIdOf formats them. */
export const TENDER_ID = new RegExp(`^${TENDER_ID_PART}$`);
/** `<tender id>-K<n>`, as the tender names its contract (contractIdForTender). */
export const CONTRACT_ID = new RegExp(`^${TENDER_ID_PART}-K[0-9]+$`);

/** A tender's id from its organisation, the year and the number the sequence gave (at least five digits). */
export const tenderIdOf = (organization: string, year: number | string, n: string): string =>
  `${organization}-${year}-${n.padStart(5, '0')}`;

export const tenderWorkflowId = (tenderId: string): string => `tender-${tenderId}`;
export const contractWorkflowId = (contractId: string): string => `contract-${contractId}`;
/** A tender's (one) contract: `HSN-2026-00042-K1`. */
export const contractIdForTender = (tenderId: string): string => `${tenderId}-K1`;
export const tenderIdOfContract = (contractId: string): string => contractId.replace(/-K\d+$/, '');
export const coordinationWorkflowId = (tenderId: string, org: string): string => `coordination-${tenderId}-${org}`;

/** The organisation that owns a tender: its id starts with the organisation's code. */
export function organizationOfTender(tenderId: string): string {
  return tenderId.replace(/-[0-9]{4}-[0-9]{5,}(?:-K[0-9]+)?$/, '');
}

const CHAIN_OWNER = new RegExp(`^(?:tender|coordination|contract)-(${TENDER_ID_PART})(?:-|$)`);

/** tender-X, coordination-X-ORG, contract-X-K1 → X: the tender whose chain a workflow writes into; undefined for any other id. */
export function chainTenderOf(workflowId: string): string | undefined {
  return CHAIN_OWNER.exec(workflowId)?.[1];
}

export function tenderIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('tender-') ? workflowId.slice('tender-'.length) : undefined;
}
