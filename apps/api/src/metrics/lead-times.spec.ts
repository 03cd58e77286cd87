import { LEAD_TIME_BASIS, shapeLeadTimes, toDays } from './lead-times';

const DAY = 86_400;

describe('toDays', () => {
  it('turns seconds into days with one decimal', () => {
    expect(toDays(9.2 * DAY)).toBe(9.2);
    expect(toDays(1.5 * DAY)).toBe(1.5);
    expect(toDays(3600)).toBe(0);
    expect(toDays(4 * 3600)).toBe(0.2);
    expect(toDays(0.25 * DAY)).toBe(0.3); // half up
    expect(toDays(null)).toBeNull();
  });
});

describe('shapeLeadTimes', () => {
  const at = new Date('2026-03-01T12:00:00Z');

  it('orders phases by the lifecycle and gates as they come, in days, with the basis named', () => {
    const report = shapeLeadTimes(
      ['lab'],
      {
        phases: [
          { category: 'lab', phase: 'evaluation', tenders: 2, p50Seconds: 10 * DAY, p90Seconds: 12.345 * DAY },
          { category: 'lab', phase: 'needs_analysis', tenders: 5, p50Seconds: 6 * DAY, p90Seconds: 9.2 * DAY },
        ],
        decided: [
          {
            category: 'lab',
            gate: 'award_decision',
            decisions: 3,
            unmatched: 1,
            p50Seconds: 2 * DAY,
            p90Seconds: 2.9 * DAY,
          },
        ],
        pending: [
          {
            category: 'lab',
            gate: 'decision_to_procure',
            pending: 2,
            p50Seconds: 1.5 * DAY,
            oldestSeconds: 2.04 * DAY,
          },
          { category: 'lab', gate: 'award_decision', pending: 1, p50Seconds: 0.5 * DAY, oldestSeconds: 0.5 * DAY },
        ],
      },
      at,
    );
    expect(report).toEqual({
      generatedAt: '2026-03-01T12:00:00.000Z',
      unit: 'days',
      basis: LEAD_TIME_BASIS,
      categories: [
        {
          category: 'lab',
          phases: [
            { phase: 'needs_analysis', tenders: 5, p50Days: 6, p90Days: 9.2 },
            { phase: 'evaluation', tenders: 2, p50Days: 10, p90Days: 12.3 },
          ],
          gates: [
            {
              gate: 'decision_to_procure',
              decided: { count: 0, unmatched: 0, p50Days: null, p90Days: null },
              pending: { count: 2, p50Days: 1.5, oldestDays: 2 },
            },
            {
              gate: 'award_decision',
              decided: { count: 2, unmatched: 1, p50Days: 2, p90Days: 2.9 },
              pending: { count: 1, p50Days: 0.5, oldestDays: 0.5 },
            },
          ],
        },
      ],
    });
  });

  it('reports a requested category without data as empty, and every category with data when none is named', () => {
    expect(shapeLeadTimes(['empty'], { phases: [], decided: [], pending: [] }, at).categories).toEqual([
      { category: 'empty', phases: [], gates: [] },
    ]);
    const all = shapeLeadTimes(
      null,
      {
        phases: [{ category: 'it', phase: 'documents', tenders: 1, p50Seconds: DAY, p90Seconds: DAY }],
        decided: [],
        pending: [{ category: 'facility', gate: 'cancellation', pending: 1, p50Seconds: DAY, oldestSeconds: DAY }],
      },
      at,
    );
    expect(all.categories.map((c) => c.category)).toEqual(['facility', 'it']);
  });

  it('keeps other categories out of a category', () => {
    const r = shapeLeadTimes(
      ['a'],
      {
        phases: [{ category: 'b', phase: 'documents', tenders: 1, p50Seconds: DAY, p90Seconds: DAY }],
        decided: [],
        pending: [],
      },
      at,
    );
    expect(r.categories).toEqual([{ category: 'a', phases: [], gates: [] }]);
  });
});
