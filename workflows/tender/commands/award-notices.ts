/**
 * The award decision notices (issue 30, part 4): each tenderer's notice as a document of its own,
 * issued by award() (award.ts) when the award is decided, and the one notice to every tenderer of a
 * history from before AWARD_NOTICES_PATCH.
 */
import type { ComputedDeadline } from '@tenderflow/activities/deadline.activities';
import { awardNotices } from '@tenderflow/domain/award-notice';
import { awardNoticeBasis } from '@tenderflow/domain/procedures';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import type { TenderRun } from '../tender.run';
import { winnersWithReasons, type AssessmentOutcomes } from './decision-documents';
import { awardedWithoutNotice } from './without-notice';

/**
 * At the award: the evaluation report and each tenderer's award decision notice are documents,
 * each with its digest in the chain (issue 30, part 4).
 */
export const AWARD_NOTICES_PATCH = 'award-notice-documents';

/**
 * The award decision notice to each tenderer (libs/domain award-notice.ts, 12 kap. 12 § LOU), built
 * from the recorded facts when the award is decided: kept in the read model as the document it is
 * (`notice/award@<version>/<n>`), its SHA-256 in the chain (`award.notice_issued`) and in the state,
 * and e-mailed through the outbox to the tenderer's contact address from the opening (without one,
 * it waits in the outbox addressed to the supplier).
 */
export async function issueAwardNotices(
  run: TenderRun,
  reasons: (string | undefined)[],
  standstill: ComputedDeadline | null,
  assessed: AssessmentOutcomes,
): Promise<void> {
  const s = run.state;
  const award = s.award!;
  const rejected = new Map(
    [...assessed]
      .filter(([, a]) => a.result === 'rejected')
      .map(([supplier, a]) => [supplier, a.reason ? { reason: a.reason } : {}]),
  );
  const notices = awardNotices({
    tenderId: s.id,
    title: s.title,
    organization: s.organization,
    regime: s.regime,
    decidedAt: award.decidedAt,
    decidedBy: award.decidedBy.name,
    winners: winnersWithReasons(run, reasons),
    tenders: s.tendersReceived.map((t) => ({
      supplier: t.supplier,
      ...(t.orgNumber ? { orgNumber: t.orgNumber } : {}),
      ...(t.lots ? { lots: t.lots } : {}),
      late: t.late,
      ...(rejected.has(t.supplier) ? { rejected: rejected.get(t.supplier) } : {}),
    })),
    ranking: s.evaluation?.ranking ?? [],
    standstill: standstill ? { days: award.standstillDays ?? 0, lastDay: standstill.lastDay } : null,
    ...(standstill
      ? {}
      : awardedWithoutNotice(s)
        ? { noStandstillGround: withoutNoticeStandstillGround(s) }
        : s.regime === 'direct'
          ? { noStandstillGround: awardNoticeBasis('direct') }
          : s.regime === 'framework_call_off'
            ? { noStandstillGround: '20 kap. 2 § 2 LOU' }
            : {}),
  });
  const version = s.version + 1;
  award.notices = notices.map((notice, n) => {
    const tender = s.tendersReceived[n];
    const ref = `notice/award@${version}/${n + 1}`;
    const sha256 = documentSha256(notice);
    const recipient = tender.contactEmail
      ? `email:${tender.contactEmail}`
      : `supplier:${tender.orgNumber ?? tender.supplier}`;
    run.text(ref, { ...notice });
    const record = {
      n: n + 1,
      supplier: tender.supplier,
      ...(tender.orgNumber ? { orgNumber: tender.orgNumber } : {}),
      outcome: notice.outcome,
      ref,
      sha256,
      recipient,
    };
    run.event('award.notice_issued', null, record, undefined);
    run.message(
      'award_notice',
      [recipient],
      `${s.id}: ${notice.heading} (${s.title})`,
      [notice.heading, ...notice.text, `SHA-256 för underrättelsen: ${sha256}`].join('\n'),
    );
    return record;
  });
}

/** Why an award without prior notice has no standstill: 20 kap. 2 § 1 LOU above the threshold, 19 a kap. 10 § below. */
export function withoutNoticeStandstillGround(s: TenderRun['state']): string {
  return s.regime === 'eu' ? '20 kap. 2 § 1 LOU' : '19 a kap. 10 § LOU';
}

/** The one notice to every tenderer of a history from before AWARD_NOTICES_PATCH, as it was sent then. */
export function legacyAwardNotice(
  run: TenderRun,
  reasons: (string | undefined)[],
  standstill: ComputedDeadline | null,
): void {
  const s = run.state;
  const winners = s.award!.winners;
  const lines = winners.map(
    (w, i) =>
      `- ${w.lot ? `${w.lot}: ` : ''}${w.supplier}${w.score !== undefined ? ` (score ${w.score})` : ''}. Reasons: ${reasons[i] ?? ''}`,
  );
  const standstillText = standstill
    ? `Standstill (avtalsspärr): ${standstill.days} days, the contract is not signed before the end of ${standstill.lastDay} (20 kap. 1 § LOU).`
    : awardedWithoutNotice(s)
      ? `No standstill applies to an award without prior notice (${withoutNoticeStandstillGround(s)}).`
      : 'No standstill applies to this award.';
  run.message(
    'award_notice',
    run.tendererRecipients(),
    `${s.id}: award decision (tilldelningsbeslut)`,
    [`Award decision for "${s.title}" (${awardNoticeBasis(s.regime)}).`, 'Awarded:', ...lines, standstillText].join(
      '\n',
    ),
  );
}
