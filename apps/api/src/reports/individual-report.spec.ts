import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { pdfText } from '../../../../test/support/pdf-text';
import { AuditItem, buildIndividualReport, REPORT_EVIDENCE, REPORT_ITEMS } from './individual-report';
import { renderIndividualReportPdf } from './individual-report.pdf';
import { directAwardRecord } from '../../../../test/support/direct-award-record';

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
  publication: {
    sentAt: '2026-08-10T08:00:00.000Z',
    advertisingDatabase: 'e-Avrop',
    electronicSubmission: true,
    priorInformationNotice: false,
    urgent: false,
  },
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
      declaration: {
        hasConflict: true,
        statement: 'Tidigare anställd hos Acme Lab AB',
        at: '2026-09-15T09:05:00.000Z',
      },
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
      for (const e of s.evidence)
        expect(events.find((x) => x.index === e.index)).toMatchObject({ type: e.type, hash: e.hash });
    }
  });

  it('states the subject and value, who was tried, who was not and why, the winner and why', () => {
    expect(item('authority_subject_value').text).toContain(
      'Föremål: Laboratoriereagenser 2027–2029. Uppskattat värde: 4 000 000 kr. Kontraktets värde: 3 900 000 kr',
    );
    expect(item('authority_subject_value').evidence.map((e) => e.type)).toEqual(['tender.created', 'command.accepted']);
    expect(item('selected').text).toContain('Acme Lab AB (556000-0001), Nordic Reagents AB (556000-0002)');
    expect(item('not_accepted').text).toContain('efter anbudstidens utgång och inte prövades: Sen AB');
    expect(item('not_accepted').text).toContain('prövades men inte antogs: Nordic Reagents AB');
    expect(item('winner').text).toContain('Acme Lab AB (poäng 87). Skäl: Bäst förhållande mellan pris och kvalitet');
    expect(item('winner').evidence.map((e) => e.type)).toEqual(['command.accepted', 'gate.decided']);
  });

  it('a tender rejected in the assessment is named with the reason the assessment recorded, citing it', () => {
    const assessedEvent = event('tender.assessed', { command: 'assessTender', payload: {} });
    const withAssessments = {
      ...state,
      assessments: [
        {
          supplier: 'Nordic Reagents AB',
          exclusion: { groundFound: false },
          qualification: { met: true },
          requirements: [{ requirementId: 'K1', met: false, note: 'Omsättning 4 MSEK' }],
          abnormallyLow: [
            {
              explanationRequestedOn: '2026-09-16',
              explanationReceivedOn: '2026-09-18',
              outcome: 'accepted' as const,
              explanation: 'Egen tillverkning',
              reason: 'Förklaringen visar priset',
            },
          ],
          result: 'rejected' as const,
          reason: 'Ska-krav K1 uppfylls inte',
          assessedBy: person('anna', 'Anna'),
          assessedAt: '2026-09-16T08:00:00.000Z',
        },
      ],
    } as TenderState;
    const r = buildIndividualReport(
      withAssessments,
      [...events.slice(0, -1), assessedEvent, events[events.length - 1]],
      '2026-11-29T10:00:00.000Z',
    );
    const notAccepted = r.statements.find((x) => x.item === 'not_accepted')!;
    expect(notAccepted.text).toContain(
      'förkastades vid prövningen: Nordic Reagents AB (skäl: Ska-krav K1 uppfylls inte)',
    );
    expect(notAccepted.text).not.toContain('prövades men inte antogs: Nordic Reagents AB');
    expect(notAccepted.evidence.map((e) => e.type)).toContain('tender.assessed');
    const low = r.statements.find((x) => x.item === 'abnormally_low')!;
    expect(low.text).toContain(
      'Nordic Reagents AB: förklaring begärd 2026-09-16, inkom 2026-09-18 (Egen tillverkning); förklaringen godtogs',
    );
  });

  it('an award approved with red flags names them and the approver’s justification, citing the event', () => {
    const justified = event('award.red_flags_justified', {
      redFlags: [{ code: 'R018', value: 1 }],
      justification: 'Marknaden har en leverantör',
    });
    const flagged = {
      ...state,
      gateDecisions: [
        {
          gate: 'award_decision',
          decision: 'approve',
          decidedBy: person('bo', 'Bo'),
          redFlags: [{ code: 'R018', value: 1 }],
          justification: 'Marknaden har en leverantör',
          at: '2026-10-01T08:00:00.000Z',
        },
      ],
    } as TenderState;
    const r = buildIndividualReport(
      flagged,
      [...events.slice(0, -1), justified, events[events.length - 1]],
      '2026-11-29T10:00:00.000Z',
    );
    const winner = r.statements.find((x) => x.item === 'winner')!;
    expect(winner.text).toContain(
      'Varningsflaggor när tilldelningen begärdes: R018 endast ett anbud. Beslutsfattarens motivering: Marknaden har en leverantör',
    );
    expect(winner.evidence.map((e) => e.type)).toEqual([
      'command.accepted',
      'gate.decided',
      'award.red_flags_justified',
    ]);
    expect(item('winner').text).not.toContain('Varningsflaggor');
  });

  it('gives the reason for not dividing into lots (4 kap. 14 §) and the conflict of interest with its measure', () => {
    expect(item('lots')).toMatchObject({
      paragraph: '4 kap. 14 § LOU',
      text: expect.stringContaining('Skäl: En analysplattform'),
    });
    expect(item('conflicts_of_interest').text).toContain(
      'Erik Utvärderare: intressekonflikt anmäld (Tidigare anställd hos Acme Lab AB)',
    );
    expect(item('conflicts_of_interest').text).toContain('Åtgärd: Erik Utvärderare togs bort från utvärderingen.');
    expect(item('conflicts_of_interest').evidence.map((e) => e.type)).toEqual([
      'tender.created',
      'command.accepted',
      'command.accepted',
    ]);
  });

  it('below the threshold it says which documentation duty applies instead', () => {
    const national = buildIndividualReport(
      { ...state, regime: 'national' } as TenderState,
      events,
      '2026-11-29T10:00:00.000Z',
    );
    expect(national).toMatchObject({ required: false, note: expect.stringContaining('19 kap. 22 § LOU') });
    // Bilaga 2 services below the threshold are documented with the individual report (19 kap. 22 § andra stycket).
    const social = buildIndividualReport(
      { ...state, regime: 'national', contractType: 'social_services' } as TenderState,
      events,
      '2026-11-29T10:00:00.000Z',
    );
    expect(social).toMatchObject({ required: true, note: expect.stringContaining('19 kap. 22 § andra stycket') });
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
    long.push(
      event('tender.created', { input: { id: state.id, title: state.title } }),
      cmd('completeNeedsAnalysis', {}),
      cmd('publish', { advertisingDatabase: 'TED' }),
    );
    for (let k = 1; k <= 30; k++) long.push(...noise(k));
    long.push(cmd('publish', { advertisingDatabase: 'e-Avrop' }), cmd('recordOpening', {}));
    long.push(
      cmd('declareConflict', { hasConflict: false, statement: 'Inga band' }),
      cmd('declareConflict', { hasConflict: true, statement: 'Tidigare anställd hos Acme Lab AB' }),
    );
    long.push(
      cmd('submitEvaluation', {}),
      cmd('decideGate', { gate: 'award_decision', decision: 'approve' }, 'gate.decided'),
      cmd('registerContract', {}),
      ...noise(31),
    );
    // What the statement selects: the types, the last of each `last` command, every `every` command, the newest event.
    const name = (e: AuditItem) =>
      e.type === 'command.accepted' || e.type === 'gate.decided'
        ? (e.payload as { command: string }).command
        : undefined;
    const cited = long.filter(
      (e, i) =>
        (REPORT_EVIDENCE.types as readonly string[]).includes(e.type) ||
        (REPORT_EVIDENCE.every as readonly string[]).includes(name(e) ?? '') ||
        ((REPORT_EVIDENCE.last as readonly string[]).includes(name(e) ?? '') &&
          !long.slice(i + 1).some((x) => name(x) === name(e))) ||
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
    expect(text).toContain('Individuell rapport (12 kap. 15–16 §§ LOU)');
    for (const s of report.statements) expect(text).toContain(s.heading);
    expect(text).toContain('Skäl: Bäst förhållande mellan pris och kvalitet');
    expect(text).toContain('händelse 8 (gate.decided');
  });
});

describe('individual report: only recorded facts (LOU-2026.3)', () => {
  const now = '2026-12-04T10:00:00.000Z';
  const item = (r: ReturnType<typeof buildIndividualReport>, k: string) => r.statements.find((s) => s.item === k)!;
  const authority = {
    name: 'Hälso- och sjukvårdsnämnden',
    orgNumber: '232100-0016',
    address: { street: 'Box 22550', postalCode: '104 22', city: 'Stockholm' },
    updatedAt: '2026-12-01T08:00:00.000Z',
  };

  it('names the authority, its number and address from the register, and says when the register has none', () => {
    const withRegister = buildIndividualReport(state, events, now, authority);
    expect(item(withRegister, 'authority_subject_value')).toMatchObject({
      paragraph: '16 § första stycket 1 upphandlingsförordningen (2016:1162)',
      text: expect.stringContaining('Hälso- och sjukvårdsnämnden (org.nr 232100-0016), Box 22550, 104 22 Stockholm'),
      register: { organization: 'HSN', updatedAt: '2026-12-01T08:00:00.000Z' },
    });
    expect(item(buildIndividualReport(state, events, now), 'authority_subject_value').text).toContain(
      'inte registrerat i ärendet i organisationsregistret',
    );
    expect(item(buildIndividualReport(state, events, now), 'authority_subject_value').text).not.toContain(
      'adressen förs inte',
    );
  });

  it('subcontracting and abnormally low tenders: "not recorded" until recorded, then the recorded facts', () => {
    const plain = buildIndividualReport(state, events, now, authority);
    expect(item(plain, 'subcontracting').text).toBe('Andel och underleverantörer: inte registrerat i ärendet.');
    expect(item(plain, 'abnormally_low').text).toBe('Utvärderingen är inte klar.');
    const recorded = {
      ...state,
      evaluation: {
        proposals: [{ supplier: 'Acme Lab AB', reasons: 'Bäst' }],
        abnormallyLow: [
          {
            supplier: 'Nordic Reagents AB',
            explanationRequestedOn: '2026-09-16',
            explanationReceivedOn: '2026-09-18',
            explanation: 'Lagerrensning',
            outcome: 'rejected',
            reason: 'Priset under självkostnad utan godtagbar förklaring',
          },
        ],
        submittedBy: person('anna', 'Anna'),
        submittedAt: '2026-09-19T08:00:00.000Z',
      },
      contract: {
        ...state.contract!,
        subcontracting: { sharePercent: 20, subcontractors: [{ name: 'Kyltransport AB', orgNumber: '556000-0003' }] },
      },
    } as TenderState;
    const r = buildIndividualReport(recorded, events, now, authority);
    expect(item(r, 'subcontracting').text).toBe(
      'Andel som leverantören avser att lägga ut på andra: 20 %. Underleverantörer: Kyltransport AB (556000-0003).',
    );
    expect(item(r, 'abnormally_low')).toMatchObject({
      paragraph: '12 kap. 16 § första stycket 1 LOU',
      text: expect.stringContaining(
        'Nordic Reagents AB: förklaring begärd 2026-09-16, inkom 2026-09-18 (Lagerrensning); anbudet förkastades. Skäl: Priset under självkostnad',
      ),
    });
    expect(item(r, 'not_accepted').text).toContain('förkastades som onormalt låga: Nordic Reagents AB');
    expect(item(r, 'not_accepted').text).not.toContain('prövades men inte antogs: Nordic Reagents AB');
    // An evaluation that checked nothing says what it recorded, not that nothing was rejected in the world.
    const none = buildIndividualReport(
      { ...recorded, evaluation: { ...recorded.evaluation!, abnormallyLow: undefined } } as TenderState,
      events,
      now,
    );
    expect(item(none, 'abnormally_low').text).toBe(
      'Utvärderingen registrerade ingen kontroll av onormalt låga anbud och inget förkastat anbud.',
    );
  });

  it('a call-off with renewed competition needs its report; one without does not (12 kap. 15 § andra stycket)', () => {
    const callOff = { ...state, regime: 'framework_call_off', procedure: 'call_off' } as TenderState;
    expect(buildIndividualReport({ ...callOff, renewedCompetition: true }, events, now)).toMatchObject({
      required: true,
      note: expect.stringContaining('7 kap. 7–8 §§'),
    });
    expect(buildIndividualReport(callOff, events, now)).toMatchObject({
      required: false,
      note: expect.stringContaining('7 kap. 4 eller 6 §'),
    });
  });

  it('a direct award is documented under 19 a kap. 11 §: the items of its record, each citing the event that recorded it', async () => {
    n = 100;
    const direct = {
      ...state,
      regime: 'direct',
      procedure: 'direct_award',
      ruleSet: 'LOU-2026.3',
      estimatedValueSek: 650_000,
      opening: undefined,
      tendersReceived: [],
      evaluators: [],
      award: undefined,
      contract: { ...state.contract!, supplier: 'Fönsterputs AB', valueSek: 640_000 },
    } as TenderState;
    const record = {
      ...directAwardRecord,
      reason: 'Lägsta pris',
      authority: { name: 'Hälso- och sjukvårdsnämnden', orgNumber: '232100-0016' },
    };
    const directEvents = [
      event('tender.created', { input: { id: state.id } }),
      cmd('registerContract', {}),
      event('contract.direct_award_documented', { record }),
    ];
    const before = buildIndividualReport(direct, directEvents.slice(0, 2), now, authority);
    expect(before).toMatchObject({ kind: 'direct_award_documentation', required: true, complete: false });
    expect(before.statements.map((s) => s.item)).toEqual([
      'authority',
      'subject',
      'competition',
      'suppliers_asked',
      'winner',
      'value',
      'contract_dates',
    ]);
    expect(before.statements.find((s) => s.item === 'competition')!.text).toContain('ännu inte dokumenterat');
    const r = buildIndividualReport(direct, directEvents, now, authority);
    expect(r).toMatchObject({
      kind: 'direct_award_documentation',
      heading: 'Dokumentation av direktupphandling (19 a kap. 11 § LOU)',
      complete: true,
    });
    expect(item(r, 'authority').text).toBe(
      'Hälso- och sjukvårdsnämnden, org.nr 232100-0016 (enligt organisationsregistret när dokumentationen gjordes).',
    );
    expect(item(r, 'suppliers_asked').text).toContain('Antal anbud: 2 av 3 tillfrågade.');
    expect(item(r, 'winner').text).toBe('Fönsterputs AB, org.nr 556000-0004. Skäl: Lägsta pris.');
    expect(item(r, 'winner').evidence).toEqual([
      expect.objectContaining({ type: 'contract.direct_award_documented', index: 103 }),
    ]);
    expect(item(r, 'value').text).toContain('Kontraktets värde: 640 000 kr');
    for (const s of r.statements)
      expect(s.text).not.toMatch(/har inte annonserats|har inte öppnats|Inget tilldelningsbeslut/);
    const text = pdfText(await renderIndividualReportPdf(r)).replace(/\s+/g, ' ');
    expect(text).toContain('Dokumentation av direktupphandling (19 a kap. 11 § LOU)');
    expect(text).toContain('Antal anbud: 2 av 3 tillfrågade.');
  });
});
