import { ApplicationFailure } from '@temporalio/common';
import {
  computeDeadline as computeRuleDeadline,
  DEADLINE_KINDS,
  DomainInputError,
  endOfDayStockholmIso,
  InvalidDateError,
  isIsoDate,
  requestPeriod,
} from '@tenderflow/domain';
import type { ComputeDeadlineParams, DeadlineKind, IsoDate } from '@tenderflow/domain';

/**
 * Deadline arithmetic for workflows. Working days, Swedish holidays and time zones are not
 * deterministic enough (and far too heavy) for workflow code, so the workflow asks here and
 * records the answer in its history. Pure: no database, no clock except the instant it is given.
 */

/** The error type the workflow lists as non-retryable: a request the rules cannot answer. */
export const DEADLINE_INPUT_ERROR = 'DeadlineInputError';

export interface DeadlineRequest {
  /** The name the tender knows the deadline by, e.g. 'tender_deadline', 'opening_due'. */
  kind: string;
  /**
   * The rule that computes it (a kind of the rules library), or 'fixed' for a last day chosen by
   * the authority (an extension, a later deadline than the minimum): then `lastDay` is required.
   */
  rule: DeadlineKind | 'fixed';
  /**
   * The day counted from: a `YYYY-MM-DD` date in Sweden, or an ISO instant that is first turned
   * into its Stockholm date (the workflow passes its own `Date.now()` for "sent today").
   */
  from?: string;
  lastDay?: IsoDate;
  params?: Omit<ComputeDeadlineParams, 'from'>;
  /** Overrides the rule's basis (policy deadlines computed with the generic 'period' rule). */
  basis?: string;
}

export interface ComputedDeadline {
  kind: string;
  /** The instant the period ends: 23:59:59 Stockholm time on `lastDay`, as UTC ISO. */
  at: string;
  lastDay: IsoDate;
  /** The day counted from (not itself counted), when the rule counts days. */
  from?: IsoDate;
  days?: number;
  /** True when the working-day rule (lag 1930:173 2 §) moved the last day. */
  moved?: boolean;
  basis: string;
}

const stockholmDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Sweden at an instant, or the date itself when given one. */
export function toStockholmDate(value: string): IsoDate {
  if (isIsoDate(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidDateError(value);
  return stockholmDateFormat.format(new Date(ms));
}

function badInput(err: unknown): never {
  if (err instanceof DomainInputError || err instanceof InvalidDateError || err instanceof RangeError) {
    throw ApplicationFailure.create({
      type: DEADLINE_INPUT_ERROR,
      message: err.message,
      nonRetryable: true,
      details: [{ field: err instanceof DomainInputError ? err.field : undefined }],
    });
  }
  throw err;
}

function compute(req: DeadlineRequest): ComputedDeadline {
  try {
    if (req.rule === 'fixed') {
      if (!req.lastDay || !isIsoDate(req.lastDay)) throw new InvalidDateError(req.lastDay ?? 'lastDay (missing)');
      return {
        kind: req.kind,
        at: new Date(endOfDayStockholmIso(req.lastDay)).toISOString(),
        lastDay: req.lastDay,
        basis: req.basis ?? 'set by the contracting authority',
      };
    }
    if (!(DEADLINE_KINDS as readonly string[]).includes(req.rule)) {
      throw new DomainInputError(`unknown rule ${String(req.rule)}`, 'rule');
    }
    if (req.from === undefined) throw new DomainInputError('from is required', 'from');
    const r = computeRuleDeadline(req.rule, { ...req.params, from: toStockholmDate(req.from) });
    return {
      kind: req.kind,
      at: new Date(r.endsAt).toISOString(),
      lastDay: r.lastDay,
      from: r.from,
      days: r.days,
      moved: r.moved,
      basis: req.basis ? `${req.basis}; ${r.basis}` : r.basis,
    };
  } catch (err) {
    badInput(err);
  }
}

export function createDeadlineActivities() {
  return {
    /** One deadline by the rules library. Throws a non-retryable DeadlineInputError on bad input. */
    async computeDeadline(req: DeadlineRequest): Promise<ComputedDeadline> {
      return compute(req);
    },

    /**
     * Like computeDeadline, but null when the procedure has no such period (e.g. the request
     * stage of an open procedure) instead of an error.
     */
    async computeOptionalDeadline(req: DeadlineRequest): Promise<ComputedDeadline | null> {
      const p = req.params;
      if (req.rule === 'request_deadline' && p?.regime && p.procedure) {
        if (requestPeriod({ regime: p.regime, procedure: p.procedure, urgent: p.urgent }) === null) return null;
      }
      return compute(req);
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
