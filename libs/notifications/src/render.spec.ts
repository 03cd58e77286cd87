import ICAL from 'ical.js';
import type { NotificationAbout } from '@tenderflow/temporal-common/message-refs';
import { foldOctets } from './calendar';
import { parseRecipient } from './recipients';
import { renderMessage, type MessageFacts } from './render';

const eligibility = {
  role: 'approver' as const,
  organization: 'HSN',
  minApprovalLimitSek: 4_000_000,
  excluded: ['anna'],
};
const milestone = {
  contractId: 'HSN-2026-00026-K1',
  supplier: 'Acme Lab AB',
  id: 'M1',
  title: 'Uppstartsmöte',
  owner: 'using_unit' as const,
};
const deadline = {
  kind: 'startup_meeting',
  lastDay: '2027-03-31',
  at: '2027-03-31T21:59:59.999Z',
  basis: 'policy: within 30 days of the contract start',
};
const anna = { sub: 'anna', name: 'Anna Upphandlare' };

/** One message of every topic the workflows and the outbox write. */
const ABOUT: NotificationAbout[] = [
  {
    topic: 'gate_request',
    gate: 'award_decision',
    since: '2026-11-29T10:00:00.000Z',
    requestedBy: anna,
    reason: 'Lägsta pris vann',
    eligibility,
  },
  {
    topic: 'gate_escalated',
    gate: 'decision_to_procure',
    since: '2026-11-29T10:00:00.000Z',
    requestedBy: anna,
    eligibility,
    unreachable: [{ sub: 'nils', name: 'Nils' }],
  },
  { topic: 'changes_requested', gate: 'documents_approval', comment: 'Komplettera', by: { sub: 'bo', name: 'Bo' } },
  { topic: 'conflict_declared', evaluator: { sub: 'eva', name: 'Eva' } },
  {
    topic: 'tender_ended',
    outcome: 'cancelled',
    reason: 'Budgeten drogs in',
    deadline: { kind: 'documentation', lastDay: '2026-12-29', basis: '12 kap. 14 § LOU' },
  },
  {
    topic: 'deadline_overdue',
    deadline: { kind: 'opening_due', lastDay: '2026-11-28', basis: 'policy: open the tenders as soon as possible' },
  },
  {
    topic: 'joint_invitation',
    body: { organization: 'KOMMUN1', name: 'Kommun 1' },
    invitingOrganization: 'HSN',
    deadline: { kind: 'coordination_response', lastDay: '2026-12-13', basis: 'policy: 14 days' },
    reminder: true,
  },
  { topic: 'milestone_due', milestone, deadline },
  { topic: 'milestone_overdue', milestone, deadline, escalation: 2 },
  {
    topic: 'milestone_deviation',
    milestone,
    note: 'Mötet hölls inte',
    by: anna,
    correctiveAction: { ...milestone, id: 'M9', title: 'Korrigerande åtgärd' },
    deadline,
  },
  {
    topic: 'contract_extended',
    contractId: 'HSN-2026-00026-K1',
    supplier: 'Acme Lab AB',
    from: '2029-12-31',
    to: '2030-12-31',
    months: 12,
    note: 'Option 1',
  },
  {
    topic: 'contract_ends',
    contractId: 'HSN-2026-00026-K1',
    supplier: 'Acme Lab AB',
    endDate: '2029-12-31',
    note: 'Ingen förlängning',
  },
];

const tender = {
  id: 'HSN-2026-00026',
  title: 'Laboratoriereagens',
  organization: 'HSN',
  category: 'lab',
  estimatedValueSek: 4_000_000,
  nextDeadline: null,
};
const facts = (about?: NotificationAbout): MessageFacts => ({
  key: 'tender-HSN-2026-00026:other:1',
  kind: 'other',
  tender,
  about,
  fallback: { subject: 'HSN-2026-00026: something', body: 'Something happened.' },
});
const BASE = 'https://tenderflow.example/';
const via = parseRecipient('role:approver@HSN');

describe('message templates', () => {
  it.each(ABOUT.map((a) => [a.topic, a] as const))(
    '%s: in Swedish, the tender, what is asked, the basis, the deadline and where to act',
    (_topic, about) => {
      const m = renderMessage(facts(about), { name: 'Bo', via, locale: 'sv' }, BASE);
      expect(m.subject).toBe('Upphandling HSN-2026-00026: Laboratoriereagens');
      const lines = m.text.split('\n');
      expect(lines[0]).toBe('Hej Bo,');
      for (const label of [
        'Vad som begärs: ',
        'Upphandling: HSN-2026-00026 "Laboratoriereagens"',
        'Grund: ',
        'Tidsfrist: ',
      ]) {
        expect(lines.some((l) => l.startsWith(label) && l.length > label.length)).toBe(true);
      }
      expect(m.text).toMatch(
        /Här gör du det:\n- .+: (POST |PUT )?https:\/\/tenderflow\.example\/(console|tenders|contracts)\//,
      );
      expect(m.text).not.toContain('example//');
      expect(m.text).not.toMatch(/undefined|\[object/);
    },
  );

  it.each(ABOUT.map((a) => [a.topic, a] as const))('%s: in English for those who chose it', (_topic, about) => {
    const m = renderMessage(facts(about), { name: 'Bo', via, locale: 'en' }, BASE);
    expect(m.subject).toBe('Procurement HSN-2026-00026: Laboratoriereagens');
    for (const label of ['Hello Bo,', 'What is asked: ', 'Procurement: ', 'Basis: ', 'Deadline: ', 'Where you act:'])
      expect(m.text).toContain(label);
    expect(m.text).not.toMatch(/undefined|\[object/);
  });

  it("links first to the console's page where the recipient acts, then to the API resources", () => {
    const first = (about: (typeof ABOUT)[number]) => {
      const text = renderMessage(facts(about), { name: 'Bo', via, locale: 'sv' }, BASE).text;
      return text.split('Här gör du det:\n')[1].split('\n')[0];
    };
    const expected: Record<string, string> = {
      gate_request: '- Öppna i Tenderflow: https://tenderflow.example/console/approvals',
      milestone_due: '- Öppna i Tenderflow: https://tenderflow.example/console/follow-up',
      milestone_overdue: '- Öppna i Tenderflow: https://tenderflow.example/console/follow-up',
      milestone_deviation: '- Öppna i Tenderflow: https://tenderflow.example/console/follow-up',
      contract_extended: '- Öppna i Tenderflow: https://tenderflow.example/console/follow-up',
      contract_ends: '- Öppna i Tenderflow: https://tenderflow.example/console/follow-up',
    };
    for (const about of ABOUT) {
      if (about.topic === 'joint_invitation') expect(first(about)).not.toContain('/console/');
      else
        expect(first(about)).toBe(
          expected[about.topic] ?? '- Öppna i Tenderflow: https://tenderflow.example/console/tenders/HSN-2026-00026',
        );
    }
    expect(renderMessage(facts(ABOUT[0]), { name: 'Bo', via, locale: 'en' }, BASE).text).toContain(
      '- Open in Tenderflow: https://tenderflow.example/console/',
    );
  });

  it('names the statute of a gate where LOU has one, and the delegation order where it has none', () => {
    const gate = (g: 'award_decision' | 'decision_to_procure') =>
      renderMessage(
        facts({ topic: 'gate_request', gate: g, since: '2026-11-29T10:00:00.000Z', requestedBy: anna, eligibility }),
        { via, locale: 'sv' },
        BASE,
      ).text;
    expect(gate('award_decision')).toMatch(/Grund: 12 kap\. 12 § LOU \(underrättelse/);
    expect(gate('decision_to_procure')).toMatch(/Grund: inget krav i LOU; organisationens delegationsordning/);
    expect(gate('award_decision')).toContain(
      'POST https://tenderflow.example/tenders/HSN-2026-00026/gates/award_decision/decision',
    );
    expect(gate('award_decision')).toContain('väntar sedan 29 november 2026');
  });

  it('attaches a calendar entry only to a deadline ahead: reminders, invitations, corrective actions', () => {
    const withCalendar = ABOUT.filter((a) => renderMessage(facts(a), { via, locale: 'sv' }, BASE).calendar).map(
      (a) => a.topic,
    );
    expect(withCalendar).toEqual(['joint_invitation', 'milestone_due', 'milestone_deviation']);
    const ics = renderMessage(facts(ABOUT[7]), { via, locale: 'sv' }, BASE).calendar!;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect([event.uid, event.startDate.toString(), event.endDate.toString()]).toEqual([
      'HSN-2026-00026-K1.M1@tenderflow',
      '2027-03-31',
      '2027-04-01',
    ]);
  });

  it("says a milestone's title and basis in Swedish, though the contract workflow stores them in English", () => {
    const about: NotificationAbout = {
      topic: 'milestone_due',
      milestone: { ...milestone, id: 'M3', title: 'Periodic review 2' },
      deadline: {
        ...deadline,
        basis: 'policy: every 6 months (supply criticality medium); start 2026-04-01 + 12 months',
      },
    };
    const sv = renderMessage(facts(about), { name: 'Bo', via, locale: 'sv' }, BASE);
    expect(sv.text).toContain('"Periodisk avtalsuppföljning 2"');
    expect(sv.text).toContain(
      'Grund: policy: var 6:e månad (försörjningskritikalitet medel); avtalets start 2026-04-01 + 12 månader',
    );
    expect(sv.text).not.toMatch(/Periodic review|every 6 months/);
    const en = renderMessage(facts(about), { name: 'Bo', via, locale: 'en' }, BASE);
    expect(en.text).toContain('"Periodic review 2"');
    expect(en.text).toContain('every 6 months');
  });

  it('quotes the workflow’s own words, framed in Swedish, for a message without `about`', () => {
    const m = renderMessage(facts(undefined), { via: parseRecipient('user:bo'), locale: 'sv' }, BASE);
    expect(m.text).toContain('Vad som begärs: Ett meddelande (meddelande) om upphandlingen HSN-2026-00026');
    expect(m.text).toContain('  > Something happened.');
    expect(m.text).toContain('Du får meddelandet för att du är namngiven i ärendet.');
  });
});

describe('recipients', () => {
  it('parses what the workflows address, and nothing else', () => {
    expect(parseRecipient('role:category_manager@HSN#lab-supplies')).toEqual({
      type: 'role',
      role: 'category_manager',
      organization: 'HSN',
      category: 'lab-supplies',
    });
    expect(parseRecipient('role:approver@HSN')).toEqual({ type: 'role', role: 'approver', organization: 'HSN' });
    expect(parseRecipient('user:anna')).toEqual({ type: 'user', sub: 'anna' });
    expect(parseRecipient('email:inkop@kommunen.se')).toEqual({ type: 'email', address: 'inkop@kommunen.se' });
    expect(parseRecipient('inkop@kommunen.se')).toEqual({ type: 'email', address: 'inkop@kommunen.se' });
    expect(parseRecipient('org:KOMMUN1')).toEqual({ type: 'org', organization: 'KOMMUN1' });
    expect(parseRecipient('supplier:556000-0001')).toEqual({ type: 'supplier', id: '556000-0001' });
    expect(parseRecipient('adverts:outbox')).toEqual({ type: 'adverts', database: 'outbox' });
    for (const bad of ['role:pope@HSN', 'role:approver', 'email:not an address', 'user:', 'fax:123', 'anna'])
      expect(parseRecipient(bad)).toEqual({ type: 'unknown' });
  });
});

describe('iCalendar folding (RFC 5545 3.1)', () => {
  it('folds at 75 octets, never inside a character, and unfolds to the same line', () => {
    const line = `DESCRIPTION:${'Uppföljning av avtalet med Åbro Ölhandel – ärende '.repeat(6)}`;
    const folded = foldOctets(`BEGIN:VCALENDAR\r\n${line}\r\nEND:VCALENDAR\r\n`);
    const lines = folded.split('\r\n');
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(3);
    expect(folded.replace(/\r\n /g, '')).toBe(`BEGIN:VCALENDAR\r\n${line}\r\nEND:VCALENDAR\r\n`);
    expect(folded).not.toContain('\uFFFD');
  });
});
