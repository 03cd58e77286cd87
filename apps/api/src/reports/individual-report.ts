import { formatSek } from '@tenderflow/domain/format';
import { PROCEDURE_NAMES_SV, procedureChapter, procedureLabelSv } from '@tenderflow/domain/procedures';
import type { TenderStartInput, TenderState } from '@tenderflow/workflows/tender/tender.messages';

/**
 * The individual report (individuell rapport, 12 kap. 15 § LOU) of a tender, built from its state
 * and its audit chain. Every statement names the audit events it rests on (chain index, type,
 * time, hash), so a reader can check it against GET /tenders/{id}/audit and its verification.
 *
 * The items: 12 kap. 15 § LOU as listed by Upphandlingsmyndigheten (name and address, subject and
 * value; candidates/tenderers chosen and why; those not accepted and why; the winner and why; the
 * share subcontracted and the subcontractors, when known; abnormally low tenders rejected), the
 * reasons for not dividing into lots (4 kap. 14 § LOU: "i något av upphandlingsdokumenten eller i
 * den individuella rapporten"), and the further items of the list that the stored page did not
 * show (grounds of a negotiated procedure, conflicts of interest and measures, means of
 * communication other than electronic): their point numbers are not confirmed, see
 * libs/domain/CITATIONS.md.
 */

/** One audit event, as GET /tenders/{id}/audit lists it. */
export interface AuditItem {
  index: number;
  type: string;
  at: string;
  actor: { sub: string; name: string | null; org: string | null } | null;
  reason: string | null;
  payload: unknown;
  hash: string;
}

export interface Evidence {
  index: number;
  type: string;
  at: string;
  hash: string;
}

export const REPORT_ITEMS = [
  'authority_subject_value',
  'procedure',
  'selected',
  'not_accepted',
  'winner',
  'subcontracting',
  'abnormally_low',
  'lots',
  'conflicts_of_interest',
  'communication',
] as const;
export type ReportItem = (typeof REPORT_ITEMS)[number];

export interface ReportStatement {
  item: ReportItem;
  heading: string;
  /** The paragraph the item comes from. */
  paragraph: string;
  text: string;
  evidence: Evidence[];
}

export interface IndividualReport {
  tenderId: string;
  title: string;
  organization: string;
  regime: string;
  procedure: string;
  ruleSet: string;
  /** True when 12 kap. 15 § applies: a contract awarded above the threshold (EU regime). */
  required: boolean;
  note?: string;
  /** True once the contract is awarded and registered: the report is complete. */
  complete: boolean;
  generatedAt: string;
  /** The audit chain's last hash when the report was made (GET /tenders/{id}/audit/verify). */
  auditHead: string | null;
  statements: ReportStatement[];
}

const ITEM_PARAGRAPH = '12 kap. 15 § LOU';
const ITEM_PARAGRAPH_UNCONFIRMED = '12 kap. 15 § LOU (punkten ej bekräftad)';

function evidence(e: AuditItem): Evidence {
  return { index: e.index, type: e.type, at: e.at, hash: e.hash };
}

interface CommandEvent<P> extends AuditItem {
  payload: { command: string; payload: P };
}

/** The accepted commands of one name, oldest first (only those the report reads: REPORT_EVIDENCE). */
function commands<P>(events: AuditItem[], name: LastCited | EveryCited): CommandEvent<P>[] {
  return events.filter((e): e is CommandEvent<P> => {
    const p = e.payload as { command?: unknown } | null;
    return (e.type === 'command.accepted' || e.type === 'gate.decided') && p !== null && typeof p === 'object' && p.command === name;
  });
}

/**
 * The audit events the report can cite, which is all it reads of the chain (a tender's chain holds
 * every question and answer with its text): the creation, the last accepted command of each name in
 * `last`, every one of `every`, and the chain's newest event (its hash is `auditHead`).
 */
export const REPORT_EVIDENCE = {
  types: ['tender.created'],
  last: ['completeNeedsAnalysis', 'publish', 'selectCandidates', 'recordOpening', 'submitEvaluation', 'registerContract'],
  every: ['decideGate', 'declareConflict'],
} as const;
type LastCited = (typeof REPORT_EVIDENCE.last)[number];
type EveryCited = (typeof REPORT_EVIDENCE.every)[number];

const lastOf = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
const sek = (n: number) => formatSek(n).replace(' SEK', ' kr');
const day = (iso: string) => iso.slice(0, 10);

/** `events`: at least those REPORT_EVIDENCE names, oldest first, ending with the chain's newest. */
export function buildIndividualReport(state: TenderState, events: AuditItem[], now: string): IndividualReport {
  const created = events.find((e) => e.type === 'tender.created');
  const input = (created?.payload as { input?: Partial<TenderStartInput> } | undefined)?.input;
  const needs = lastOf(commands<TenderState['needsAnalysis']>(events, 'completeNeedsAnalysis'));
  const publish = lastOf(commands<unknown>(events, 'publish'));
  const select = lastOf(commands<unknown>(events, 'selectCandidates'));
  const opening = lastOf(commands<unknown>(events, 'recordOpening'));
  const evaluation = lastOf(commands<unknown>(events, 'submitEvaluation'));
  const contract = lastOf(commands<unknown>(events, 'registerContract'));
  const award = lastOf(
    commands<{ gate: string; decision: string }>(events, 'decideGate').filter((e) => e.payload.payload.gate === 'award_decision' && e.payload.payload.decision === 'approve'),
  );
  const declarations = commands<{ hasConflict: boolean; statement: string }>(events, 'declareConflict');
  const ev = (...xs: Array<AuditItem | undefined>) => xs.filter((x): x is AuditItem => x !== undefined).map(evidence);

  const statements: ReportStatement[] = [];
  const add = (item: ReportItem, heading: string, paragraph: string, text: string, from: Evidence[]) => statements.push({ item, heading, paragraph, text, evidence: from });

  // 1. The authority, the subject and the value.
  add(
    'authority_subject_value',
    'Upphandlande myndighet, föremål och värde',
    ITEM_PARAGRAPH,
    `Upphandlande myndighet: ${state.organization} (adressen förs inte i ärendet). Föremål: ${state.title}. ` +
      `Uppskattat värde: ${sek(state.estimatedValueSek)}.` +
      (state.contract
        ? ` Kontraktets värde: ${sek(state.contract.valueSek)} (${state.contract.supplier}, undertecknat ${state.contract.signedAt}).`
        : ' Inget kontrakt är registrerat ännu.'),
    ev(created, contract),
  );

  // The procedure and, for a negotiated one, its ground.
  const negotiated = state.procedure.startsWith('negotiated') || state.procedure === 'competitive_dialogue';
  add(
    'procedure',
    'Förfarande och skäl för förhandlat förfarande',
    ITEM_PARAGRAPH_UNCONFIRMED,
    `${procedureLabelSv(state.regime, state.procedure)} (${procedureChapter(state.regime, state.procedure)}).` +
      (state.procedureDescription ? ` Beskrivning: ${state.procedureDescription}` : '') +
      (negotiated
        ? ` Grund för ${PROCEDURE_NAMES_SV[state.procedure].toLowerCase()}: ${input?.negotiationGround ?? 'inte registrerad i ärendet'}.`
        : ' Inget förhandlat förfarande har använts.'),
    ev(created),
  );

  // 2. Chosen candidates or tenderers and why.
  const timely = state.tendersReceived.filter((t) => !t.late);
  const selectedText = state.candidates.length > 0 ? `Utvalda anbudssökande: ${state.candidates.map((c) => c.supplier).join(', ')} (urval efter anbudsansökningar). ` : '';
  add(
    'selected',
    'Utvalda anbudssökande eller anbudsgivare och skälen',
    ITEM_PARAGRAPH,
    selectedText +
      (state.opening
        ? timely.length > 0
          ? `Anbud som prövades: ${timely.map((t) => `${t.supplier}${t.orgNumber ? ` (${t.orgNumber})` : ''}`).join(', ')}; skäl: anbuden kom in före anbudstidens utgång enligt protokollet från anbudsöppningen ${day(state.opening.recordedAt)}.`
          : 'Inga anbud kom in i tid.'
        : 'Anbuden har inte öppnats ännu.'),
    ev(select, opening),
  );

  // 3. Those not accepted and why.
  const late = state.tendersReceived.filter((t) => t.late);
  const notWinning = state.award ? timely.filter((t) => !state.award!.winners.some((w) => w.supplier === t.supplier)) : [];
  add(
    'not_accepted',
    'Anbudssökande eller anbudsgivare som inte godtagits och skälen',
    ITEM_PARAGRAPH,
    [
      late.length > 0 ? `Anbud som kom in efter anbudstidens utgång och inte prövades: ${late.map((t) => t.supplier).join(', ')}.` : 'Inget anbud kom in för sent.',
      notWinning.length > 0
        ? `Anbud som prövades men inte antogs: ${notWinning.map((t) => t.supplier).join(', ')}; skäl: utvärderingen gav ett annat anbud bäst förhållande mellan pris och kvalitet.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
    ev(opening, evaluation),
  );

  // 4. The winner and why.
  add(
    'winner',
    'Leverantör som tilldelats kontraktet och skälen',
    ITEM_PARAGRAPH,
    state.award
      ? state.award.winners.map((w) => `${w.lot ? `${w.lot}: ` : ''}${w.supplier}${w.score !== undefined ? ` (poäng ${w.score})` : ''}. Skäl: ${w.reasons}`).join(' ') +
          ` Tilldelningsbeslut ${day(state.award.decidedAt)} av ${state.award.decidedBy.name}.`
      : 'Inget tilldelningsbeslut är fattat ännu.',
    ev(evaluation, award),
  );

  // 5–6. Subcontracting: the share and the subcontractors, when known.
  add(
    'subcontracting',
    'Andel som läggs ut på underleverantörer och underleverantörernas namn',
    ITEM_PARAGRAPH,
    'Ingen uppgift om andel eller namn på underleverantörer har registrerats i ärendet (uppges när den är känd).',
    ev(evaluation, contract),
  );

  // 7. Abnormally low tenders.
  add('abnormally_low', 'Anbud som förkastats som onormalt låga', ITEM_PARAGRAPH, 'Inget anbud har förkastats som onormalt lågt.', ev(evaluation));

  // Lots: divided, or why not (4 kap. 14 § LOU).
  const na = state.needsAnalysis;
  add(
    'lots',
    'Uppdelning i delkontrakt',
    '4 kap. 14 § LOU',
    na
      ? na.lots && na.lots.length >= 2 // one "lot" is the whole contract, not a division
        ? `Upphandlingen är delad i ${na.lots.length} delkontrakt: ${na.lots.map((l) => `${l.title} (${sek(l.estimatedValueSek)})`).join(', ')}.`
        : `Kontraktet delas inte upp. Skäl: ${na.lotJustification ?? 'inget skäl registrerat'}.`
      : 'Behovsanalysen med planen för delkontrakt är inte klar.',
    ev(needs),
  );

  // Conflicts of interest found and the measures taken.
  const conflicts = state.evaluators.filter((e) => e.declaration?.hasConflict);
  add(
    'conflicts_of_interest',
    'Intressekonflikter och vidtagna åtgärder',
    ITEM_PARAGRAPH_UNCONFIRMED,
    (state.evaluators.length > 0
      ? `Jävsdeklarationer: ${state.evaluators
          .map((e) => `${e.name}: ${e.declaration ? (e.declaration.hasConflict ? `intressekonflikt anmäld (${e.declaration.statement})` : 'ingen intressekonflikt') : 'ingen deklaration'}`)
          .join('; ')}.`
      : 'Inga utvärderare är utsedda.') +
      (conflicts.length > 0 ? ` Åtgärd: ${conflicts.map((e) => e.name).join(', ')} togs bort från utvärderingen.` : ' Ingen intressekonflikt har upptäckts; inga åtgärder behövdes.'),
    declarations.map(evidence),
  );

  // Means of communication other than electronic.
  const pub = state.publication;
  add(
    'communication',
    'Kommunikationsmedel',
    ITEM_PARAGRAPH_UNCONFIRMED,
    pub
      ? `${pub.electronicSubmission ? 'Anbud lämnades med elektroniska medel.' : 'Anbud fick lämnas på annat sätt än med elektroniska medel.'} ` +
          `${pub.documentsAvailableElectronically === false ? 'Upphandlingsdokumenten gjordes inte tillgängliga med elektroniska medel.' : 'Upphandlingsdokumenten gjordes tillgängliga med elektroniska medel.'}`
      : 'Upphandlingen har inte annonserats ännu.',
    ev(publish),
  );

  const required = state.regime === 'eu';
  return {
    tenderId: state.id,
    title: state.title,
    organization: state.organization,
    regime: state.regime,
    procedure: state.procedure,
    ruleSet: state.ruleSet,
    required,
    ...(required
      ? {}
      : {
          note:
            '12 kap. 15 § LOU gäller kontrakt över tröskelvärdet. För denna upphandling gäller dokumentationsplikten i ' +
            (state.regime === 'direct' ? '19 a kap. 11 § LOU' : '19 kap. LOU') +
            '; rapporten visas som underlag.',
        }),
    complete: state.contract !== undefined,
    generatedAt: now,
    auditHead: lastOf(events)?.hash ?? null,
    statements,
  };
}
