import { assembleParts, diffParts, hash53, hashesOf, partsOf } from './state-parts';

/** A step carries only the parts of the state it changed; the read model assembles them back. */
describe('state parts', () => {
  const base = {
    id: 'HSN-2026-00001',
    phase: 'published',
    questions: [
      { id: 'Q1', receivedAt: '2026-05-01T08:00:00.000Z' },
      { id: 'Q2', receivedAt: '2026-05-02T08:00:00.000Z' },
    ],
    deadlines: [{ kind: 'tender_deadline', lastDay: '2026-06-12' }],
    needsAnalysis: { need: 'Reagents', lots: [] as unknown[] },
    stalled: undefined as unknown,
  };

  /** The read model's parts after applying a delta, as commit.activities.ts applies it. */
  function apply(store: Map<string, unknown>, delta: ReturnType<typeof diffParts>): Map<string, unknown> {
    if (delta.full) store.clear();
    for (const name of delta.removed) store.delete(name);
    for (const [name, value] of delta.upserts) store.set(name, value);
    return store;
  }

  it('a first write carries every part; the state assembles back as it was (without undefined values)', () => {
    const delta = diffParts(undefined, partsOf(base));
    expect(delta.full).toBe(true);
    const { stalled: _stalled, ...expected } = base;
    expect(assembleParts(apply(new Map(), delta))).toEqual(expected);
  });

  it('a new question adds one element and the length; an answer changes one element; nothing else is sent', () => {
    const before = hashesOf(partsOf(base));
    const added = { ...base, questions: [...base.questions, { id: 'Q3', receivedAt: '2026-05-03T08:00:00.000Z' }] };
    const delta = diffParts(before, partsOf(added));
    expect(delta).toEqual({
      full: false,
      upserts: [
        ['questions[]', 3],
        ['questions/000002', added.questions[2]],
      ],
      removed: [],
    });
    const answered = {
      ...added,
      questions: added.questions.map((q) => (q.id === 'Q1' ? { ...q, answeredAt: '2026-05-04T08:00:00.000Z' } : q)),
    };
    expect(diffParts(hashesOf(partsOf(added)), partsOf(answered)).upserts.map(([name]) => name)).toEqual([
      'questions/000000',
    ]);
  });

  it('a shrunk array and a dropped value are removed; the assembled state matches the new one', () => {
    const store = apply(new Map(), diffParts(undefined, partsOf(base)));
    const next = { id: base.id, phase: 'opening', questions: base.questions, deadlines: [] as unknown[] };
    const delta = diffParts(hashesOf(partsOf(base)), partsOf(next));
    expect(delta.removed.sort()).toEqual(['deadlines/000000', 'needsAnalysis']);
    expect(assembleParts(apply(store, delta))).toEqual(next);
  });

  it('hashes each part to a 53-bit number: equal texts equal, a one-character change another', () => {
    const a = JSON.stringify({ id: 'Q1', receivedAt: '2026-05-01T08:00:00.000Z' });
    expect(hash53(a)).toBe(hash53(`${a}`));
    expect(hash53(a)).not.toBe(hash53(a.replace('Q1', 'Q2')));
    expect(Number.isSafeInteger(hash53(a))).toBe(true);
    // 10 000 distinct parts, no two alike.
    expect(new Set(Array.from({ length: 10_000 }, (_v, i) => hash53(JSON.stringify({ id: `Q${i}` })))).size).toBe(
      10_000,
    );
  });

  it('an empty array survives as an empty array', () => {
    expect(assembleParts(apply(new Map(), diffParts(undefined, partsOf({ lots: [] }))))).toEqual({ lots: [] });
  });
});
