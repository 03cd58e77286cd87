import { checkHorizon } from './tender.checks';

/** Dates a command names are Swedish calendar days: "the past" is the past in Stockholm. */
describe('checkHorizon', () => {
  it('at 00:30 in Stockholm (23:30 UTC the day before) yesterday in Sweden is in the past', () => {
    // 2026-12-03T23:30Z is 2026-12-04 00:30 in Stockholm (CET, UTC+1).
    expect(checkHorizon('2026-12-03', 'extendTo', '2026-12-03T23:30:00.000Z')).toMatchObject({
      allowed: false,
      field: 'extendTo',
      rule: 'date_in_past',
    });
    expect(checkHorizon('2026-12-04', 'extendTo', '2026-12-03T23:30:00.000Z')).toEqual({ allowed: true });
  });

  it('in summer time (UTC+2) too: 22:30 UTC on 2026-07-01 is already 2 July in Stockholm', () => {
    expect(checkHorizon('2026-07-01', 'deadline', '2026-07-01T22:30:00.000Z')).toMatchObject({
      allowed: false,
      rule: 'date_in_past',
    });
    expect(checkHorizon('2026-07-01', 'deadline', '2026-07-01T21:30:00.000Z')).toEqual({ allowed: true });
  });

  it('more than two years ahead of the Swedish day is too far', () => {
    expect(checkHorizon('2029-12-05', 'deadline', '2026-12-03T23:30:00.000Z')).toMatchObject({
      allowed: false,
      rule: 'date_too_far_ahead',
    });
  });
});
