import { ApplicationFailure } from '@temporalio/common';
import { createDeadlineActivities, DEADLINE_INPUT_ERROR, toStockholmDate } from './deadline.activities';

describe('deadline activities', () => {
  const { computeDeadline, computeOptionalDeadline } = createDeadlineActivities();

  it('turns an instant into its Stockholm date (late evening UTC is the next day in Sweden)', () => {
    expect(toStockholmDate('2026-06-30T22:30:00.000Z')).toBe('2026-07-01');
    expect(toStockholmDate('2026-12-31T22:59:00.000Z')).toBe('2026-12-31');
    expect(toStockholmDate('2026-12-31')).toBe('2026-12-31');
  });

  it('computes a standstill ending on a working day, as a UTC instant at the end of the Swedish day', async () => {
    // Sent Friday 11 Dec 2026: day 10 is Mon 21 Dec, a working day.
    const d = await computeDeadline({
      kind: 'standstill',
      rule: 'standstill',
      from: '2026-12-11',
      params: { notice: 'electronic' },
    });
    expect(d).toMatchObject({ kind: 'standstill', lastDay: '2026-12-21', days: 10, at: '2026-12-21T22:59:59.000Z' });
    expect(d.basis).toContain('20 kap. 1 § LOU');
  });

  it('moves a 15-day standstill from Christmas Eve and New Year to the next working day', async () => {
    // Sent 17 Dec 2026 + 15 = 1 Jan 2027 (New Year's Day, a Friday) → Monday 4 Jan 2027.
    const d = await computeDeadline({
      kind: 'standstill',
      rule: 'standstill',
      from: '2026-12-17',
      params: { notice: 'other' },
    });
    expect(d.lastDay).toBe('2027-01-04');
    expect(d.moved).toBe(true);
  });

  it('accepts a fixed last day chosen by the authority, in summer time', async () => {
    const d = await computeDeadline({
      kind: 'tender_deadline',
      rule: 'fixed',
      lastDay: '2027-06-14',
      basis: 'extended',
    });
    expect(d).toEqual({
      kind: 'tender_deadline',
      at: '2027-06-14T21:59:59.000Z',
      lastDay: '2027-06-14',
      basis: 'extended',
    });
  });

  it('answers null for a request stage the procedure does not have', async () => {
    const params = { regime: 'eu' as const, procedure: 'open' as const };
    await expect(
      computeOptionalDeadline({ kind: 'request_deadline', rule: 'request_deadline', from: '2026-12-01', params }),
    ).resolves.toBeNull();
    const restricted = await computeOptionalDeadline({
      kind: 'request_deadline',
      rule: 'request_deadline',
      from: '2026-12-01',
      params: { regime: 'eu', procedure: 'restricted' },
    });
    expect(restricted?.days).toBe(30);
  });

  it('refuses bad input with a non-retryable failure', async () => {
    const err = await computeDeadline({ kind: 'x', rule: 'fixed', lastDay: '2026-02-30' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: DEADLINE_INPUT_ERROR, nonRetryable: true });
  });
});
