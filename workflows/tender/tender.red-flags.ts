/**
 * Red flags before the award decision (issue 30, part 5): when the evaluation asks for the award
 * decision, the Open Contracting Partnership's indicators that apply to one procedure are computed
 * from the tender's own data (libs/domain red-flags.ts, as Cardinal computes them on the same OCDS
 * data), with the proposed winners as the awards. They go with the pending award gate to the
 * approver; approving a flagged award takes a written justification, which the decision records.
 *
 * The cross-procedure fences of R024/R058 need the organisation's other procedures; within the
 * workflow the thresholds of DEFAULT_RED_FLAG_SETTINGS apply.
 */
import { PROCUREMENT_METHOD } from '@tenderflow/domain/procedures';
import { DEFAULT_RED_FLAG_SETTINGS, redFlags, type FlagCode, type ReleaseForFlags } from '@tenderflow/domain/red-flags';
import type { Proposal, RaisedFlag, TenderState } from '@tenderflow/temporal-common/tender-types';

/** Histories from before it take no flags (their evaluations were submitted without). */
export const AWARD_RED_FLAGS_PATCH = 'award-red-flags';

/**
 * The procedure as the indicators read it: the tender period from the publication to the tender
 * deadline, each tender received in time as a bid per lot priced (its assessment as the status: a
 * bid not assessed is pending, submitted), and the proposals' suppliers as the active awards.
 */
export function releaseForFlags(s: TenderState, proposals: readonly Proposal[]): ReleaseForFlags {
  const deadline = [...s.pastDeadlines, ...s.deadlines].filter((d) => d.kind === 'tender_deadline').pop();
  const valid = s.tendersReceived.filter((t) => !t.late);
  const status = (supplier: string, lot: string | undefined) => {
    const a = s.assessments?.find((x) => x.supplier === supplier);
    if (!a) return 'pending';
    const lowRejected = a.abnormallyLow?.some(
      (x) => x.outcome === 'rejected' && (x.lot === undefined || lot === undefined || x.lot === lot),
    );
    return a.result === 'rejected' || lowRejected ? 'disqualified' : 'valid';
  };
  const bids = valid.flatMap((t) =>
    (t.prices?.length ? t.prices : [undefined]).map((p) => ({
      status: status(t.supplier, p?.lot),
      date: t.receivedAt,
      tenderers: [{ id: t.supplier }],
      ...(p ? { value: { amount: p.priceSek, currency: 'SEK' } } : {}),
    })),
  );
  const winners = [...new Set(proposals.map((p) => p.supplier))];
  return {
    ocid: s.id,
    buyer: { id: s.organization },
    tender: {
      status: 'active',
      procurementMethod: PROCUREMENT_METHOD[s.procedure],
      numberOfTenderers: new Set(valid.map((t) => t.supplier)).size,
      procuringEntity: { id: s.organization },
      ...(s.publication && deadline ? { tenderPeriod: { startDate: s.publication.sentAt, endDate: deadline.at } } : {}),
    },
    bids: { details: bids },
    awards: winners.map((w) => ({ status: 'active', suppliers: [{ id: w }] })),
  };
}

/** The flags raised on this procedure, in code order. */
export function raisedFlags(s: TenderState, proposals: readonly Proposal[]): RaisedFlag[] {
  const results = redFlags([releaseForFlags(s, proposals)], DEFAULT_RED_FLAG_SETTINGS).OCID[s.id] ?? {};
  return (Object.entries(results) as [FlagCode, number][])
    .map(([code, value]) => ({ code, value }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
