import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes an administrator filters by in the Temporal UI. Safe to import from
 * workflow code (no I/O). Names are part of the operators' saved queries: never rename.
 */
export const SA_TENDER_ID = defineSearchAttributeKey('TenderId', SearchAttributeType.KEYWORD);
export const SA_TENDER_PHASE = defineSearchAttributeKey('TenderPhase', SearchAttributeType.KEYWORD);
export const SA_ORGANIZATION = defineSearchAttributeKey('Organization', SearchAttributeType.KEYWORD);
export const SA_CATEGORY = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const SA_PROCEDURE_TYPE = defineSearchAttributeKey('ProcedureType', SearchAttributeType.KEYWORD);
export const SA_ESTIMATED_VALUE_SEK = defineSearchAttributeKey('EstimatedValueSek', SearchAttributeType.INT);
export const SA_NEXT_DEADLINE = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** True while the tender's durable writes keep failing (GET /tenders/{id} shows `stalled`). */
export const SA_TENDER_STALLED = defineSearchAttributeKey('TenderStalled', SearchAttributeType.BOOL);

export const CUSTOM_SEARCH_ATTRIBUTES = [
  SA_TENDER_ID,
  SA_TENDER_PHASE,
  SA_ORGANIZATION,
  SA_CATEGORY,
  SA_PROCEDURE_TYPE,
  SA_ESTIMATED_VALUE_SEK,
  SA_NEXT_DEADLINE,
  SA_TENDER_STALLED,
] as const;
