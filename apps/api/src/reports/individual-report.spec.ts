import type { TenderState } from '@tenderflow/workflows/tender/tender.messages';
import { pdfText } from '../../../../test/support/pdf-text';
import { AuditItem, buildIndividualReport, REPORT_EVIDENCE, REPORT_ITEMS } from './individual-report';
import { renderIndividualReportPdf } from './individual-report.pdf';

/** An EU open procedure with a contract: the state and the audit events it was built from. */
const person = (sub: string, name: string) => ({ sub, name });
const state = {
  id: 'HSN-2026-00042',
  workflowId: 'tender-HSN-2026-00042',
  title: 'Laboratoriereagenser 2027–2029',
  organization: 'HSN',
  category: 'lab',
  contractType: 'supplies',
  estimatedValueSek: 4_000_000,
  regime: 'eu',
  procedure: 'open',
  frameworkAgreement: false,
  ruleSet: 'LOU-2026.2',
  phase: 'follow_up',
  needsAnalysis: {
    sustainability: { criteria: ['Kemikalier'], level: 'bas' },
    supplyPreparedness: { criticality: 'low' },
    lotJustification: 'En analysplattform; delning skulle höja kostnad och risk',
    completedBy: person('anna', 'Anna'),
    completedAt: '2026-08-01T08:00:00.000Z',
  },
  publication: { sentAt: '2026-08-10T08:00:00.000Z', advertisingDatabase: 'e-Avrop', electronicSubmission: true, priorInformationNotice: false, urgent: false },
  opening: { openers: ['anna', 'olof'], recordedBy: person('anna', 'Anna'), recordedAt: '2026-09-15T08:00:00.000Z' },
  tendersReceived: [
    { supplier: 'Acme Lab AB', orgNumber: '556000-0001', receivedAt: '2026-09-14T08:00:00.000Z', late: false },
    { supplier: 'Nordic Reagents AB', orgNumber: '556000-0002', receivedAt: '2026-09-14T09:00:00.000Z', late: false },
    { supplier: 'Sen AB', receivedAt: '2026-09-16T09:00:00.000Z', late: true },
  ],
  candidates: [],
  evaluators: [
    {
      sub: 'eva',
      name: 'Eva Utvärderare',
      appointedBy: person('anna', 'Anna'),
      appointedAt: '2026-08-09T08:00:00.000Z',
      status: 'declared',
      declaration: { hasConflict: false, statement: 'Inga band', at: '2026-09-15T09:00:00.000Z' },
    },
    {
      sub: 'erik',
      name: 'Erik Utvärderare',
      appointedBy: person('anna', 'Anna'),
      appointedAt: '2026-08-09T08:00:00.000Z',
      status: 'removed',
      declaration: { hasConflict: true, statement: 'Tidigare anställd hos Acme Lab AB', at: '2026-09-15T09:05:00.000Z' },
    },
  ],
  award: {
    decidedBy: person('bo', 'Bo Beslutsfattare'),
    decidedAt: '2026-09-20T08:00:00.000Z',
    winners: [{ supplier: 'Acme Lab AB', score: 87, reasons: 'Bäst förhållande mellan pris och kvalitet' }],
    noticeChannel: 'electronic',
    standstillDays: 10,
  },
  contract: {
    supplier: 'Acme Lab AB',
    valueSek: 3_900_000,
    startDate: '2026-10-15',
    endDate: '2028-10-14',
    signedAt: '2026-10-10',
    registeredBy: person('anna', 'Anna'),
    registeredAt: '2026-10-10T08:00:00.000Z',
  },
} as unknown as TenderState;

let n = 0;
const event = (type: string, payload: unknown): AuditItem => {
  n += 1;
  return {
    index: n,
    type,
    at: `2026-10-${String(n).padStart(2, '0')}T08:00:00.000Z`,
    actor: { sub: 'anna', name: 'Anna', org: 'HSN' },
    reason: null,
    payload,
    hash: `${n}`.padStart(64, 'a'),
  };
};
const cmd = (command: string, payload: unknown, type = 'command.accepted') => event(type, { command, payload });
const events: AuditItem[] = [
  event('tender.created', { input: { id: state.id, title: state.title } }),
  cmd('completeNeedsAnalysis', {}),
  cmd('publish', { advertisingDatabase: 'e-Avrop' }),
  cmd('recordOpening', {}),
  cmd('declareConflict', { hasConflict: false, statement: 'Inga band' }),
  cmd('declareConflict', { hasConflict: true, statement: 'Tidigare anställd hos Acme Lab AB' }),
  cmd('submitEvaluation', {}),
  cmd('decideGate', { gate: 'award_decision', decision: 'approve' }, 'gate.decided'),
  cmd('registerContract', {}),
];

describe('individual report (12 kap. 15 § LOU)', () => {
  const report = buildIndividualReport(state, events, '2026-11-29T10:00:00.000Z');
  const item = (k: string) => report.statements.find((s) => s.item === k)!;

  it('has every item, each resting on audit events of the chain', () => {
    expect(report.statements.map((s) => s.item)).toEqual([...REPORT_ITEMS]);
    expect(report).toMatchObject({ required: true, complete: true, auditHead: events[events.length - 1].hash });
    for (const s of report.statements) {
      expect(s.evidence.length).toBeGreaterThan(0);
      for (const e of s.evidence) expect(events.find((x) => x.index === e.index)).toMatchObject({ type: e.type, hash: e.hash });
    }
  });

  it('states the subject and value, who was tried, who was not and why, the winner and why', () => {
    expect(item('authority_subject_value').text).toContain('Föremål: Laboratoriereagenser 2027–2029. Uppskattat värde: 4 000 000 kr. Kontraktets värde: 3 900 000 kr');
    expect(item('authority_subject_value').evidence.map((e) => e.type)).toEqual(['tender.created', 'command.accepted']);
    expect(item('selected').text).toContain('Acme Lab AB (556000-0001), Nordic Reagents AB (556000-0002)');
    expect(item('not_accepted').text).toContain('efter anbudstidens utgång och inte prövades: Sen AB');
    expect(item('not_accepted').text).toContain('prövades men inte antogs: Nordic Reagents AB');
    expect(item('winner').text).toContain('Acme Lab AB (poäng 87). Skäl: Bäst förhållande mellan pris och kvalitet');
    expect(item('winner').evidence.map((e) => e.type)).toEqual(['command.accepted', 'gate.decided']);
  });

  it('gives the reason for not dividing into lots (4 kap. 14 §) and the conflict of interest with its measure', () => {
    expect(item('lots')).toMatchObject({ paragraph: '4 kap. 14 § LOU', text: expect.stringContaining('Skäl: En analysplattform') });
    expect(item('conflicts_of_interest').text).toContain('Erik Utvärderare: intressekonflikt anmäld (Tidigare anställd hos Acme Lab AB)');
    expect(item('conflicts_of_interest').text).toContain('Åtgärd: Erik Utvärderare togs bort från utvärderingen.');
    expect(item('conflicts_of_interest').evidence).toHaveLength(2);
  });

  it('below the threshold it says which documentation duty applies instead', () => {
    const national = buildIndividualReport({ ...state, regime: 'national' } as TenderState, events, '2026-11-29T10:00:00.000Z');
    expect(national).toMatchObject({ required: false, note: expect.stringContaining('19 kap. LOU') });
  });

  it('needs no more of the chain than REPORT_EVIDENCE names (AuditService.cited reads just those)', () => {
    // A long chain: questions and answers with their texts, notifications, a publication done twice.
    const long: AuditItem[] = [];
    n = 0;
    const noise = (k: number) => [
      cmd('askQuestion', { question: `Fråga ${k} ${'x'.repeat(5000)}` }),
      cmd('answerQuestion', { questionId: `Q${k}`, answer: `Svar ${k}` }),
      event('notification.queued', { k }),
    ];
    long.push(event('tender.created', { input: { id: state.id, title: state.title } }), cmd('completeNeedsAnalysis', {}), cmd('publish', { advertisingDatabase: 'TED' }));
    for (let k = 1; k <= 30; k++) long.push(...noise(k));
    long.push(cmd('publish', { advertisingDatabase: 'e-Avrop' }), cmd('recordOpening', {}));
    long.push(cmd('declareConflict', { hasConflict: false, statement: 'Inga band' }), cmd('declareConflict', { hasConflict: true, statement: 'Tidigare anställd hos Acme Lab AB' }));
    long.push(cmd('submitEvaluation', {}), cmd('decideGate', { gate: 'award_decision', decision: 'approve' }, 'gate.decided'), cmd('registerContract', {}), ...noise(31));
    // What the statement selects: the types, the last of each `last` command, every `every` command, the newest event.
    const name = (e: AuditItem) => (e.type === 'command.accepted' || e.type === 'gate.decided' ? (e.payload as { command: string }).command : undefined);
    const cited = long.filter(
      (e, i) =>
        (REPORT_EVIDENCE.types as readonly string[]).includes(e.type) ||
        (REPORT_EVIDENCE.every as readonly string[]).includes(name(e) ?? '') ||
        ((REPORT_EVIDENCE.last as readonly string[]).includes(name(e) ?? '') && !long.slice(i + 1).some((x) => name(x) === name(e))) ||
        i === long.length - 1,
    );
    expect(cited.length).toBeLessThan(15);
    const now = '2026-11-29T10:00:00.000Z';
    expect(buildIndividualReport(state, cited, now)).toEqual(buildIndividualReport(state, long, now));
  });

  it('renders a Swedish PDF with every statement and its sources', async () => {
    const pdf = await renderIndividualReportPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Individuell rapport (12 kap. 15 § LOU)');
    for (const s of report.statements) expect(text).toContain(s.heading);
    expect(text).toContain('Skäl: Bäst förhållande mellan pris och kvalitet');
    expect(text).toContain('händelse 8 (gate.decided');
  });
});
