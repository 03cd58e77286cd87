/**
 * The signatures of the workflows that start one another as children (the tender starts its
 * contract's follow-up, the follow-up starts the re-procurement's tender), so that each can type
 * startChild without importing the other's module: no import cycle between workflow folders.
 */
import type { ContractOutcome, ContractStartInput } from '@tenderflow/temporal-common/contract-types';
import type { TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';

export type TenderWorkflow = (input: TenderStartInput) => Promise<TenderState>;
export type ContractWorkflow = (input: ContractStartInput) => Promise<ContractOutcome>;
