import {
  checkContractDates,
  checkContractRegistration,
  checkContractTerm,
  directAwardRationale,
  MAX_CONTRACT_TERM_MONTHS,
  type ContractRegistrationInput,
} from './contract-rules';
import { stockholmDate } from './dates';

/** A competed framework agreement, awarded on 2026-11-02 by an approver with a 5 MSEK limit; standstill to 2026-11-12. */
const base: ContractRegistrationInput = {
  contract: {
    valueSek: 3_900_000,
    startDate: '2027-01-01',
    endDate: '2028-12-31',
    signedAt: '2026-11-16',
    options: [{ months: 24 }],
  },
  today: '2026-11-20',
  frameworkAgreement: true,
  award: {
    gate: 'award_decision',
    decidedOn: '2026-11-02',
    decidedBy: 'Bo Beslutsfattare',
    approvedValueSek: 4_000_000,
    approverLimitSek: 5_000_000,
  },
  standstill: { lastDay: '2026-11-12', basis: '20 kap. 1 § LOU' },
};
const rules = (
  over: Partial<ContractRegistrationInput> = {},
  contract: Partial<ContractRegistrationInput['contract']> = {},
) => checkContractRegistration({ ...base, ...over, contract: { ...base.contract, ...contract } }).map((v) => v.rule);

describe('contract registration rules', () => {
  it('accepts a contract that fits its award', () => {
    expect(rules()).toEqual([]);
  });

  describe('dates', () => {
    it('the contract ends on or after it starts, and was signed by its end', () => {
      expect(checkContractDates({ startDate: '2027-01-01', endDate: '2026-12-31', signedAt: '2026-11-16' })).toEqual([
        expect.objectContaining({ rule: 'contract_dates', field: 'endDate' }),
      ]);
      expect(checkContractDates({ startDate: '2027-01-01', endDate: '2027-01-01', signedAt: '2027-01-02' })).toEqual([
        expect.objectContaining({ rule: 'contract_dates', field: 'signedAt' }),
      ]);
      // A one-day contract signed on its day, and a retroactive start, are coherent.
      expect(checkContractDates({ startDate: '2027-01-01', endDate: '2027-01-01', signedAt: '2027-01-01' })).toEqual(
        [],
      );
      expect(checkContractDates({ startDate: '2026-10-01', endDate: '2027-09-30', signedAt: '2026-11-16' })).toEqual(
        [],
      );
      // Malformed dates are someone else's to name.
      expect(checkContractDates({ startDate: '2027-02-30', endDate: '2026-01-01', signedAt: 'x' })).toEqual([]);
    });

    it('stops at incoherent dates: the other rules need them', () => {
      expect(rules({}, { endDate: '2026-01-01', valueSek: 9e9 })).toEqual(['contract_dates', 'contract_dates']);
    });
  });

  it('signedAt may not be in the future: today is allowed, tomorrow not', () => {
    expect(rules({}, { signedAt: '2026-11-20' })).toEqual([]);
    expect(rules({}, { signedAt: '2026-11-21' })).toEqual(['signed_in_future']);
    expect(rules({}, { signedAt: '2030-01-01', endDate: '2030-12-31', startDate: '2030-01-01' })).toEqual([
      'signed_in_future',
    ]);
  });

  it('signedAt may not be before the award decision', () => {
    const [v] = checkContractRegistration({ ...base, contract: { ...base.contract, signedAt: '2026-11-01' } });
    expect(v).toMatchObject({ rule: 'signed_before_award', field: 'signedAt', paragraph: '20 kap. 1 § LOU' });
    expect(v.message).toContain('2026-11-02');
    // A direct award: the decision to procure, and no standstill; the day of the decision is fine.
    const direct = {
      award: { ...base.award!, gate: 'decision_to_procure' as const },
      standstill: null,
      frameworkAgreement: false,
    };
    expect(rules(direct, { signedAt: '2026-11-02' })).toEqual([]);
    const [d] = checkContractRegistration({
      ...base,
      ...direct,
      contract: { ...base.contract, signedAt: '2026-11-01' },
    });
    expect(d).toMatchObject({ rule: 'signed_before_award', paragraph: 'organisationens delegationsordning' });
  });

  it('signedAt may not fall within the standstill: its last day is still inside (20 kap. 1 § LOU)', () => {
    // Award notice sent 2026-11-02, 10 days: the standstill runs to the end of 2026-11-12.
    expect(rules({}, { signedAt: '2026-11-12' })).toEqual(['signed_during_standstill']);
    expect(rules({}, { signedAt: '2026-11-05' })).toEqual(['signed_during_standstill']);
    expect(rules({}, { signedAt: '2026-11-13' })).toEqual([]);
    const [v] = checkContractRegistration({
      ...base,
      standstill: { lastDay: '2027-02-15', basis: '20 kap. 10 § LOU' },
      today: '2027-03-01',
      contract: { ...base.contract, signedAt: '2027-02-15' },
    });
    expect(v).toMatchObject({
      rule: 'signed_during_standstill',
      paragraph: '20 kap. 10 § LOU',
      details: { earliest: '2027-02-16' },
    });
  });

  it('the value may not pass the approved value plus the policy tolerance (default 0 %)', () => {
    expect(rules({}, { valueSek: 4_000_000 })).toEqual([]);
    expect(rules({}, { valueSek: 4_000_001 })).toEqual(['contract_value_above_award']);
    // 5 %: 4 200 000 is allowed, one krona more is not.
    expect(rules({ valueTolerancePercent: 5 }, { valueSek: 4_200_000 })).toEqual([]);
    const [v] = checkContractRegistration({
      ...base,
      valueTolerancePercent: 5,
      contract: { ...base.contract, valueSek: 4_200_001 },
    });
    expect(v).toMatchObject({
      rule: 'contract_value_above_award',
      field: 'valueSek',
      details: { allowedSek: 4_200_000, tolerancePercent: 5 },
    });
    expect(v.message).toContain('4 200 000 SEK');
  });

  it('the value must lie within the approval limit of the person who approved the award', () => {
    // The case: approved by someone with a 100 000 SEK limit, a 900 MSEK contract.
    const small = { award: { ...base.award!, approvedValueSek: 90_000, approverLimitSek: 100_000 } };
    expect(rules(small, { valueSek: 900_000_000 })).toEqual([
      'contract_value_above_award',
      'contract_value_above_approval_limit',
    ]);
    // With a 20 % tolerance, 108 000 is within the award's margin but above the approver's 100 000.
    const [v] = checkContractRegistration({
      ...base,
      ...small,
      valueTolerancePercent: 20,
      contract: { ...base.contract, valueSek: 108_000 },
    });
    expect(v).toMatchObject({
      rule: 'contract_value_above_approval_limit',
      details: { approverLimitSek: 100_000, decidedBy: 'Bo Beslutsfattare' },
    });
    expect(rules({ ...small, valueTolerancePercent: 20 }, { valueSek: 100_000 })).toEqual([]);
  });

  it('a framework agreement runs at most 48 months with its options unless special reasons are recorded (7 kap. 2 § LOU)', () => {
    // 2027-01-01 to 2028-12-31 is 24 months; with 24 months of options, exactly 48.
    expect(rules()).toEqual([]);
    expect(rules({}, { endDate: '2029-01-01' })).toEqual(['framework_term_exceeded']);
    expect(rules({}, { options: [{ months: 25 }] })).toEqual(['framework_term_exceeded']);
    expect(rules({}, { endDate: '2030-12-31', specialReasons: 'Analysers written off over six years' })).toEqual([]);
    // Not a framework agreement: no such limit.
    expect(rules({ frameworkAgreement: false }, { endDate: '2031-12-31' })).toEqual([]);
  });

  it('reports every broken rule, in order', () => {
    expect(rules({}, { signedAt: '2026-11-25', valueSek: 6_000_000, endDate: '2030-12-31' })).toEqual([
      'signed_in_future',
      'contract_value_above_award',
      'contract_value_above_approval_limit',
      'framework_term_exceeded',
    ]);
  });
});

describe('directAwardRationale', () => {
  it('says what the figures say: below, at or above the limit, and whose value', () => {
    expect(directAwardRationale(240_000, 'contract', 700_000)).toBe(
      'Direktupphandling (19 a kap. 2 § LOU). Kontraktets värde, 240 000 SEK, understiger direktupphandlingsgränsen 700 000 SEK.',
    );
    expect(directAwardRationale(699_999, 'estimate', 700_000)).toContain(
      'Det uppskattade värdet, 699 999 SEK, understiger direktupphandlingsgränsen 700 000 SEK',
    );
    expect(directAwardRationale(700_000, 'contract', 700_000)).toContain(
      '700 000 SEK, understiger inte direktupphandlingsgränsen',
    );
    expect(directAwardRationale(50_000, 'contract', null)).toBe(
      'Direktupphandling (19 a kap. 2 § LOU). Kontraktets värde: 50 000 SEK.',
    );
    expect(
      directAwardRationale(1_200_000, 'contract', 700_000, {
        paragraph: '19 a kap. 6 § LOU',
        label: 'under överprövning',
      }),
    ).toBe('Direktupphandling (19 a kap. 6 § LOU): under överprövning. Kontraktets värde: 1 200 000 SEK.');
  });
});

describe('stockholmDate', () => {
  it('is the day in Sweden: an evening in UTC is already tomorrow there, in winter and in summer', () => {
    expect(stockholmDate(Date.parse('2026-11-12T22:59:59Z'))).toBe('2026-11-12');
    expect(stockholmDate(Date.parse('2026-11-12T23:00:00Z'))).toBe('2026-11-13');
    expect(stockholmDate('2026-06-30T21:59:59Z')).toBe('2026-06-30');
    expect(stockholmDate('2026-06-30T22:00:00Z')).toBe('2026-07-01');
  });
});

/** The contract's whole term: within what the tender declared, never past the policy's 600 months. */
describe('checkContractTerm', () => {
  const declared = { termMonths: 24, optionMonths: 24 };
  const term = (
    endDate: string,
    optionMonths = 24,
    d: { termMonths: number; optionMonths: number } | null = declared,
  ) =>
    checkContractTerm({
      contract: { startDate: '2027-01-01', endDate, options: optionMonths ? [{ months: optionMonths }] : [] },
      ...(d ? { declared: d } : {}),
    }).map((v) => v.rule);

  it('takes 2027-01-01–2028-12-31 with 24 months of options (24 + 24 declared), and refuses a day more', () => {
    expect(term('2028-12-31')).toEqual([]);
    expect(term('2029-01-01')).toEqual(['contract_term_beyond_declared']);
  });

  it('counts the contract options against the declared ones: 36 months of options on 24 + 24 is longer', () => {
    expect(term('2028-12-31', 36)).toEqual(['contract_term_beyond_declared']);
    expect(term('2027-12-31', 36)).toEqual([]);
  });

  it('refuses 9999-12-31 and 9000-12-31 as past the maximum, whatever was declared (and without a declared term)', () => {
    expect(term('9999-12-31')).toEqual(['contract_term_limit']);
    expect(term('9000-12-31', 0, null)).toEqual(['contract_term_limit']);
    const [v] = checkContractTerm({ contract: { startDate: '2027-01-01', endDate: '9999-12-31' } });
    expect(v).toMatchObject({ field: 'endDate', details: { maxMonths: MAX_CONTRACT_TERM_MONTHS } });
  });

  it('takes exactly 600 months without a declared term (2027-01-01–2076-12-31), not a day more', () => {
    expect(term('2076-12-31', 0, null)).toEqual([]);
    expect(term('2077-01-01', 0, null)).toEqual(['contract_term_limit']);
  });
});
