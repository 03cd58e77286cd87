/**
 * The register of delegation decisions (anmälan av delegationsbeslut, issue 29 part 4): every
 * decision taken under the delegation order, read from the tenders' audit chains — one row per
 * `delegation.decided` event, which the tender's workflow records with the decision — and whether
 * a batch has reported it to the board (a `delegation.reported` event of the organisation's policy
 * chain). Pure: rows from events, the CSV, the references a report records.
 */
import type { Gate, GateDecision } from '@tenderflow/domain/types';
import type { DelegatedDecisionRecord, PersonRef } from '@tenderflow/temporal-common/tender-types';

/** A `delegation.decided` event as audit_events keeps it, with its tender's title. */
export interface DelegationEventRow {
  tender_id: string;
  chain_index: number;
  hash: string;
  at: Date;
  actor_sub: string | null;
  actor_name: string | null;
  reason: string | null;
  payload: DelegatedDecisionRecord & { gate: Gate; decision: GateDecision; valueSek: number; firstOf?: number };
  title: string;
}

/** A batch reported to the board, as the policy chain keeps it. */
export interface ReportedBatch {
  at: Date;
  payload: { meeting: string; decisions: string[] };
}

export interface RegisterEntry {
  /** `tenderId#chainIndex`: the audit event the entry is, in its tender's chain. */
  ref: string;
  /** The day of the decision (Sweden). */
  date: string;
  at: string;
  item: string;
  version: number;
  function: string;
  via: DelegatedDecisionRecord['via'];
  gate: Gate;
  decision: GateDecision;
  /** The first of the two approvals the policy asks for at this value. */
  firstOfTwo: boolean;
  tenderId: string;
  title: string;
  valueSek: number;
  decidedBy: PersonRef;
  asSubstituteFor: PersonRef | null;
  passedOver: string[];
  comment: string | null;
  reportToBoard: boolean;
  /** The batch that reported it, or null while it is not reported. */
  reported: { meeting: string; at: string } | null;
  evidence: { tenderId: string; index: number; hash: string; type: 'delegation.decided' };
}

export const refOf = (tenderId: string, index: number): string => `${tenderId}#${index}`;

const stockholmDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The register's entries from the events, oldest first, each with the batch that reported it. */
export function registerEntries(
  events: readonly DelegationEventRow[],
  batches: readonly ReportedBatch[],
): RegisterEntry[] {
  const reported = new Map<string, { meeting: string; at: string }>();
  for (const b of batches)
    for (const ref of b.payload.decisions)
      if (!reported.has(ref)) reported.set(ref, { meeting: b.payload.meeting, at: b.at.toISOString() });
  return events.map((e) => {
    const ref = refOf(e.tender_id, e.chain_index);
    const p = e.payload;
    return {
      ref,
      date: stockholmDay.format(e.at),
      at: e.at.toISOString(),
      item: p.item,
      version: p.version,
      function: p.function,
      via: p.via,
      gate: p.gate,
      decision: p.decision,
      firstOfTwo: p.firstOf !== undefined,
      tenderId: e.tender_id,
      title: e.title,
      valueSek: Number(p.valueSek),
      decidedBy: { sub: e.actor_sub ?? '', name: e.actor_name ?? '' },
      asSubstituteFor: p.asSubstituteFor ?? null,
      passedOver: p.passedOver ?? [],
      comment: e.reason,
      reportToBoard: p.reportToBoard,
      reported: reported.get(ref) ?? null,
      evidence: { tenderId: e.tender_id, index: e.chain_index, hash: e.hash, type: 'delegation.decided' },
    };
  });
}

const GATE_SV: Record<Gate, string> = {
  decision_to_procure: 'Beslut att upphandla',
  documents_approval: 'Godkännande av upphandlingsdokument',
  award_decision: 'Tilldelningsbeslut',
  cancellation: 'Avbrytande',
};
const DECISION_SV: Record<GateDecision, string> = {
  approve: 'Godkänt',
  reject: 'Avslaget',
  request_changes: 'Återremitterat',
};
const VIA_SV: Record<DelegatedDecisionRecord['via'], string> = {
  delegate: 'delegat',
  further: 'vidaredelegation',
  substitute: 'ersättare',
};

/** Words of the register in Swedish, for the CSV and the PDF. */
export const registerWords = { gate: GATE_SV, decision: DECISION_SV, via: VIA_SV };

/** A spreadsheet cell: quoted, quotes doubled; a leading =, +, - or @ is defused (no formula runs on open). */
function cell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The register as CSV for a spreadsheet (semicolons, as Swedish Excel reads them; UTF-8 with BOM). */
export function registerCsv(entries: readonly RegisterEntry[]): string {
  const head = [
    'Datum',
    'Punkt',
    'Version',
    'Ärende',
    'Beslut',
    'Upphandling',
    'Benämning',
    'Värde (kr)',
    'Beslutat av',
    'Som',
    'Ersättare för',
    'Anmäls',
    'Anmält',
    'Händelse',
  ];
  const lines = entries.map((e) =>
    [
      e.date,
      e.item,
      e.version,
      GATE_SV[e.gate],
      `${DECISION_SV[e.decision]}${e.firstOfTwo ? ' (första av två)' : ''}`,
      e.tenderId,
      e.title,
      e.valueSek,
      e.decidedBy.name,
      `${e.function} (${VIA_SV[e.via]})`,
      e.asSubstituteFor?.name ?? '',
      e.reportToBoard ? 'ja' : 'nej',
      e.reported ? `${e.reported.meeting} (${e.reported.at.slice(0, 10)})` : '',
      `${e.ref} ${e.evidence.hash.slice(0, 16)}`,
    ]
      .map(cell)
      .join(';'),
  );
  return `\uFEFF${[head.map(cell).join(';'), ...lines].join('\r\n')}\r\n`;
}
