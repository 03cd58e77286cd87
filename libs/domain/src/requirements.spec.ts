import { requirementProblems, scoringConflict, type RequirementInput } from './requirements';

const criterion = (weight: number | undefined, lot?: string, maxDeductionSek?: number): RequirementInput => ({
  kind: 'award_criterion',
  text: 'Kvalitet',
  reference: 'U1',
  ...(lot ? { lot } : {}),
  scoring: {
    maxScore: 5,
    ...(weight !== undefined ? { weight } : {}),
    ...(maxDeductionSek ? { maxDeductionSek } : {}),
  },
});

describe('the requirements register’s rules', () => {
  it('names the field of a requirement that breaks a rule', () => {
    expect(requirementProblems(criterion(25), ['Kemi'])).toBeNull();
    expect(requirementProblems(criterion(25, 'Mikro'), ['Kemi'])).toMatchObject({ field: 'lot' });
    expect(requirementProblems({ ...criterion(25), scoring: undefined }, [])).toMatchObject({ field: 'scoring' });
    expect(requirementProblems({ kind: 'contract_condition', text: 'Euro VI', reference: 'KV 7' }, [])).toMatchObject({
      field: 'followUp',
    });
  });

  it('keeps one model per lot and the quality weights below 100 together (a criterion without a lot counts at every lot)', () => {
    const registered = [
      { ...criterion(30), withdrawn: undefined },
      { ...criterion(40, 'Kemi') },
      { ...criterion(50, 'Hematologi'), withdrawn: { at: 'x' } },
    ];
    // Kemi: 30 + 40 + 25 = 95 — fits; + 30 = 100 — the price would get nothing.
    expect(scoringConflict(registered, criterion(25, 'Kemi'))).toBeNull();
    expect(scoringConflict(registered, criterion(30, 'Kemi'))).toMatchObject({ rule: 'award_weights_total' });
    // Hematologi: the withdrawn 50 does not count: 30 + 60 = 90.
    expect(scoringConflict(registered, criterion(60, 'Hematologi'))).toBeNull();
    // A criterion of the whole procurement meets Kemi's 40 too: 30 + 40 + 30 = 100.
    expect(scoringConflict(registered, criterion(30))).toMatchObject({ rule: 'award_weights_total' });
    expect(scoringConflict(registered, criterion(undefined, 'Kemi', 100_000))).toMatchObject({
      rule: 'award_model_mixed',
    });
  });
});
