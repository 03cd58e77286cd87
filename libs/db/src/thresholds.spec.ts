import { THRESHOLD_ROWS } from '@tenderflow/domain/thresholds';
import { mergeOverrides, thresholdRows } from './thresholds';

describe('threshold rows with their overrides', () => {
  it('without overrides, the statutory rows as shipped', () => {
    expect(mergeOverrides([])).toEqual([...THRESHOLD_ROWS]);
  });

  it('an override (a numeric, as PostgreSQL answers it) confirms its row and names both sources; the others stay', () => {
    const rows = mergeOverrides([{ id: 'thr-2026-social-services', sek: '8000000', source: 'SFS 2026:1' }]);
    const shipped = THRESHOLD_ROWS.find((r) => r.id === 'thr-2026-social-services')!;
    const merged = rows.find((r) => r.id === 'thr-2026-social-services')!;
    expect(merged).toEqual({
      ...shipped,
      sek: 8_000_000,
      confirmed: true,
      source: `SFS 2026:1 (administrator override; shipped: ${shipped.source})`,
    });
    expect(rows.filter((r) => r.id !== merged.id)).toEqual(THRESHOLD_ROWS.filter((r) => r.id !== merged.id));
  });

  it('refuses an override of an unknown row, or a figure that is no positive whole number of kronor', () => {
    expect(() => mergeOverrides([{ id: 'nope', sek: '1', source: 'x' }])).toThrow(/unknown/);
    expect(() => mergeOverrides([{ id: 'thr-2026-works', sek: '-5', source: 'x' }])).toThrow(RangeError);
    expect(() => mergeOverrides([{ id: 'thr-2026-works', sek: '1.5', source: 'x' }])).toThrow(RangeError);
  });

  it('reads the overrides with one query and merges them', async () => {
    const query = jest.fn().mockResolvedValue([{ id: 'thr-2026-works', sek: '60000000', source: 'admin' }]);
    const rows = await thresholdRows({ query } as never);
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0][0]).toBe('SELECT id, sek, source FROM threshold_overrides');
    expect(rows.find((r) => r.id === 'thr-2026-works')).toMatchObject({ sek: 60_000_000, confirmed: true });
  });
});
