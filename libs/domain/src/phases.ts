/**
 * The phase map: every move a tender makes from one phase to another, and what makes it. The tender
 * workflow asks it on each phase change (TenderRun.enter in workflows/tender/tender.run.ts) and fails
 * its workflow task on a move it does not list: that is a programming error, not a user's mistake
 * (a user's command in the wrong phase is refused before, by workflows/tender/authority.ts).
 *
 * What the map leaves out on purpose:
 * - A tender is born in INITIAL_PHASE (workflows/tender/tender.state.ts, initialState): no move.
 * - A run that continues as new carries its phase in its state: no move either.
 * - Entering the phase the tender is in (a further review while one is pending: under_review) is no
 *   move: enter() does nothing then, and does not ask the map.
 *
 * Deterministic and pure: workflow code imports it (eslint.config.mjs, DETERMINISTIC_DOMAIN).
 */
import { FINAL_PHASES, PHASES, type Phase } from './types';

/** Where every tender starts (ARCHITECTURE §3). */
export const INITIAL_PHASE: Phase = 'needs_analysis';

/** Phases in which a cancellation may be asked for: any phase before contract (PHASES is in lifecycle order). */
export const BEFORE_CONTRACT: readonly Phase[] = PHASES.slice(0, PHASES.indexOf('contract'));

/** One allowed move; `on` names what causes it: a command (its Update), a timer (a deadline's kind) or an event. */
export interface PhaseMove {
  readonly from: Phase;
  readonly to: Phase;
  readonly on: string;
}

/** An approved cancellation gate: `cancelled` from every phase before the contract is signed, and from `contract` itself. */
const CANCELLATION = 'decideGate cancellation: approve';

export const PHASE_MAP: readonly PhaseMove[] = [
  { from: 'needs_analysis', to: 'coordination', on: 'decideGate decision_to_procure: approve, with invited bodies' },
  { from: 'needs_analysis', to: 'documents', on: 'decideGate decision_to_procure: approve' },
  { from: 'needs_analysis', to: 'contract', on: 'decideGate decision_to_procure: approve, a direct award' },
  { from: 'needs_analysis', to: 'cancelled', on: `decideGate decision_to_procure: reject; ${CANCELLATION}` },

  { from: 'coordination', to: 'documents', on: 'invitation outcome: every invited body has one' },
  { from: 'coordination', to: 'cancelled', on: CANCELLATION },

  { from: 'documents', to: 'published', on: 'publish' },
  { from: 'documents', to: 'negotiation', on: 'inviteToNegotiate' },
  { from: 'documents', to: 'cancelled', on: `decideGate documents_approval: reject; ${CANCELLATION}` },

  { from: 'published', to: 'opening', on: 'timer tender_deadline' },
  { from: 'published', to: 'unsuccessful', on: 'selectCandidates: none' },
  { from: 'published', to: 'cancelled', on: CANCELLATION },

  { from: 'negotiation', to: 'opening', on: 'timer tender_deadline' },
  { from: 'negotiation', to: 'cancelled', on: CANCELLATION },

  { from: 'opening', to: 'evaluation', on: 'recordOpening' },
  { from: 'opening', to: 'unsuccessful', on: 'recordOpening: no tender in time' },
  { from: 'opening', to: 'cancelled', on: CANCELLATION },

  { from: 'evaluation', to: 'award_decision', on: 'submitEvaluation' },
  { from: 'evaluation', to: 'cancelled', on: CANCELLATION },

  { from: 'award_decision', to: 'standstill', on: 'decideGate award_decision: approve' },
  { from: 'award_decision', to: 'contract', on: 'decideGate award_decision: approve, no standstill' },
  { from: 'award_decision', to: 'evaluation', on: 'decideGate award_decision: request_changes' },
  { from: 'award_decision', to: 'cancelled', on: `decideGate award_decision: reject; ${CANCELLATION}` },

  { from: 'standstill', to: 'under_review', on: 'fileReview' },
  { from: 'standstill', to: 'contract', on: 'timer standstill' },
  { from: 'standstill', to: 'cancelled', on: CANCELLATION },

  { from: 'under_review', to: 'contract', on: 'timer review_hold' },
  { from: 'under_review', to: 'evaluation', on: 'recordRuling: correction' },
  { from: 'under_review', to: 'documents', on: 'recordRuling: redo' },
  { from: 'under_review', to: 'cancelled', on: CANCELLATION },

  { from: 'contract', to: 'follow_up', on: 'registerContract' },
  { from: 'contract', to: 'cancelled', on: CANCELLATION },

  { from: 'follow_up', to: 'completed', on: 'contract follow-up ended (the contract workflow returned or failed)' },
];

/** The phases that may follow `from`, in the map's order; none after a final phase. */
export function nextPhases(from: Phase): Phase[] {
  return PHASE_MAP.filter((m) => m.from === from).map((m) => m.to);
}

/** Whether the map lists the move `from → to` (staying in a phase is no move: false). */
export function mayMove(from: Phase, to: Phase): boolean {
  return PHASE_MAP.some((m) => m.from === from && m.to === to);
}

/** What causes `from → to`, or undefined when the map does not list it. */
export function moveCause(from: Phase, to: Phase): string | undefined {
  return PHASE_MAP.find((m) => m.from === from && m.to === to)?.on;
}

/** A move the phase map does not list: a programming error in the workflow, never a user's. */
export class PhaseMoveError extends Error {
  override readonly name = 'PhaseMoveError';
  constructor(
    readonly from: Phase,
    readonly to: Phase,
  ) {
    super(
      `The phase map (libs/domain/src/phases.ts) has no move ${from} → ${to}; after ${from} come only: ${nextPhases(from).join(', ') || 'nothing (final)'}.`,
    );
  }
}

/** Throws PhaseMoveError unless the map lists `from → to`. */
export function assertMove(from: Phase, to: Phase): void {
  if (!mayMove(from, to)) throw new PhaseMoveError(from, to);
}

/** Whether `phase` ends a tender (nothing follows it). */
export function isFinalPhase(phase: Phase): boolean {
  return FINAL_PHASES.includes(phase);
}
