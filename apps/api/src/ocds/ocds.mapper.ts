import { directAwardRationale } from '@tenderflow/domain/contract-rules';
import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';
import { addDays, addMonths, endOfDayStockholmIso } from '@tenderflow/domain/calendar';
import {
  PROCEDURE_NAMES_SV,
  PROCUREMENT_METHOD,
  procedureChapter,
  procedureLabelSv,
  withoutNoticeGround,
  type OcdsProcurementMethod,
  type WithoutNoticeGround,
} from '@tenderflow/domain/procedures';
import type { ContractType, IsoDate, Phase } from '@tenderflow/domain/types';
import type { RequirementKind } from '@tenderflow/domain/requirements';
import type { Deadline, Requirement, TenderState } from '@tenderflow/temporal-common/tender-types';

/**
 * A tender's state as an OCDS 1.1 release package (https://standard.open-contracting.org/1.1/).
 *
 * Public fields only. The mapper reads nothing that names a person (subs, names of officers,
 * approvers, evaluators, openers), nothing of the conflict-of-interest declarations, the
 * evaluation's scores, reasons and summary, gate comments, the needs analysis, review filings,
 * questions' askers, partners' mandates or contact addresses. What it publishes is what the notices
 * publish: the buyer(s), the procedure, periods, values, lots, who tendered (after the award
 * decision, when their identity stops being confidential — OSL 19 kap. 3 §), who won and the
 * contract with its follow-up milestones.
 */

export const OCDS_VERSION = '1.1';
/** tender.lots and awards[].relatedLots come from the lots extension of OCDS 1.1. */
export const LOTS_EXTENSION =
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json';

/**
 * The requirements register (issue 30) in the release: mandatory requirements as the requirements
 * extension's criteria, award criteria at the lots (the award criteria extension) and in the core
 * `awardCriteriaDetails`, contract conditions as the contract terms extension's performance terms,
 * and the requirements that use a sustainability criterion in the sustainability extension. Their
 * versions are pinned to the commits the extension registry's `master` named when they were read
 * (no tagged release exists, and the requirements extension has changed incompatibly before).
 */
const extensionUrl = (repo: string, commit: string) =>
  `https://raw.githubusercontent.com/open-contracting-extensions/${repo}/${commit}/extension.json`;
/** bids.details and bids.statistics (the bid extension, with the lots extension's relatedLots on a bid). */
export const BID_EXTENSION =
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json';
export const REQUIREMENTS_EXTENSION = extensionUrl(
  'ocds_requirements_extension',
  'b4f5ba94b46bded427f5cd771b53397d020f7ec5',
);
export const AWARD_CRITERIA_EXTENSION = extensionUrl(
  'ocds_awardCriteria_extension',
  '9391240f353e8536992938fe9f7987cd89235331',
);
export const CONTRACT_TERMS_EXTENSION = extensionUrl(
  'ocds_contractTerms_extension',
  '316ea6708268b0efa7fe8fc2273c891107ac90ce',
);
export const SUSTAINABILITY_EXTENSION = extensionUrl(
  'ocds_sustainability_extension',
  'b8d93a0edb8e0ac2f27f733cccf3884e392346e9',
);

// --- codelists (OCDS 1.1.5) -----------------------------------------------------------------------

export type ReleaseTag =
  'planning' | 'tender' | 'tenderUpdate' | 'tenderCancellation' | 'award' | 'contract' | 'implementation';
export type TenderStatus = 'planning' | 'active' | 'complete' | 'cancelled' | 'unsuccessful';
export type ProcurementMethod = OcdsProcurementMethod;
export type ProcurementCategory = 'goods' | 'works' | 'services';
export type PartyRole = 'buyer' | 'procuringEntity' | 'supplier' | 'tenderer';
export type AwardStatus = 'pending' | 'active' | 'cancelled' | 'unsuccessful';
export type ContractStatus = 'pending' | 'active' | 'cancelled' | 'terminated';
export type MilestoneStatus = 'scheduled' | 'met' | 'notMet' | 'partiallyMet';
export type MilestoneType =
  'preProcurement' | 'approval' | 'engagement' | 'assessment' | 'delivery' | 'reporting' | 'financing';

export { PROCUREMENT_METHOD };

const CATEGORY: Readonly<Record<ContractType, ProcurementCategory>> = {
  supplies: 'goods',
  services: 'services',
  works: 'works',
  // Social and other special services and welfare services (bilaga 2, 19 kap.) are services.
  social_services: 'services',
  welfare_services: 'services',
};

/** Why a direct award was allowed, in the statute's words (19 a kap. 2 § LOU: "understiga"). */

// --- output shape -------------------------------------------------------------------------------

export interface OcdsValue {
  amount: number;
  currency: 'SEK';
}
export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
  maxExtentDate?: string;
}
export interface OcdsOrganizationReference {
  id: string;
  name: string;
}
export interface OcdsParty extends OcdsOrganizationReference {
  identifier?: { scheme: string; id: string; legalName: string };
  roles: PartyRole[];
}
export interface OcdsDocument {
  id: string;
  documentType: 'tenderNotice' | 'biddingDocuments' | 'awardNotice' | 'evaluationReports';
  title: string;
  description?: string;
  datePublished?: string;
  format?: string;
  language?: string;
}
export interface OcdsMilestone {
  id: string;
  title: string;
  type: MilestoneType;
  dueDate: string;
  status: MilestoneStatus;
  dateMet?: string;
}
export interface OcdsLot {
  id: string;
  title: string;
  value: OcdsValue;
  awardCriteria?: OcdsLotAwardCriteria;
  contractTerms?: { performanceTerms: string };
}
/** The bid extension: each tender received in time, per lot with its price; and the counts per lot. */
export interface OcdsBid {
  id: string;
  date: string;
  status?: 'valid' | 'disqualified' | 'pending';
  tenderers: OcdsOrganizationReference[];
  value?: OcdsValue;
  relatedLots?: string[];
}
export interface OcdsBidStatistic {
  id: string;
  measure: 'bids' | 'validBids' | 'disqualifiedBidders' | 'lowestValidBidValue';
  value: number;
  currency?: 'SEK';
  relatedLot?: string;
}
export interface OcdsBids {
  statistics: OcdsBidStatistic[];
  details: OcdsBid[];
}
/** The requirements extension: a criterion with its requirements (one group: all of them must be met). */
export interface OcdsCriterion {
  id: string;
  title: string;
  description: string;
  relatesToTenderer: boolean;
  relatedLots?: string[];
  requirementGroups: {
    id: string;
    requirements: { id: string; title: string; description?: string; dataType: 'boolean'; expectedValue: true }[];
  }[];
}
/** The award criteria extension, at a lot. */
export interface OcdsLotAwardCriteria {
  criteria: {
    type: 'quality';
    name: string;
    description: string;
    numbers?: { number: number; weight: 'percentageExact' }[];
  }[];
}
/** The sustainability extension: what a requirement uses a criterion for. */
export interface OcdsSustainability {
  description: string;
  strategies: string[];
}
export interface OcdsTender {
  id: string;
  title: string;
  status: TenderStatus;
  procuringEntity: OcdsOrganizationReference;
  value: OcdsValue;
  procurementMethod: ProcurementMethod;
  procurementMethodDetails: string;
  procurementMethodRationale?: string;
  mainProcurementCategory: ProcurementCategory;
  submissionMethod?: ['electronicSubmission'];
  tenderPeriod?: OcdsPeriod;
  enquiryPeriod?: OcdsPeriod;
  hasEnquiries?: boolean;
  awardPeriod?: OcdsPeriod;
  contractPeriod?: OcdsPeriod;
  lots?: OcdsLot[];
  criteria?: OcdsCriterion[];
  awardCriteria?: 'ratedCriteria';
  awardCriteriaDetails?: string;
  contractTerms?: { performanceTerms: string };
  hasSustainability?: boolean;
  sustainability?: OcdsSustainability[];
  numberOfTenderers?: number;
  tenderers?: OcdsOrganizationReference[];
  documents?: OcdsDocument[];
}
export interface OcdsAward {
  id: string;
  title: string;
  description?: string;
  status: AwardStatus;
  date: string;
  suppliers: OcdsOrganizationReference[];
  value?: OcdsValue;
  contractPeriod?: OcdsPeriod;
  relatedLots?: string[];
  documents?: OcdsDocument[];
}
export interface OcdsContract {
  id: string;
  awardID: string;
  title: string;
  status: ContractStatus;
  period: OcdsPeriod;
  value: OcdsValue;
  dateSigned: string;
  implementation?: { milestones: OcdsMilestone[] };
  amendments?: OcdsAmendment[];
}
/** A change to the contract (17 kap. LOU) as OCDS 1.1.5 describes one: when, why (the paragraph), what. */
export interface OcdsAmendment {
  id: string;
  date: string;
  rationale: string;
  description: string;
}
/** A change registered against the contract, as the export takes it. */
export interface ChangeInput {
  id: string;
  at: string;
  paragraph: string;
  valueChangeSek: number;
  valueAfterSek: number;
  description: string;
  newSupplier?: string;
}
export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: ReleaseTag[];
  initiationType: 'tender';
  language: 'sv';
  parties: OcdsParty[];
  buyer: OcdsOrganizationReference;
  planning: { budget: { description: string; amount: OcdsValue } };
  tender: OcdsTender;
  awards?: OcdsAward[];
  contracts?: OcdsContract[];
  bids?: OcdsBids;
}
export interface OcdsReleasePackage {
  uri: string;
  version: typeof OCDS_VERSION;
  extensions?: string[];
  publishedDate: string;
  publisher: { name: string };
  releases: [OcdsRelease];
}

/** A follow-up milestone of the contract, as the follow-up side records it. */
export interface MilestoneInput {
  id: string;
  title: string;
  type: MilestoneType;
  /** A day (`YYYY-MM-DD`, due at its end, Swedish time) or an instant. */
  dueDate: string;
  status: MilestoneStatus;
  dateMet?: string;
}

export interface ReleasePackageOptions {
  /** The publisher's OCDS prefix (`ocds-xxxxxx`), registered with the Open Contracting Partnership. */
  prefix: string;
  publisherName: string;
  /** When the underlying data last changed (the package is generated on demand); see `lastChange`. */
  publishedDate: string;
  /** The API's public address; the package's `uri` is its export URL under it. */
  baseUrl: string;
  milestones?: MilestoneInput[];
  /** The contract's changes under 17 kap. LOU: its amendments. */
  changes?: ChangeInput[];
  /** Display names of organisation codes; the code itself is used where none is given. */
  organizationNames?: Record<string, string>;
  /** A direct award's limit under the rule set the tender started with (null: none confirmed). */
  directAwardLimitSek?: number | null;
  /**
   * A direct award's documentation (19 a kap. 11 § LOU) as the chain recorded it: the suppliers that
   * tendered become `tender.tenderers`, the main reason the award's description. Prices stay out.
   */
  directAwardRecord?: Pick<DirectAwardDocumentation, 'suppliersAsked' | 'winner' | 'reason'>;
  /** An award without prior notice: the ground of the statute the tender started with. */
  withoutNoticeGround?: WithoutNoticeGround;
  /** The requirements register with its texts (GET /tenders/{id}/requirements); withdrawn ones are left out. */
  requirements?: Requirement[];
}

// --- what may be published --------------------------------------------------------------------

/**
 * The public sees a tender from its publication on; a direct award (never advertised) from its
 * registered contract. Before that, the procurement is internal preparation.
 */
export function isExportable(state: Pick<TenderState, 'publication' | 'contract' | 'exAnteNotice'>): boolean {
  // An ex-ante transparency notice is public too (10 kap. 5 §, 19 a kap. 9 § LOU).
  return state.publication !== undefined || state.contract !== undefined || state.exAnteNotice !== undefined;
}

/** The latest instant anything in the state changed: the package's and release's date. */
export function lastChange(state: TenderState): string {
  const instants = [
    state.createdAt,
    ...state.timeline.flatMap((t) => (t.leftAt ? [t.enteredAt, t.leftAt] : [t.enteredAt])),
    ...state.commands.map((c) => c.at),
    ...(state.outcome ? [state.outcome.at] : []),
  ];
  return new Date(Math.max(...instants.map((i) => Date.parse(i)))).toISOString();
}

// --- the mapping ------------------------------------------------------------------------------

export function toReleasePackage(state: TenderState, opts: ReleasePackageOptions): OcdsReleasePackage {
  const ocid = `${opts.prefix}-${state.id}`;
  const parties = new PartyList();
  const buyer = parties.add(
    orgPartyId(state.organization),
    opts.organizationNames?.[state.organization] ?? state.organization,
    ['buyer', 'procuringEntity'],
  );
  // Joint procurement: the bodies that joined are buyers too; the contract covers them.
  for (const p of state.participants) {
    if (p.status === 'joined') parties.add(orgPartyId(p.organization), p.name, ['buyer']);
  }

  const lotIds = new Map(state.lots.map((l, i) => [l.title, `lot-${i + 1}`]));
  const orgNumbers = new Map<string, string>();
  const record = opts.directAwardRecord;
  for (const s of record?.suppliersAsked ?? []) if (s.orgNumber) orgNumbers.set(s.name, s.orgNumber);
  if (record) orgNumbers.set(record.winner.name, record.winner.orgNumber);
  for (const t of [...state.candidates, ...state.tendersReceived, ...(state.contract ? [state.contract] : [])]) {
    if (t.orgNumber) orgNumbers.set(t.supplier, t.orgNumber);
  }
  const supplier = (name: string, role: PartyRole) =>
    parties.add(supplierPartyId(name, orgNumbers.get(name)), name, [role], orgNumbers.get(name));

  // Who tendered is confidential until the award decision or until the procurement ends (OSL 19 kap. 3 §).
  const tenderersPublic = state.award !== undefined || state.outcome !== undefined || state.contract !== undefined;
  const validTenders = state.tendersReceived.filter((t) => !t.late);
  // A direct award without an opening: those of the suppliers asked that tendered, as its documentation recorded them.
  const tendered =
    validTenders.length > 0 || !record
      ? validTenders.map((t) => t.supplier)
      : record.suppliersAsked.filter((s) => s.answer === 'tendered').map((s) => s.name);
  const tenderers = tenderersPublic ? unique(tendered).map((name) => supplier(name, 'tenderer')) : [];

  const winner = record?.winner.name.trim().toLowerCase();
  const awards = mapAwards(state, ocid, lotIds, supplier).map((a) =>
    record && a.suppliers.some((s) => s.name.trim().toLowerCase() === winner)
      ? { ...a, description: `Huvudsakligt skäl: ${record.reason}` }
      : a,
  );
  // The evaluation report and the award decision notices (12 kap. 12 § LOU) the decision issued:
  // one decision, so each award lists them all.
  const awardDocuments = awardNoticeDocuments(state, tenderersPublic);
  if (awardDocuments.length > 0) for (const a of awards) a.documents = awardDocuments;
  const contracts = mapContracts(state, awards, opts);

  const tenderDeadline = deadlineOf(state, 'tender_deadline');
  const questionCutoff = deadlineOf(state, 'question_cutoff');
  const twoStage = deadlineOf(state, 'request_deadline') !== undefined;
  const invitedAt = state.commands.find((c) => c.command === 'selectCandidates')?.at;
  const tenderPeriodStart = state.publication ? (twoStage ? invitedAt : state.publication.sentAt) : undefined;

  const register = requirementsRelease(opts.requirements ?? [], lotIds);
  const tender: OcdsTender = {
    id: state.id,
    title: state.title,
    status: tenderStatus(state.phase),
    procuringEntity: buyer,
    value: sek(state.estimatedValueSek),
    procurementMethod: PROCUREMENT_METHOD[state.procedure],
    procurementMethodDetails: `${procedureLabelSv(state.regime, state.procedure)} (${procedureChapter(state.regime, state.procedure)})${
      state.procedureDescription ? `: ${state.procedureDescription}` : ''
    }`,
    // Said from the figures (the contract's value once registered, else the estimate, against the limit)
    // or from the recorded ground of an award without prior notice, and its ex-ante notice.
    ...methodRationale(state, opts),
    mainProcurementCategory: CATEGORY[state.contractType],
    ...(state.publication?.electronicSubmission
      ? { submissionMethod: ['electronicSubmission'] as ['electronicSubmission'] }
      : {}),
    ...(state.publication
      ? {
          tenderPeriod: period(
            tenderPeriodStart && instant(tenderPeriodStart),
            tenderDeadline && instant(tenderDeadline.at),
          ),
          ...(questionCutoff
            ? { enquiryPeriod: period(instant(state.publication.sentAt), instant(questionCutoff.at)) }
            : {}),
          hasEnquiries: state.questions.length > 0,
        }
      : {}),
    ...(state.award
      ? { awardPeriod: period(tenderDeadline && instant(tenderDeadline.at), instant(state.award.decidedAt)) }
      : {}),
    ...(state.contract ? { contractPeriod: contractPeriod(state.contract) } : {}),
    ...(state.lots.length > 0
      ? {
          lots: state.lots.map((l) => ({
            id: lotIds.get(l.title)!,
            title: l.title,
            value: sek(l.estimatedValueSek),
            ...register.lot(l.title),
          })),
        }
      : {}),
    ...register.tender,
    ...(tenderersPublic && (state.publication || state.negotiation || record)
      ? { numberOfTenderers: tenderers.length, tenderers }
      : {}),
    ...(state.publication ? { documents: documents(state) } : {}),
  };

  const release: OcdsRelease = {
    ocid,
    id: `${ocid}-${state.version}`,
    date: opts.publishedDate,
    tag: [releaseTag(state, contracts)],
    initiationType: 'tender',
    language: 'sv',
    parties: parties.list(),
    buyer,
    planning: {
      budget: {
        description: 'Uppskattat totalt värde för hela avtalstiden inklusive förlängningsoptioner',
        amount: sek(state.estimatedValueSek),
      },
    },
    tender,
    ...(awards.length > 0 ? { awards } : {}),
    ...(contracts.length > 0 ? { contracts } : {}),
    // The tenders and their prices are public with who tendered (after the award decision).
    ...(tenderersPublic && validTenders.length > 0 ? { bids: mapBids(state, lotIds, supplier) } : {}),
  };

  const extensions = [
    ...(tender.lots !== undefined || release.bids ? [LOTS_EXTENSION] : []),
    ...(release.bids ? [BID_EXTENSION] : []),
    ...(tender.criteria ? [REQUIREMENTS_EXTENSION] : []),
    ...(tender.lots?.some((l) => l.awardCriteria) ? [AWARD_CRITERIA_EXTENSION] : []),
    ...(tender.contractTerms || tender.lots?.some((l) => l.contractTerms) ? [CONTRACT_TERMS_EXTENSION] : []),
    ...(tender.sustainability ? [SUSTAINABILITY_EXTENSION] : []),
  ];
  return {
    uri: `${opts.baseUrl.replace(/\/+$/, '')}/tenders/${encodeURIComponent(state.id)}/ocds`,
    version: OCDS_VERSION,
    ...(extensions.length > 0 ? { extensions } : {}),
    publishedDate: opts.publishedDate,
    publisher: { name: opts.publisherName },
    releases: [release],
  };
}

function tenderStatus(phase: Phase): TenderStatus {
  switch (phase) {
    case 'needs_analysis':
    case 'coordination':
    case 'documents':
      return 'planning';
    case 'published':
    case 'negotiation':
    case 'opening':
    case 'evaluation':
    case 'award_decision':
    case 'standstill':
    case 'under_review':
      return 'active';
    case 'contract':
    case 'follow_up':
    case 'completed':
      return 'complete';
    case 'cancelled':
      return 'cancelled';
    case 'unsuccessful':
      return 'unsuccessful';
  }
}

/** The release describes the latest stage the tender reached (the releaseTag codelist). */
function releaseTag(state: TenderState, contracts: OcdsContract[]): ReleaseTag {
  if (state.phase === 'cancelled') return 'tenderCancellation';
  // No codelist value names an unsuccessful tender; its tender block is updated with that status.
  if (state.phase === 'unsuccessful') return 'tenderUpdate';
  if (contracts.some((c) => c.implementation)) return 'implementation';
  if (contracts.length > 0) return 'contract';
  if (state.award) return 'award';
  if (state.publication) return 'tender';
  return 'planning';
}

/** `procurementMethodRationale`: why the method was allowed, for a direct award or an award without prior notice. */
function methodRationale(state: TenderState, opts: ReleasePackageOptions): { procurementMethodRationale?: string } {
  const ground = opts.withoutNoticeGround ? withoutNoticeGround(opts.withoutNoticeGround, state.regime) : null;
  const exAnte = state.exAnteNotice
    ? ` Annons om avsikt publicerad ${state.exAnteNotice.publishedOn} (${state.exAnteNotice.paragraph}); avtal tidigast dagen efter ${state.exAnteNotice.waitLastDay} (20 kap. 3 § LOU).`
    : '';
  const value = state.contract ? state.contract.valueSek : state.estimatedValueSek;
  const basis = state.contract ? 'contract' : 'estimate';
  if (state.regime === 'direct')
    return {
      procurementMethodRationale:
        directAwardRationale(value, basis, opts.directAwardLimitSek ?? null, ground ?? undefined) + exAnte,
    };
  if (ground)
    return {
      procurementMethodRationale: `${PROCEDURE_NAMES_SV[state.procedure]} (${ground.paragraph}): ${ground.label}.${exAnte}`,
    };
  return {};
}

function mapAwards(
  state: TenderState,
  ocid: string,
  lotIds: Map<string, string>,
  supplier: (name: string, role: PartyRole) => OcdsOrganizationReference,
): OcdsAward[] {
  const c = state.contract;
  if (state.award) {
    const status: AwardStatus =
      state.phase === 'cancelled'
        ? 'cancelled'
        : c || state.phase === 'contract' || state.phase === 'follow_up' || state.phase === 'completed'
          ? 'active'
          : 'pending';
    // One award per winning supplier, covering every lot it won (the lots extension's relatedLots).
    const bySupplier = new Map<string, string[]>();
    for (const w of state.award.winners) {
      const lots = bySupplier.get(w.supplier) ?? [];
      if (w.lot !== undefined && lotIds.has(w.lot)) lots.push(w.lot);
      bySupplier.set(w.supplier, lots);
    }
    return [...bySupplier].map(([name, lots], i) => ({
      id: `${ocid}-award-${i + 1}`,
      title: lots.length > 0 ? `${state.title}: ${lots.join(', ')}` : state.title,
      status,
      date: instant(state.award!.decidedAt),
      suppliers: [supplier(name, 'supplier')],
      ...(c && c.supplier === name ? { value: sek(c.valueSek), contractPeriod: contractPeriod(c) } : {}),
      ...(lots.length > 0 ? { relatedLots: lots.map((l) => lotIds.get(l)!) } : {}),
    }));
  }
  // A direct award has no award decision of its own: the registered contract is the award.
  if (c && state.procedure === 'direct_award') {
    return [
      {
        id: `${ocid}-award-1`,
        title: state.title,
        status: 'active',
        date: dayStart(c.signedAt),
        suppliers: [supplier(c.supplier, 'supplier')],
        value: sek(c.valueSek),
        contractPeriod: contractPeriod(c),
      },
    ];
  }
  return [];
}

function mapContracts(state: TenderState, awards: OcdsAward[], opts: ReleasePackageOptions): OcdsContract[] {
  const c = state.contract;
  if (!c) return [];
  const award = awards.find((a) => a.suppliers.some((s) => s.name === c.supplier));
  if (!award) return [];
  const ended = Date.parse(dayEnd(c.endDate)) < Date.parse(opts.publishedDate);
  const milestones = (opts.milestones ?? []).map((m): OcdsMilestone => ({
    id: m.id,
    title: m.title,
    type: m.type,
    dueDate: /^\d{4}-\d{2}-\d{2}$/.test(m.dueDate) ? dayEnd(m.dueDate) : instant(m.dueDate),
    status: m.status,
    ...(m.dateMet ? { dateMet: /^\d{4}-\d{2}-\d{2}$/.test(m.dateMet) ? dayStart(m.dateMet) : instant(m.dateMet) } : {}),
  }));
  return [
    {
      id: award.id.replace(/-award-(\d+)$/, '-contract-$1'),
      awardID: award.id,
      title: state.title,
      // Registered contracts are signed: in force until their end, then closed.
      status: ended ? 'terminated' : 'active',
      period: contractPeriod(c),
      value: sek(c.valueSek),
      dateSigned: dayStart(c.signedAt),
      ...(milestones.length > 0 ? { implementation: { milestones } } : {}),
      ...(opts.changes?.length ? { amendments: opts.changes.map(toAmendment) } : {}),
    },
  ];
}

function contractPeriod(c: NonNullable<TenderState['contract']>): OcdsPeriod {
  const optionMonths = (c.options ?? []).reduce((a, o) => a + o.months, 0);
  return {
    startDate: dayStart(c.startDate),
    endDate: dayEnd(c.endDate),
    ...(optionMonths > 0 ? { maxExtentDate: dayEnd(addMonths(c.endDate, optionMonths)) } : {}),
  };
}

/**
 * The evaluation report and each tenderer's award decision notice, with the SHA-256 the chain holds
 * (GET /tenders/{id}/decision-documents). Without public tenderers a notice's title names none.
 */
function awardNoticeDocuments(state: TenderState, tenderersPublic: boolean): OcdsDocument[] {
  const award = state.award;
  const report = state.decisionDocuments?.find((d) => d.kind === 'evaluation_report');
  const evaluation: OcdsDocument[] = report
    ? [
        {
          id: 'evaluation-report',
          documentType: 'evaluationReports',
          title: 'Utvärderingsrapport',
          description: `SHA-256 ${report.sha256}`,
          datePublished: instant(report.issuedAt),
          format: 'application/json',
          language: 'sv',
        },
      ]
    : [];
  return [
    ...evaluation,
    ...(award?.notices ?? []).map((n): OcdsDocument => ({
      id: `award-notice-${n.n}`,
      documentType: 'awardNotice',
      title: `Underrättelse om tilldelningsbeslut${tenderersPublic ? ` till ${n.supplier}` : ` ${n.n}`}`,
      description: `SHA-256 ${n.sha256}`,
      datePublished: instant(award!.decidedAt),
      format: 'application/json',
      language: 'sv',
    })),
  ];
}

function documents(state: TenderState): OcdsDocument[] {
  const pub = state.publication!;
  const notice: OcdsDocument = {
    id: pub.noticeReference ?? 'notice',
    documentType: 'tenderNotice',
    title: `Annons i ${pub.advertisingDatabase}`,
    datePublished: instant(pub.sentAt),
  };
  const docs = (state.documents?.items ?? []).map((d, i): OcdsDocument => ({
    id: `doc-${i + 1}`,
    documentType: 'biddingDocuments',
    title: d.title,
    description: `Referens ${d.reference}${d.version ? `, version ${d.version}` : ''}`,
  }));
  return [notice, ...docs];
}

/** The deadline of a kind now in force: the running one, or the last that was not superseded. */
function deadlineOf(state: TenderState, kind: string): Deadline | undefined {
  const running = state.deadlines.find((d) => d.kind === kind);
  if (running) return running;
  const past = state.pastDeadlines.filter((d) => d.kind === kind);
  return [...past].reverse().find((d) => d.outcome !== 'superseded') ?? past[past.length - 1];
}

class PartyList {
  private readonly parties = new Map<string, OcdsParty>();

  add(id: string, name: string, roles: PartyRole[], orgNumber?: string): OcdsOrganizationReference {
    const existing = this.parties.get(id);
    if (existing) {
      for (const r of roles) if (!existing.roles.includes(r)) existing.roles.push(r);
    } else {
      this.parties.set(id, {
        id,
        name,
        ...(orgNumber ? { identifier: { scheme: 'SE-BLV', id: digits(orgNumber), legalName: name } } : {}),
        roles: [...roles],
      });
    }
    return { id, name: this.parties.get(id)!.name };
  }

  list(): OcdsParty[] {
    return [...this.parties.values()];
  }
}

/** Organisations of the region are known by their code; companies by their organisation number. */
function orgPartyId(code: string): string {
  return `org-${code}`;
}

function supplierPartyId(name: string, orgNumber: string | undefined): string {
  if (orgNumber) return `SE-BLV-${digits(orgNumber)}`;
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `supplier-${slug || 'unnamed'}`;
}

function digits(orgNumber: string): string {
  return orgNumber.replace(/\D/g, '');
}

function unique<T>(xs: T[]): T[] {
  return xs.filter((x, i) => xs.indexOf(x) === i);
}

function sek(amount: number): OcdsValue {
  return { amount, currency: 'SEK' };
}

function period(startDate: string | undefined, endDate: string | undefined): OcdsPeriod {
  return { ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) };
}

function instant(iso: string): string {
  return new Date(iso).toISOString();
}

/** 00:00 Swedish time on `date`: the offset of the previous day's last second (DST never changes at midnight). */
function dayStart(date: IsoDate): string {
  return `${date}T00:00:00${endOfDayStockholmIso(addDays(date, -1)).slice(-6)}`;
}

function dayEnd(date: IsoDate): string {
  return endOfDayStockholmIso(date);
}

// --- the requirements register ------------------------------------------------------------------

/** What the sustainability extension calls the use each kind of requirement makes of a criterion. */
const SUSTAINABILITY_STRATEGY: Record<RequirementKind, string> = {
  supplier_requirement: 'selectionCriteria',
  object_requirement: 'technicalSpecifications',
  award_criterion: 'awardCriteria',
  contract_condition: 'contractPerformanceConditions',
};

const requirementTitle = (r: Requirement) => `${r.id}: ${r.reference ?? ''}`.replace(/: $/, '');

/** The register's fields of the tender and of each lot (by title). A requirement without a lot applies to every lot. */
function requirementsRelease(
  all: readonly Requirement[],
  lotIds: ReadonlyMap<string, string>,
): { tender: Partial<OcdsTender>; lot: (title: string) => Partial<OcdsLot> } {
  const live = all.filter((r) => !r.withdrawn && r.text !== undefined);
  const mandatory = live.filter((r) => r.kind === 'supplier_requirement' || r.kind === 'object_requirement');
  const criteria = live.filter((r) => r.kind === 'award_criterion');
  const conditions = live.filter((r) => r.kind === 'contract_condition');
  const sustainable = live.filter((r) => r.sustainabilityCriterionId !== undefined);
  const appliesTo = (r: Requirement, lot: string) => r.lot === undefined || r.lot === lot;
  const scoring = (r: Requirement) =>
    r.scoring?.weight !== undefined
      ? `vikt ${r.scoring.weight} %, skala 0–${r.scoring.maxScore}`
      : r.scoring?.maxDeductionSek !== undefined
        ? `mervärdesavdrag upp till ${r.scoring.maxDeductionSek} kr, skala 0–${r.scoring.maxScore}`
        : '';
  const conditionText = (list: readonly Requirement[]) => list.map((r) => `${r.id}: ${r.text}`).join('\n');
  const tender: Partial<OcdsTender> = {
    ...(mandatory.length > 0
      ? {
          criteria: mandatory.map((r) => ({
            id: r.id,
            title: requirementTitle(r),
            description: r.text!,
            relatesToTenderer: r.kind === 'supplier_requirement',
            ...(r.lot !== undefined && lotIds.has(r.lot) ? { relatedLots: [lotIds.get(r.lot)!] } : {}),
            requirementGroups: [
              {
                id: `${r.id}-1`,
                requirements: [{ id: `${r.id}-1-1`, title: r.text!, dataType: 'boolean', expectedValue: true }],
              },
            ],
          })),
        }
      : {}),
    ...(criteria.length > 0
      ? {
          awardCriteria: 'ratedCriteria' as const,
          awardCriteriaDetails: criteria
            .map((r) => `${r.id}${r.lot ? ` (${r.lot})` : ''}: ${r.text} (${scoring(r)})`)
            .join('\n'),
        }
      : {}),
    // Conditions of the whole procurement; a lot's own go to the lot.
    ...(conditions.some((r) => r.lot === undefined)
      ? { contractTerms: { performanceTerms: conditionText(conditions.filter((r) => r.lot === undefined)) } }
      : {}),
    ...(sustainable.length > 0
      ? {
          hasSustainability: true,
          sustainability: sustainable.map((r) => ({
            description: `${r.id}: ${r.text} (Upphandlingsmyndighetens kriterium ${r.sustainabilityCriterionId})`,
            strategies: [SUSTAINABILITY_STRATEGY[r.kind]],
          })),
        }
      : {}),
  };
  const lot = (title: string): Partial<OcdsLot> => {
    const scored = criteria.filter((r) => appliesTo(r, title));
    const own = conditions.filter((r) => r.lot === title);
    return {
      ...(scored.length > 0
        ? {
            awardCriteria: {
              criteria: scored.map((r) => ({
                type: 'quality' as const,
                name: requirementTitle(r),
                description: `${r.text} (${scoring(r)})`,
                ...(r.scoring?.weight !== undefined
                  ? { numbers: [{ number: r.scoring.weight, weight: 'percentageExact' as const }] }
                  : {}),
              })),
            },
          }
        : {}),
      ...(own.length > 0 ? { contractTerms: { performanceTerms: conditionText(own) } } : {}),
    };
  };
  return { tender, lot };
}

// --- the tenders received -------------------------------------------------------------------------

/**
 * One bid per tender received in time and lot it priced (a tender without prices: one bid for what it
 * tendered for), its status from the assessment: valid when admitted, disqualified when rejected or
 * its abnormally low price for the lot was rejected, pending when not assessed. Per lot (or for the
 * whole procurement): how many bids, how many valid, how many bidders disqualified, the lowest valid price.
 */
const known = (status: OcdsBid['status']) => (status ? { status } : {});

function mapBids(
  state: TenderState,
  lotIds: ReadonlyMap<string, string>,
  supplier: (name: string, role: PartyRole) => OcdsOrganizationReference,
): OcdsBids {
  const details: OcdsBid[] = [];
  state.tendersReceived
    .filter((t) => !t.late)
    .forEach((t, i) => {
      const assessment = state.assessments?.find((a) => a.supplier === t.supplier);
      const lowRejected = (checks: readonly { lot?: string; outcome: string }[] | undefined, lot: string | undefined) =>
        (checks ?? []).some(
          (x) => x.outcome === 'rejected' && (x.lot === undefined || lot === undefined || x.lot === lot),
        );
      // Assessed: its result. A tender evaluated without assessments (before them, or without mandatory
      // requirements): valid unless the evaluation rejected its price as abnormally low. Else not known.
      const statusFor = (lot: string | undefined): OcdsBid['status'] | undefined =>
        assessment
          ? assessment.result === 'rejected' || lowRejected(assessment.abnormallyLow, lot)
            ? 'disqualified'
            : 'valid'
          : state.assessments?.length
            ? 'pending'
            : state.evaluation || state.award
              ? lowRejected(
                  (state.evaluation?.abnormallyLow ?? []).filter((x) => x.supplier === t.supplier),
                  lot,
                )
                ? 'disqualified'
                : 'valid'
              : undefined;
      const lots = (l: string | undefined) =>
        l !== undefined && lotIds.has(l) ? { relatedLots: [lotIds.get(l)!] } : {};
      const base = { date: instant(t.receivedAt), tenderers: [supplier(t.supplier, 'tenderer')] };
      if (t.prices?.length) {
        t.prices.forEach((p, j) =>
          details.push({
            id: `bid-${i + 1}-${j + 1}`,
            ...base,
            ...known(statusFor(p.lot)),
            value: sek(p.priceSek),
            ...lots(p.lot),
          }),
        );
      } else {
        // Without lots named, a tender in a procurement with lots is for all of them.
        const tendered = (t.lots?.length ? t.lots : [...lotIds.keys()]).filter((l) => lotIds.has(l));
        details.push({
          id: `bid-${i + 1}`,
          ...base,
          ...known(statusFor(undefined)),
          ...(tendered.length ? { relatedLots: tendered.map((l) => lotIds.get(l)!) } : {}),
        });
      }
    });
  const groups = new Map<string | undefined, OcdsBid[]>();
  for (const b of details) {
    for (const lot of b.relatedLots ?? [undefined]) groups.set(lot, [...(groups.get(lot) ?? []), b]);
  }
  const statistics: OcdsBidStatistic[] = [];
  for (const [lot, bids] of groups) {
    const at = lot ? { relatedLot: lot } : {};
    const key = lot ?? 'all';
    statistics.push({ id: `${key}-bids`, measure: 'bids', value: bids.length, ...at });
    // What is valid is known only once every bid of the group has a status.
    if (bids.some((b) => b.status === undefined || b.status === 'pending')) continue;
    const valid = bids.filter((b) => b.status === 'valid');
    const prices = valid.flatMap((b) => (b.value ? [b.value.amount] : []));
    statistics.push(
      { id: `${key}-validBids`, measure: 'validBids', value: valid.length, ...at },
      {
        id: `${key}-disqualifiedBidders`,
        measure: 'disqualifiedBidders',
        value: new Set(bids.filter((b) => b.status === 'disqualified').map((b) => b.tenderers[0].id)).size,
        ...at,
      },
      ...(prices.length > 0
        ? [
            {
              id: `${key}-lowestValidBidValue`,
              measure: 'lowestValidBidValue' as const,
              value: Math.min(...prices),
              currency: 'SEK' as const,
              ...at,
            },
          ]
        : []),
    );
  }
  return { statistics, details };
}

/** A change as an amendment: the paragraph and the value after it as the rationale, the description as it was given. */
function toAmendment(c: ChangeInput): OcdsAmendment {
  const value =
    c.valueChangeSek === 0
      ? 'the value unchanged'
      : `the value ${c.valueChangeSek > 0 ? 'raised' : 'lowered'} by ${Math.abs(c.valueChangeSek)} SEK to ${c.valueAfterSek} SEK`;
  return {
    id: c.id,
    date: instant(c.at),
    rationale: `Changed under ${c.paragraph}: ${value}${c.newSupplier ? `; the supplier is now ${c.newSupplier}` : ''}.`,
    description: c.description,
  };
}
