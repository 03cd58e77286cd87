import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandInput } from '../../libs/temporal-common/src/tender-types';
import type { CompleteMilestonePayload, ContractState } from '../../libs/temporal-common/src/contract-types';

/**
 * The contract workflow's messages; wire names never change once released. The start input, state
 * and payload types live in libs/temporal-common (contract-types.ts), re-exported here.
 */
export * from '../../libs/temporal-common/src/contract-types';

export const getContractStateQuery = defineQuery<ContractState>('getState');

export const completeMilestoneUpdate = defineUpdate<ContractState, [CommandInput<CompleteMilestonePayload>], 'completeMilestone'>('completeMilestone');
