import { ApplicationFailure } from '@temporalio/common';

import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';

export { PERMANENT_DB_ERROR };

/** SQLSTATE of the error or of what it wraps (TypeORM's QueryFailedError keeps the driver's). */
export function sqlState(err: unknown): string | undefined {
  for (
    let e = err as { code?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return undefined;
}

/**
 * Data exceptions (class 22: bad text, out-of-range numbers, malformed JSON) and integrity
 * violations (class 23) will fail the same way on every retry: retrying them for ever jammed a
 * tender. They become non-retryable failures the workflow refuses cleanly. Connection and
 * availability errors (class 08, 57, refused connections) are left as they are, and Temporal's
 * retry policy retries them with back-off. A unique violation the writer uses for idempotency is
 * handled inside the activity (ON CONFLICT / "already there") and never reaches this point.
 */
export function classifyDatabaseError(err: unknown): unknown {
  const state = sqlState(err);
  if (state && (state.startsWith('22') || state.startsWith('23'))) {
    const message = (err as Error)?.message ?? state;
    return ApplicationFailure.create({
      type: PERMANENT_DB_ERROR,
      message: `PostgreSQL refused the write (SQLSTATE ${state}): ${message}`,
      nonRetryable: true,
      details: [{ sqlState: state }],
    });
  }
  return err;
}

/** Wraps every activity of a set so that permanent database errors are not retried. */
export function withDatabaseErrorClassification<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw classifyDatabaseError(err);
      }
    };
  }
  return wrapped as T;
}
