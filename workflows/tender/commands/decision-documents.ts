/**
 * Decision documents the tender issues (issue 30, part 4): the opening protocol when the opening is
 * recorded, the evaluation report when the award is decided. Each is built from the recorded facts
 * (libs/domain decision-documents.ts), kept in the read model under a ref of the step that issued
 * it, and its SHA-256 goes into the chain (`document.issued`) and the state; the award decision
 * notices to the tenderers are award-notices.ts (`award.notice_issued`).
 */
import { patched } from '@temporalio/workflow';
import { AbnormallyLowCheck, evaluationReport, openingProtocol } from '@tenderflow/domain/decision-documents';
import { sheetKey } from '@tenderflow/domain/scoring';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import type { AssessmentText, EvaluationText } from '@tenderflow/temporal-common/tender-texts';
import type { DecisionDocumentRecord } from '@tenderflow/temporal-common/tender-types';
import type { TenderRun } from '../tender.run';

/** The opening's protocol is a document with its digest in the chain. */
export const OPENING_PROTOCOL_PATCH = 'opening-protocol-document';
/** The evaluation report gives each abnormally low check (a report issued before keeps its digest). */
export const REPORT_ABNORMALLY_LOW_PATCH = 'evaluation-report-abnormally-low';

function issue(run: TenderRun, kind: DecisionDocumentRecord['kind'], document: object): DecisionDocumentRecord {
  const s = run.state;
  const ref = `document/${kind}@${s.version + 1}`;
  const record: DecisionDocumentRecord = { kind, ref, sha256: documentSha256(document), issuedAt: run.now() };
  run.text(ref, { ...document });
  run.event('document.issued', null, record, undefined);
  s.decisionDocuments = [...(s.decisionDocuments ?? []).filter((d) => d.kind !== kind), record];
  return record;
}

/** At the opening (recordOpening): the protocol of who opened, when, and every tender with its prices. */
export function issueOpeningProtocol(run: TenderRun): void {
  if (!patched(OPENING_PROTOCOL_PATCH)) return;
  const s = run.state;
  const deadline = run.lastPast('tender_deadline');
  issue(
    run,
    'opening_protocol',
    openingProtocol({
      tenderId: s.id,
      title: s.title,
      organization: s.organization,
      deadline: deadline ? { lastDay: deadline.lastDay, at: deadline.at } : null,
      openedAt: s.opening!.recordedAt,
      openers: s.opening!.openers,
      recordedBy: s.opening!.recordedBy.name,
      tenders: s.tendersReceived.map((t) => ({
        supplier: t.supplier,
        ...(t.orgNumber ? { orgNumber: t.orgNumber } : {}),
        receivedAt: t.receivedAt,
        late: t.late,
        ...(t.lots ? { lots: t.lots } : {}),
        ...(t.prices ? { prices: t.prices } : {}),
      })),
    }),
  );
}

/** The award's winners, each with the reasons the evaluation recorded (by the proposal's position). */
export function winnersWithReasons(
  run: TenderRun,
  reasons: (string | undefined)[],
): { lot?: string; supplier: string; reasons?: string }[] {
  return run.state.award!.winners.map((w, i) => ({
    ...(w.lot !== undefined ? { lot: w.lot } : {}),
    supplier: w.supplier,
    ...(reasons[i] !== undefined ? { reasons: reasons[i] } : {}),
  }));
}

/** Each assessed tender's result by supplier, a rejection with its reason (from the read model). */
export type AssessmentOutcomes = Map<string, { result: string; reason?: string }>;

export async function assessmentOutcomes(run: TenderRun): Promise<AssessmentOutcomes> {
  const outcomes: AssessmentOutcomes = new Map();
  for (const a of run.state.assessments ?? []) {
    const stored =
      a.result === 'rejected' && a.textRef ? await run.storedContent<AssessmentText>(a.textRef) : undefined;
    const reason = a.result === 'rejected' ? (stored?.reason ?? a.reason) : undefined;
    outcomes.set(a.supplier, { result: a.result, ...(reason ? { reason } : {}) });
  }
  return outcomes;
}

/**
 * At the award decision (award.ts, under its patch): the evaluation's report, with the reasons from
 * the evaluation's text, each consensus with its reason, and the approver's justification of any
 * red flag.
 */
export async function issueEvaluationReport(
  run: TenderRun,
  reasons: (string | undefined)[],
  summary: string | undefined,
  assessments: AssessmentOutcomes,
  evaluationChecks: EvaluationText['abnormallyLow'],
): Promise<void> {
  const s = run.state;
  const abnormallyLow = patched(REPORT_ABNORMALLY_LOW_PATCH) ? await abnormallyLowChecks(run, evaluationChecks) : [];
  const award = s.award!;
  const texts = async <T>(ref: string | undefined) => (ref ? await run.storedContent<T>(ref) : undefined);
  const consensus = new Map<string, { scores: Record<string, number>; reason?: string }>();
  for (const c of s.consensus ?? []) {
    const reason = (await texts<{ reason?: string }>(c.textRef))?.reason ?? c.reason;
    consensus.set(sheetKey(c.supplier, c.lot), { scores: c.scores, ...(reason ? { reason } : {}) });
  }
  const decision = [...s.gateDecisions].reverse().find((d) => d.gate === 'award_decision');
  issue(
    run,
    'evaluation_report',
    evaluationReport({
      tenderId: s.id,
      title: s.title,
      organization: s.organization,
      regime: s.regime,
      decidedAt: award.decidedAt,
      decidedBy: award.decidedBy.name,
      tenders: s.tendersReceived.map((t) => ({
        supplier: t.supplier,
        late: t.late,
        ...(assessments.has(t.supplier) ? { assessment: assessments.get(t.supplier) } : {}),
      })),
      lots: (s.evaluation?.ranking ?? []).map((l) => ({
        ...(l.lot !== undefined ? { lot: l.lot } : {}),
        model: l.model,
        ranked: l.ranked.map((r) => {
          const c = consensus.get(sheetKey(r.supplier, l.lot));
          return {
            supplier: r.supplier,
            rank: r.rank,
            priceSek: r.priceSek,
            ...(r.total !== undefined ? { total: r.total } : {}),
            ...(r.comparisonPriceSek !== undefined ? { comparisonPriceSek: r.comparisonPriceSek } : {}),
            ...(c ? { consensus: c } : {}),
          };
        }),
        ...(l.winner ? { winner: l.winner } : {}),
      })),
      proposals: winnersWithReasons(run, reasons),
      ...(abnormallyLow.length > 0 ? { abnormallyLow } : {}),
      ...(summary ? { summary } : {}),
      redFlags: (s.evaluation?.redFlags ?? []).map((f) => ({ code: f.code, value: f.value })),
      ...(decision?.justification ? { justification: decision.justification } : {}),
    }),
  );
}

/**
 * Every abnormally low check, at the assessments and then at the evaluation, with its reason from
 * the read model (a history from before content moved there keeps it in the state).
 */
async function abnormallyLowChecks(
  run: TenderRun,
  evaluationChecks: EvaluationText['abnormallyLow'],
): Promise<AbnormallyLowCheck[]> {
  const s = run.state;
  const checks: AbnormallyLowCheck[] = [];
  const check = (
    supplier: string,
    a: Omit<AbnormallyLowCheck, 'supplier' | 'reason'> & { reason?: string },
    reason: string | undefined,
  ): AbnormallyLowCheck => ({
    supplier,
    ...(a.lot !== undefined ? { lot: a.lot } : {}),
    explanationRequestedOn: a.explanationRequestedOn,
    ...(a.explanationReceivedOn !== undefined ? { explanationReceivedOn: a.explanationReceivedOn } : {}),
    outcome: a.outcome,
    ...((reason ?? a.reason) ? { reason: reason ?? a.reason } : {}),
  });
  for (const a of s.assessments ?? []) {
    if (!a.abnormallyLow?.length) continue;
    const texts = a.textRef ? (await run.storedContent<AssessmentText>(a.textRef))?.abnormallyLowTexts : undefined;
    a.abnormallyLow.forEach((x, i) => checks.push(check(a.supplier, x, texts?.[i]?.reason)));
  }
  (s.evaluation?.abnormallyLow ?? []).forEach((x, i) =>
    checks.push(check(x.supplier, x, evaluationChecks?.[i]?.reason)),
  );
  return checks;
}
