/** Workflow IDs are derived from domain IDs so that a start is idempotent and an ID is readable. */
export const DEFAULT_TASK_QUEUE = 'tenderflow';

export const tenderWorkflowId = (tenderId: string): string => `tender-${tenderId}`;
export const contractWorkflowId = (contractId: string): string => `contract-${contractId}`;
/** A tender's (one) contract: `HSN-2026-00042-K1`. */
export const contractIdForTender = (tenderId: string): string => `${tenderId}-K1`;
export const tenderIdOfContract = (contractId: string): string => contractId.replace(/-K\d+$/, '');
export const coordinationWorkflowId = (tenderId: string, org: string): string => `coordination-${tenderId}-${org}`;

export function tenderIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('tender-') ? workflowId.slice('tender-'.length) : undefined;
}
