/**
 * The console's view logic, free of React and the DOM (unit-tested in test/unit/console-logic.spec.ts):
 * the Gantt layout of a tender's phases and deadlines, the field errors of a 400 problem, overdue.
 */

export interface TimelineEntry {
  phase: string;
  enteredAt: string;
  leftAt?: string;
}

export interface DeadlineLike {
  kind: string;
  at: string;
  lastDay: string;
  basis: string;
  outcome?: string;
}

export interface GanttBar {
  phase: string;
  /** Percent of the chart's width from its left edge, and the bar's width (at least 0.5 so that a short phase shows). */
  left: number;
  width: number;
  current: boolean;
}

export interface GanttMarker {
  kind: string;
  left: number;
  lastDay: string;
  basis: string;
  past: boolean;
}

export interface Gantt {
  start: string;
  end: string;
  bars: GanttBar[];
  markers: GanttMarker[];
  /** Where "now" falls, in percent; undefined when outside the range. */
  now?: number;
}

const DAY = 86_400_000;

/**
 * Lays out phases as bars and deadlines as markers on one time axis, from the first phase's start
 * to the latest deadline (or now), padded by a day on each side.
 */
export function ganttLayout(timeline: TimelineEntry[], deadlines: DeadlineLike[], now: Date): Gantt {
  const times = [
    ...timeline.flatMap((e) => [Date.parse(e.enteredAt), e.leftAt ? Date.parse(e.leftAt) : now.getTime()]),
    ...deadlines.map((d) => Date.parse(d.at)),
    now.getTime(),
  ];
  const start = Math.min(...times) - DAY;
  const end = Math.max(...times) + DAY;
  const span = end - start;
  const pos = (t: number) => Math.round(((t - start) / span) * 1000) / 10;
  const bars = timeline.map((e) => {
    const from = Date.parse(e.enteredAt);
    const to = e.leftAt ? Date.parse(e.leftAt) : now.getTime();
    return { phase: e.phase, left: pos(from), width: Math.max(0.5, pos(to) - pos(from)), current: !e.leftAt };
  });
  const markers = [...deadlines]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((d) => ({
      kind: d.kind,
      left: pos(Date.parse(d.at)),
      lastDay: d.lastDay,
      basis: d.basis,
      past: d.outcome !== undefined || Date.parse(d.at) < now.getTime(),
    }));
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    bars,
    markers,
    now: pos(now.getTime()),
  };
}

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * The API's 400 answer names each offending field (`errors[]`, with nested paths such as
 * `laborConditions.justification`); a form shows each message beside the field it names. Keyed by
 * the full path and, for a nested one, by its first segment too, so a form with one input for an
 * object still shows the message. `say` words each error (the console: in the interface language).
 */
export function fieldErrors<T = string>(
  problem: { errors?: FieldError[] } | undefined,
  say: (e: FieldError) => T = (e) => e.message as T,
): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const e of problem?.errors ?? []) {
    const keys = new Set([e.field, e.field.split(/[.[]/)[0]]);
    for (const k of keys) (out[k] ??= []).push(say(e));
  }
  return out;
}

/** A tender is overdue when its next deadline has passed (the same rule as GET /tenders?overdue=true). */
export function isOverdue(nextDeadline: { at: string } | null | undefined, now: Date): boolean {
  return !!nextDeadline && Date.parse(nextDeadline.at) < now.getTime();
}

/** The earliest running deadline of a tender, if any. */
export function nextDeadline<T extends { at: string }>(deadlines: T[]): T | undefined {
  return [...deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
}

/** Milestones due within `days`, or overdue, first the oldest. */
export function dueMilestones<T extends { dueDate?: string; dueDay?: string; status: string }>(
  milestones: T[],
  now: Date,
  days = 30,
): T[] {
  const due = (m: T) => Date.parse(m.dueDay ?? m.dueDate ?? '');
  return milestones
    .filter((m) => m.status !== 'completed' && m.status !== 'done' && due(m) - now.getTime() <= days * DAY)
    .sort((a, b) => due(a) - due(b));
}

const ANSWERS: Record<string, 'tendered' | 'declined' | 'no_answer'> = {
  anbud: 'tendered',
  tendered: 'tendered',
  avböjde: 'declined',
  declined: 'declined',
  'inget svar': 'no_answer',
  'no answer': 'no_answer',
};

/**
 * A direct award's documentation record from the console's form: one supplier per line as
 * "name; organisation number; answer; price". An answer the form does not know is sent as written,
 * so that the API names the field and the rule.
 */
export function directAwardRecord(form: {
  competition: string;
  suppliers: string;
  winner: string;
  winnerOrg: string;
  reason: string;
}) {
  const suppliersAsked = form.suppliers
    .split('\n')
    .map((line) => line.split(';').map((x) => x.trim()))
    .filter((cells) => cells[0])
    .map(([name, orgNumber, answer, price]) => {
      const digits = (price ?? '').replace(/[\s\u00a0]/g, '');
      return {
        name,
        ...(orgNumber ? { orgNumber } : {}),
        answer: ANSWERS[(answer ?? '').toLowerCase()] ?? (answer || 'no_answer'),
        ...(digits ? { priceSek: Number(digits) } : {}),
      };
    });
  return {
    competition: form.competition,
    suppliersAsked,
    winner: { name: form.winner.trim(), orgNumber: form.winnerOrg.trim() },
    reason: form.reason,
  };
}

/**
 * Words from a problem the API sent, said through `explain` (the rule's meaning, or the API's
 * sentence marked as English). An answer in the console's language (Swedish: it carries `detailEn`)
 * needs no language mark on its sentences.
 */
export function answerWords<S extends { text: string; lang?: string }>(
  problem: { detailEn?: string } | undefined,
  explain: (rule: string | undefined, apiMessage: string) => S,
): (rule: string | undefined, apiMessage: string) => S | { text: string } {
  const translated = problem?.detailEn !== undefined;
  return (rule, apiMessage) => {
    const said = explain(rule, apiMessage);
    return translated && said.lang ? { text: said.text } : said;
  };
}

/**
 * The body of a milestone's completion (POST /contracts/{id}/milestones/{mid}/completion) from its
 * form: the reference where a notice or the documentation is filed, the extension decision's
 * choice and months (sent as typed, so a wrong number comes back as the API's field error), a
 * direct award's record; what does not apply to the milestone's kind is left out.
 */
/** Milestones completed with a reference: where a notice or the documentation is filed, a control's evidence. */
export const referencedKinds: ReadonlySet<string> = new Set([
  'post_award_notice',
  'documentation',
  'modification_notice',
  'control',
]);

/**
 * The body of POST /contracts/{id}/changes from the console's form: the fields the ground takes
 * (the clause for 10 §, the successor for 13 §, the four tests for 14 §), the value as typed (a
 * wrong number comes back as the API's field error).
 */
export function contractChangeBody(form: {
  ground: string;
  valueChangeSek: string;
  overallNatureChanged: boolean;
  description: string;
  clauseReference: string;
  newSupplier: string;
  substantial: {
    changesCompetition: boolean;
    favoursSupplier: boolean;
    extendsScope: boolean;
    replacesSupplier: boolean;
  };
}): Record<string, unknown> {
  const value = form.valueChangeSek.replace(/[\s\u00a0]/g, '').replace('−', '-');
  return {
    ground: form.ground,
    valueChangeSek: /^-?\d+$/.test(value) ? Number(value) : form.valueChangeSek,
    overallNatureChanged: form.overallNatureChanged,
    description: form.description,
    ...(form.ground === 'review_clause' && form.clauseReference.trim()
      ? { clauseReference: form.clauseReference.trim() }
      : {}),
    ...(form.ground === 'supplier_succession' && form.newSupplier.trim()
      ? { newSupplier: form.newSupplier.trim() }
      : {}),
    ...(form.ground === 'not_substantial' ? { substantial: form.substantial } : {}),
  };
}

export function milestoneCompletionBody(
  kind: string,
  form: {
    outcome: 'ok' | 'deviation';
    note: string;
    reference: string;
    extend: '' | 'yes' | 'no';
    months: string;
    severity?: string;
    correctiveDueDate?: string;
    /** A sanction decision: impose or refrain, which declared sanction, the amount as typed. */
    sanction?: { decision: string; kind: string; amountSek: string };
  },
  directAward?: ReturnType<typeof directAwardRecord>,
): Record<string, unknown> {
  if (kind === 'sanction_decision') return { outcome: 'ok', note: form.note, sanction: sanctionBody(form.sanction) };
  const filed = referencedKinds.has(kind);
  const extension = kind === 'extension_decision';
  const deviation = form.outcome === 'deviation';
  return {
    outcome: form.outcome,
    note: form.note,
    ...(directAward ? { directAwardDocumentation: directAward } : {}),
    ...(filed && form.reference ? { reference: form.reference } : {}),
    ...(deviation && form.severity ? { severity: form.severity } : {}),
    ...(deviation && form.correctiveDueDate?.trim() ? { correctiveDueDate: form.correctiveDueDate.trim() } : {}),
    ...(extension && form.extend ? { extend: form.extend === 'yes' } : {}),
    ...(extension && form.extend === 'yes' && form.months.trim()
      ? { months: /^\d+$/.test(form.months.trim()) ? Number(form.months.trim()) : form.months }
      : {}),
  };
}

/** A sanction decision's body: the kind and amount only when imposing (and an amount only for a monetary sanction). */
function sanctionBody(
  form: { decision: string; kind: string; amountSek: string } | undefined,
): Record<string, unknown> {
  if (!form || form.decision !== 'impose') return { decision: form?.decision ?? '' };
  const amount = form.amountSek.replace(/\s/g, '');
  return {
    decision: 'impose',
    ...(form.kind ? { kind: form.kind } : {}),
    ...(form.kind && form.kind !== 'termination' && amount
      ? { amountSek: /^\d+$/.test(amount) ? Number(amount) : amount }
      : {}),
  };
}

export interface AxisTick {
  /** Percent of the chart's width from its left edge. */
  left: number;
  /** The first day of the month (or of the week, on a chart shorter than two months), YYYY-MM-DD. */
  day: string;
}

/**
 * Ticks for a Gantt axis from `start` to `end` (ISO instants, as ganttLayout gives them): the first
 * of every month, or every Monday when the chart spans less than two months; at most `max` ticks
 * (every n-th month beyond that), so a tender that runs for years stays readable.
 */
export function axisTicks(start: string, end: string, max = 12): AxisTick[] {
  const from = Date.parse(start);
  const to = Date.parse(end);
  const span = to - from;
  if (!(span > 0)) return [];
  const pos = (t: number) => Math.round(((t - from) / span) * 1000) / 10;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const ticks: AxisTick[] = [];
  if (span < 60 * DAY) {
    const first = new Date(from);
    const monday = Date.UTC(
      first.getUTCFullYear(),
      first.getUTCMonth(),
      first.getUTCDate() + ((8 - first.getUTCDay()) % 7),
    );
    for (let t = monday; t <= to; t += 7 * DAY) ticks.push({ left: pos(t), day: iso(t) });
  } else {
    const first = new Date(from);
    for (let y = first.getUTCFullYear(), m = first.getUTCMonth() + 1; ; m++) {
      const t = Date.UTC(y, m, 1);
      if (t > to) break;
      ticks.push({ left: pos(t), day: iso(t) });
    }
  }
  const step = Math.ceil(ticks.length / max);
  return ticks.filter((_, i) => i % step === 0);
}

/** A field error's message without the field's code in front (the API's Swedish messages start with it): the form names the field. */
export function withoutFieldName(e: FieldError): string {
  const prefix = `${e.field}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

/**
 * A field's path in the form's words: `documents.1.reference` → `Upphandlingsdokument 2 › Referens`
 * (`labels`: form-labels.ts), a name without a label as the API spells it.
 */
export function fieldPathWords(field: string, labels: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const segment of field.split('.')) {
    if (/^\d+$/.test(segment) && parts.length) parts[parts.length - 1] += ` ${Number(segment) + 1}`;
    else parts.push(labels[segment] ?? segment);
  }
  return parts.join(' › ');
}
