/**
 * Every command of the tender, registered in one order. The order matters: Updates that arrive in
 * a run's first activation (just after a start or a continue-as-new) are handed to their handlers
 * in the order the handlers were registered, so it is part of what a history replays. Add a new
 * command at the end of its subject's list, never between existing ones.
 */
import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { registerAssessmentCommands } from './assessment';
import { registerAwardCommands } from './award';
import { registerContractCommands } from './contract';
import { registerPreparationCommands } from './preparation';
import { registerRequirementCommands } from './requirements';
import { registerScoringCommands } from './scoring';
import { registerTenderingCommands } from './tendering';
import { registerWithoutNoticeCommands } from './without-notice';

export function registerTenderCommands(run: TenderRun, register: Register): void {
  registerPreparationCommands(run, register);
  registerTenderingCommands(run, register);
  registerWithoutNoticeCommands(run, register);
  registerAwardCommands(run, register);
  registerContractCommands(run, register);
  // Newer than the histories above: after them.
  registerRequirementCommands(run, register);
  registerAssessmentCommands(run, register);
  registerScoringCommands(run, register);
}
