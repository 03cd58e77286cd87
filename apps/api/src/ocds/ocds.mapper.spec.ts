import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { ocdsSchemaDir } from '../../../../test/support/ocds-schema';
import type { PersonRef, Requirement, TenderState, ThresholdRef } from '@tenderflow/temporal-common/tender-types';
import {
  isExportable,
  lastChange,
  LOTS_EXTENSION,
  BID_EXTENSION,
  REQUIREMENTS_EXTENSION,
  AWARD_CRITERIA_EXTENSION,
  CONTRACT_TERMS_EXTENSION,
  SUSTAINABILITY_EXTENSION,
  MilestoneInput,
  OcdsReleasePackage,
  PROCUREMENT_METHOD,
  toReleasePackage,
} from './ocds.mapper';

/**
 * The export is checked against the official OCDS 1.1.5 schema, never copied into the repository:
 * OCDS_SCHEMA_DIR, else `<repo>/../shared/ocds`, else the verified cache that the unit project's
 * global setup fills from the standard's site (test/support/ocds-schema.ts). Each file must match
 * its SHA-256 in test/support/ocds-schema-1.1.5.sha256.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let releaseSchema: Json;
let validatePackage: ValidateFunction;

beforeAll(() => {
  const dir = ocdsSchemaDir();
  releaseSchema = JSON.parse(readFileSync(join(dir, 'release-schema.json'), 'utf8'));
  const packageSchema = JSON.parse(readFileSync(join(dir, 'release-package-schema.json'), 'utf8'));
  // The schema is draft-04 and carries OCDS's own keywords (codelist, openCodelist, deprecated …).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(releaseSchema, releaseSchema.id);
  validatePackage = ajv.compile(packageSchema);
});

// --- codelists -----------------------------------------------------------------------------------

/** Closed codelists: the enum the official schema gives at each path (null removed). */
function schemaEnum(...path: string[]): string[] {
  let node: Json = releaseSchema;
  for (const p of path) node = node[p];
  const values: (string | null)[] = node.enum ?? node.items.enum;
  return values.filter((v): v is string => v !== null);
}

/**
 * Open codelists have no enum in the schema; their values as listed in the OCDS 1.1.5
 * documentation (https://standard.open-contracting.org/1.1/en/schema/codelists/).
 */
const OPEN_CODELISTS_1_1_5 = {
  partyRole: [
    'buyer',
    'procuringEntity',
    'supplier',
    'tenderer',
    'funder',
    'enquirer',
    'payer',
    'payee',
    'reviewBody',
    'interestedParty',
  ],
  milestoneType: ['preProcurement', 'approval', 'engagement', 'assessment', 'delivery', 'reporting', 'financing'],
  documentType: [
    'plannedProcurementNotice',
    'tenderNotice',
    'awardNotice',
    'contractNotice',
    'completionCertificate',
    'procurementPlan',
    'biddingDocuments',
    'technicalSpecifications',
    'evaluationCriteria',
    'evaluationReports',
    'contractDraft',
    'contractSigned',
    'contractArrangements',
    'contractSchedule',
    'physicalProgressReport',
    'financialProgressReport',
    'finalAudit',
    'hearingNotice',
    'marketStudies',
    'eligibilityCriteria',
    'clarifications',
    'shortlistedFirms',
    'environmentalImpact',
    'assetAndLiabilityAssessment',
    'riskProvisions',
    'winningBid',
    'complaints',
    'contractAnnexe',
    'contractGuarantees',
    'subContract',
    'needsAssessment',
    'feasibilityStudy',
    'projectPlan',
    'billOfQuantity',
    'bidders',
    'conflictOfInterest',
    'debarments',
    'illustration',
    'submissionDocuments',
    'contractSummary',
    'cancellationDetails',
  ],
  submissionMethod: ['electronicSubmission', 'electronicAuction', 'written', 'inPerson'],
};

/** Every codelist value the package uses, by codelist. */
function usedCodes(pkg: OcdsReleasePackage): Record<string, string[]> {
  const r = pkg.releases[0] as unknown as Json;
  const contracts: Json[] = r.contracts ?? [];
  const milestones: Json[] = contracts.flatMap((c) => c.implementation?.milestones ?? []);
  return {
    releaseTag: r.tag,
    initiationType: [r.initiationType],
    tenderStatus: [r.tender.status],
    method: [r.tender.procurementMethod],
    procurementCategory: [r.tender.mainProcurementCategory],
    partyRole: r.parties.flatMap((p: Json) => p.roles),
    awardStatus: (r.awards ?? []).map((a: Json) => a.status),
    contractStatus: contracts.map((c) => c.status),
    milestoneStatus: milestones.map((m) => m.status),
    milestoneType: milestones.map((m) => m.type),
    documentType: [
      ...(r.tender.documents ?? []).map((d: Json) => d.documentType),
      ...(r.awards ?? []).flatMap((a: Json) => (a.documents ?? []).map((d: Json) => d.documentType)),
    ],
    submissionMethod: r.tender.submissionMethod ?? [],
    currency: collect(r, 'currency'),
  };
}

function allowedCodes(): Record<string, string[]> {
  return {
    releaseTag: schemaEnum('properties', 'tag'),
    initiationType: schemaEnum('properties', 'initiationType'),
    tenderStatus: schemaEnum('definitions', 'Tender', 'properties', 'status'),
    method: schemaEnum('definitions', 'Tender', 'properties', 'procurementMethod'),
    procurementCategory: schemaEnum('definitions', 'Tender', 'properties', 'mainProcurementCategory'),
    awardStatus: schemaEnum('definitions', 'Award', 'properties', 'status'),
    contractStatus: schemaEnum('definitions', 'Contract', 'properties', 'status'),
    milestoneStatus: schemaEnum('definitions', 'Milestone', 'properties', 'status'),
    currency: schemaEnum('definitions', 'Value', 'properties', 'currency'),
    ...OPEN_CODELISTS_1_1_5,
  };
}

function collect(node: unknown, key: string): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => collect(n, key));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => (k === key && typeof v === 'string' ? [v] : collect(v, key)));
  }
  return [];
}

// --- fixtures: three finished tenders --------------------------------------------------------------

const PREFIX = 'ocds-tfdemo';
const person = (sub: string, name: string): PersonRef => ({ sub, name });
const officer = person('u-ofc-4821', 'Annika Upphandlarsson');
const approver = person('u-apr-7730', 'Bertil Beslutsson');
const approver2 = person('u-apr-9012', 'Cecilia Chefsdottir');
const evaluator1 = person('u-evl-3141', 'Eskil Evaluatorsson');
const evaluator2 = person('u-evl-2718', 'Frida Bedömare');
const partnerPerson = person('u-prt-5555', 'Gunnel Partnersson');
const actor = (p: PersonRef, org: string) => ({ ...p, org });

const threshold2024: ThresholdRef = {
  id: 'thr-2024-supplies-services',
  validFrom: '2024-01-01',
  validTo: '2025-12-31',
  sek: 2_389_585,
  eur: 221_000,
  confirmed: true,
  source: 'Upphandlingsmyndigheten, tröskelvärden 2024–2025',
};

function base(over: Partial<TenderState>): TenderState {
  return {
    id: 'HSN-2025-00000',
    workflowId: 'tender-HSN-2025-00000',
    title: '',
    organization: 'HSN',
    category: 'it',
    contractType: 'services',
    estimatedValueSek: 0,
    regime: 'national',
    procedure: 'open',
    frameworkAgreement: false,
    ruleSet: 'lou-2025.1',
    threshold: threshold2024,
    phase: 'completed',
    deadlines: [],
    pastDeadlines: [],
    pendingGates: [],
    participants: [],
    lots: [],
    candidates: [],
    questions: [],
    tendersReceived: [],
    evaluators: [],
    reviews: [],
    obligations: [],
    gateDecisions: [],
    commands: [],
    timeline: [],
    createdBy: officer,
    createdAt: '2025-01-01T08:00:00.000Z',
    version: 1,
    ...over,
  };
}

const needsAnalysis = (need: string): TenderState['needsAnalysis'] => ({
  need,
  marketAnalysis: `INTERNAL-MARKET ${need}`,
  risks: 'INTERNAL-RISKS leverantörsberoende',
  sustainability: { criteria: ['Miljökrav fordon'], level: 'bas' },
  laborConditions: { required: true, justification: 'INTERNAL-LABOUR lönenivåer i branschen' },
  supplyPreparedness: { criticality: 'medium', measures: 'INTERNAL-MEASURES lagerhållning' },
  completedBy: officer,
  completedAt: '2025-01-10T09:00:00.000Z',
});

/** A direct award (19 a kap.) below the limit: decision, contract, follow-up. */
function directAward(): TenderState {
  return base({
    id: 'HSN-2025-00012',
    workflowId: 'tender-HSN-2025-00012',
    title: 'Konsultstöd för verksamhetsanalys, vårdcentraler',
    category: 'consulting',
    contractType: 'services',
    estimatedValueSek: 450_000,
    regime: 'direct',
    procedure: 'direct_award',
    threshold: {
      id: 'dal-2022',
      validFrom: '2022-02-01',
      validTo: null,
      sek: 700_000,
      eur: null,
      confirmed: true,
      source: '19 a kap. 1 § LOU',
    },
    phase: 'follow_up',
    needsAnalysis: needsAnalysis('INTERNAL-NEED analys av patientflöden'),
    gateDecisions: [
      {
        gate: 'decision_to_procure',
        decision: 'approve',
        comment: 'INTERNAL-GATE-COMMENT inom budgetram',
        requestedBy: officer,
        decidedBy: approver,
        at: '2025-02-12T10:00:00.000Z',
      },
    ],
    contract: {
      supplier: 'Analyshuset i Norden AB',
      orgNumber: '556123-4567',
      reference: 'AVT-2025-0042',
      valueSek: 430_000,
      startDate: '2025-03-01',
      endDate: '2025-08-31',
      signedAt: '2025-02-20',
      registeredBy: officer,
      registeredAt: '2025-02-20T13:00:00.000Z',
    },
    obligations: [{ obligation: 'documentation', status: 'open', dueDay: '2025-03-24', basis: '19 a kap. 11 § LOU' }],
    commands: [
      { command: 'completeNeedsAnalysis', actor: actor(officer, 'HSN'), at: '2025-01-10T09:00:00.000Z', payload: {} },
      {
        command: 'decideGate',
        actor: actor(approver, 'HSN'),
        at: '2025-02-12T10:00:00.000Z',
        payload: { comment: 'INTERNAL-GATE-COMMENT inom budgetram' },
      },
      { command: 'registerContract', actor: actor(officer, 'HSN'), at: '2025-02-20T13:00:00.000Z', payload: {} },
    ],
    timeline: [
      { phase: 'needs_analysis', enteredAt: '2025-01-01T08:00:00.000Z', leftAt: '2025-02-12T10:00:00.000Z' },
      { phase: 'contract', enteredAt: '2025-02-12T10:00:00.000Z', leftAt: '2025-02-20T13:00:00.000Z' },
      { phase: 'follow_up', enteredAt: '2025-02-20T13:00:00.000Z' },
    ],
    version: 9,
  });
}

/** A national procedure (19 kap., one stage open to all), completed: three tenders (one late), one winner. */
function nationalTender(): TenderState {
  return base({
    id: 'HSN-2025-00020',
    workflowId: 'tender-HSN-2025-00020',
    title: 'Lokalvård Vårdcentral Norr',
    category: 'facility',
    contractType: 'services',
    estimatedValueSek: 1_800_000,
    regime: 'national',
    procedure: 'open',
    procedureDescription: 'Ett steg: alla leverantörer får lämna anbud; förhandling sker inte.',
    phase: 'completed',
    needsAnalysis: needsAnalysis('INTERNAL-NEED städning av 2400 kvm'),
    documents: {
      items: [
        { title: 'Upphandlingsdokument', reference: 'DNR-2025-311-1', version: '1.0' },
        { title: 'Avtalsutkast', reference: 'DNR-2025-311-2' },
      ],
      registeredBy: officer,
      registeredAt: '2025-02-01T09:00:00.000Z',
      approved: true,
    },
    publication: {
      sentAt: '2025-02-10T08:00:00.000Z',
      advertisingDatabase: 'e-Avrop',
      noticeReference: 'EAV-2025-77120',
      electronicSubmission: true,
      priorInformationNotice: false,
      urgent: false,
    },
    tenderPeriod: {
      minimum: { lastDay: '2025-02-25', basis: '19 kap. 11 § LOU (skälig tid; organisationens standard 15 dagar)' },
      extensions: [],
    },
    pastDeadlines: [
      {
        kind: 'question_cutoff',
        at: '2025-02-25T22:59:59.000Z',
        lastDay: '2025-02-25',
        basis: 'P',
        outcome: 'passed',
        closedAt: '2025-02-25T22:59:59.000Z',
      },
      {
        kind: 'tender_deadline',
        at: '2025-03-07T22:59:59.000Z',
        lastDay: '2025-03-07',
        basis: '19 kap. LOU',
        outcome: 'passed',
        closedAt: '2025-03-07T22:59:59.000Z',
      },
      {
        kind: 'standstill',
        at: '2025-04-03T21:59:59.000Z',
        lastDay: '2025-04-03',
        basis: '20 kap. 1 § LOU',
        outcome: 'passed',
        closedAt: '2025-04-03T21:59:59.000Z',
      },
    ],
    questions: [
      {
        id: 'q-1',
        question: 'INTERNAL-QUESTION ingår fönsterputs?',
        askedBy: 'Städbolaget Väst AB',
        receivedAt: '2025-02-14T10:00:00.000Z',
        registeredBy: officer,
        answer: 'Nej, fönsterputs ingår inte.',
        answeredAt: '2025-02-15T10:00:00.000Z',
        answeredBy: officer,
      },
    ],
    opening: { openers: [officer.sub, approver2.sub], recordedBy: officer, recordedAt: '2025-03-10T09:00:00.000Z' },
    tendersReceived: [
      {
        supplier: 'Rena Lokaler i Mälardalen AB',
        orgNumber: '556700-1111',
        receivedAt: '2025-03-05T12:00:00.000Z',
        late: false,
      },
      {
        supplier: 'Städbolaget Väst AB',
        orgNumber: '556700-2222',
        receivedAt: '2025-03-06T15:00:00.000Z',
        late: false,
      },
      {
        supplier: 'Sent Inkommet Städ AB',
        orgNumber: '556700-3333',
        receivedAt: '2025-03-08T08:00:00.000Z',
        late: true,
      },
    ],
    evaluators: [
      {
        ...evaluator1,
        appointedBy: officer,
        appointedAt: '2025-03-10T10:00:00.000Z',
        status: 'declared',
        declaration: {
          hasConflict: false,
          statement: 'DECL-STATEMENT-1 ingen koppling till anbudsgivarna',
          at: '2025-03-11T08:00:00.000Z',
        },
      },
      {
        ...evaluator2,
        appointedBy: officer,
        appointedAt: '2025-03-10T10:00:00.000Z',
        status: 'removed',
        declaration: {
          hasConflict: true,
          statement: 'DECL-STATEMENT-2 min svåger äger Städbolaget Väst',
          at: '2025-03-11T09:00:00.000Z',
        },
      },
    ],
    evaluation: {
      proposals: [
        {
          supplier: 'Rena Lokaler i Mälardalen AB',
          score: 92,
          reasons: 'INTERNAL-REASONS bäst förhållande pris/kvalitet',
        },
      ],
      summary: 'INTERNAL-SUMMARY två giltiga anbud',
      submittedBy: officer,
      submittedAt: '2025-03-18T14:00:00.000Z',
    },
    award: {
      decidedBy: approver,
      decidedAt: '2025-03-24T09:30:00.000Z',
      winners: [
        {
          supplier: 'Rena Lokaler i Mälardalen AB',
          score: 92,
          reasons: 'INTERNAL-REASONS bäst förhållande pris/kvalitet',
        },
      ],
      noticeChannel: 'electronic',
      standstillDays: 10,
    },
    contract: {
      supplier: 'Rena Lokaler i Mälardalen AB',
      orgNumber: '556700-1111',
      reference: 'AVT-2025-0107',
      valueSek: 1_650_000,
      startDate: '2025-05-01',
      endDate: '2027-04-30',
      options: [{ description: 'Förlängning', months: 12 }],
      signedAt: '2025-04-07',
      registeredBy: officer,
      registeredAt: '2025-04-07T11:00:00.000Z',
    },
    obligations: [
      {
        obligation: 'post_award_notice',
        status: 'done',
        dueDay: '2025-05-07',
        basis: '19 kap. LOU',
        completedAt: '2025-04-20T09:00:00.000Z',
        completedBy: officer,
        reference: 'EAV-2025-77120-E',
      },
      {
        obligation: 'documentation',
        status: 'done',
        dueDay: '2025-05-07',
        basis: '19 kap. LOU',
        completedAt: '2025-04-22T09:00:00.000Z',
        completedBy: officer,
        reference: 'DNR-2025-311-9',
      },
    ],
    gateDecisions: [
      {
        gate: 'decision_to_procure',
        decision: 'approve',
        requestedBy: officer,
        decidedBy: approver,
        at: '2025-01-20T10:00:00.000Z',
      },
      {
        gate: 'documents_approval',
        decision: 'approve',
        comment: 'INTERNAL-GATE-COMMENT dokumenten ok',
        requestedBy: officer,
        decidedBy: approver2,
        at: '2025-02-05T10:00:00.000Z',
      },
      {
        gate: 'award_decision',
        decision: 'approve',
        requestedBy: officer,
        decidedBy: approver,
        at: '2025-03-24T09:30:00.000Z',
      },
    ],
    commands: [
      {
        command: 'declareConflict',
        actor: actor(evaluator2, 'HSN'),
        at: '2025-03-11T09:00:00.000Z',
        payload: { hasConflict: true, statement: 'DECL-STATEMENT-2 min svåger äger Städbolaget Väst' },
      },
      {
        command: 'completeFollowUp',
        actor: actor(officer, 'HSN'),
        at: '2025-04-22T09:05:00.000Z',
        payload: { note: 'INTERNAL-NOTE klart' },
      },
    ],
    timeline: [
      { phase: 'needs_analysis', enteredAt: '2025-01-01T08:00:00.000Z', leftAt: '2025-01-20T10:00:00.000Z' },
      { phase: 'documents', enteredAt: '2025-01-20T10:00:00.000Z', leftAt: '2025-02-10T08:00:00.000Z' },
      { phase: 'published', enteredAt: '2025-02-10T08:00:00.000Z', leftAt: '2025-03-07T22:59:59.000Z' },
      { phase: 'opening', enteredAt: '2025-03-07T22:59:59.000Z', leftAt: '2025-03-10T09:00:00.000Z' },
      { phase: 'evaluation', enteredAt: '2025-03-10T09:00:00.000Z', leftAt: '2025-03-18T14:00:00.000Z' },
      { phase: 'award_decision', enteredAt: '2025-03-18T14:00:00.000Z', leftAt: '2025-03-24T09:30:00.000Z' },
      { phase: 'standstill', enteredAt: '2025-03-24T09:30:00.000Z', leftAt: '2025-04-03T21:59:59.000Z' },
      { phase: 'contract', enteredAt: '2025-04-03T21:59:59.000Z', leftAt: '2025-04-07T11:00:00.000Z' },
      { phase: 'follow_up', enteredAt: '2025-04-07T11:00:00.000Z', leftAt: '2025-04-22T09:05:00.000Z' },
      { phase: 'completed', enteredAt: '2025-04-22T09:05:00.000Z' },
    ],
    version: 41,
  });
}

/**
 * An EU open procedure (6 kap.), in follow-up: two lots, a joint procurement with a municipal
 * body that joined (and one that declined), a review that was rejected.
 */
function euTender(): TenderState {
  return base({
    id: 'RS-2025-00031',
    workflowId: 'tender-RS-2025-00031',
    title: 'Laboratoriereagens 2026–2029',
    organization: 'RS',
    category: 'lab',
    contractType: 'supplies',
    estimatedValueSek: 12_000_000,
    regime: 'eu',
    procedure: 'open',
    frameworkAgreement: true,
    phase: 'follow_up',
    participants: [
      {
        organization: 'KFSYD',
        name: 'Kommunalförbundet Sjukvård Syd',
        contactEmail: 'INTERNAL-EMAIL@kfsyd.example',
        status: 'joined',
        answeredAt: '2025-05-20T10:00:00.000Z',
        answeredBy: partnerPerson,
        estimatedVolume: 'INTERNAL-VOLUME 15 %',
        mandateReference: 'MANDATE-FULLMAKT-2025-7',
      },
      {
        organization: 'BOLAGX',
        name: 'Regionbolaget X AB',
        contactEmail: 'x@bolagx.example',
        status: 'declined',
        answeredAt: '2025-05-21T10:00:00.000Z',
      },
    ],
    lots: [
      { title: 'Delområde 1: Kemiska reagens', estimatedValueSek: 7_000_000 },
      { title: 'Delområde 2: Immunologiska reagens', estimatedValueSek: 5_000_000 },
    ],
    needsAnalysis: {
      ...needsAnalysis('INTERNAL-NEED reagens till kliniska laboratorier')!,
      lots: [
        { title: 'Delområde 1: Kemiska reagens', estimatedValueSek: 7_000_000 },
        { title: 'Delområde 2: Immunologiska reagens', estimatedValueSek: 5_000_000 },
      ],
    },
    documents: {
      items: [{ title: 'Upphandlingsdokument med kravspecifikation', reference: 'RS-DNR-2025-1200', version: '2.0' }],
      registeredBy: officer,
      registeredAt: '2025-06-10T09:00:00.000Z',
      approved: true,
    },
    publication: {
      sentAt: '2025-09-01T08:00:00.000Z',
      advertisingDatabase: 'Mercell TendSign',
      noticeReference: 'TED-2025-S-170-555555',
      electronicSubmission: true,
      priorInformationNotice: false,
      urgent: false,
    },
    tenderPeriod: {
      minimum: { lastDay: '2025-10-01', basis: '11 kap. 2 § LOU, 30 dagar (elektroniskt)' },
      extensions: [
        {
          from: '2025-10-01',
          to: '2025-10-06',
          reason: 'INTERNAL-EXT-REASON svar sent',
          by: officer,
          at: '2025-09-20T10:00:00.000Z',
          forced: true,
        },
      ],
    },
    pastDeadlines: [
      {
        kind: 'tender_deadline',
        at: '2025-10-01T21:59:59.000Z',
        lastDay: '2025-10-01',
        basis: '11 kap. 2 § LOU',
        outcome: 'superseded',
        closedAt: '2025-09-20T10:00:00.000Z',
      },
      {
        kind: 'question_cutoff',
        at: '2025-09-26T21:59:59.000Z',
        lastDay: '2025-09-26',
        basis: 'P',
        outcome: 'passed',
        closedAt: '2025-09-26T21:59:59.000Z',
      },
      {
        kind: 'tender_deadline',
        at: '2025-10-06T21:59:59.000Z',
        lastDay: '2025-10-06',
        basis: '11 kap. 2 § LOU, förlängd',
        outcome: 'passed',
        closedAt: '2025-10-06T21:59:59.000Z',
      },
      {
        kind: 'standstill',
        at: '2025-11-13T22:59:59.000Z',
        lastDay: '2025-11-13',
        basis: '20 kap. 1 § LOU',
        outcome: 'superseded',
        closedAt: '2025-11-10T10:00:00.000Z',
      },
      {
        kind: 'review_hold',
        at: '2025-12-11T22:59:59.000Z',
        lastDay: '2025-12-11',
        basis: '20 kap. 10 § LOU',
        outcome: 'passed',
        closedAt: '2025-12-11T22:59:59.000Z',
      },
    ],
    deadlines: [
      { kind: 'post_award_notice', at: '2026-01-14T22:59:59.000Z', lastDay: '2026-01-14', basis: '10 kap. 4 § LOU' },
    ],
    questions: [
      {
        id: 'q-1',
        question: 'INTERNAL-QUESTION leveransfrekvens?',
        askedBy: 'BioChem Partner AB',
        receivedAt: '2025-09-15T10:00:00.000Z',
        registeredBy: officer,
        answer: 'Veckovis.',
        answeredAt: '2025-09-20T10:00:00.000Z',
        answeredBy: officer,
        forcedExtension: true,
      },
    ],
    opening: { openers: [officer.sub, approver2.sub], recordedBy: officer, recordedAt: '2025-10-07T09:00:00.000Z' },
    tendersReceived: [
      {
        supplier: 'LabSupply Nordic AB',
        orgNumber: '556811-0001',
        receivedAt: '2025-10-03T10:00:00.000Z',
        lots: ['Delområde 1: Kemiska reagens', 'Delområde 2: Immunologiska reagens'],
        late: false,
      },
      {
        supplier: 'ImmunoLab Sverige AB',
        orgNumber: '556811-0002',
        receivedAt: '2025-10-06T12:00:00.000Z',
        lots: ['Delområde 2: Immunologiska reagens'],
        late: false,
      },
      {
        supplier: 'BioChem Partner AB',
        receivedAt: '2025-10-06T20:00:00.000Z',
        lots: ['Delområde 1: Kemiska reagens'],
        late: false,
      },
    ],
    evaluators: [
      {
        ...evaluator1,
        appointedBy: officer,
        appointedAt: '2025-10-07T10:00:00.000Z',
        status: 'declared',
        declaration: { hasConflict: false, statement: 'DECL-STATEMENT-EU-1 inga jäv', at: '2025-10-08T08:00:00.000Z' },
      },
      {
        ...evaluator2,
        appointedBy: officer,
        appointedAt: '2025-10-07T10:00:00.000Z',
        status: 'declared',
        declaration: { hasConflict: false, statement: 'DECL-STATEMENT-EU-2 inga jäv', at: '2025-10-08T09:00:00.000Z' },
      },
    ],
    evaluation: {
      proposals: [
        {
          lot: 'Delområde 1: Kemiska reagens',
          supplier: 'LabSupply Nordic AB',
          score: 88,
          reasons: 'INTERNAL-REASONS lägst utvärderingspris',
        },
        {
          lot: 'Delområde 2: Immunologiska reagens',
          supplier: 'ImmunoLab Sverige AB',
          score: 91,
          reasons: 'INTERNAL-REASONS bäst kvalitet',
        },
      ],
      summary: 'INTERNAL-SUMMARY tre anbud, alla kvalificerade',
      submittedBy: officer,
      submittedAt: '2025-10-28T14:00:00.000Z',
    },
    award: {
      decidedBy: approver,
      decidedAt: '2025-11-03T10:00:00.000Z',
      winners: [
        {
          lot: 'Delområde 1: Kemiska reagens',
          supplier: 'LabSupply Nordic AB',
          score: 88,
          reasons: 'INTERNAL-REASONS lägst utvärderingspris',
        },
        {
          lot: 'Delområde 2: Immunologiska reagens',
          supplier: 'ImmunoLab Sverige AB',
          score: 91,
          reasons: 'INTERNAL-REASONS bäst kvalitet',
        },
      ],
      noticeChannel: 'electronic',
      standstillDays: 10,
    },
    reviews: [
      {
        id: 'rev-1',
        applicant: 'BioChem Partner AB',
        court: 'Förvaltningsrätten i Stockholm',
        reference: 'Mål nr 12345-25',
        filedAt: '2025-11-10T10:00:00.000Z',
        filedBy: officer,
        status: 'decided',
        outcome: 'rejected',
        rulingDate: '2025-12-01',
        comment: 'INTERNAL-REVIEW-COMMENT svag talan',
      },
    ],
    contract: {
      supplier: 'LabSupply Nordic AB',
      orgNumber: '556811-0001',
      reference: 'RS-AVT-2025-0900',
      valueSek: 6_800_000,
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      options: [
        { description: 'Förlängning 1', months: 12 },
        { description: 'Förlängning 2', months: 12 },
      ],
      signedAt: '2025-12-15',
      registeredBy: officer,
      registeredAt: '2025-12-15T14:00:00.000Z',
    },
    obligations: [
      { obligation: 'post_award_notice', status: 'open', dueDay: '2026-01-14', basis: '10 kap. 4 § LOU' },
      {
        obligation: 'documentation',
        status: 'done',
        dueDay: '2026-01-14',
        basis: '12 kap. 14–15 §§ LOU',
        completedAt: '2025-12-20T09:00:00.000Z',
        completedBy: officer,
        reference: 'RS-DNR-2025-1200-9',
      },
    ],
    gateDecisions: [
      {
        gate: 'decision_to_procure',
        decision: 'approve',
        requestedBy: officer,
        decidedBy: approver,
        at: '2025-05-02T10:00:00.000Z',
      },
      {
        gate: 'documents_approval',
        decision: 'request_changes',
        comment: 'INTERNAL-GATE-COMMENT förtydliga kraven',
        requestedBy: officer,
        decidedBy: approver2,
        at: '2025-06-12T10:00:00.000Z',
      },
      {
        gate: 'documents_approval',
        decision: 'approve',
        requestedBy: officer,
        decidedBy: approver2,
        at: '2025-06-20T10:00:00.000Z',
      },
      {
        gate: 'award_decision',
        decision: 'approve',
        requestedBy: officer,
        decidedBy: approver,
        at: '2025-11-03T10:00:00.000Z',
      },
    ],
    changesRequested: undefined,
    commands: [
      {
        command: 'respondToInvitation',
        actor: actor(partnerPerson, 'KFSYD'),
        at: '2025-05-20T10:00:00.000Z',
        payload: { mandateReference: 'MANDATE-FULLMAKT-2025-7' },
      },
      { command: 'registerContract', actor: actor(officer, 'RS'), at: '2025-12-15T14:00:00.000Z', payload: {} },
      { command: 'completeObligation', actor: actor(officer, 'RS'), at: '2025-12-20T09:00:00.000Z', payload: {} },
    ],
    timeline: [
      { phase: 'needs_analysis', enteredAt: '2025-04-01T08:00:00.000Z', leftAt: '2025-05-02T10:00:00.000Z' },
      { phase: 'coordination', enteredAt: '2025-05-02T10:00:00.000Z', leftAt: '2025-05-21T10:00:00.000Z' },
      { phase: 'documents', enteredAt: '2025-05-21T10:00:00.000Z', leftAt: '2025-09-01T08:00:00.000Z' },
      { phase: 'published', enteredAt: '2025-09-01T08:00:00.000Z', leftAt: '2025-10-06T21:59:59.000Z' },
      { phase: 'opening', enteredAt: '2025-10-06T21:59:59.000Z', leftAt: '2025-10-07T09:00:00.000Z' },
      { phase: 'evaluation', enteredAt: '2025-10-07T09:00:00.000Z', leftAt: '2025-10-28T14:00:00.000Z' },
      { phase: 'award_decision', enteredAt: '2025-10-28T14:00:00.000Z', leftAt: '2025-11-03T10:00:00.000Z' },
      { phase: 'standstill', enteredAt: '2025-11-03T10:00:00.000Z', leftAt: '2025-11-10T10:00:00.000Z' },
      { phase: 'under_review', enteredAt: '2025-11-10T10:00:00.000Z', leftAt: '2025-12-11T22:59:59.000Z' },
      { phase: 'contract', enteredAt: '2025-12-11T22:59:59.000Z', leftAt: '2025-12-15T14:00:00.000Z' },
      { phase: 'follow_up', enteredAt: '2025-12-15T14:00:00.000Z' },
    ],
    createdAt: '2025-04-01T08:00:00.000Z',
    version: 87,
  });
}

const euMilestones: MilestoneInput[] = [
  {
    id: 'ms-startup',
    title: 'Uppstartsmöte',
    type: 'engagement',
    dueDate: '2026-01-30',
    status: 'met',
    dateMet: '2026-01-22',
  },
  {
    id: 'ms-review-1',
    title: 'Avtalsuppföljning (halvår)',
    type: 'assessment',
    dueDate: '2026-07-01',
    status: 'scheduled',
  },
  {
    id: 'ms-labour-1',
    title: 'Kontroll av arbetsrättsliga villkor',
    type: 'assessment',
    dueDate: '2026-12-31',
    status: 'scheduled',
  },
  { id: 'ms-extension', title: 'Beslut om förlängning', type: 'approval', dueDate: '2027-06-30', status: 'scheduled' },
  {
    id: 'ms-reprocure',
    title: 'Start av ny upphandling',
    type: 'preProcurement',
    dueDate: '2028-12-31',
    status: 'scheduled',
  },
];

const directMilestones: MilestoneInput[] = [
  {
    id: 'ms-startup',
    title: 'Uppstartsmöte',
    type: 'engagement',
    dueDate: '2025-03-31',
    status: 'met',
    dateMet: '2025-03-05T09:00:00.000Z',
  },
  { id: 'ms-review-1', title: 'Avtalsuppföljning', type: 'assessment', dueDate: '2025-06-30', status: 'notMet' },
];

const opts = (state: TenderState, milestones?: MilestoneInput[]) => ({
  prefix: PREFIX,
  publisherName: 'Region Exempel via Tenderflow',
  publishedDate: lastChange(state),
  baseUrl: 'https://tenderflow.region.example/',
  milestones,
});

const cases: { name: string; state: () => TenderState; milestones?: MilestoneInput[] }[] = [
  { name: 'direct award', state: directAward, milestones: directMilestones },
  { name: 'national procedure (19 kap.)', state: nationalTender },
  { name: 'EU open procedure with lots and a joint buyer', state: euTender, milestones: euMilestones },
];

const release = (pkg: OcdsReleasePackage) => pkg.releases[0];

// --- tests -------------------------------------------------------------------------------------

describe('toReleasePackage: finished tenders of each regime against the official OCDS 1.1.5 schema', () => {
  describe.each(cases)('$name', ({ state, milestones }) => {
    const make = () => toReleasePackage(state(), opts(state(), milestones));

    it('is a valid release package', () => {
      const pkg = make();
      const ok = validatePackage(pkg);
      expect(validatePackage.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });

    it('uses only values of the codelists (closed ones from the schema, open ones as listed in OCDS 1.1.5)', () => {
      const used = usedCodes(make());
      const allowed = allowedCodes();
      for (const [codelist, values] of Object.entries(used)) {
        expect({ codelist, values: values.filter((v) => !allowed[codelist].includes(v)) }).toEqual({
          codelist,
          values: [],
        });
      }
    });

    it('builds the ocid from the publisher prefix and the tender id; the release id from the state version', () => {
      const s = state();
      const r = release(make());
      expect(r.ocid).toBe(`${PREFIX}-${s.id}`);
      expect(r.ocid).toMatch(/^ocds-[a-z0-9]{6}-/);
      expect(r.id).toBe(`${PREFIX}-${s.id}-${s.version}`);
      expect(make().uri).toBe(`https://tenderflow.region.example/tenders/${s.id}/ocds`);
    });

    it('publishes no person, no declaration, no evaluation reasoning and no internal comment', () => {
      const s = state();
      const json = JSON.stringify(make());
      for (const secret of secretsOf(s))
        expect({ secret, found: json.includes(secret) }).toEqual({ secret, found: false });
    });

    it('states amounts in SEK and every party referenced exists in parties', () => {
      const r = release(make()) as unknown as Json;
      expect(collect(r, 'currency').every((c) => c === 'SEK')).toBe(true);
      const ids = new Set(r.parties.map((p: Json) => p.id));
      const refs: Json[] = [
        r.buyer,
        r.tender.procuringEntity,
        ...(r.tender.tenderers ?? []),
        ...(r.awards ?? []).flatMap((a: Json) => a.suppliers),
      ];
      for (const ref of refs) expect(ids.has(ref.id)).toBe(true);
    });
  });

  it("direct award: the rationale is said from the actual figures, the contract's value once registered", () => {
    const s = directAward();
    const rationale = (state: TenderState, limit?: number | null) =>
      release(
        toReleasePackage(state, {
          ...opts(state, directMilestones),
          ...(limit !== undefined ? { directAwardLimitSek: limit } : {}),
        }),
      ).tender.procurementMethodRationale;
    expect(rationale(s, 700_000)).toBe(
      'Direktupphandling (19 a kap. 2 § LOU). Kontraktets värde, 430 000 SEK, understiger direktupphandlingsgränsen 700 000 SEK.',
    );
    // The case: a contract far above the limit is not called "below" it.
    const big: TenderState = { ...s, contract: { ...s.contract!, valueSek: 900_000_000 } };
    expect(rationale(big, 700_000)).toContain(
      '900 000 000 SEK, understiger inte direktupphandlingsgränsen 700 000 SEK',
    );
    expect(rationale({ ...s, contract: { ...s.contract!, valueSek: 700_000 } }, 700_000)).toContain(
      'understiger inte direktupphandlingsgränsen',
    );
    // Without a confirmed limit, only the value is stated.
    expect(rationale(s)).toBe('Direktupphandling (19 a kap. 2 § LOU). Kontraktets värde: 430 000 SEK.');
  });

  it('direct award: the registered contract is the award; method direct; no tender period', () => {
    const s = directAward();
    const pkg = toReleasePackage(s, opts(s, directMilestones));
    const r = release(pkg);
    expect(r.tag).toEqual(['implementation']);
    expect(r.initiationType).toBe('tender');
    expect(r.tender).toMatchObject({
      id: 'HSN-2025-00012',
      status: 'complete',
      procurementMethod: 'direct',
      procurementMethodDetails: 'Direktupphandling (19 a kap. LOU)',
      procurementMethodRationale: expect.stringMatching(
        /^Direktupphandling \(19 a kap\. 2 § LOU\)\. Kontraktets värde/,
      ),
      mainProcurementCategory: 'services',
      value: { amount: 450_000, currency: 'SEK' },
    });
    expect(r.tender.tenderPeriod).toBeUndefined();
    expect(r.tender.tenderers).toBeUndefined();
    expect(r.planning.budget.amount).toEqual({ amount: 450_000, currency: 'SEK' });
    expect(r.awards).toEqual([
      {
        id: `${PREFIX}-HSN-2025-00012-award-1`,
        title: s.title,
        status: 'active',
        date: '2025-02-20T00:00:00+01:00',
        suppliers: [{ id: 'SE-BLV-5561234567', name: 'Analyshuset i Norden AB' }],
        value: { amount: 430_000, currency: 'SEK' },
        contractPeriod: { startDate: '2025-03-01T00:00:00+01:00', endDate: '2025-08-31T23:59:59+02:00' },
      },
    ]);
    expect(r.contracts).toEqual([
      {
        id: `${PREFIX}-HSN-2025-00012-contract-1`,
        awardID: `${PREFIX}-HSN-2025-00012-award-1`,
        title: s.title,
        status: 'active',
        period: { startDate: '2025-03-01T00:00:00+01:00', endDate: '2025-08-31T23:59:59+02:00' },
        value: { amount: 430_000, currency: 'SEK' },
        dateSigned: '2025-02-20T00:00:00+01:00',
        implementation: {
          milestones: [
            {
              id: 'ms-startup',
              title: 'Uppstartsmöte',
              type: 'engagement',
              dueDate: '2025-03-31T23:59:59+02:00',
              status: 'met',
              dateMet: '2025-03-05T09:00:00.000Z',
            },
            {
              id: 'ms-review-1',
              title: 'Avtalsuppföljning',
              type: 'assessment',
              dueDate: '2025-06-30T23:59:59+02:00',
              status: 'notMet',
            },
          ],
        },
      },
    ]);
    expect(r.parties).toEqual([
      { id: 'org-HSN', name: 'HSN', roles: ['buyer', 'procuringEntity'] },
      {
        id: 'SE-BLV-5561234567',
        name: 'Analyshuset i Norden AB',
        identifier: { scheme: 'SE-BLV', id: '5561234567', legalName: 'Analyshuset i Norden AB' },
        roles: ['supplier'],
      },
    ]);
    expect(pkg.extensions).toBeUndefined();
  });

  it('national tender: periods, tenderers (late tenders excluded), award and a contract with an option', () => {
    const s = nationalTender();
    const r = release(toReleasePackage(s, opts(s)));
    expect(r.tag).toEqual(['contract']);
    expect(r.tender).toMatchObject({
      status: 'complete',
      procurementMethod: 'open',
      procurementMethodDetails:
        'Upphandling under tröskelvärdet (annonserad, ett steg) (19 kap. LOU): Ett steg: alla leverantörer får lämna anbud; förhandling sker inte.',
      submissionMethod: ['electronicSubmission'],
      tenderPeriod: { startDate: '2025-02-10T08:00:00.000Z', endDate: '2025-03-07T22:59:59.000Z' },
      enquiryPeriod: { startDate: '2025-02-10T08:00:00.000Z', endDate: '2025-02-25T22:59:59.000Z' },
      hasEnquiries: true,
      awardPeriod: { startDate: '2025-03-07T22:59:59.000Z', endDate: '2025-03-24T09:30:00.000Z' },
      numberOfTenderers: 2,
      tenderers: [
        { id: 'SE-BLV-5567001111', name: 'Rena Lokaler i Mälardalen AB' },
        { id: 'SE-BLV-5567002222', name: 'Städbolaget Väst AB' },
      ],
    });
    expect(r.tender.documents?.map((d) => [d.documentType, d.id])).toEqual([
      ['tenderNotice', 'EAV-2025-77120'],
      ['biddingDocuments', 'doc-1'],
      ['biddingDocuments', 'doc-2'],
    ]);
    expect(r.awards).toHaveLength(1);
    expect(r.awards![0]).toMatchObject({
      status: 'active',
      date: '2025-03-24T09:30:00.000Z',
      suppliers: [{ name: 'Rena Lokaler i Mälardalen AB' }],
    });
    expect(r.contracts![0]).toMatchObject({
      awardID: r.awards![0].id,
      status: 'active',
      period: {
        startDate: '2025-05-01T00:00:00+02:00',
        endDate: '2027-04-30T23:59:59+02:00',
        maxExtentDate: '2028-04-30T23:59:59+02:00',
      },
      value: { amount: 1_650_000, currency: 'SEK' },
      dateSigned: '2025-04-07T00:00:00+02:00',
    });
    expect(r.parties.find((p) => p.name === 'Rena Lokaler i Mälardalen AB')?.roles).toEqual(['tenderer', 'supplier']);
    expect(r.parties.some((p) => p.name === 'Sent Inkommet Städ AB')).toBe(false);
  });

  it('EU tender: lots (lots extension), joint buyer, one award per winning supplier with its lots', () => {
    const s = euTender();
    const pkg = toReleasePackage(s, opts(s, euMilestones));
    const r = release(pkg);
    expect(pkg.extensions).toEqual([LOTS_EXTENSION, BID_EXTENSION]);
    expect(r.tag).toEqual(['implementation']);
    expect(r.buyer).toEqual({ id: 'org-RS', name: 'RS' });
    expect(r.parties.filter((p) => p.roles.includes('buyer')).map((p) => [p.id, p.roles])).toEqual([
      ['org-RS', ['buyer', 'procuringEntity']],
      ['org-KFSYD', ['buyer']],
    ]);
    expect(r.parties.some((p) => p.id === 'org-BOLAGX')).toBe(false);
    expect(r.tender.lots).toEqual([
      { id: 'lot-1', title: 'Delområde 1: Kemiska reagens', value: { amount: 7_000_000, currency: 'SEK' } },
      { id: 'lot-2', title: 'Delområde 2: Immunologiska reagens', value: { amount: 5_000_000, currency: 'SEK' } },
    ]);
    // The extended deadline, not the superseded one.
    expect(r.tender.tenderPeriod).toEqual({
      startDate: '2025-09-01T08:00:00.000Z',
      endDate: '2025-10-06T21:59:59.000Z',
    });
    expect(r.tender).toMatchObject({
      procurementMethod: 'open',
      procurementMethodDetails: 'Öppet förfarande (6 kap. LOU)',
      mainProcurementCategory: 'goods',
      numberOfTenderers: 3,
    });
    expect(r.awards!.map((a) => [a.suppliers[0].name, a.relatedLots, a.status, a.value?.amount])).toEqual([
      ['LabSupply Nordic AB', ['lot-1'], 'active', 6_800_000],
      ['ImmunoLab Sverige AB', ['lot-2'], 'active', undefined],
    ]);
    expect(r.contracts).toHaveLength(1);
    expect(r.contracts![0]).toMatchObject({
      awardID: r.awards![0].id,
      period: {
        startDate: '2026-01-01T00:00:00+01:00',
        endDate: '2027-12-31T23:59:59+01:00',
        maxExtentDate: '2029-12-31T23:59:59+01:00',
      },
    });
    expect(r.contracts![0].implementation!.milestones.map((m) => [m.type, m.status])).toEqual([
      ['engagement', 'met'],
      ['assessment', 'scheduled'],
      ['assessment', 'scheduled'],
      ['approval', 'scheduled'],
      ['preProcurement', 'scheduled'],
    ]);
    // A tenderer without an organisation number gets a stable local id.
    expect(r.parties.find((p) => p.name === 'BioChem Partner AB')).toEqual({
      id: 'supplier-biochem-partner-ab',
      name: 'BioChem Partner AB',
      roles: ['tenderer'],
    });
  });

  it("the contract's changes under 17 kap. LOU are its amendments, with the paragraph and the value; a valid release", () => {
    const s = euTender();
    const pkg = toReleasePackage(s, {
      ...opts(s, euMilestones),
      changes: [
        {
          id: 'C1',
          at: '2026-03-02T09:15:00.000Z',
          paragraph: '17 kap. 9 § LOU',
          valueChangeSek: 150_000,
          valueAfterSek: 6_950_000,
          description: 'Ytterligare en leveransadress i Visby',
        },
        {
          id: 'C2',
          at: '2026-09-01T07:00:00.000Z',
          paragraph: '17 kap. 13 § LOU',
          valueChangeSek: 0,
          valueAfterSek: 6_950_000,
          description: 'LabSupply Nordic AB förvärvades',
          newSupplier: 'LabSupply Holding AB',
        },
      ],
    });
    expect(validatePackage(pkg)).toBe(true);
    expect(validatePackage.errors ?? []).toEqual([]);
    expect(release(pkg).contracts![0].amendments).toEqual([
      {
        id: 'C1',
        date: '2026-03-02T09:15:00.000Z',
        rationale: 'Changed under 17 kap. 9 § LOU: the value raised by 150000 SEK to 6950000 SEK.',
        description: 'Ytterligare en leveransadress i Visby',
      },
      {
        id: 'C2',
        date: '2026-09-01T07:00:00.000Z',
        rationale: 'Changed under 17 kap. 13 § LOU: the value unchanged; the supplier is now LabSupply Holding AB.',
        description: 'LabSupply Nordic AB förvärvades',
      },
    ]);
  });

  it('each award lists the evaluation report and the award decision notices with their digests (12 kap. 12 § LOU), a valid release', () => {
    const s = euTender();
    const notice = (n: number, supplier: string, outcome: 'awarded' | 'not_awarded') => ({
      n,
      supplier,
      outcome,
      ref: `notice/award@40/${n}`,
      sha256: String(n).repeat(64),
      recipient: `supplier:${supplier}`,
    });
    const withNotices = {
      ...s,
      award: {
        ...s.award!,
        notices: [notice(1, 'LabSupply Nordic AB', 'awarded'), notice(2, 'BioChem Partner AB', 'not_awarded')],
      },
      decisionDocuments: [
        {
          kind: 'evaluation_report' as const,
          ref: 'document/evaluation_report@40',
          sha256: 'e'.repeat(64),
          issuedAt: s.award!.decidedAt,
        },
      ],
    };
    const pkg = toReleasePackage(withNotices, opts(withNotices, euMilestones));
    expect(validatePackage(pkg)).toBe(true);
    const allowed = allowedCodes();
    expect(usedCodes(pkg).documentType.filter((v) => !allowed.documentType.includes(v))).toEqual([]);
    const r = release(pkg);
    for (const a of r.awards!)
      expect(a.documents!.map((d) => [d.id, d.documentType, d.title, d.description, d.datePublished])).toEqual([
        [
          'evaluation-report',
          'evaluationReports',
          'Utvärderingsrapport',
          `SHA-256 ${'e'.repeat(64)}`,
          r.awards![0].date,
        ],
        [
          'award-notice-1',
          'awardNotice',
          'Underrättelse om tilldelningsbeslut till LabSupply Nordic AB',
          `SHA-256 ${'1'.repeat(64)}`,
          r.awards![0].date,
        ],
        [
          'award-notice-2',
          'awardNotice',
          'Underrättelse om tilldelningsbeslut till BioChem Partner AB',
          `SHA-256 ${'2'.repeat(64)}`,
          r.awards![0].date,
        ],
      ]);
    // Without notices (an award from before they were documents), no documents.
    expect(release(toReleasePackage(s, opts(s, euMilestones))).awards![0].documents).toBeUndefined();
  });

  it('the tenders received as bids (bid extension): per lot with the price read out, the assessment as the status, counts per lot', () => {
    const s = euTender();
    const [lot1, lot2] = s.lots.map((l) => l.title);
    s.tendersReceived = [
      {
        ...s.tendersReceived[0],
        prices: [
          { lot: lot1, priceSek: 3_100_000 },
          { lot: lot2, priceSek: 2_200_000 },
        ],
      },
      { ...s.tendersReceived[1], prices: [{ lot: lot2, priceSek: 1_900_000 }] },
      { ...s.tendersReceived[2], prices: [{ lot: lot1, priceSek: 2_400_000 }] },
      { supplier: 'Sent AB', receivedAt: '2025-10-08T10:00:00.000Z', lots: [lot1], late: true },
    ];
    const assessed = {
      exclusion: { groundFound: false },
      qualification: { met: true },
      requirements: [],
      assessedBy: officer,
      assessedAt: '2025-10-10T09:00:00.000Z',
    };
    s.assessments = [
      { ...assessed, supplier: 'LabSupply Nordic AB', result: 'admitted' },
      { ...assessed, supplier: 'BioChem Partner AB', result: 'rejected', reason: 'INTERNAL-REASON' },
    ];
    const pkg = toReleasePackage(s, opts(s, euMilestones));
    expect(validatePackage(pkg)).toBe(true);
    expect(pkg.extensions).toEqual([LOTS_EXTENSION, BID_EXTENSION]);
    const bids = release(pkg).bids!;
    expect(bids.details.map((b) => [b.id, b.tenderers[0].name, b.status, b.value?.amount, b.relatedLots])).toEqual([
      ['bid-1-1', 'LabSupply Nordic AB', 'valid', 3_100_000, ['lot-1']],
      ['bid-1-2', 'LabSupply Nordic AB', 'valid', 2_200_000, ['lot-2']],
      // Not assessed: pending.
      ['bid-2-1', 'ImmunoLab Sverige AB', 'pending', 1_900_000, ['lot-2']],
      ['bid-3-1', 'BioChem Partner AB', 'disqualified', 2_400_000, ['lot-1']],
    ]);
    const stat = (lot: string, measure: string) =>
      bids.statistics.find((x) => x.relatedLot === lot && x.measure === measure)?.value;
    expect([stat('lot-1', 'bids'), stat('lot-1', 'validBids'), stat('lot-1', 'disqualifiedBidders')]).toEqual([
      2, 1, 1,
    ]);
    expect(stat('lot-1', 'lowestValidBidValue')).toBe(3_100_000);
    // A bid of lot 2 is not assessed yet: how many are valid there is not known, and not said.
    expect([stat('lot-2', 'bids'), stat('lot-2', 'validBids'), stat('lot-2', 'lowestValidBidValue')]).toEqual([
      2,
      undefined,
      undefined,
    ]);
    // The bid extension's closed status list; a late tender is no bid; a rejection's reason is not published.
    expect(
      bids.details.every((b) => ['invited', 'pending', 'valid', 'disqualified', 'withdrawn'].includes(b.status ?? '')),
    ).toBe(true);
    expect(JSON.stringify(pkg)).not.toContain('Sent AB');
    expect(JSON.stringify(pkg)).not.toContain('INTERNAL-REASON');
    // A tender evaluated without assessments: its bids are valid (the evaluation took them), with the counts.
    const plain = release(toReleasePackage(euTender(), opts(euTender(), euMilestones))).bids!;
    expect(new Set(plain.details.map((b) => b.status))).toEqual(new Set(['valid']));
    expect(plain.statistics.find((x) => x.relatedLot === 'lot-1' && x.measure === 'validBids')?.value).toBe(2);
    // Before the award decision who tendered is confidential, and so are the bids.
    const before = toReleasePackage(
      { ...s, award: undefined, contract: undefined, outcome: undefined, phase: 'evaluation' },
      opts(s),
    );
    expect(release(before).bids).toBeUndefined();
  });

  it('the requirements register: criteria (requirements extension), award criteria and contract terms at the lots, sustainability', () => {
    const s = euTender();
    const lot1 = s.lots[0].title;
    const registered = { registeredBy: officer, registeredAt: '2025-01-10T09:00:00.000Z' };
    const requirements: Requirement[] = [
      {
        id: 'K1',
        kind: 'supplier_requirement',
        text: 'Omsättning minst 10 MSEK per år',
        reference: 'AF 3.2',
        ...registered,
      },
      {
        id: 'K2',
        kind: 'object_requirement',
        lot: lot1,
        text: 'Hållbarhet minst 12 månader',
        reference: 'KS 2.1',
        ...registered,
      },
      {
        id: 'K3',
        kind: 'award_criterion',
        text: 'Leveranstid',
        reference: 'UTV 1',
        scoring: { maxScore: 5, weight: 25 },
        ...registered,
      },
      {
        id: 'K4',
        kind: 'contract_condition',
        lot: lot1,
        text: 'Transporter med fordon i lägst Euro VI',
        reference: 'KV 7.3',
        sustainabilityCriterionId: '10137:2',
        followUp: { method: 'document', frequency: 'yearly', owner: 'procurement', evidence: 'Fordonslista' },
        ...registered,
      },
      {
        id: 'K5',
        kind: 'object_requirement',
        text: 'Struket krav',
        reference: 'KS 9',
        withdrawn: { by: officer, at: '2025-01-11T09:00:00.000Z' },
        ...registered,
      },
    ];
    const pkg = toReleasePackage(s, { ...opts(s, euMilestones), requirements });
    expect(validatePackage(pkg)).toBe(true);
    expect(pkg.extensions).toEqual([
      LOTS_EXTENSION,
      BID_EXTENSION,
      REQUIREMENTS_EXTENSION,
      AWARD_CRITERIA_EXTENSION,
      CONTRACT_TERMS_EXTENSION,
      SUSTAINABILITY_EXTENSION,
    ]);
    const t = release(pkg).tender;
    // Mandatory requirements: one criterion each, met or not (a boolean expected true); the withdrawn one is gone.
    expect(t.criteria).toEqual([
      {
        id: 'K1',
        title: 'K1: AF 3.2',
        description: 'Omsättning minst 10 MSEK per år',
        relatesToTenderer: true,
        requirementGroups: [
          {
            id: 'K1-1',
            requirements: [
              { id: 'K1-1-1', title: 'Omsättning minst 10 MSEK per år', dataType: 'boolean', expectedValue: true },
            ],
          },
        ],
      },
      expect.objectContaining({ id: 'K2', relatesToTenderer: false, relatedLots: ['lot-1'] }),
    ]);
    expect(t.awardCriteria).toBe('ratedCriteria');
    expect(t.awardCriteriaDetails).toBe('K3: Leveranstid (vikt 25 %, skala 0–5)');
    // A criterion of the whole procurement applies at every lot; the lot's own condition only at its lot.
    for (const lot of t.lots!) {
      expect(lot.awardCriteria).toEqual({
        criteria: [
          {
            type: 'quality',
            name: 'K3: UTV 1',
            description: 'Leveranstid (vikt 25 %, skala 0–5)',
            numbers: [{ number: 25, weight: 'percentageExact' }],
          },
        ],
      });
    }
    expect(t.lots![0].contractTerms).toEqual({ performanceTerms: 'K4: Transporter med fordon i lägst Euro VI' });
    expect(t.lots![1].contractTerms).toBeUndefined();
    expect(t.contractTerms).toBeUndefined();
    expect(t.hasSustainability).toBe(true);
    expect(t.sustainability).toEqual([
      {
        description: 'K4: Transporter med fordon i lägst Euro VI (Upphandlingsmyndighetens kriterium 10137:2)',
        strategies: ['contractPerformanceConditions'],
      },
    ]);
    // The codes used are the extensions' codelists' (dataType closed; weight closed; type and strategies open, as listed).
    const json = release(pkg) as unknown as Json;
    expect(
      collect(json, 'dataType').every((c) => ['string', 'date-time', 'number', 'integer', 'boolean'].includes(c)),
    ).toBe(true);
    expect(collect(json, 'weight').every((c) => c === 'percentageExact')).toBe(true);
    const strategies = [
      'awardCriteria',
      'contractPerformanceConditions',
      'marginOfPreference',
      'reservedParticipation',
      'selectionCriteria',
      'technicalSpecifications',
      'euGPPCriteria',
      'nationalGPPCriteria',
      'otherGPPCriteria',
    ];
    expect(t.sustainability!.flatMap((x) => x.strategies).every((c) => strategies.includes(c))).toBe(true);
    // What follows a condition up (the evidence asked for, who checks) is internal: not published.
    expect(JSON.stringify(pkg)).not.toContain('Fordonslista');
    expect(JSON.stringify(pkg)).not.toContain('Struket krav');
  });

  it("a direct award's documentation (19 a kap. 11 §): the suppliers that tendered, the winner's reason; prices stay out (LOU-2026.3)", () => {
    const s: TenderState = { ...directAward(), ruleSet: 'LOU-2026.3' };
    const record = {
      suppliersAsked: [
        { name: s.contract!.supplier, orgNumber: '556000-0099', answer: 'tendered' as const, priceSek: 430_000 },
        { name: 'Glans AB', answer: 'tendered' as const, priceSek: 455_000 },
        { name: 'Skinande AB', answer: 'declined' as const },
      ],
      winner: { name: s.contract!.supplier, orgNumber: '556000-0099' },
      reason: 'Lägsta pris för jämförbar kvalitet',
    };
    const pkg = toReleasePackage(s, {
      ...opts(s, directMilestones),
      directAwardLimitSek: 700_000,
      directAwardRecord: record,
    });
    expect(validatePackage.errors ?? []).toEqual([]);
    expect(validatePackage(pkg)).toBe(true);
    const r = release(pkg);
    expect(r.tender.numberOfTenderers).toBe(2);
    expect(r.tender.tenderers!.map((t) => t.name)).toEqual([s.contract!.supplier, 'Glans AB']);
    expect(r.awards![0]).toMatchObject({
      description: 'Huvudsakligt skäl: Lägsta pris för jämförbar kvalitet',
      suppliers: [{ name: s.contract!.supplier }],
    });
    expect(r.parties.find((p) => p.name === 'Glans AB')?.roles).toEqual(['tenderer']);
    expect(JSON.stringify(pkg)).not.toContain('455');
  });

  it('an award without prior notice gives its ground and the ex-ante notice as the rationale (6 kap. 14 §, 20 kap. 3 §)', () => {
    const base = euTender();
    const s: TenderState = {
      ...base,
      procedure: 'negotiated_without_notice',
      ruleSet: 'LOU-2026.3',
      withoutNoticeGround: 'single_supplier',
      exAnteNotice: {
        publishedOn: '2025-03-01',
        advertisingDatabase: 'TED',
        supplier: 'Acme Lab AB',
        paragraph: '10 kap. 5 § LOU',
        waitLastDay: '2025-03-11',
        recordedBy: approver,
        recordedAt: '2025-03-01T09:00:00.000Z',
      },
    };
    const pkg = toReleasePackage(s, { ...opts(s), withoutNoticeGround: 'single_supplier' });
    expect(validatePackage(pkg)).toBe(true);
    expect(release(pkg).tender).toMatchObject({
      procurementMethod: 'limited',
      procurementMethodRationale: expect.stringMatching(
        /^Förhandlat förfarande utan föregående annonsering \(6 kap\. 14 § LOU\): endast en viss leverantör .* Annons om avsikt publicerad 2025-03-01 \(10 kap\. 5 § LOU\)/,
      ),
    });
  });

  it('keeps who tendered confidential until the award decision (OSL 19 kap. 3 §)', () => {
    const s = euTender();
    const during: TenderState = {
      ...s,
      phase: 'evaluation',
      award: undefined,
      contract: undefined,
      reviews: [],
      timeline: s.timeline.slice(0, 6),
    };
    const pkg = toReleasePackage(during, opts(during));
    const r = release(pkg);
    expect(validatePackage(pkg)).toBe(true);
    expect(r.tag).toEqual(['tender']);
    expect(r.tender.status).toBe('active');
    expect(r.tender.tenderers).toBeUndefined();
    expect(r.tender.numberOfTenderers).toBeUndefined();
    const json = JSON.stringify(pkg);
    for (const t of s.tendersReceived) expect(json).not.toContain(t.supplier);
  });

  it('awards are pending in standstill; a tender cancelled after publication is a tenderCancellation', () => {
    const s = nationalTender();
    const standstill: TenderState = { ...s, phase: 'standstill', contract: undefined };
    const r1 = release(toReleasePackage(standstill, opts(standstill)));
    expect([r1.tag, r1.tender.status, r1.awards![0].status, r1.contracts]).toEqual([
      ['award'],
      'active',
      'pending',
      undefined,
    ]);

    const cancelled: TenderState = {
      ...standstill,
      phase: 'cancelled',
      outcome: {
        phase: 'cancelled',
        reason: 'INTERNAL-CANCEL-REASON budget',
        at: '2025-03-30T10:00:00.000Z',
        by: approver,
      },
    };
    const pkg = toReleasePackage(cancelled, opts(cancelled));
    expect(validatePackage(pkg)).toBe(true);
    const r2 = release(pkg);
    expect([r2.tag, r2.tender.status, r2.awards![0].status]).toEqual([
      ['tenderCancellation'],
      'cancelled',
      'cancelled',
    ]);
    expect(JSON.stringify(pkg)).not.toContain('INTERNAL-CANCEL-REASON');

    const unsuccessful: TenderState = {
      ...s,
      phase: 'unsuccessful',
      tendersReceived: [],
      evaluation: undefined,
      award: undefined,
      contract: undefined,
      outcome: { phase: 'unsuccessful', reason: 'no tenders', at: '2025-03-08T10:00:00.000Z', by: null },
    };
    const r3 = release(toReleasePackage(unsuccessful, opts(unsuccessful)));
    expect([r3.tag, r3.tender.status, r3.tender.numberOfTenderers, r3.awards]).toEqual([
      ['tenderUpdate'],
      'unsuccessful',
      0,
      undefined,
    ]);
  });

  it('exports a tender from publication on, a direct award from its contract, nothing in preparation', () => {
    expect(isExportable(nationalTender())).toBe(true);
    expect(isExportable(directAward())).toBe(true);
    const preparing: TenderState = {
      ...nationalTender(),
      phase: 'documents',
      publication: undefined,
      contract: undefined,
    };
    const directBeforeContract: TenderState = { ...directAward(), phase: 'contract', contract: undefined };
    expect(isExportable(preparing)).toBe(false);
    expect(isExportable(directBeforeContract)).toBe(false);
  });

  it('the schema check has teeth: a release off the codelist or without an ocid is refused', () => {
    const s = euTender();
    const bad = JSON.parse(JSON.stringify(toReleasePackage(s, opts(s)))) as Json;
    bad.releases[0].tender.status = 'finished';
    delete bad.releases[0].ocid;
    bad.releases[0].contracts[0].period.startDate = '2026-01-01';
    expect(validatePackage(bad)).toBe(false);
    const paths = (validatePackage.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/releases/0 required',
        '/releases/0/tender/status enum',
        '/releases/0/contracts/0/period/startDate format',
      ]),
    );
  });

  it('maps every LOU procedure onto the method codelist', () => {
    expect(
      Object.values(PROCUREMENT_METHOD).every((m) =>
        schemaEnum('definitions', 'Tender', 'properties', 'procurementMethod').includes(m),
      ),
    ).toBe(true);
    expect(PROCUREMENT_METHOD).toEqual({
      open: 'open',
      simplified: 'open',
      restricted: 'selective',
      selective: 'selective',
      negotiated_with_notice: 'selective',
      competitive_dialogue: 'selective',
      innovation_partnership: 'selective',
      negotiated_without_notice: 'limited',
      direct_award: 'direct',
      call_off: 'selective',
    });
  });

  it('dates the package by the last change of the state', () => {
    expect(lastChange(euTender())).toBe('2025-12-20T09:00:00.000Z');
    expect(lastChange(nationalTender())).toBe('2025-04-22T09:05:00.000Z');
  });
});

/**
 * What must never be published, taken from the state itself: every person (sub and name) and
 * every free text of internal deliberation.
 */
function secretsOf(state: TenderState): string[] {
  const secrets = new Set<string>();
  const privateTexts = new Set([
    'statement',
    'reasons',
    'summary',
    'comment',
    'need',
    'marketAnalysis',
    'risks',
    'justification',
    'measures',
    'mandateReference',
    'contactEmail',
    'estimatedVolume',
    'question',
    'note',
    'reason',
  ]);
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, key));
    if (node && typeof node === 'object') {
      const o = node as Json;
      if (typeof o.sub === 'string' && typeof o.name === 'string') {
        secrets.add(o.sub);
        secrets.add(o.name);
      }
      for (const [k, v] of Object.entries(o)) walk(v, k);
      return;
    }
    if (typeof node === 'string' && key && privateTexts.has(key)) secrets.add(node);
  };
  walk(state);
  // The openers are recorded by sub only.
  for (const sub of state.opening?.openers ?? []) secrets.add(sub);
  expect(secrets.size).toBeGreaterThan(3);
  return [...secrets];
}
