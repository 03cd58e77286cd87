/**
 * A contract's follow-up report (issue 31, part 5), in Swedish, as of a date: the controls the
 * requirements register made (planned, done, deviations, overdue, the next), the other milestones,
 * each deviation with its severity and the corrective action, the changes under 17 kap. LOU and
 * the extensions. Built from the contract's recorded state only; what happened after the date is
 * left out. Pure and deterministic: the API builds it on demand, as JSON or as a PDF.
 */
import { endsSentence, kronor } from './award-notice';
import { stockholmDateOf } from './dates';
import { FOLLOW_UP_METHOD_SV, milestoneTitleSv, SEVERITY_SV } from './milestone-texts';

/** The parts of a contract's state the report reads (libs/temporal-common ContractState has them). */
export interface ReportContract {
  id: string;
  tenderId: string;
  title: string;
  organization: string;
  supplier: string;
  startDate: string;
  endDate: string;
  latestEndDate: string;
  signedAt: string;
  milestones: {
    id: string;
    kind: string;
    title: string;
    dueDate: string;
    status: string;
    control?: { requirementId: string; method: string; criterionId?: string };
    correctiveFor?: string;
    completion?: {
      outcome: string;
      note: string;
      at: string;
      severity?: string;
      correctiveActionId?: string;
      sanctionDecisionId?: string;
      sanction?: { decision: string; kind?: string; amountSek?: number };
    };
  }[];
  /** A termination decided as a sanction: the day the contract ended early. */
  terminatedOn?: string;
  changes?: {
    id: string;
    paragraph: string;
    valueChangeSek: number;
    valueAfterSek: number;
    description: string;
    newSupplier?: string;
    noticeMilestoneId?: string;
    at: string;
  }[];
  extensions: { extend: boolean; months: number; from: string; to: string; at: string }[];
}

export interface ControlLine {
  requirementId: string;
  method: string;
  criterionId?: string;
  planned: number;
  done: number;
  deviations: number;
  overdue: number;
  /** The next control due after the date, if any is planned. */
  next?: string;
}

export interface FollowUpReport {
  kind: 'follow_up_report';
  heading: string;
  contractId: string;
  tenderId: string;
  title: string;
  organization: string;
  supplier: string;
  asOf: string;
  period: { startDate: string; endDate: string; latestEndDate: string };
  /** The value when signed, and after the changes registered by the date. */
  value: { signedSek: number; asOfSek: number };
  controls: ControlLine[];
  milestones: { planned: number; done: number; overdue: number; deviations: number };
  deviations: {
    milestoneId: string;
    title: string;
    on: string;
    severity?: string;
    note: string;
    correctiveAction?: { id: string; dueDate: string; done: boolean };
    /** A major or critical deviation on a contract with sanctions: its decision, once taken by the date. */
    sanctionDecision?: {
      id: string;
      dueDate: string;
      decided?: { decision: string; kind?: string; amountSek?: number; on: string };
    };
  }[];
  changes: NonNullable<ReportContract['changes']>;
  extensions: ReportContract['extensions'];
  text: string[];
}

const SANCTION_SV: Record<string, string> = { penalty: 'vite', price_reduction: 'prisavdrag', termination: 'hävning' };

/** A deviation's sanction decision in a sentence: decided (what, how much, when) or when it is due. */
function sanctionSentence(d: NonNullable<FollowUpReport['deviations'][number]['sanctionDecision']>): string {
  const x = d.decided;
  if (!x) return ` Beslut om sanktion ${d.id}, senast ${d.dueDate}: inte fattat.`;
  if (x.decision !== 'impose') return ` Beslut om sanktion ${d.id} den ${x.on}: ingen sanktion.`;
  const what = SANCTION_SV[x.kind ?? ''] ?? x.kind;
  return ` Beslut om sanktion ${d.id} den ${x.on}: ${what}${x.amountSek !== undefined ? ` ${kronor(x.amountSek)}` : ''}.`;
}

/** The Swedish calendar day of an instant (a completion, a change, an extension decision). */
const day = (iso: string) => stockholmDateOf(Date.parse(iso));

/**
 * The report as of `asOf` (YYYY-MM-DD): a milestone counts as planned when due by then, done when
 * completed by then, overdue when due before it and not done by then.
 */
export function followUpReport(c: ReportContract, asOf: string, signedValueSek: number): FollowUpReport {
  const doneBy = (m: ReportContract['milestones'][number]) => !!m.completion && day(m.completion.at) <= asOf;
  const planned = c.milestones.filter((m) => m.dueDate <= asOf);
  const overdue = (m: ReportContract['milestones'][number]) => m.dueDate < asOf && !doneBy(m);
  const deviated = (m: ReportContract['milestones'][number]) => doneBy(m) && m.completion!.outcome === 'deviation';

  const byRequirement = new Map<string, ReportContract['milestones']>();
  for (const m of c.milestones.filter((x) => x.control))
    byRequirement.set(m.control!.requirementId, [...(byRequirement.get(m.control!.requirementId) ?? []), m]);
  const controls: ControlLine[] = [...byRequirement.entries()].map(([requirementId, ms]) => {
    const next = ms.filter((m) => m.dueDate > asOf && !doneBy(m)).sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];
    return {
      requirementId,
      method: ms[0].control!.method,
      ...(ms[0].control!.criterionId ? { criterionId: ms[0].control!.criterionId } : {}),
      planned: ms.filter((m) => m.dueDate <= asOf).length,
      done: ms.filter(doneBy).length,
      deviations: ms.filter(deviated).length,
      overdue: ms.filter(overdue).length,
      ...(next ? { next: next.dueDate } : {}),
    };
  });

  const deviations = c.milestones.filter(deviated).map((m) => {
    const fix = c.milestones.find((x) => x.id === m.completion!.correctiveActionId);
    const sanction = c.milestones.find((x) => x.id === m.completion!.sanctionDecisionId);
    const decided = sanction && doneBy(sanction) ? sanction.completion!.sanction : undefined;
    return {
      milestoneId: m.id,
      title: m.title,
      on: day(m.completion!.at),
      ...(m.completion!.severity ? { severity: m.completion!.severity } : {}),
      note: m.completion!.note,
      ...(fix ? { correctiveAction: { id: fix.id, dueDate: fix.dueDate, done: doneBy(fix) } } : {}),
      ...(sanction
        ? {
            sanctionDecision: {
              id: sanction.id,
              dueDate: sanction.dueDate,
              ...(decided
                ? {
                    decided: {
                      decision: decided.decision,
                      ...(decided.kind ? { kind: decided.kind } : {}),
                      ...(decided.amountSek !== undefined ? { amountSek: decided.amountSek } : {}),
                      on: day(sanction.completion!.at),
                    },
                  }
                : {}),
            },
          }
        : {}),
    };
  });
  const changes = (c.changes ?? []).filter((x) => day(x.at) <= asOf);
  const extensions = c.extensions.filter((x) => day(x.at) <= asOf);
  const asOfSek = changes.length ? changes[changes.length - 1].valueAfterSek : signedValueSek;

  const text = [
    `Uppföljningsrapport för avtal ${c.id} med ${c.supplier} (${c.title}), ${c.organization}, per den ${asOf}.`,
    `Avtalsperiod ${c.startDate} – ${c.endDate}, senast möjliga slutdag ${c.latestEndDate}; värde vid tecknandet ${kronor(signedValueSek)}, per den ${asOf} ${kronor(asOfSek)}.`,
    ...(controls.length
      ? controls.map(
          (l) =>
            `Kontroll av ${l.requirementId} (${FOLLOW_UP_METHOD_SV[l.method] ?? l.method}${l.criterionId ? `, Upphandlingsmyndighetens kriterium ${l.criterionId}` : ''}): ${l.planned} planerade, ${l.done} genomförda, ${l.deviations} med avvikelse, ${l.overdue} försenade; nästa ${l.next ?? 'ingen planerad'}.`,
        )
      : ['Inga kontroller från kravregistret.']),
    `Alla uppföljningspunkter till och med ${asOf}: ${planned.length} planerade, ${c.milestones.filter(doneBy).length} genomförda, ${c.milestones.filter(overdue).length} försenade, ${deviations.length} med avvikelse.`,
    ...deviations.map(
      (d) =>
        `Avvikelse i ${d.milestoneId} (${milestoneTitleSv({ kind: c.milestones.find((m) => m.id === d.milestoneId)!.kind, title: d.title })}) den ${d.on}${d.severity ? `, ${SEVERITY_SV[d.severity] ?? d.severity}` : ''}: ${endsSentence(d.note)}${d.correctiveAction ? ` Korrigerande åtgärd ${d.correctiveAction.id}, senast ${d.correctiveAction.dueDate}: ${d.correctiveAction.done ? 'genomförd' : 'inte genomförd'}.` : ''}${d.sanctionDecision ? sanctionSentence(d.sanctionDecision) : ''}`,
    ),
    ...(changes.length
      ? changes.map((x) => {
          const notice = x.noticeMilestoneId ? c.milestones.find((m) => m.id === x.noticeMilestoneId) : undefined;
          return `Ändring ${x.id} den ${day(x.at)} enligt ${x.paragraph}: ${x.description}; värdet ${x.valueChangeSek === 0 ? 'oförändrat' : `${x.valueChangeSek > 0 ? 'ökat' : 'minskat'} med ${kronor(Math.abs(x.valueChangeSek))} till ${kronor(x.valueAfterSek)}`}${x.newSupplier ? `; ny leverantör ${x.newSupplier}` : ''}${notice ? `; annons om ändringen ${doneBy(notice) ? 'publicerad' : `senast ${notice.dueDate}`}` : ''}.`;
        })
      : ['Inga ändringar av avtalet.']),
    ...extensions.map((x) =>
      x.extend
        ? `Förlängning enligt option den ${day(x.at)}: ${x.from} – ${x.to} (${x.months} månader).`
        : `Förlängning avstådd den ${day(x.at)}; avtalet slutar ${x.to}.`,
    ),
    ...(c.terminatedOn && c.terminatedOn <= asOf ? [`Avtalet hävdes som sanktion den ${c.terminatedOn}.`] : []),
  ];
  return {
    kind: 'follow_up_report',
    heading: 'Uppföljningsrapport',
    contractId: c.id,
    tenderId: c.tenderId,
    title: c.title,
    organization: c.organization,
    supplier: c.supplier,
    asOf,
    period: { startDate: c.startDate, endDate: c.endDate, latestEndDate: c.latestEndDate },
    value: { signedSek: signedValueSek, asOfSek },
    controls,
    milestones: {
      planned: planned.length,
      done: c.milestones.filter(doneBy).length,
      overdue: c.milestones.filter(overdue).length,
      deviations: deviations.length,
    },
    deviations,
    changes,
    extensions,
    text,
  };
}
