/** The workflow bundle's entry: every workflow type the worker registers. */
export { tenderWorkflow } from './tender/tender.workflow';
