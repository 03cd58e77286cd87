import { GATES, PHASES } from '@tenderflow/domain/types';

/**
 * Lead times per phase and waiting times per gate, by category: the shape of GET /metrics/lead-times.
 * The percentiles are computed in PostgreSQL (percentile_cont: linear interpolation between the
 * closest ranks); this module turns its rows into the report, in days to one decimal.
 */

export interface PhaseRow {
  category: string;
  phase: string;
  tenders: number;
  p50Seconds: number;
  p90Seconds: number;
}

export interface DecidedGateRow {
  category: string;
  gate: string;
  decisions: number;
  /** Decisions whose request could not be found in the audit log: not in the percentiles. */
  unmatched: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface PendingGateRow {
  category: string;
  gate: string;
  pending: number;
  p50Seconds: number;
  oldestSeconds: number;
}

export interface PhaseLeadTime {
  phase: string;
  /** Tenders that have left the phase (every visit closed); a tender's visits are summed. */
  tenders: number;
  p50Days: number;
  p90Days: number;
}

export interface GateWait {
  gate: string;
  decided: { count: number; unmatched: number; p50Days: number | null; p90Days: number | null };
  pending: { count: number; p50Days: number | null; oldestDays: number | null };
}

export interface CategoryLeadTimes {
  category: string;
  phases: PhaseLeadTime[];
  gates: GateWait[];
}

export interface LeadTimesReport {
  generatedAt: string;
  unit: 'days';
  basis: { phases: string; gatesDecided: string; gatesPending: string; percentiles: string };
  categories: CategoryLeadTimes[];
}

export const LEAD_TIME_BASIS: LeadTimesReport['basis'] = {
  phases:
    'tenders.timeline: for each tender, the time from entering a phase to leaving it, summed over its visits; ' +
    'tenders still in the phase (or ended in it: completed, cancelled, unsuccessful) are not counted',
  gatesDecided:
    "from the gate's request (the gate.requested event in the audit log, the same instant as the pending gate's `since`) " +
    'to its decision (tenders.gate_decisions); every decision counts, approve, reject or request_changes',
  gatesPending:
    'pending_gates: from `since` to now, for gates not yet decided; kept apart so that open waits do not skew the decided ones',
  percentiles: 'percentile_cont (linear interpolation) in PostgreSQL, converted to days and rounded to one decimal',
};

const SECONDS_PER_DAY = 86_400;

/** Seconds to days, one decimal. */
export function toDays(seconds: number): number;
export function toDays(seconds: number | null): number | null;
export function toDays(seconds: number | null): number | null {
  if (seconds === null || seconds === undefined) return null;
  return Math.round((Number(seconds) / SECONDS_PER_DAY) * 10) / 10;
}

const rank = (order: readonly string[], x: string) => {
  const i = order.indexOf(x);
  return i < 0 ? order.length : i;
};

/**
 * The report for `categories` (every category that has rows when null), categories by name,
 * phases in lifecycle order, gates in the order they come.
 */
export function shapeLeadTimes(
  categories: string[] | null,
  rows: { phases: PhaseRow[]; decided: DecidedGateRow[]; pending: PendingGateRow[] },
  generatedAt: Date,
): LeadTimesReport {
  const names = categories ?? [...rows.phases, ...rows.decided, ...rows.pending].map((r) => r.category);
  const unique = [...new Set(names)].sort();
  return {
    generatedAt: generatedAt.toISOString(),
    unit: 'days',
    basis: LEAD_TIME_BASIS,
    categories: unique.map((category) => {
      const phases = rows.phases
        .filter((r) => r.category === category)
        .sort((a, b) => rank(PHASES, a.phase) - rank(PHASES, b.phase))
        .map((r) => ({
          phase: r.phase,
          tenders: r.tenders,
          p50Days: toDays(r.p50Seconds),
          p90Days: toDays(r.p90Seconds),
        }));
      const gateNames = [...rows.decided, ...rows.pending].filter((r) => r.category === category).map((r) => r.gate);
      const gates = [...new Set(gateNames)]
        .sort((a, b) => rank(GATES, a) - rank(GATES, b))
        .map((gate): GateWait => {
          const d = rows.decided.find((r) => r.category === category && r.gate === gate);
          const p = rows.pending.find((r) => r.category === category && r.gate === gate);
          return {
            gate,
            decided: {
              count: d ? d.decisions - d.unmatched : 0,
              unmatched: d?.unmatched ?? 0,
              p50Days: toDays(d?.p50Seconds ?? null),
              p90Days: toDays(d?.p90Seconds ?? null),
            },
            pending: {
              count: p?.pending ?? 0,
              p50Days: toDays(p?.p50Seconds ?? null),
              oldestDays: toDays(p?.oldestSeconds ?? null),
            },
          };
        });
      return { category, phases, gates };
    }),
  };
}
