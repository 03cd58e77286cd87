import { directAwardDocumentationRequired } from '@tenderflow/domain/accelerated';
import { ruleSetAtLeast } from '@tenderflow/domain/thresholds';
import { tendersReceived, type DirectAwardDocumentation } from '@tenderflow/domain/direct-award';
import { formatSek } from '@tenderflow/domain/format';
import { RED_FLAG_NAMES } from '@tenderflow/domain/red-flags';
import {
  ABNORMALLY_LOW_PARAGRAPH,
  exAnteNoticeParagraph,
  PROCEDURE_NAMES_SV,
  procedureChapter,
  procedureLabelSv,
  withoutNoticeGround,
} from '@tenderflow/domain/procedures';
import type { TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';

/**
 * The individual report (individuell rapport, 12 kap. 15–16 §§ LOU) of a tender, built from its
 * state, its audit chain and the organisation register. Every statement names the audit events it
 * rests on (chain index, type, time, hash), so a reader can check it against GET /tenders/{id}/audit
 * and its verification; what comes from the register says so.
 *
 * The items: upphandlingsförordningen (2016:1162) 16 § 1–6 (name and address, subject and value;
 * candidates or tenderers chosen and why; those not accepted and why; the winner and why; the share
 * the supplier intends to subcontract, if known; the subcontractors) and 12 kap. 16 § LOU 1–6 (why a
 * rejected tender was abnormally low; why no contract was awarded; why a negotiated procedure or
 * dialogue was used; why tenders by other than electronic means were accepted; conflicts of interest
 * and the measures taken), and the reasons for not dividing into lots (4 kap. 14 § LOU). Each
 * statement says only what the tender recorded; where a fact is not recorded it says so.
 *
 * A direct award has no individual report: its documentation (19 a kap. 11 § LOU, above 100 000 SEK)
 * is the record made when its documentation milestone is completed (`contract.direct_award_documented`),
 * and the report then states the items of that record.
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
  'not_awarded',
  'lots',
  'conflicts_of_interest',
  'communication',
] as const;
/**
 * The red flags raised when the award was asked for, and the approver's justification for deciding
 * it all the same (issue 30, part 5), as the approved award decision recorded them; '' without.
 */
function flaggedAward(state: TenderState): string {
  // The award in force: the last approved award decision (a corrected award's earlier flags are not its own).
  const decision = [...(state.gateDecisions ?? [])]
    .reverse()
    .find((d) => d.gate === 'award_decision' && d.decision === 'approve');
  if (!decision?.redFlags?.length) return '';
  const flags = decision.redFlags!.map((f) => `${f.code} ${RED_FLAG_NAMES[f.code].sv.toLowerCase()}`).join(', ');
  return ` Varningsflaggor när tilldelningen begärdes: ${flags}. Beslutsfattarens motivering: ${decision.justification ?? NOT_RECORDED}`;
}

/** The items of a direct award's documentation (19 a kap. 11 § LOU, in the order the preparatory works list them). */
export const DIRECT_AWARD_ITEMS = [
  'authority',
  'subject',
  'competition',
  'suppliers_asked',
  'winner',
  'value',
  'contract_dates',
] as const;
export type ReportItem = (typeof REPORT_ITEMS)[number] | (typeof DIRECT_AWARD_ITEMS)[number];

export interface ReportStatement {
  item: ReportItem;
  heading: string;
  /** The paragraph the item comes from. */
  paragraph: string;
  text: string;
  evidence: Evidence[];
  /** A source outside the tender's chain: the organisation register, with the time of its last change. */
  register?: { organization: string; updatedAt: string };
}

/** The organisation as the register has it when the report is made (PolicyService.identity). */
export interface AuthorityIdentity {
  name: string;
  orgNumber: string | null;
  address: { street: string; postalCode: string; city: string } | null;
  updatedAt: string;
}

export interface IndividualReport {
  /** An individual report (12 kap. 15 §), or a direct award's documentation (19 a kap. 11 §). */
  kind: 'individual_report' | 'direct_award_documentation';
  /** The document's title, in Swedish. */
  heading: string;
  tenderId: string;
  title: string;
  organization: string;
  regime: string;
  procedure: string;
  ruleSet: string;
  /**
   * True when the document is required: an individual report for a contract above the threshold (12 kap.
   * 15 §, except call-offs under 7 kap. 4 or 6 §), for bilaga 2 services under 19 kap. (19 kap. 22 §),
   * for a call-off with renewed competition; a direct award's documentation above 100 000 SEK.
   */
  required: boolean;
  note?: string;
  /** True once the contract is awarded and registered: the report is complete. */
  complete: boolean;
  generatedAt: string;
  /** The audit chain's last hash when the report was made (GET /tenders/{id}/audit/verify). */
  auditHead: string | null;
  statements: ReportStatement[];
}

/** Upphandlingsförordningen (2016:1162) 16 §, point n: what the report holds besides 12 kap. 16 § LOU. */
const UF = (point: string) => `16 § ${point} upphandlingsförordningen (2016:1162)`;
/** 12 kap. 16 § första stycket LOU, point n. */
const LOU_16 = (point: number) => `12 kap. 16 § första stycket ${point} LOU`;
const NOT_RECORDED = 'inte registrerat i ärendet';

function evidence(e: AuditItem): Evidence {
  return { index: e.index, type: e.type, at: e.at, hash: e.hash };
}

/** The evidence of the events a statement rests on, those the chain has. */
const ev = (...xs: Array<AuditItem | undefined>): Evidence[] =>
  xs.filter((x): x is AuditItem => x !== undefined).map(evidence);

interface CommandEvent<P> extends AuditItem {
  payload: { command: string; payload: P };
}

/** The accepted commands of one name, oldest first (only those the report reads: REPORT_EVIDENCE). */
function commands<P>(events: AuditItem[], name: LastCited | EveryCited): CommandEvent<P>[] {
  return events.filter((e): e is CommandEvent<P> => {
    const p = e.payload as { command?: unknown } | null;
    return (
      (e.type === 'command.accepted' || e.type === 'gate.decided') &&
      p !== null &&
      typeof p === 'object' &&
      p.command === name
    );
  });
}

/**
 * The audit events the report can cite, which is all it reads of the chain (a tender's chain holds
 * every question and answer with its text): the creation, the last accepted command of each name in
 * `last`, every one of `every`, and the chain's newest event (its hash is `auditHead`).
 */
export const REPORT_EVIDENCE = {
  types: ['tender.created', 'contract.direct_award_documented', 'tender.assessed', 'award.red_flags_justified'],
  last: [
    'completeNeedsAnalysis',
    'publish',
    'selectCandidates',
    'inviteToNegotiate',
    'recordExAnteNotice',
    'recordOpening',
    'submitEvaluation',
    'registerContract',
  ],
  every: ['decideGate', 'declareConflict'],
} as const;
type LastCited = (typeof REPORT_EVIDENCE.last)[number];
type EveryCited = (typeof REPORT_EVIDENCE.every)[number];

const lastOf = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
const sek = (n: number) => formatSek(n).replace(' SEK', ' kr');
const day = (iso: string) => iso.slice(0, 10);

/** `events`: at least those REPORT_EVIDENCE names, oldest first, ending with the chain's newest. */
export function buildIndividualReport(
  state: TenderState,
  events: AuditItem[],
  now: string,
  authority: AuthorityIdentity | null = null,
): IndividualReport {
  // A direct award under LOU-2026.3 is documented as its record; one started earlier keeps the report it had.
  if (state.regime === 'direct' && ruleSetAtLeast(state.ruleSet, 'LOU-2026.3'))
    return directAwardDocumentation(state, events, now, authority);
  const created = events.find((e) => e.type === 'tender.created');
  const input = (created?.payload as { input?: Partial<TenderStartInput> } | undefined)?.input;
  const needs = lastOf(commands<TenderState['needsAnalysis']>(events, 'completeNeedsAnalysis'));
  const publish = lastOf(commands<unknown>(events, 'publish'));
  const select =
    lastOf(commands<unknown>(events, 'selectCandidates')) ?? lastOf(commands<unknown>(events, 'inviteToNegotiate'));
  const exAnteEvent = lastOf(commands<unknown>(events, 'recordExAnteNotice'));
  const opening = lastOf(commands<unknown>(events, 'recordOpening'));
  const evaluation = lastOf(commands<unknown>(events, 'submitEvaluation'));
  const contract = lastOf(commands<unknown>(events, 'registerContract'));
  const award = lastOf(
    commands<{ gate: string; decision: string }>(events, 'decideGate').filter(
      (e) => e.payload.payload.gate === 'award_decision' && e.payload.payload.decision === 'approve',
    ),
  );
  const declarations = commands<{ hasConflict: boolean; statement: string }>(events, 'declareConflict');

  const statements: ReportStatement[] = [];
  const add = (
    item: ReportItem,
    heading: string,
    paragraph: string,
    text: string,
    from: Evidence[],
    register?: ReportStatement['register'],
  ) => statements.push({ item, heading, paragraph, text, evidence: from, ...(register ? { register } : {}) });

  // 1. The authority (from the register), the subject and the value.
  add(
    'authority_subject_value',
    'Upphandlande myndighet, föremål och värde',
    UF('första stycket 1'),
    `Upphandlande myndighet: ${authorityText(state.organization, authority)}. Föremål: ${state.title}. ` +
      `Uppskattat värde: ${sek(state.estimatedValueSek)}.` +
      (state.contract
        ? ` Kontraktets värde: ${sek(state.contract.valueSek)} (${state.contract.supplier}, undertecknat ${state.contract.signedAt}).`
        : ' Inget kontrakt är registrerat ännu.'),
    ev(created, contract),
    authority ? { organization: state.organization, updatedAt: authority.updatedAt } : undefined,
  );

  // The procedure and, for a negotiated one or a dialogue, why (12 kap. 16 § 4).
  const negotiated = state.procedure.startsWith('negotiated') || state.procedure === 'competitive_dialogue';
  const ground = state.withoutNoticeGround ? withoutNoticeGround(state.withoutNoticeGround, state.regime) : null;
  const exAnte = state.exAnteNotice;
  add(
    'procedure',
    'Förfarande och skäl för förhandlat förfarande eller konkurrenspräglad dialog',
    LOU_16(4),
    `${procedureLabelSv(state.regime, state.procedure)} (${procedureChapter(state.regime, state.procedure)}).` +
      (state.procedureDescription ? ` Beskrivning: ${state.procedureDescription}` : '') +
      (negotiated
        ? ` Skäl för ${PROCEDURE_NAMES_SV[state.procedure].toLowerCase()}: ${ground ? `${ground.label} (${ground.paragraph}). ` : ''}${input?.negotiationGround ?? NOT_RECORDED}.`
        : ' Inget förhandlat förfarande eller konkurrenspräglad dialog har använts.') +
      (exAnte
        ? ` Annons om avsikt att ingå avtal med ${exAnte.supplier} publicerades ${exAnte.publishedOn} i ${exAnte.advertisingDatabase}` +
          `${exAnte.noticeReference ? ` (${exAnte.noticeReference})` : ''} (${exAnte.paragraph}); avtal fick ingås tidigast dagen efter ${exAnte.waitLastDay} (20 kap. 3 § LOU).`
        : ''),
    ev(created, exAnteEvent),
  );

  // 2. Chosen candidates or tenderers and why.
  const timely = state.tendersReceived.filter((t) => !t.late);
  // Abnormally low prices checked in the evaluation, and in each tender's assessment (issue 30).
  const checked = [
    ...(state.evaluation?.abnormallyLow ?? []),
    ...(state.assessments ?? []).flatMap((a) => (a.abnormallyLow ?? []).map((x) => ({ ...x, supplier: a.supplier }))),
  ];
  const rejected = checked.filter((a) => a.outcome === 'rejected');
  // Tenders rejected in the assessment (exclusion, qualification, a mandatory requirement), with the reason.
  const assessedOut = (state.assessments ?? []).filter(
    (a) => a.result === 'rejected' && !rejected.some((r) => r.supplier === a.supplier),
  );
  const assessed = events.filter((e) => e.type === 'tender.assessed');
  const selectedText =
    state.candidates.length > 0
      ? state.negotiation
        ? `Leverantörer som bjöds in att lämna anbud och förhandla: ${state.candidates.map((c) => c.supplier).join(', ')} (utan föregående annonsering). `
        : `Utvalda anbudssökande: ${state.candidates.map((c) => c.supplier).join(', ')} (urval efter anbudsansökningar). `
      : '';
  add(
    'selected',
    'Utvalda anbudssökande eller anbudsgivare och skälen',
    UF('första stycket 2'),
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
  const notWinning = state.award
    ? timely.filter(
        (t) =>
          !state.award!.winners.some((w) => w.supplier === t.supplier) &&
          !rejected.some((r) => r.supplier === t.supplier) &&
          !assessedOut.some((a) => a.supplier === t.supplier),
      )
    : [];
  add(
    'not_accepted',
    'Anbudssökande eller anbudsgivare som inte godtagits och skälen',
    UF('första stycket 3'),
    !state.opening
      ? 'Anbuden har inte öppnats ännu.'
      : [
          late.length > 0
            ? `Anbud som kom in efter anbudstidens utgång och inte prövades: ${late.map((t) => t.supplier).join(', ')}.`
            : 'Inget anbud kom in för sent.',
          rejected.length > 0
            ? `Anbud som förkastades som onormalt låga: ${rejected.map((r) => r.supplier).join(', ')} (se punkten om onormalt låga anbud).`
            : '',
          assessedOut.length > 0
            ? `Anbud som förkastades vid prövningen: ${assessedOut.map((a) => `${a.supplier} (skäl: ${a.reason ?? NOT_RECORDED})`).join('; ')}.`
            : '',
          notWinning.length > 0
            ? `Anbud som prövades men inte antogs: ${notWinning.map((t) => t.supplier).join(', ')}; skäl: utvärderingen gav ett annat anbud företräde.`
            : '',
        ]
          .filter(Boolean)
          .join(' '),
    ev(opening, evaluation, ...assessed),
  );

  // 4. The winner and why.
  add(
    'winner',
    'Leverantör som tilldelats kontraktet och skälen',
    UF('första stycket 4'),
    state.award
      ? state.award.winners
          .map(
            (w) =>
              `${w.lot ? `${w.lot}: ` : ''}${w.supplier}${w.score !== undefined ? ` (poäng ${w.score})` : ''}. Skäl: ${w.reasons ?? NOT_RECORDED}`,
          )
          .join(' ') +
          ` Tilldelningsbeslut ${day(state.award.decidedAt)} av ${state.award.decidedBy.name}.` +
          flaggedAward(state)
      : 'Inget tilldelningsbeslut är fattat ännu.',
    ev(
      evaluation,
      award,
      ...(flaggedAward(state) ? [lastOf(events.filter((e) => e.type === 'award.red_flags_justified'))] : []),
    ),
  );

  // 5–6. Subcontracting: the share and the subcontractors, as the contract recorded them.
  const sub = state.contract?.subcontracting;
  add(
    'subcontracting',
    'Andel som läggs ut på underleverantörer och underleverantörernas namn',
    UF('första stycket 5–6'),
    !state.contract
      ? 'Inget kontrakt är registrerat ännu.'
      : !sub
        ? `Andel och underleverantörer: ${NOT_RECORDED}.`
        : `Andel som leverantören avser att lägga ut på andra: ${sub.sharePercent !== undefined ? `${sub.sharePercent} %` : 'inte känd'}. ` +
          (sub.subcontractors.length > 0
            ? `Underleverantörer: ${sub.subcontractors.map((x) => `${x.name}${x.orgNumber ? ` (${x.orgNumber})` : ''}`).join(', ')}.`
            : 'Inga underleverantörer är namngivna.'),
    ev(contract),
  );

  // 12 kap. 16 § 1: tenders rejected as abnormally low, and why.
  add(
    'abnormally_low',
    'Anbud som förkastats som onormalt låga och skälen',
    LOU_16(1),
    !state.evaluation && checked.length === 0
      ? 'Utvärderingen är inte klar.'
      : checked.length === 0
        ? 'Utvärderingen registrerade ingen kontroll av onormalt låga anbud och inget förkastat anbud.'
        : checked
            .map(
              (a) =>
                `${a.supplier}${a.lot ? ` (${a.lot})` : ''}: förklaring begärd ${a.explanationRequestedOn}` +
                `${a.explanationReceivedOn ? `, inkom ${a.explanationReceivedOn}` : ', ingen förklaring inkom'}` +
                `${a.explanation ? ` (${a.explanation})` : ''}; ${a.outcome === 'rejected' ? 'anbudet förkastades' : 'förklaringen godtogs'}. Skäl: ${a.reason ?? NOT_RECORDED}.`,
            )
            .join(' ') + ` (${ABNORMALLY_LOW_PARAGRAPH})`,
    ev(evaluation, ...assessed),
  );

  // 12 kap. 16 § 2: why no contract was awarded.
  const ended = state.outcome;
  add(
    'not_awarded',
    'Skäl till att kontrakt inte tilldelats',
    LOU_16(2),
    ended
      ? `Upphandlingen avslutades ${ended.phase === 'cancelled' ? 'avbruten' : 'utan resultat'} ${day(ended.at)}. Skäl: ${ended.reason}.`
      : state.contract
        ? 'Kontrakt har tilldelats.'
        : 'Upphandlingen pågår.',
    ev(created, contract),
  );

  // Lots: divided, or why not (4 kap. 14 § LOU).
  const na = state.needsAnalysis;
  add(
    'lots',
    'Uppdelning i delkontrakt',
    '4 kap. 14 § LOU',
    na
      ? na.lots && na.lots.length >= 2 // one "lot" is the whole contract, not a division
        ? `Upphandlingen är delad i ${na.lots.length} delkontrakt: ${na.lots.map((l) => `${l.title} (${sek(l.estimatedValueSek)})`).join(', ')}.`
        : `Kontraktet delas inte upp. Skäl: ${na.lotJustification ?? NOT_RECORDED}.`
      : 'Behovsanalysen med planen för delkontrakt är inte klar.',
    ev(needs),
  );

  // 12 kap. 16 § 6: conflicts of interest found and the measures taken.
  const conflicts = state.evaluators.filter((e) => e.declaration?.hasConflict);
  add(
    'conflicts_of_interest',
    'Intressekonflikter och vidtagna åtgärder',
    LOU_16(6),
    (state.evaluators.length > 0
      ? `Jävsdeklarationer: ${state.evaluators
          .map(
            (e) =>
              `${e.name}: ${e.declaration ? (e.declaration.hasConflict ? `intressekonflikt anmäld (${e.declaration.statement})` : 'ingen intressekonflikt') : 'ingen deklaration'}`,
          )
          .join('; ')}.`
      : 'Inga utvärderare är utsedda.') +
      (conflicts.length > 0
        ? ` Åtgärd: ${conflicts.map((e) => e.name).join(', ')} togs bort från utvärderingen.`
        : state.evaluators.length > 0
          ? ' Ingen intressekonflikt anmäldes; inga åtgärder behövdes.'
          : ''),
    ev(created, ...declarations),
  );

  // 12 kap. 16 § 5: tenders by other than electronic means.
  const pub = state.publication;
  add(
    'communication',
    'Inlämning av anbud med andra medel än elektroniska',
    LOU_16(5),
    pub
      ? `${pub.electronicSubmission ? 'Anbud lämnades med elektroniska medel.' : 'Anbud fick lämnas på annat sätt än med elektroniska medel.'} ` +
          `${pub.documentsAvailableElectronically === false ? 'Upphandlingsdokumenten gjordes inte tillgängliga med elektroniska medel.' : 'Upphandlingsdokumenten gjordes tillgängliga med elektroniska medel.'}`
      : state.negotiation
        ? 'Upphandlingen annonserades inte; de inbjudna leverantörerna lämnade anbud enligt inbjudan.'
        : 'Upphandlingen har inte annonserats ännu.',
    ev(publish, select),
  );

  const { required, note } = reportRequired(state);
  return {
    kind: 'individual_report',
    heading: 'Individuell rapport (12 kap. 15–16 §§ LOU)',
    ...identity(state),
    required,
    ...(note ? { note } : {}),
    complete: state.contract !== undefined || state.outcome !== undefined,
    generatedAt: now,
    auditHead: lastOf(events)?.hash ?? null,
    statements,
  };
}

/**
 * Whether 12 kap. 15 § requires the report: every contract above the threshold, except a call-off
 * under a framework agreement with one supplier or without renewed competition (7 kap. 4 or 6 §);
 * below the threshold only bilaga 2 services (19 kap. 22 § andra stycket LOU).
 */
function reportRequired(state: TenderState): { required: boolean; note?: string } {
  const annex2 = state.contractType === 'social_services' || state.contractType === 'welfare_services';
  switch (state.regime) {
    case 'eu':
      return { required: true };
    case 'framework_call_off':
      return state.renewedCompetition
        ? {
            required: true,
            note: 'Avrop med förnyad konkurrensutsättning (7 kap. 7–8 §§ LOU): rapporten krävs (12 kap. 15 § andra stycket undantar bara avrop enligt 7 kap. 4 eller 6 §).',
          }
        : {
            required: false,
            note: 'Avrop utan förnyad konkurrensutsättning (7 kap. 4 eller 6 § LOU): ingen individuell rapport krävs (12 kap. 15 § andra stycket); dokumentationsplikten i 12 kap. 14 § gäller. Rapporten visas som underlag.',
          };
    case 'national':
      return annex2
        ? {
            required: true,
            note: 'Tjänster enligt bilaga 2: dokumentationen görs med tillämpning av 12 kap. 15–16 §§ om individuella rapporter (19 kap. 22 § andra stycket LOU).',
          }
        : {
            required: false,
            note: 'Under tröskelvärdet gäller dokumentationsplikten i 19 kap. 22 § LOU, inte 12 kap. 15 §; rapporten visas som underlag.',
          };
    case 'direct':
      return {
        required: false,
        note: '12 kap. 15 § LOU gäller inte en direktupphandling; dokumentationsplikten i 19 a kap. 11 § LOU gäller. Rapporten visas som underlag.',
      };
  }
}

/** What every document names of its tender. */
function identity(
  state: TenderState,
): Pick<IndividualReport, 'tenderId' | 'title' | 'organization' | 'regime' | 'procedure' | 'ruleSet'> {
  return {
    tenderId: state.id,
    title: state.title,
    organization: state.organization,
    regime: state.regime,
    procedure: state.procedure,
    ruleSet: state.ruleSet,
  };
}

function authorityText(organization: string, authority: AuthorityIdentity | null): string {
  if (!authority)
    return `${organization} (namn, organisationsnummer och adress: ${NOT_RECORDED} i organisationsregistret)`;
  const address = authority.address
    ? `${authority.address.street}, ${authority.address.postalCode} ${authority.address.city}`
    : `adress ${NOT_RECORDED} i organisationsregistret`;
  return `${authority.name} (${authority.orgNumber ? `org.nr ${authority.orgNumber}` : `organisationsnummer ${NOT_RECORDED} i organisationsregistret`}), ${address}`;
}

/**
 * A direct award's documentation (19 a kap. 11 § LOU): the items of the record made at its
 * documentation milestone, with the tender's subject and the contract's value and dates.
 */
function directAwardDocumentation(
  state: TenderState,
  events: AuditItem[],
  now: string,
  authority: AuthorityIdentity | null,
): IndividualReport {
  const created = events.find((e) => e.type === 'tender.created');
  const documented = lastOf(events.filter((e) => e.type === 'contract.direct_award_documented'));
  const contract = lastOf(commands<unknown>(events, 'registerContract'));
  const record = (documented?.payload as { record?: DirectAwardDocumentation } | undefined)?.record;
  const P = '19 a kap. 11 § LOU';
  const c = state.contract;
  const value = c?.valueSek ?? state.estimatedValueSek;
  const required = directAwardDocumentationRequired(value, state.ruleSet);
  const missing = record
    ? ''
    : required
      ? 'ännu inte dokumenterat (dokumentationen görs när milstolpen för dokumentation slutförs)'
      : 'inte dokumenterat: värdet överstiger inte 100 000 kronor (19 a kap. 11 § LOU)';
  const ground = state.withoutNoticeGround ? withoutNoticeGround(state.withoutNoticeGround, state.regime) : null;
  const statements: ReportStatement[] = [
    {
      item: 'authority',
      heading: 'Upphandlande myndighet och organisationsnummer',
      paragraph: P,
      text: record?.authority
        ? `${record.authority.name}, org.nr ${record.authority.orgNumber} (enligt organisationsregistret när dokumentationen gjordes).`
        : authority
          ? `${authorityText(state.organization, authority)}.`
          : `${state.organization} (namn och organisationsnummer: ${NOT_RECORDED} i organisationsregistret).`,
      evidence: ev(documented ?? created),
      ...(!record?.authority && authority
        ? { register: { organization: state.organization, updatedAt: authority.updatedAt } }
        : {}),
    },
    {
      item: 'subject',
      heading: 'Föremål för direktupphandlingen',
      paragraph: P,
      text:
        `${state.title} (${procedureLabelSv(state.regime, state.procedure)}, ${procedureChapter(state.regime, state.procedure)}).` +
        (ground ? ` Grund: ${ground.label} (${ground.paragraph}).` : ''),
      evidence: ev(created),
    },
    {
      item: 'competition',
      heading: 'Hur konkurrensen tillvaratogs',
      paragraph: P,
      text: record ? record.competition : missing,
      evidence: ev(documented),
    },
    {
      item: 'suppliers_asked',
      heading: 'Tillfrågade leverantörer och antal anbud',
      paragraph: P,
      text: record
        ? `${record.suppliersAsked
            .map(
              (s) =>
                `${s.name}${s.orgNumber ? ` (${s.orgNumber})` : ''}: ${s.answer === 'tendered' ? `lämnade anbud${s.priceSek !== undefined ? ` (${sek(s.priceSek)})` : ''}` : s.answer === 'declined' ? 'avböjde' : 'svarade inte'}`,
            )
            .join('; ')}. Antal anbud: ${tendersReceived(record)} av ${record.suppliersAsked.length} tillfrågade.`
        : missing,
      evidence: ev(documented),
    },
    {
      item: 'winner',
      heading: 'Vald leverantör, organisationsnummer och huvudsakligt skäl',
      paragraph: P,
      text: record ? `${record.winner.name}, org.nr ${record.winner.orgNumber}. Skäl: ${record.reason}.` : missing,
      evidence: ev(documented),
    },
    {
      item: 'value',
      heading: 'Kontraktets värde',
      paragraph: P,
      text: `Uppskattat värde: ${sek(state.estimatedValueSek)}.${c ? ` Kontraktets värde: ${sek(c.valueSek)}.` : ' Inget kontrakt är registrerat ännu.'}`,
      evidence: ev(created, contract),
    },
    {
      item: 'contract_dates',
      heading: 'När avtalet ingicks och dess löptid',
      paragraph: P,
      text: c
        ? `Avtalet ingicks ${c.signedAt} med ${c.supplier}; löptid ${c.startDate}–${c.endDate}.` +
          (state.exAnteNotice
            ? ` Annons om avsikt publicerades ${state.exAnteNotice.publishedOn} (${exAnteNoticeParagraph(state.regime)}); avtal fick ingås tidigast dagen efter ${state.exAnteNotice.waitLastDay} (20 kap. 3 § LOU).`
            : '')
        : 'Inget kontrakt är registrerat ännu.',
      evidence: ev(contract),
    },
  ];
  return {
    kind: 'direct_award_documentation',
    heading: 'Dokumentation av direktupphandling (19 a kap. 11 § LOU)',
    ...identity(state),
    required,
    note: required
      ? 'Direktupphandlingen ska dokumenteras (värdet överstiger 100 000 kronor, 19 a kap. 11 § LOU); dokumentationen ska vara slutförd senast 30 dagar efter att avtalet ingicks. Ingen individuell rapport enligt 12 kap. 15 § krävs.'
      : 'Värdet överstiger inte 100 000 kronor: ingen dokumentationsplikt enligt 19 a kap. 11 § LOU; uppgifterna visas som underlag.',
    // Complete once the contract is registered and, where the law asks for it, the record made.
    complete: c !== undefined && (record !== undefined || !required),
    generatedAt: now,
    auditHead: lastOf(events)?.hash ?? null,
    statements,
  };
}
