import { PhaseMoveError } from '@tenderflow/domain/phases';
import type { Phase } from '@tenderflow/domain/types';
import { TenderRun } from './tender.run';

/**
 * TenderRun.enter, the tender's one way to change phase, on its own: a move the phase map lists is
 * made and recorded; one it does not list throws before anything changes (the workflow task fails
 * and is retried, the tender keeps its phase). The run is a bare object with only what enter() reads.
 */
function bareRun(phase: Phase) {
  const events: { type: string; payload: unknown }[] = [];
  const run = {
    state: { phase, timeline: [{ phase, enteredAt: '2026-12-01T09:00:00.000Z' }] },
    now: () => '2026-12-04T09:00:00.000Z',
    event: (type: string, _actor: unknown, payload: unknown) => events.push({ type, payload }),
  };
  const enter = (to: Phase) => TenderRun.prototype.enter.call(run as unknown as TenderRun, to, null);
  return { run, events, enter };
}

describe('TenderRun.enter keeps to the phase map', () => {
  it('makes a listed move: the phase, the timeline and the event', () => {
    const { run, events, enter } = bareRun('standstill');
    enter('contract');
    expect(run.state.phase).toBe('contract');
    expect(run.state.timeline).toEqual([
      { phase: 'standstill', enteredAt: '2026-12-01T09:00:00.000Z', leftAt: '2026-12-04T09:00:00.000Z' },
      { phase: 'contract', enteredAt: '2026-12-04T09:00:00.000Z' },
    ]);
    expect(events).toEqual([{ type: 'phase.changed', payload: { from: 'standstill', to: 'contract' } }]);
  });

  it.each<[Phase, Phase]>([
    ['needs_analysis', 'published'],
    ['standstill', 'follow_up'],
    ['completed', 'needs_analysis'],
    ['cancelled', 'contract'],
    ['follow_up', 'cancelled'],
  ])('refuses %s → %s, which the map does not list, and changes nothing', (from, to) => {
    const { run, events, enter } = bareRun(from);
    const before = JSON.stringify(run.state);
    expect(() => enter(to)).toThrow(PhaseMoveError);
    expect(() => enter(to)).toThrow(`${from} → ${to}`);
    expect(JSON.stringify(run.state)).toBe(before);
    expect(events).toEqual([]);
  });

  it('entering the phase the tender is in is no move', () => {
    const { run, events, enter } = bareRun('under_review');
    enter('under_review');
    expect(run.state.phase).toBe('under_review');
    expect(events).toEqual([]);
  });
});
