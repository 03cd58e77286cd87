import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandInput } from '@tenderflow/temporal-common/tender-types';
import type {
  CompleteMilestonePayload,
  ContractState,
  RegisterChangePayload,
} from '@tenderflow/temporal-common/contract-types';

/**
 * The contract workflow's messages; wire names never change once released. The start input, state
 * and payload types live in libs/temporal-common (contract-types.ts): their one import path.
 */

export const getContractStateQuery = defineQuery<ContractState>('getState');

export const completeMilestoneUpdate = defineUpdate<
  ContractState,
  [CommandInput<CompleteMilestonePayload>],
  'completeMilestone'
>('completeMilestone');

export const registerChangeUpdate = defineUpdate<
  ContractState,
  [CommandInput<RegisterChangePayload>],
  'registerChange'
>('registerChange');
