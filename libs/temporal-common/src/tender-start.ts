import { WorkflowIdConflictPolicy, WorkflowStartOptions } from '@temporalio/client';
import type { TenderStartInput, TenderState } from './tender-types';

/** The tender workflow's signature (workflows/tender/tender.workflow.ts), without importing the workflow. */
export type TenderWorkflowSignature = (input: TenderStartInput) => Promise<TenderState>;
import { INITIAL_PHASE } from '@tenderflow/domain/phases';
import { tenderWorkflowId } from './ids';
import {
  SA_CATEGORY,
  SA_ESTIMATED_VALUE_SEK,
  SA_ORGANIZATION,
  SA_PROCEDURE_TYPE,
  SA_TENDER_ID,
  SA_TENDER_PHASE,
} from './search-attributes';

/**
 * How a tender workflow is started, from its input alone: the one place for its ID, search
 * attributes and summary (used by the API and by the benchmark's raw starts).
 * USE_EXISTING: concurrent repeats of one Idempotency-Key all land on the one workflow.
 */
export function tenderStartOptions(
  input: TenderStartInput,
  taskQueue: string,
): WorkflowStartOptions<TenderWorkflowSignature> {
  return {
    taskQueue,
    workflowId: tenderWorkflowId(input.id),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: SA_TENDER_ID, value: input.id },
      { key: SA_TENDER_PHASE, value: INITIAL_PHASE },
      { key: SA_ORGANIZATION, value: input.organization },
      { key: SA_CATEGORY, value: input.category },
      { key: SA_PROCEDURE_TYPE, value: input.procedure },
      { key: SA_ESTIMATED_VALUE_SEK, value: input.estimatedValueSek },
    ],
    staticSummary: `${input.title} — ${input.organization}/${input.category}, ${input.regime}/${input.procedure}`,
    staticDetails: `Tender ${input.id}, started by ${input.createdBy.name} (${input.createdBy.sub}) under rule set ${input.ruleSet}${input.policyVersion ? ` and policy ${input.policyVersion}` : ''}; threshold row ${input.threshold.id}.`,
  };
}
