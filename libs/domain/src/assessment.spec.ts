import {
  abnormallyLowCheckProblem,
  assessmentProblem,
  failures,
  requirementsFor,
  type TenderAssessmentInput,
} from './assessment';

/** The assessment's rules (issue 30, part 2) on a tender with two lots and three mandatory requirements. */
const ctx = {
  tenderers: [
    { supplier: 'Kemlab AB', lots: ['Kemi'] },
    { supplier: 'Hemo AB', lots: ['Hematologi'] },
    { supplier: 'Allt AB' },
  ],
  mandatory: [{ id: 'K1' }, { id: 'K2', lot: 'Kemi' }, { id: 'K3', lot: 'Hematologi' }],
  lots: ['Kemi', 'Hematologi'],
  today: '2026-10-15',
};
const admitted = (supplier: string, ids: string[]): TenderAssessmentInput => ({
  supplier,
  exclusion: { groundFound: false },
  qualification: { met: true },
  requirements: ids.map((requirementId) => ({ requirementId, met: true })),
  result: 'admitted',
});

describe('the assessment of a tender', () => {
  it('asks each tender the requirements of the whole procurement and of the lots it tendered for', () => {
    expect(requirementsFor(ctx.mandatory, ['Kemi']).map((r) => r.id)).toEqual(['K1', 'K2']);
    expect(requirementsFor(ctx.mandatory, ['Hematologi']).map((r) => r.id)).toEqual(['K1', 'K3']);
    // A tender without lots listed is for everything.
    expect(requirementsFor(ctx.mandatory, undefined).map((r) => r.id)).toEqual(['K1', 'K2', 'K3']);
    expect(assessmentProblem(admitted('Kemlab AB', ['K1', 'K2']), ctx)).toBeNull();
    expect(assessmentProblem(admitted('Allt AB', ['K1', 'K2', 'K3']), ctx)).toBeNull();
  });

  it('names what is unanswered, answered twice, or not a requirement of the tender', () => {
    expect(assessmentProblem(admitted('Allt AB', ['K1']), ctx)).toMatchObject({
      type: 'RuleViolation',
      rule: 'requirements_unanswered',
      message: expect.stringContaining('K2, K3 are not'),
    });
    expect(assessmentProblem(admitted('Kemlab AB', ['K1', 'K3']), ctx)).toMatchObject({
      field: 'requirements[1].requirementId',
      rule: 'not_a_mandatory_requirement',
    });
    expect(assessmentProblem(admitted('Kemlab AB', ['K1', 'K1', 'K2']), ctx)).toMatchObject({
      type: 'BadRequest',
      field: 'requirements[1].requirementId',
    });
    expect(assessmentProblem(admitted('Sen AB', ['K1']), ctx)).toMatchObject({ rule: 'supplier_not_a_tenderer' });
  });

  it('admits only a tender that fails nothing; a rejection says why', () => {
    const failing: TenderAssessmentInput = {
      ...admitted('Kemlab AB', ['K1']),
      exclusion: { groundFound: true, note: 'Tax debt' },
      qualification: { met: false },
      requirements: [
        { requirementId: 'K1', met: true },
        { requirementId: 'K2', met: false },
      ],
      abnormallyLow: [
        { lot: 'Kemi', explanationRequestedOn: '2026-10-01', outcome: 'rejected', reason: 'No explanation came' },
      ],
    };
    expect(failures(failing)).toEqual([
      'an exclusion ground was found',
      'the qualification is not met',
      'requirement K2 is not met',
      'the abnormally low price for Kemi was rejected',
    ]);
    expect(assessmentProblem(failing, ctx)).toMatchObject({ rule: 'admitted_with_failure', field: 'result' });
    expect(assessmentProblem({ ...failing, result: 'rejected' }, ctx)).toMatchObject({ field: 'reason' });
    expect(assessmentProblem({ ...failing, result: 'rejected', reason: 'K2 and the price' }, ctx)).toBeNull();
    // Rejected for a reason the facts do not list (a reservation), written down.
    expect(
      assessmentProblem({ ...admitted('Kemlab AB', ['K1', 'K2']), result: 'rejected', reason: 'A reservation' }, ctx),
    ).toBeNull();
  });

  it('checks the abnormally low price’s dates: not in the future, the explanation not before it was asked for', () => {
    const low = (x: object): TenderAssessmentInput => ({
      ...admitted('Kemlab AB', ['K1', 'K2']),
      abnormallyLow: [{ explanationRequestedOn: '2026-10-05', outcome: 'accepted', reason: 'Explained', ...x }],
    });
    expect(assessmentProblem(low({}), ctx)).toBeNull();
    expect(assessmentProblem(low({ explanationRequestedOn: '2026-10-16' }), ctx)).toMatchObject({
      rule: 'date_in_future',
    });
    expect(assessmentProblem(low({ explanationReceivedOn: '2026-10-04' }), ctx)).toMatchObject({
      field: 'abnormallyLow[0].explanationReceivedOn',
    });
    expect(assessmentProblem(low({ lot: 'Hematologi' }), ctx)).toMatchObject({ field: 'abnormallyLow[0].lot' });
    expect(assessmentProblem(low({ explanationRequestedOn: '5 oktober' }), ctx)).toMatchObject({
      field: 'abnormallyLow[0].explanationRequestedOn',
    });
  });

  it('one check of an abnormally low price, as the evaluation’s list also takes it', () => {
    const check = { explanationRequestedOn: '2026-10-05', outcome: 'rejected' as const, reason: 'Below cost' };
    expect(abnormallyLowCheckProblem(check, 'abnormallyLow[2]', '2026-10-05')).toBeNull();
    expect(abnormallyLowCheckProblem(check, 'abnormallyLow[2]', '2026-10-04')).toEqual({
      type: 'RuleViolation',
      rule: 'date_in_future',
      field: 'abnormallyLow[2].explanationRequestedOn',
      message: 'abnormallyLow[2].explanationRequestedOn: 2026-10-05 is after today.',
    });
    expect(abnormallyLowCheckProblem({ ...check, reason: '   ' }, 'x', '2026-10-15')).toMatchObject({
      type: 'BadRequest',
      field: 'x.reason',
    });
    expect(abnormallyLowCheckProblem({ ...check, explanation: 'e'.repeat(10_001) }, 'x', '2026-10-15')).toMatchObject({
      field: 'x.explanation',
    });
    expect(
      abnormallyLowCheckProblem({ ...check, outcome: 'maybe' as unknown as 'rejected' }, 'x', '2026-10-15'),
    ).toMatchObject({ field: 'x.outcome' });
  });
});
