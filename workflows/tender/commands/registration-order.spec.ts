import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { registerTenderCommands } from './index';

/**
 * The order in which the tender registers its commands is part of what its histories replay: Updates
 * that arrive in a run's first activation reach their handlers in registration order. Moving a
 * command between modules must not move it in this list.
 */
describe("the tender's commands are registered in their released order", () => {
  it('every command once, in the order recorded histories were made with', () => {
    const names: string[] = [];
    const register = ((name: string) => {
      names.push(name);
    }) as unknown as Register;
    registerTenderCommands({ state: {} } as unknown as TenderRun, register);
    expect(names).toEqual([
      'completeNeedsAnalysis',
      'decideGate',
      'registerDocuments',
      'requestCancellation',
      'publish',
      'selectCandidates',
      'extendDeadline',
      'askQuestion',
      'answerQuestion',
      'inviteToNegotiate',
      'recordExAnteNotice',
      'appointEvaluators',
      'recordOpening',
      'declareConflict',
      'submitEvaluation',
      'fileReview',
      'recordRuling',
      'registerContract',
      'registerRequirement',
      'withdrawRequirement',
      'assessTender',
      'scoreTender',
      'recordConsensus',
    ]);
  });
});
