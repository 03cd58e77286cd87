import { isDatabaseUnavailable } from './problem.filter';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ driverError: { code: '57P01', message: 'terminating connection due to administrator command' } }, true],
    [{ message: 'Connection terminated unexpectedly' }, true],
    [{ cause: { code: '08006' } }, true],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }, false],
    [new Error('something else'), false],
  ])('%j → %s', (err, expected) => {
    expect(isDatabaseUnavailable(err)).toBe(expected);
  });
});
