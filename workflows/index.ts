/** The workflow bundle's entry: every workflow type the worker registers. */
export { tenderWorkflow } from './tender/tender.workflow';
export { coordinationWorkflow } from './coordination/coordination.workflow';
export { contractWorkflow } from './contract/contract.workflow';
export { reconcilerWorkflow } from './reconciler/reconciler.workflow';
