import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type {
  CommandAnswer,
  CommandInput,
  CommandName,
  CommandPayloads,
  TenderState,
} from '@tenderflow/temporal-common/tender-types';

/**
 * The tender workflow's messages. Imported by the API (client side) and the workflow. Wire names
 * (the strings) never change once released. The start input, state and payload types live in
 * libs/temporal-common (tender-types.ts), where activities may import them too: that is their one
 * import path (TenderState and the rest are not re-exported here).
 */

export const getStateQuery = defineQuery<TenderState>('getState');

/**
 * The version and phase the tender has committed (bounded): after a change the API did not send as
 * an Update (a partner's answer reaches the tender from its coordination child), the API reads the
 * read model once it holds this version.
 */
export const getVersionQuery = defineQuery<CommandAnswer>('getVersion');

// --- commands -----------------------------------------------------------------------------------

/**
 * The Update of one command: one input object, answered with the tender's new version and phase
 * (bounded: never the whole state; the API reads the tender from the read model).
 */
export type CommandUpdate<N extends CommandName> = UpdateDefinition<
  CommandAnswer,
  [CommandInput<CommandPayloads[N]>],
  N
>;

const command = <N extends CommandName>(name: N): CommandUpdate<N> =>
  defineUpdate<CommandAnswer, [CommandInput<CommandPayloads[N]>], N>(name);

export const completeNeedsAnalysisUpdate = command('completeNeedsAnalysis');
export const decideGateUpdate = command('decideGate');
export const registerDocumentsUpdate = command('registerDocuments');
export const publishUpdate = command('publish');
export const selectCandidatesUpdate = command('selectCandidates');
export const inviteToNegotiateUpdate = command('inviteToNegotiate');
export const recordExAnteNoticeUpdate = command('recordExAnteNotice');
export const extendDeadlineUpdate = command('extendDeadline');
export const askQuestionUpdate = command('askQuestion');
export const answerQuestionUpdate = command('answerQuestion');
export const appointEvaluatorsUpdate = command('appointEvaluators');
export const recordOpeningUpdate = command('recordOpening');
export const declareConflictUpdate = command('declareConflict');
export const submitEvaluationUpdate = command('submitEvaluation');
export const fileReviewUpdate = command('fileReview');
export const recordRulingUpdate = command('recordRuling');
export const registerContractUpdate = command('registerContract');
export const requestCancellationUpdate = command('requestCancellation');
export const registerRequirementUpdate = command('registerRequirement');
export const withdrawRequirementUpdate = command('withdrawRequirement');
export const assessTenderUpdate = command('assessTender');
export const scoreTenderUpdate = command('scoreTender');
export const recordConsensusUpdate = command('recordConsensus');

/**
 * Every command update by wire name, for the API's dispatcher and the workflow's registration.
 * Typed as a mapped type so that `COMMAND_UPDATES[name]` with a generic `name: N` is `CommandUpdate<N>`.
 */
export const COMMAND_UPDATES: { readonly [N in CommandName]: CommandUpdate<N> } = {
  completeNeedsAnalysis: completeNeedsAnalysisUpdate,
  decideGate: decideGateUpdate,
  registerDocuments: registerDocumentsUpdate,
  publish: publishUpdate,
  selectCandidates: selectCandidatesUpdate,
  inviteToNegotiate: inviteToNegotiateUpdate,
  recordExAnteNotice: recordExAnteNoticeUpdate,
  extendDeadline: extendDeadlineUpdate,
  askQuestion: askQuestionUpdate,
  answerQuestion: answerQuestionUpdate,
  appointEvaluators: appointEvaluatorsUpdate,
  recordOpening: recordOpeningUpdate,
  declareConflict: declareConflictUpdate,
  submitEvaluation: submitEvaluationUpdate,
  fileReview: fileReviewUpdate,
  recordRuling: recordRulingUpdate,
  registerContract: registerContractUpdate,
  requestCancellation: requestCancellationUpdate,
  registerRequirement: registerRequirementUpdate,
  withdrawRequirement: withdrawRequirementUpdate,
  assessTender: assessTenderUpdate,
  scoreTender: scoreTenderUpdate,
  recordConsensus: recordConsensusUpdate,
};
