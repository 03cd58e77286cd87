import { ApplicationFailure } from '@temporalio/common';
import { classifyDatabaseError, PERMANENT_DB_ERROR, withDatabaseErrorClassification } from './db-errors';

const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
const typeormError = (code: string) => Object.assign(new Error('query failed'), { driverError: pgError(code) });

describe('permanent and passing database errors', () => {
  it.each([
    ['22P02 invalid text representation (e.g. bad JSON)', '22P02'],
    ['22021 character not in repertoire (NUL)', '22021'],
    ['22003 numeric value out of range', '22003'],
    ['23502 not-null violation', '23502'],
    ['23505 unique violation that was not handled', '23505'],
  ])('%s is non-retryable', (_what, code) => {
    const out = classifyDatabaseError(typeormError(code));
    expect(out).toBeInstanceOf(ApplicationFailure);
    expect(out).toMatchObject({ type: PERMANENT_DB_ERROR, nonRetryable: true, details: [{ sqlState: code }] });
  });

  it.each([
    ['08006 connection failure', pgError('08006')],
    ['57P01 admin shutdown', pgError('57P01')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['an error without a code', new Error('Connection terminated unexpectedly')],
  ])('%s is left for Temporal to retry', (_what, err) => {
    expect(classifyDatabaseError(err)).toBe(err);
  });

  it('wraps every activity of a set', async () => {
    const acts = withDatabaseErrorClassification({
      ok: async () => 1,
      bad: async () => {
        throw typeormError('22P02');
      },
    });
    await expect(acts.ok()).resolves.toBe(1);
    await expect(acts.bad()).rejects.toMatchObject({ type: PERMANENT_DB_ERROR, nonRetryable: true });
  });
});
