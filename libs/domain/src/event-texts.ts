/**
 * Every audit event type the system writes, in Swedish and English: the one table the console's
 * audit trail and the e-mails name events by. The writers are the workflows (their recorders), the
 * worker's activities and the API (refusals, the policy, organisation, category and people chains);
 * test/unit/event-texts.spec.ts collects the types they write from the source and fails on one
 * without a line here. Pure, and it imports nothing, so the console can bundle it.
 */

/** One text in each of the system's languages. */
export interface Texts {
  sv: string;
  en: string;
}

export const EVENT_TEXTS: Readonly<Record<string, Texts>> = {
  // The tender's chain: its workflow.
  'tender.created': { sv: 'Upphandlingen skapad', en: 'Tender created' },
  'command.accepted': { sv: 'Åtgärd utförd', en: 'Command carried out' },
  'command.refused': { sv: 'Åtgärd nekad', en: 'Command refused' },
  'command_key.added': { sv: 'Ny nyckel för kommandosignering', en: 'New command-signing key' },
  'phase.changed': { sv: 'Ny fas', en: 'New phase' },
  'gate.requested': { sv: 'Beslut begärt', en: 'Decision requested' },
  'gate.approval_recorded': { sv: 'Godkännande registrerat', en: 'Approval recorded' },
  'gate.decided': { sv: 'Beslut fattat', en: 'Decision made' },
  'gate.escalated': { sv: 'Beslut eskalerat', en: 'Decision escalated' },
  'requirement.registered': { sv: 'Krav registrerat i kravregistret', en: 'Requirement registered' },
  'requirement.withdrawn': { sv: 'Krav struket ur kravregistret', en: 'Requirement withdrawn' },
  'tender.assessed': { sv: 'Anbud prövat', en: 'Tender assessed' },
  'tender.scored': { sv: 'Anbud poängsatt av en utvärderare', en: 'Tender scored by an evaluator' },
  'tender.consensus_recorded': { sv: 'Konsensuspoäng registrerade', en: 'Consensus scores recorded' },
  'award.red_flags_justified': {
    sv: 'Tilldelning godkänd trots varningsflaggor, med motivering',
    en: 'Award approved despite red flags, with a justification',
  },
  'document.issued': {
    sv: 'Beslutsdokument upprättat (anbudsöppningsprotokoll eller utvärderingsrapport)',
    en: 'Decision document issued (opening protocol or evaluation report)',
  },
  'award.notice_issued': {
    sv: 'Underrättelse om tilldelningsbeslut utfärdad till en anbudsgivare',
    en: 'Award decision notice issued to a tenderer',
  },
  'delegation.decided': { sv: 'Beslut fattat på delegation', en: 'Decision taken under delegation' },
  'deadline.set': { sv: 'Tidsfrist satt', en: 'Deadline set' },
  'timer.fired': { sv: 'Tidsfrist löpte ut', en: 'Deadline passed' },
  'notification.queued': { sv: 'Avisering köad', en: 'Notification queued' },
  'coordination.invited': { sv: 'Inbjudan till samordnad upphandling', en: 'Invitation to a joint procurement' },
  'follow_up.started': { sv: 'Avtalsuppföljning startad', en: 'Follow-up started' },
  'follow_up.ended': { sv: 'Avtalsuppföljning avslutad', en: 'Follow-up ended' },
  // A body's invitation (the coordination workflow), and its outcome as the tender records it.
  'invitation.sent': { sv: 'Inbjudan skickad', en: 'Invitation sent' },
  'invitation.reminded': { sv: 'Påminnelse om inbjudan', en: 'Invitation reminder' },
  'invitation.answered': { sv: 'Inbjudan besvarad', en: 'Invitation answered' },
  'invitation.expired': { sv: 'Inbjudan obesvarad i tid', en: 'Invitation not answered in time' },
  'invitation.joined': { sv: 'Organisationen deltar i upphandlingen', en: 'The body joined' },
  'invitation.declined': { sv: 'Organisationen avböjde att delta', en: 'The body declined' },
  'invitation.not_joined': { sv: 'Organisationen deltar inte', en: 'The body did not join' },
  // The contract's follow-up (the contract workflow).
  'contract.registered': { sv: 'Avtal registrerat', en: 'Contract registered' },
  'contract.extended': { sv: 'Avtalet förlängt', en: 'Contract extended' },
  'contract.extension_declined': { sv: 'Förlängning avstådd', en: 'Extension declined' },
  'contract.ended': { sv: 'Avtalet upphört', en: 'Contract ended' },
  'contract.direct_award_documented': { sv: 'Direktupphandlingen dokumenterad', en: 'Direct award documented' },
  'contract.changed': { sv: 'Avtalet ändrat (17 kap. LOU)', en: 'Contract changed (17 kap. LOU)' },
  'contract.sanction_decided': {
    sv: 'Beslut om sanktion mot leverantören',
    en: 'Sanction against the supplier decided',
  },
  'contract.terminated': { sv: 'Avtalet hävt', en: 'Contract terminated' },
  'follow_up.completed': { sv: 'Avtalsuppföljning klar', en: 'Follow-up completed' },
  'milestone.planned': { sv: 'Uppföljningspunkt planerad', en: 'Milestone planned' },
  'milestones.planned': {
    sv: 'Uppföljningspunkter planerade för nästa period',
    en: 'Milestones planned for the next period',
  },
  'milestone.moved': { sv: 'Uppföljningspunkt flyttad', en: 'Milestone moved' },
  'milestone.reminded': { sv: 'Påminnelse om uppföljningspunkt', en: 'Milestone reminder' },
  'milestone.escalated': { sv: 'Uppföljningspunkt eskalerad', en: 'Milestone escalated' },
  'milestone.lapsed': { sv: 'Uppföljningspunkt förfallen', en: 'Milestone lapsed' },
  'milestone.completed': { sv: 'Uppföljningspunkt klar', en: 'Milestone completed' },
  'reprocurement.started': { sv: 'Ny upphandling påbörjad', en: 'Re-procurement started' },
  // An operator's action on the tender's workflow in Temporal, as the reconciler records it.
  'external.terminated': { sv: 'Arbetsflödet avslutat i Temporal', en: 'Workflow terminated in Temporal' },
  'external.cancelled': { sv: 'Arbetsflödet avbrutet i Temporal', en: 'Workflow cancelled in Temporal' },
  'external.reset': { sv: 'Arbetsflödet återställt i Temporal', en: 'Workflow reset in Temporal' },
  'external.timed_out': { sv: 'Arbetsflödets tid löpte ut i Temporal', en: 'Workflow timed out in Temporal' },
  'external.failed': { sv: 'Arbetsflödet misslyckades i Temporal', en: 'Workflow failed in Temporal' },
  // The organisation's chains (the API): its policy, its register entry and categories, its people.
  'policy.version_created': { sv: 'Ny version av upphandlingspolicyn', en: 'New policy version' },
  'delegation_order.version_created': {
    sv: 'Ny version av delegationsordningen',
    en: 'New delegation order version',
  },
  'delegation.reported': {
    sv: 'Delegationsbeslut anmälda till nämnden eller styrelsen',
    en: 'Delegation decisions reported to the board',
  },
  'organization.saved': { sv: 'Organisationen sparad', en: 'Organisation saved' },
  'category.saved': { sv: 'Kategori sparad', en: 'Category saved' },
  'directory.imported': { sv: 'Personkatalog importerad', en: 'Directory imported' },
  'function.saved': { sv: 'Funktion sparad', en: 'Function saved' },
  'person.functions_changed': { sv: 'Personens funktioner ändrade', en: "Person's functions changed" },
  'absence.recorded': { sv: 'Frånvaro registrerad', en: 'Absence recorded' },
  'absence.cancelled': { sv: 'Frånvaro återkallad', en: 'Absence cancelled' },
};

/** Every event type's text in one language, by type (the console's vocabulary takes them in). */
export function eventTexts(locale: keyof Texts): Record<string, string> {
  return Object.fromEntries(Object.entries(EVENT_TEXTS).map(([type, t]) => [type, t[locale]]));
}

/** An event type in a language; the type itself for one the table does not have. */
export function eventText(type: string, locale: keyof Texts): string {
  return EVENT_TEXTS[type]?.[locale] ?? type;
}

/**
 * The reasons the system itself writes into the chain (no person's words), in Swedish. A person's
 * reason is theirs, in their language, and shown as written.
 */
const SYSTEM_REASONS_SV: [RegExp, (...groups: string[]) => string][] = [
  [
    /^the contract ended before the extension was decided; the option lapsed$/,
    () => 'avtalet upphörde innan förlängningen beslutades; optionen förföll',
  ],
  [/^no answer by the response deadline$/, () => 'inget svar före svarsfristen'],
  [/^invitation workflow ended: ([^]*)$/, (why) => `inbjudans arbetsflöde avslutades: ${why}`],
];

/** A reason the system wrote, in Swedish; undefined for any other (a person's, or one of no known form). */
export function systemReasonSv(reason: string): string | undefined {
  for (const [pattern, say] of SYSTEM_REASONS_SV) {
    const m = pattern.exec(reason);
    if (m) return say(...m.slice(1));
  }
  return undefined;
}
