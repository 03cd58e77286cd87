import { followUpReport, type ReportContract } from './follow-up-report';

/** A contract of 3 900 000 kr from 2027-03-01, with two controls, a deviation, a change and an option used. */
const contract: ReportContract = {
  id: 'HSN-2026-00042-K1',
  tenderId: 'HSN-2026-00042',
  title: 'Laboratoriereagens',
  organization: 'HSN',
  supplier: 'Kemlab AB',
  startDate: '2027-03-01',
  endDate: '2030-02-28',
  latestEndDate: '2031-02-28',
  signedAt: '2027-02-10',
  milestones: [
    {
      id: 'M3',
      kind: 'control',
      title: 'Control 1: K1 (document)',
      dueDate: '2027-06-01',
      status: 'done',
      control: { requirementId: 'K1', method: 'document' },
      completion: {
        outcome: 'deviation',
        note: 'Kvartalsrapporten saknas',
        at: '2027-06-02T08:00:00.000Z',
        severity: 'major',
        correctiveActionId: 'M9',
      },
    },
    {
      id: 'M4',
      kind: 'control',
      title: 'Control 2: K1 (document)',
      dueDate: '2027-09-01',
      status: 'overdue',
      control: { requirementId: 'K1', method: 'document' },
    },
    {
      id: 'M5',
      kind: 'control',
      title: 'Control 3: K1 (document)',
      dueDate: '2027-12-01',
      status: 'scheduled',
      control: { requirementId: 'K1', method: 'document' },
    },
    {
      id: 'M6',
      kind: 'control',
      title: 'Control 1: K2 (audit)',
      dueDate: '2028-03-01',
      status: 'scheduled',
      control: { requirementId: 'K2', method: 'audit', criterionId: '10137:2' },
    },
    {
      id: 'M9',
      kind: 'corrective_action',
      title: 'Corrective action after M3 (Control 1: K1 (document))',
      dueDate: '2027-06-20',
      status: 'done',
      correctiveFor: 'M3',
      completion: { outcome: 'ok', note: 'Rapporten inkom', at: '2027-06-18T10:00:00.000Z' },
    },
    {
      id: 'M10',
      kind: 'modification_notice',
      title: 'Notice of change C1 (17 kap. 16 § LOU)',
      dueDate: '2027-08-14',
      status: 'scheduled',
    },
  ],
  changes: [
    {
      id: 'C1',
      paragraph: '17 kap. 12 § LOU',
      valueChangeSek: 500_000,
      valueAfterSek: 4_400_000,
      description: 'Nya analyskrav',
      noticeMilestoneId: 'M10',
      at: '2027-07-15T09:00:00.000Z',
    },
  ],
  extensions: [{ extend: true, months: 12, from: '2029-02-28', to: '2030-02-28', at: '2028-08-20T09:00:00.000Z' }],
};

describe('the follow-up report', () => {
  it('counts the controls, the deviations and the changes as of a date, in Swedish', () => {
    const r = followUpReport(contract, '2027-09-15', 3_900_000);
    expect(r.controls).toEqual([
      { requirementId: 'K1', method: 'document', planned: 2, done: 1, deviations: 1, overdue: 1, next: '2027-12-01' },
      {
        requirementId: 'K2',
        method: 'audit',
        criterionId: '10137:2',
        planned: 0,
        done: 0,
        deviations: 0,
        overdue: 0,
        next: '2028-03-01',
      },
    ]);
    expect(r.value).toEqual({ signedSek: 3_900_000, asOfSek: 4_400_000 });
    expect(r.milestones).toEqual({ planned: 4, done: 2, overdue: 2, deviations: 1 });
    expect(r.extensions).toEqual([]); // decided after the date
    expect(r.text).toEqual([
      'Uppföljningsrapport för avtal HSN-2026-00042-K1 med Kemlab AB (Laboratoriereagens), HSN, per den 2027-09-15.',
      'Avtalsperiod 2027-03-01 – 2030-02-28, senast möjliga slutdag 2031-02-28; värde vid tecknandet 3 900 000 kr, per den 2027-09-15 4 400 000 kr.',
      'Kontroll av K1 (dokument): 2 planerade, 1 genomförda, 1 med avvikelse, 1 försenade; nästa 2027-12-01.',
      'Kontroll av K2 (revision, Upphandlingsmyndighetens kriterium 10137:2): 0 planerade, 0 genomförda, 0 med avvikelse, 0 försenade; nästa 2028-03-01.',
      'Alla uppföljningspunkter till och med 2027-09-15: 4 planerade, 2 genomförda, 2 försenade, 1 med avvikelse.',
      'Avvikelse i M3 (Kontroll 1: K1 (dokument)) den 2027-06-02, allvarlig: Kvartalsrapporten saknas. Korrigerande åtgärd M9, senast 2027-06-20: genomförd.',
      'Ändring C1 den 2027-07-15 enligt 17 kap. 12 § LOU: Nya analyskrav; värdet ökat med 500 000 kr till 4 400 000 kr; annons om ändringen senast 2027-08-14.',
    ]);
  });

  it('leaves out what happened after the date', () => {
    const early = followUpReport(contract, '2027-06-01', 3_900_000);
    expect(early.deviations).toEqual([]);
    expect(early.changes).toEqual([]);
    expect(early.value.asOfSek).toBe(3_900_000);
    expect(early.controls[0]).toMatchObject({ planned: 1, done: 0, overdue: 0 });
    expect(early.text).toContain('Inga ändringar av avtalet.');
    const late = followUpReport(contract, '2028-09-01', 3_900_000);
    expect(late.text.at(-1)).toBe('Förlängning enligt option den 2028-08-20: 2029-02-28 – 2030-02-28 (12 månader).');
  });

  it('says what was decided on the sanctions a major deviation put to a decision, and a termination', () => {
    const sanctioned: ReportContract = {
      ...contract,
      terminatedOn: '2027-08-01',
      milestones: [
        ...contract.milestones.map((m) =>
          m.id === 'M3' ? { ...m, completion: { ...m.completion!, sanctionDecisionId: 'M11' } } : m,
        ),
        {
          id: 'M11',
          kind: 'sanction_decision',
          title: 'Sanction decision after M3 (Control 1: K1 (document))',
          dueDate: '2027-07-02',
          status: 'done',
          completion: {
            outcome: 'ok',
            note: 'Vite enligt AV 14.2',
            at: '2027-06-25T09:00:00.000Z',
            sanction: { decision: 'impose', kind: 'penalty', amountSek: 40_000 },
          },
        },
      ],
    };
    const before = followUpReport(sanctioned, '2027-06-20', 3_900_000);
    expect(before.deviations[0].sanctionDecision).toEqual({ id: 'M11', dueDate: '2027-07-02' });
    expect(before.text).toContain(
      'Avvikelse i M3 (Kontroll 1: K1 (dokument)) den 2027-06-02, allvarlig: Kvartalsrapporten saknas. Korrigerande åtgärd M9, senast 2027-06-20: genomförd. Beslut om sanktion M11, senast 2027-07-02: inte fattat.',
    );
    const after = followUpReport(sanctioned, '2027-09-15', 3_900_000);
    expect(after.deviations[0].sanctionDecision).toEqual({
      id: 'M11',
      dueDate: '2027-07-02',
      decided: { decision: 'impose', kind: 'penalty', amountSek: 40_000, on: '2027-06-25' },
    });
    expect(after.text).toContain(
      'Avvikelse i M3 (Kontroll 1: K1 (dokument)) den 2027-06-02, allvarlig: Kvartalsrapporten saknas. Korrigerande åtgärd M9, senast 2027-06-20: genomförd. Beslut om sanktion M11 den 2027-06-25: vite 40 000 kr.',
    );
    expect(after.text.at(-1)).toBe('Avtalet hävdes som sanktion den 2027-08-01.');
  });
});
