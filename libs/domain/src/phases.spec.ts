import {
  assertMove,
  INITIAL_PHASE,
  isFinalPhase,
  mayMove,
  moveCause,
  nextPhases,
  PHASE_MAP,
  PhaseMoveError,
} from './phases';
import { FINAL_PHASES, PHASES, type Phase } from './types';

/** Every move, as `from → to`: a change to the map shows here first (and in the workflow that makes it). */
const MOVES = [
  'needs_analysis → coordination',
  'needs_analysis → documents',
  'needs_analysis → contract',
  'needs_analysis → cancelled',
  'coordination → documents',
  'coordination → cancelled',
  'documents → published',
  'documents → negotiation',
  'documents → cancelled',
  'published → opening',
  'published → unsuccessful',
  'published → cancelled',
  'negotiation → opening',
  'negotiation → cancelled',
  'opening → evaluation',
  'opening → unsuccessful',
  'opening → cancelled',
  'evaluation → award_decision',
  'evaluation → cancelled',
  'award_decision → standstill',
  'award_decision → contract',
  'award_decision → evaluation',
  'award_decision → cancelled',
  'standstill → under_review',
  'standstill → contract',
  'standstill → cancelled',
  'under_review → contract',
  'under_review → evaluation',
  'under_review → documents',
  'under_review → cancelled',
  'contract → follow_up',
  'contract → cancelled',
  'follow_up → completed',
];

const ALL_PAIRS: [Phase, Phase][] = PHASES.flatMap((from) => PHASES.map((to): [Phase, Phase] => [from, to]));

describe('the phase map (phases.ts)', () => {
  it('lists exactly these moves, each once, each with its cause', () => {
    expect(PHASE_MAP.map((m) => `${m.from} → ${m.to}`)).toEqual(MOVES);
    expect(new Set(MOVES).size).toBe(MOVES.length);
    expect(PHASE_MAP.length).toBe(33);
    for (const m of PHASE_MAP) expect(m.on.trim()).not.toBe('');
  });

  it.each(PHASE_MAP.map((m) => [m.from, m.to, m.on] as const))('%s → %s is allowed (%s)', (from, to, on) => {
    expect(mayMove(from, to)).toBe(true);
    expect(moveCause(from, to)).toBe(on);
    expect(() => assertMove(from, to)).not.toThrow();
  });

  it('refuses every move it does not list, naming the map and what may follow', () => {
    const unlisted = ALL_PAIRS.filter(([from, to]) => !MOVES.includes(`${from} → ${to}`));
    expect(unlisted.length).toBe(PHASES.length * PHASES.length - MOVES.length);
    for (const [from, to] of unlisted) {
      expect(mayMove(from, to)).toBe(false);
      expect(moveCause(from, to)).toBeUndefined();
      expect(() => assertMove(from, to)).toThrow(PhaseMoveError);
    }
    expect(() => assertMove('needs_analysis', 'published')).toThrow(
      'no move needs_analysis → published; after needs_analysis come only: coordination, documents, contract, cancelled',
    );
    expect(() => assertMove('completed', 'follow_up')).toThrow('after completed come only: nothing (final)');
    // A plain Error, not a Temporal failure: in the workflow it fails the workflow task, it does not refuse a command.
    const err = (() => {
      try {
        assertMove('contract', 'standstill');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'PhaseMoveError', from: 'contract', to: 'standstill' });
  });

  it('has no move from a phase to itself (entering the current phase is no move)', () => {
    for (const p of PHASES) expect(mayMove(p, p)).toBe(false);
  });

  it('names only phases of the phase list', () => {
    for (const m of PHASE_MAP) {
      expect(PHASES).toContain(m.from);
      expect(PHASES).toContain(m.to);
    }
  });

  it('reaches every phase from the initial one', () => {
    expect(INITIAL_PHASE).toBe(PHASES[0]);
    const reached = new Set<Phase>([INITIAL_PHASE]);
    const queue: Phase[] = [INITIAL_PHASE];
    while (queue.length > 0)
      for (const next of nextPhases(queue.shift()!)) if (!reached.has(next) && reached.add(next)) queue.push(next);
    expect([...reached].sort()).toEqual([...PHASES].sort());
  });

  it('gives every phase but the final ones a successor, and the final ones none', () => {
    for (const p of PHASES) {
      if (isFinalPhase(p)) expect(nextPhases(p)).toEqual([]);
      else expect(nextPhases(p).length).toBeGreaterThan(0);
    }
    expect(PHASES.filter(isFinalPhase)).toEqual([...FINAL_PHASES]);
  });

  it('lets a tender be cancelled in every phase before the contract is registered, and in no other', () => {
    const cancellable = PHASES.filter((p) => mayMove(p, 'cancelled'));
    expect(cancellable).toEqual(PHASES.slice(0, PHASES.indexOf('contract') + 1));
  });

  it('answers what follows a phase', () => {
    expect(nextPhases('award_decision')).toEqual(['standstill', 'contract', 'evaluation', 'cancelled']);
    expect(nextPhases('under_review')).toEqual(['contract', 'evaluation', 'documents', 'cancelled']);
    expect(nextPhases('follow_up')).toEqual(['completed']);
  });
});
