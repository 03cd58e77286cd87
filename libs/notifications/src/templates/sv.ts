import { milestoneBasisSv, milestoneTitleSv } from '@tenderflow/domain/milestone-texts';
import type { DeadlineRef, MilestoneRef, NotificationInput } from '@tenderflow/temporal-common/message-refs';
import type { Gate } from '@tenderflow/domain/types';
import type { GateEligibility } from '@tenderflow/temporal-common/tender-types';
import type { Recipient } from '../recipients';
import { amount, longDate, swedishDay } from './format';
import { GATE_PARAGRAPH } from './paths';
import type { MessageFacts, MessageParts, TenderFacts, Texts } from './types';

const GATES: Record<Gate, string> = {
  decision_to_procure: 'beslut att upphandla',
  documents_approval: 'godkännande av upphandlingsdokumenten',
  award_decision: 'tilldelningsbeslut',
  cancellation: 'beslut om att avbryta upphandlingen',
};

const DEADLINES: Record<string, string> = {
  tender_deadline: 'sista anbudsdag',
  request_deadline: 'sista dag för anbudsansökningar',
  question_cutoff: 'sista dag för frågor',
  latest_answer: 'sista dag för svar på frågor',
  opening_due: 'anbudsöppningen',
  standstill: 'avtalsspärren',
  review_hold: 'avtalsspärren efter överprövning',
  post_award_notice: 'efterannonsen',
  documentation: 'dokumentationen av upphandlingen',
  coordination_response: 'svaret på inbjudan till samordnad upphandling',
  startup_meeting: 'uppstartsmötet',
  periodic_review: 'den periodiska avtalsuppföljningen',
  labour_conditions_check: 'kontrollen av arbetsvillkor',
  sustainability_check: 'kontrollen av hållbarhetskraven',
  extension_decision: 'beslutet om förlängning',
  reprocurement_start: 'starten av en ny upphandling',
  corrective_action: 'den korrigerande åtgärden',
};

const ROLES: Record<string, string> = {
  approver: 'beslutsfattare',
  category_manager: 'kategoriansvarig',
  procurement_officer: 'upphandlare',
  contract_manager: 'avtalsförvaltare',
  partner: 'kontaktperson för samverkande organisation',
  admin: 'administratör',
};

const date = (day: string) => longDate(day, 'sv-SE');
const kr = (sek: number) => `${amount(sek, 'sv-SE')} kr`;
/** A deadline kind in Swedish words, as the messages and the calendar feed name it. */
export const deadlineName = (kind: string) => DEADLINES[kind] ?? kind.replace(/_/g, ' ');
/**
 * A milestone's title and a deadline's basis in Swedish: the contract workflow stores the plan's in
 * English (and must replay unchanged), the tender's deadlines have Swedish bases already.
 */
const titleSv = (m: MilestoneRef) => milestoneTitleSv({ kind: '', title: m.title });
const basisSv = (basis: string) => milestoneBasisSv(basis) ?? basis;
const quoted = (text: string) => text.split('\n').map((l) => `  > ${l}`);

function eligibilityText(e: GateEligibility): string {
  return (
    `en beslutsfattare i ${e.organization} med en beslutsgräns på minst ${kr(e.minApprovalLimitSek)}, ` +
    `som inte själv har begärt beslutet och inte är utvärderare i upphandlingen (fyraögonsprincipen; ej: ${e.excluded.join(', ')})`
  );
}

function gateBasis(gate: Gate, e: GateEligibility): string {
  const paragraph = GATE_PARAGRAPH[gate];
  const law = paragraph
    ? `${paragraph} (underrättelse till anbudsgivarna om beslutet, med skälen)`
    : 'inget krav i LOU; organisationens delegationsordning och upphandlingspolicy';
  return `${law}. Beslutet fattas av ${eligibilityText(e)}.`;
}

function dueText(d: DeadlineRef, passed = false): string {
  return `${passed ? 'skulle ha varit klart senast' : 'senast'} ${date(d.lastDay)} (${deadlineName(d.kind)})`;
}

function tenderDeadline(t: TenderFacts): string {
  return t.nextDeadline
    ? ` Upphandlingens nästa tidsfrist: ${deadlineName(t.nextDeadline.kind)}, ${date(swedishDay(t.nextDeadline.at))}.`
    : '';
}

function milestoneLine(m: MilestoneRef): string {
  return `uppföljningspunkten ${m.id} "${titleSv(m)}" i avtalet ${m.contractId} med ${m.supplier} (ansvar: ${m.owner === 'using_unit' ? 'verksamheten' : 'upphandlingsavdelningen'})`;
}

function parts(m: MessageFacts): MessageParts {
  const t = m.tender;
  const a = m.about;
  if (!a) return generic(m);
  switch (a.topic) {
    case 'gate_request':
      return {
        ask: `${a.requestedBy.name} ber dig fatta ${GATES[a.gate]} i upphandlingen ${t.id}. Du kan godkänna, avslå eller begära ändringar.`,
        details: a.reason ? ['Begäran:', ...quoted(a.reason)] : undefined,
        basis: gateBasis(a.gate, a.eligibility),
        deadline: `Ingen lagstadgad tidsfrist för beslutet; det väntar sedan ${date(swedishDay(a.since))}.${tenderDeadline(t)}`,
      };
    case 'gate_escalated':
      return {
        ask:
          `Ingen kan fatta ${GATES[a.gate]} i upphandlingen ${t.id}: katalogen har ingen som kan nås med e-post och får besluta, ` +
          `alltså ${eligibilityText(a.eligibility)}. Se till att någon med rätt beslutsgräns får ärendet (delegationsordningen, katalogen) – ` +
          `ärendet är eskalerat till dig.`,
        details: [
          a.unreachable.length
            ? `Behöriga men utan e-postadress i katalogen: ${a.unreachable.map((p) => p.name).join(', ')}.`
            : 'Ingen i katalogen uppfyller villkoren.',
          `Beslutet begärdes av ${a.requestedBy.name}.`,
        ],
        basis: gateBasis(a.gate, a.eligibility),
        deadline: `Beslutet har väntat sedan ${date(swedishDay(a.since))}; inget beslut kan fattas förrän en behörig beslutsfattare finns.${tenderDeadline(t)}`,
      };
    case 'changes_requested':
      return {
        ask: `${a.by.name} begär ändringar innan ${GATES[a.gate]} kan fattas i upphandlingen ${t.id}. Gör ändringarna och begär beslutet på nytt.`,
        details: ['Kommentar:', ...quoted(a.comment)],
        basis: GATE_PARAGRAPH[a.gate] ?? 'Organisationens delegationsordning och upphandlingspolicy.',
        deadline: `Ingen lagstadgad tidsfrist.${tenderDeadline(t)}`,
      };
    case 'conflict_declared':
      return {
        ask: `${a.evaluator.name} har anmält jäv och är borttagen ur utvärderingen av ${t.id}. Utse en ersättare om det behövs.`,
        basis: '4 kap. 4 § LOU (intressekonflikter); varje utvärderare lämnar en jävsdeklaration före utvärderingen.',
        deadline: `Utvärderingen kan inte lämnas förrän varje utvärderare har lämnat sin deklaration.${tenderDeadline(t)}`,
      };
    case 'tender_ended':
      return {
        ask:
          a.outcome === 'cancelled'
            ? `Upphandlingen ${t.id} är avbruten. Dokumentera upphandlingen.`
            : `Upphandlingen ${t.id} avslutades utan resultat. Dokumentera upphandlingen.`,
        details: ['Skäl:', ...quoted(a.reason)],
        basis: `${a.outcome === 'cancelled' ? '12 kap. 12 § LOU (underrättelse om beslutet att avbryta, med skälen); ' : ''}${basisSv(a.deadline.basis)}`,
        deadline: `Dokumentationen ska vara klar ${dueText(a.deadline)}.`,
      };
    case 'deadline_overdue':
      return {
        ask: `${capitalise(deadlineName(a.deadline.kind))} i upphandlingen ${t.id} är försenad. Se till att den blir gjord.`,
        basis: basisSv(a.deadline.basis),
        deadline: `Det ${dueText(a.deadline, true)}.`,
      };
    case 'joint_invitation':
      return {
        ask:
          `${a.reminder ? 'Påminnelse: ' : ''}${a.invitingOrganization} bjuder in ${a.body.name} (${a.body.organization}) att delta i den samordnade upphandlingen ${t.id}. ` +
          'Svara ja (med uppskattad volym och fullmakt) eller nej (med skäl).',
        basis: `${basisSv(a.deadline.basis)}. Organisationer som inte har svarat när tiden gått ut deltar inte.`,
        deadline: `Svara ${dueText(a.deadline)}.`,
        calendar: {
          summary: `Svara på inbjudan: ${t.id} ${t.title ?? ''}`.trim(),
          description: `${a.invitingOrganization} väntar på svar från ${a.body.name} om den samordnade upphandlingen ${t.id}.`,
        },
      };
    case 'milestone_due':
      return {
        ask: `Påminnelse: ${capitalise(milestoneLine(a.milestone))} ska vara klar ${dueText(a.deadline)}.`,
        basis: basisSv(a.deadline.basis),
        deadline: `Senast ${date(a.deadline.lastDay)}.`,
        calendar: {
          summary: `${a.milestone.id} ${titleSv(a.milestone)} (${a.milestone.contractId})`,
          description: `Uppföljning av avtalet ${a.milestone.contractId} med ${a.milestone.supplier}. Grund: ${basisSv(a.deadline.basis)}`,
        },
      };
    case 'milestone_overdue':
      return {
        ask: `${capitalise(milestoneLine(a.milestone))} är försenad${a.escalation > 1 ? ` (eskalering ${a.escalation})` : ''}.`,
        basis: basisSv(a.deadline.basis),
        deadline: `Den ${dueText(a.deadline, true)}.`,
      };
    case 'milestone_deviation':
      return {
        ask:
          `${a.by.name} har registrerat en avvikelse i ${milestoneLine(a.milestone)}. ` +
          `Åtgärden ${a.correctiveAction.id} "${titleSv(a.correctiveAction)}" ska vara klar ${dueText(a.deadline)}.`,
        details: ['Avvikelse:', ...quoted(a.note)],
        basis: basisSv(a.deadline.basis),
        deadline: `Senast ${date(a.deadline.lastDay)}.`,
        calendar: {
          summary: `${a.correctiveAction.id} ${titleSv(a.correctiveAction)} (${a.correctiveAction.contractId})`,
          description: `Åtgärd efter avvikelse i ${a.milestone.id}. Grund: ${basisSv(a.deadline.basis)}`,
        },
      };
    case 'contract_extended':
      return {
        ask: `Avtalet ${a.contractId} med ${a.supplier} är förlängt med ${a.months} månader, från ${date(a.from)} till ${date(a.to)}.`,
        details: a.note ? ['Anteckning:', ...quoted(a.note)] : undefined,
        basis: 'Förlängningsoption i avtalet; beslutet är registrerat i avtalsuppföljningen.',
        deadline: `Avtalet löper nu till ${date(a.to)}.`,
      };
    case 'contract_ends':
      return {
        ask: `Avtalet ${a.contractId} med ${a.supplier} förlängs inte och upphör ${date(a.endDate)}. En ny upphandling behöver påbörjas.`,
        details: a.note ? ['Anteckning:', ...quoted(a.note)] : undefined,
        basis: 'Avtalets villkor och organisationens policy för ny upphandling före avtalets slut.',
        deadline: `Avtalet upphör ${date(a.endDate)}.`,
      };
  }
}

/** Every kind of message, so that a new kind cannot go without its Swedish name. */
const KINDS: Record<NotificationInput['kind'], string> = {
  invitation: 'inbjudan',
  reminder: 'påminnelse',
  escalation: 'eskalering',
  award_notice: 'tilldelningsbeslut',
  cancellation_notice: 'avbrytande',
  publication: 'annonsering',
  gate_request: 'beslut begärs',
  other: 'meddelande',
};

/** A message without `about` (queued before templates existed): the frame in Swedish, the workflow's own words quoted. */
function generic(m: MessageFacts): MessageParts {
  return {
    ask: `Ett meddelande (${KINDS[m.kind] ?? m.kind}) om upphandlingen ${m.tender.id}. Systemets text:`,
    details: quoted(m.fallback.body),
    basis: 'Se upphandlingen.',
    deadline: `Se upphandlingen.${tenderDeadline(m.tender)}`,
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function why(via: Recipient): string {
  switch (via.type) {
    case 'user':
      return 'Du får meddelandet för att du är namngiven i ärendet.';
    case 'role':
      return `Du får meddelandet som ${ROLES[via.role] ?? via.role} i ${via.organization}${via.category ? ` (kategori ${via.category})` : ''}.`;
    case 'org':
      return `Du får meddelandet som kontaktperson för ${via.organization}.`;
    default:
      return 'Du får meddelandet som kontaktadress i ärendet.';
  }
}

export const sv: Texts = {
  subject: (t) => `Upphandling ${t.id}${t.title ? `: ${t.title}` : ''}`,
  greeting: (name) => (name ? `Hej ${name},` : 'Hej,'),
  labels: {
    tender: 'Upphandling',
    ask: 'Vad som begärs',
    basis: 'Grund',
    deadline: 'Tidsfrist',
    act: 'Här gör du det',
  },
  tenderLine: (t) =>
    [
      `${t.id}${t.title ? ` "${t.title}"` : ''}`,
      t.organization ? `${t.organization}${t.category ? `, kategori ${t.category}` : ''}` : undefined,
      t.estimatedValueSek !== undefined ? `uppskattat värde ${kr(t.estimatedValueSek)}` : undefined,
    ]
      .filter(Boolean)
      .join(' – '),
  why,
  footer: 'Meddelandet skickades automatiskt av Tenderflow. Svar på e-postmeddelandet läses inte; använd länken ovan.',
  parts,
  actions: {
    decide: 'Fatta beslutet',
    inbox: 'Din inkorg',
    tender: 'Upphandlingen',
    escalated: 'Eskalerade beslut',
    people: 'Katalogen över personer (administratör)',
    evaluators: 'Utse utvärderare',
    opening: 'Registrera anbudsöppningen',
    respond: 'Svara på inbjudan',
    complete: 'Markera som klar',
    milestones: 'Avtalets uppföljningspunkter',
    contract: 'Avtalet',
    console: 'Öppna i Tenderflow',
  },
  linkHint: (body) => `(${body ? `med ${body}; ` : ''}med en API-klient och din token)`,
  gateName: (g) => GATES[g],
  date,
};
