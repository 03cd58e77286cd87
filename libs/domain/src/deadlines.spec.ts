import {
  answerForcesExtension,
  computeDeadline,
  DEADLINE_KINDS,
  earliestRequestDeadline,
  earliestTenderDeadline,
  invalidityExposure,
  latestAnswerDate,
  minimumDeadlineAfterAnswer,
  minimumTenderPeriod,
  questionCutoff,
  requestPeriod,
  standstillEnd,
} from './deadlines';
import { DomainInputError } from './errors';

describe('minimumTenderPeriod (11 kap. LOU; skälig tid, 19 kap. 11 § LOU)', () => {
  it.each([
    [{ regime: 'eu', procedure: 'open', electronic: false }, 35, '11 kap. 2 § LOU'],
    [{ regime: 'eu', procedure: 'open', electronic: true }, 30, '11 kap. 2 och 6 §§ LOU'],
    [{ regime: 'eu', procedure: 'open', pin: true }, 15, '11 kap. 5 § LOU'],
    [{ regime: 'eu', procedure: 'open', urgent: true, electronic: false }, 15, '11 kap. 10 § LOU'],
    [{ regime: 'eu', procedure: 'restricted', subCentral: false, electronic: false }, 30, '11 kap. 4 § LOU'],
    [{ regime: 'eu', procedure: 'restricted', subCentral: false, electronic: true }, 25, '11 kap. 4 och 6 §§ LOU'],
    [{ regime: 'eu', procedure: 'restricted', subCentral: false, pin: true }, 10, '11 kap. 5 § LOU'],
    [
      { regime: 'eu', procedure: 'restricted', subCentral: false, urgent: true, electronic: false },
      10,
      '11 kap. 10 § LOU',
    ],
    [{ regime: 'eu', procedure: 'restricted' }, 10, '11 kap. 7 § LOU'],
    [{ regime: 'eu', procedure: 'negotiated_with_notice', agreedWithCandidates: 20 }, 20, '11 kap. 7 § LOU'],
    [{ regime: 'eu', procedure: 'competitive_dialogue' }, 15, '11 kap. 1 § LOU'],
    [{ regime: 'national', procedure: 'open' }, 15, '19 kap. 11 § LOU'],
    [{ regime: 'national', procedure: 'simplified', reasonableDays: 21 }, 21, '19 kap. 11 § LOU'],
    [{ regime: 'eu', procedure: 'open', annex2: true }, 15, '19 kap. 11 § LOU'],
    [{ regime: 'eu', procedure: 'open', documentsNotElectronic: true }, 35, 'fem dagar'],
    [{ regime: 'direct', procedure: 'direct_award' }, 0, '19 a kap. LOU'],
    [{ regime: 'framework_call_off', procedure: 'call_off', reasonableDays: 7 }, 7, '7 kap. LOU'],
  ] as const)('%j → %d days (%s)', (params, days, basis) => {
    const r = minimumTenderPeriod(params);
    expect(r.days).toBe(days);
    expect(r.basis).toContain(basis);
  });

  it('policy offset is added to the statutory minimum, and named', () => {
    const r = minimumTenderPeriod({ regime: 'eu', procedure: 'open', electronic: true, policyExtraDays: 5 });
    expect(r.days).toBe(35);
    expect(r.basis).toContain('policy');
  });

  it('rejects negative configuration', () => {
    expect(() => minimumTenderPeriod({ regime: 'national', procedure: 'simplified', reasonableDays: -1 })).toThrow(
      DomainInputError,
    );
  });
});

describe('request periods', () => {
  it.each([
    [{ regime: 'eu', procedure: 'restricted' }, 30, '11 kap. 3 § LOU'],
    [{ regime: 'eu', procedure: 'restricted', urgent: true }, 15, '11 kap. 10 § LOU'],
    [{ regime: 'eu', procedure: 'innovation_partnership' }, 30, '11 kap. 3 § LOU'],
    [{ regime: 'national', procedure: 'selective' }, 10, '19 kap. 11 § LOU'],
    [{ regime: 'national', procedure: 'restricted' }, 10, '19 kap. 11 § LOU'],
    [{ regime: 'national', procedure: 'restricted', nationalRequestDays: 5 }, 5, '19 kap. 11 § LOU'],
    [{ regime: 'national', procedure: 'competitive_dialogue', nationalRequestDays: 14 }, 14, '19 kap. 11 § LOU'],
    [{ regime: 'eu', procedure: 'restricted', annex2: true }, 10, '19 kap. 11 § LOU'],
  ] as const)('%j → %d days', (params, days, basis) => {
    expect(requestPeriod(params)).toEqual({ days, basis: expect.stringContaining(basis) });
  });

  it('open procedure has no request stage', () => {
    expect(requestPeriod({ regime: 'eu', procedure: 'open' })).toBeNull();
    expect(() => earliestRequestDeadline('2026-01-01', { regime: 'eu', procedure: 'open' })).toThrow(DomainInputError);
  });

  it('request deadline 30 days from 2026-05-20 → Midsummer Eve → Monday', () => {
    expect(earliestRequestDeadline('2026-05-20', { regime: 'eu', procedure: 'restricted' })).toMatchObject({
      rawLastDay: '2026-06-19',
      lastDay: '2026-06-22',
      moved: true,
    });
  });
});

describe('earliestTenderDeadline', () => {
  it('returns kind, from, days, lastDay, basis and the timer instant', () => {
    expect(earliestTenderDeadline('2025-11-20', { regime: 'eu', procedure: 'open', electronic: false })).toEqual({
      kind: 'tender_deadline',
      from: '2025-11-20',
      days: 35,
      rawLastDay: '2025-12-25',
      lastDay: '2025-12-29',
      moved: true,
      endsAt: '2025-12-29T23:59:59+01:00',
      basis: '11 kap. 2 § LOU; lag (1930:173) om beräkning av lagstadgad tid, 2 §',
    });
  });
});

describe('questions and answers (12 kap. 11 § LOU)', () => {
  it('question cut-off is a policy default of 10 days, configurable', () => {
    expect(questionCutoff('2026-04-20').lastDay).toBe('2026-04-10');
    expect(questionCutoff('2026-04-20', 14).lastDay).toBe('2026-04-06');
    expect(questionCutoff('2026-04-20').basis).toContain('policy');
  });

  it('answers must be out six days before the deadline; later answers force an extension', () => {
    expect(latestAnswerDate('2026-04-20').lastDay).toBe('2026-04-14');
    expect(answerForcesExtension('2026-04-14', '2026-04-20')).toBe(false);
    expect(answerForcesExtension('2026-04-15', '2026-04-20')).toBe(true);
    expect(minimumDeadlineAfterAnswer('2026-04-15')).toBe('2026-04-21');
    expect(answerForcesExtension('2026-04-15', minimumDeadlineAfterAnswer('2026-04-15'))).toBe(false);
  });
});

describe('standstill and invalidity', () => {
  it('electronic 10 / other 15 days (20 kap. 1 § LOU)', () => {
    expect(standstillEnd('2026-03-02', 'electronic')).toMatchObject({ days: 10, lastDay: '2026-03-12', moved: false });
    expect(standstillEnd('2026-03-02', 'other')).toMatchObject({ days: 15, lastDay: '2026-03-17' });
    expect(() => standstillEnd('2026-03-02', 'fax' as 'other')).toThrow(DomainInputError);
  });

  it('30 days after a notice of the concluded contract (20 kap. 17 § andra stycket LOU)', () => {
    expect(invalidityExposure({ signedDate: '2026-05-01', noticeDate: '2026-05-10' })).toMatchObject({
      from: '2026-05-10',
      days: 30,
      lastDay: '2026-06-09',
    });
  });
});

describe('computeDeadline (GET /reference/deadlines)', () => {
  it.each([
    ['standstill', { from: '2025-06-10', notice: 'electronic' }, '2025-06-23'],
    ['standstill', { from: '2025-12-09', notice: 'other' }, '2025-12-29'],
    ['review_hold', { from: '2027-12-14' }, '2027-12-27'],
    ['post_award_notice', { from: '2028-05-06' }, '2028-06-05'],
    ['documentation', { from: '2028-05-07' }, '2028-06-07'],
    ['invalidity', { from: '2026-08-31' }, '2027-03-01'],
    ['tender_deadline', { from: '2026-03-05', regime: 'eu', procedure: 'open' }, '2026-04-07'],
    ['request_deadline', { from: '2026-05-20', regime: 'eu', procedure: 'restricted' }, '2026-06-22'],
    ['question_cutoff', { from: '2026-04-20' }, '2026-04-10'],
    ['latest_answer', { from: '2026-04-20' }, '2026-04-14'],
    ['period', { from: '2026-12-14', days: 10 }, '2026-12-28'],
  ] as const)('%s %j → %s', (kind, params, lastDay) => {
    const r = computeDeadline(kind, params);
    expect(r).toMatchObject({ kind, from: params.from, lastDay });
    expect(typeof r.basis).toBe('string');
    expect(typeof r.days).toBe('number');
  });

  it('covers every kind', () => {
    expect(DEADLINE_KINDS).toHaveLength(11);
  });

  it('reports missing parameters and unknown kinds as input errors', () => {
    expect(() => computeDeadline('tender_deadline', { from: '2026-03-05' })).toThrow(/regime is required/);
    expect(() => computeDeadline('period', { from: '2026-03-05' })).toThrow(/days is required/);
    expect(() => computeDeadline('bogus' as 'period', { from: '2026-03-05' })).toThrow(DomainInputError);
    expect(() => computeDeadline('standstill', { from: '2026-3-5' })).toThrow(/YYYY-MM-DD/);
  });
});
