import { endOfDayStockholmIso } from '@tenderflow/domain/calendar';
import { milestoneBasisSv, milestoneTitleSv } from '@tenderflow/domain/milestone-texts';
import { DEFAULT_FOLLOW_UP_POLICY, type ContractControl } from '@tenderflow/temporal-common/contract-types';
import {
  addMonths,
  correctiveAction,
  dueInstant,
  extensionDecision,
  initialPlan,
  nextOptionMonths,
  planningHorizon,
  recurringMilestones,
  reminderInstant,
  reprocurementAfterDecline,
  resolvePolicy,
  stockholmDate,
  type PlanContract,
} from './milestone-plan';

const policy = resolvePolicy(undefined);

/** A 2 + 1 + 1 year framework agreement, signed in January 2027. */
const framework: PlanContract = {
  signedAt: '2027-01-12',
  startDate: '2027-03-01',
  endDate: '2029-02-28',
  optionMonthsRemaining: 24,
  criticality: 'medium',
  labourConditionsRequired: true,
  sustainabilityCriteria: true,
  obligations: [
    { kind: 'post_award_notice', lastDay: '2027-02-11', basis: '10 kap. 4 § LOU' },
    { kind: 'documentation', lastDay: '2027-02-11', basis: '12 kap. 14–15 §§ LOU' },
  ],
};

const rows = (plan: { kind: string; dueDate: string; owner: string }[]) =>
  plan.map((m) => `${m.dueDate} ${m.kind} ${m.owner}`);

describe('milestone plan (pure, from the contract dates)', () => {
  it('plans the defaults of ARCHITECTURE §3 for a 2 + 1 + 1 framework agreement, medium criticality', () => {
    expect(rows(initialPlan(framework, policy))).toEqual([
      '2027-02-11 post_award_notice procurement',
      '2027-02-11 documentation procurement',
      '2027-03-31 startup_meeting procurement', // 30 days after the start
      '2027-09-01 periodic_review using_unit', // every 6 months from the start
      '2028-03-01 periodic_review using_unit',
      '2028-03-01 labour_conditions_check procurement', // yearly: labour conditions required
      '2028-03-01 sustainability_check procurement', // yearly: criteria were set
      '2028-08-28 extension_decision procurement', // 6 months before 2029-02-28
      '2028-09-01 periodic_review using_unit',
      // 2029-03-01 would be after the current end: not planned until an extension moves the end.
      '2030-02-28 reprocurement_start procurement', // 12 months before the latest possible end 2031-02-28
    ]);
  });

  it("the register's conditions become controls: quarterly, yearly (with a sustainability criterion) and once, over a 4-year contract", () => {
    const controls: ContractControl[] = [
      {
        requirementId: 'K4',
        kind: 'contract_condition',
        method: 'document',
        frequency: 'quarterly',
        owner: 'using_unit',
      },
      {
        requirementId: 'K5',
        kind: 'contract_condition',
        method: 'audit',
        frequency: 'yearly',
        owner: 'procurement',
        criterionId: '10137:2',
      },
      {
        requirementId: 'K6',
        kind: 'contract_condition',
        method: 'self_declaration',
        frequency: 'once',
        owner: 'procurement',
        lot: 'Kemi',
      },
    ];
    const fourYears: PlanContract = {
      ...framework,
      startDate: '2027-01-01',
      endDate: '2030-12-31',
      optionMonthsRemaining: 0,
      controls,
    };
    // Planned to the rolling horizon of the first contract year (two years ahead), then year by year.
    const horizon = planningHorizon(fourYears.startDate, 0, fourYears.endDate);
    expect(horizon).toBe('2029-01-01');
    const plan = initialPlan(fourYears, policy, horizon).filter((m) => m.kind === 'control');
    expect(plan.map((m) => `${m.dueDate} ${m.owner} ${m.title}`)).toEqual([
      "2027-01-31 procurement Control: K6 (supplier's self-declaration)", // by the start-up meeting
      '2027-04-01 using_unit Control 1: K4 (document)',
      '2027-07-01 using_unit Control 2: K4 (document)',
      '2027-10-01 using_unit Control 3: K4 (document)',
      '2028-01-01 using_unit Control 4: K4 (document)',
      '2028-01-01 procurement Control 1: K5 (audit)',
      '2028-04-01 using_unit Control 5: K4 (document)',
      '2028-07-01 using_unit Control 6: K4 (document)',
      '2028-10-01 using_unit Control 7: K4 (document)',
      '2029-01-01 using_unit Control 8: K4 (document)',
      '2029-01-01 procurement Control 2: K5 (audit)',
    ]);
    const k5 = plan.find((m) => m.title === 'Control 1: K5 (audit)')!;
    expect(k5.control).toEqual({ requirementId: 'K5', method: 'audit', criterionId: '10137:2' });
    expect(k5.basis).toBe(
      "requirements register K5 (contract condition): audit, yearly; Upphandlingsmyndigheten's criterion 10137:2; start 2027-01-01 + 12 months",
    );
    expect(milestoneBasisSv(k5.basis)).toBe(
      'kravregistret K5 (särskilt kontraktsvillkor): revision, varje år; Upphandlingsmyndighetens kriterium 10137:2; avtalets start 2027-01-01 + 12 månader',
    );
    expect(milestoneBasisSv(plan[0].basis)).toBe(
      'kravregistret K6 (särskilt kontraktsvillkor, delområde Kemi): leverantörens egenförsäkran, en gång; en gång, senast vid uppstartsmötet (avtalets start 2027-01-01 + 30 dagar)',
    );
    expect(milestoneTitleSv(plan[1])).toBe('Kontroll 1: K4 (dokument)');
    expect(milestoneTitleSv(plan[0])).toBe('Kontroll: K6 (leverantörens egenförsäkran)');
    // The third contract year's turn plans what falls in it, numbered on from the start; the once-control is not repeated.
    const next = recurringMilestones(
      fourYears,
      policy,
      horizon,
      planningHorizon(fourYears.startDate, 1, fourYears.endDate),
    );
    expect(next.filter((m) => m.kind === 'control').map((m) => `${m.dueDate} ${m.title}`)).toEqual([
      '2029-04-01 Control 9: K4 (document)',
      '2029-07-01 Control 10: K4 (document)',
      '2029-10-01 Control 11: K4 (document)',
      '2030-01-01 Control 12: K4 (document)',
      '2030-01-01 Control 3: K5 (audit)',
    ]);
  });

  it('the follow-up plan of the documents (policy followUpPlanRequired) recurs from the start, with the owner it names; an extension grows it', () => {
    const followUpPlan = [
      { what: 'Delivery precision', how: 'Monthly report', byWhom: 'Lab manager', everyMonths: 9 },
      {
        what: 'Price index',
        how: 'Invoice audit',
        byWhom: 'Procurement',
        everyMonths: 12,
        owner: 'procurement' as const,
      },
    ];
    const plan = initialPlan({ ...framework, followUpPlan }, policy).filter((m) => m.kind === 'planned_follow_up');
    expect(plan.map((m) => `${m.dueDate} ${m.owner} ${m.title}`)).toEqual([
      '2027-12-01 using_unit Follow-up 1: Delivery precision',
      '2028-03-01 procurement Follow-up 1: Price index',
      '2028-09-01 using_unit Follow-up 2: Delivery precision',
    ]);
    expect(plan[0].basis).toBe(
      'follow-up plan: Delivery precision (how: Monthly report; by: Lab manager), every 9 months; start 2027-03-01 + 9 months',
    );
    // Extending 2029-02-28 → 2030-02-28 adds what falls in the new year, numbered on from the start.
    const grown = recurringMilestones({ ...framework, followUpPlan }, policy, '2029-02-28', '2030-02-28').filter(
      (m) => m.kind === 'planned_follow_up',
    );
    expect(grown.map((m) => `${m.dueDate} ${m.title}`)).toEqual([
      '2029-03-01 Follow-up 2: Price index',
      '2029-06-01 Follow-up 3: Delivery precision',
    ]);
  });

  it('reviews every 3 months for high and critical supply criticality; no checks without their assessments', () => {
    const plan = initialPlan(
      {
        ...framework,
        criticality: 'critical',
        labourConditionsRequired: false,
        sustainabilityCriteria: false,
        obligations: [],
      },
      policy,
    );
    expect(plan.filter((m) => m.kind === 'periodic_review').map((m) => m.dueDate)).toEqual([
      '2027-06-01',
      '2027-09-01',
      '2027-12-01',
      '2028-03-01',
      '2028-06-01',
      '2028-09-01',
      '2028-12-01',
    ]);
    expect(plan.some((m) => m.kind === 'labour_conditions_check' || m.kind === 'sustainability_check')).toBe(false);
    expect(plan.find((m) => m.kind === 'periodic_review')!.basis).toContain('supply criticality critical');
  });

  it('grows with an extension: recurring milestones for (old end, new end], anchored at the start, nothing repeated', () => {
    const grown = recurringMilestones(framework, policy, '2029-02-28', '2030-02-28');
    expect(rows(grown)).toEqual([
      '2029-03-01 periodic_review using_unit',
      '2029-03-01 labour_conditions_check procurement',
      '2029-03-01 sustainability_check procurement',
      '2029-09-01 periodic_review using_unit',
    ]);
    expect(grown[0].title).toBe('Periodic review 4');
    expect(extensionDecision('2030-02-28', 12, policy)).toMatchObject({ dueDate: '2029-08-28' });
    expect(extensionDecision('2031-02-28', 0, policy)).toBeNull();
  });

  it('moves the re-procurement start when an extension is declined: 12 months before the final end, at the earliest at once', () => {
    expect(reprocurementAfterDecline('2030-02-28', '2029-08-28', policy)).toEqual({
      dueDate: '2029-08-28',
      basis: expect.stringContaining('due at once'),
    });
    expect(reprocurementAfterDecline('2031-02-28', '2029-08-28', policy)).toMatchObject({ dueDate: '2030-02-28' });
  });

  it('a deviation is corrected within 30 days, by the same owner side', () => {
    const c = correctiveAction({ id: 'M7', title: 'Periodic review 2', owner: 'using_unit' }, '2028-03-05', policy);
    expect(c).toMatchObject({
      kind: 'corrective_action',
      dueDate: '2028-04-04',
      owner: 'using_unit',
      correctiveFor: 'M7',
    });
  });

  it('takes the options in order for the default extension', () => {
    const options = [{ months: 12 }, { months: 12 }];
    expect(nextOptionMonths(options, 24)).toBe(12);
    expect(nextOptionMonths(options, 12)).toBe(12);
    expect(nextOptionMonths([{ months: 24 }], 12)).toBe(12); // half of one option already used
  });

  it('a policy of the organisation overrides the defaults; nonsense values are ignored', () => {
    const p = resolvePolicy({ reviewIntervalMonths: 4, reminderDays: -1 });
    expect(p).toEqual({ ...DEFAULT_FOLLOW_UP_POLICY, reviewIntervalMonths: 4 });
  });

  it('month arithmetic caps the day at the month end (lag 1930:173 1 §)', () => {
    expect(addMonths('2029-02-28', -6)).toBe('2028-08-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('due instants are the end of the Swedish day, in winter and summer time, as the tz database has them', () => {
    for (const day of [
      '2027-01-15',
      '2027-03-27',
      '2027-03-28',
      '2027-06-30',
      '2027-10-30',
      '2027-10-31',
      '2027-12-31',
      '2030-03-31',
    ]) {
      expect(dueInstant(day)).toBe(new Date(endOfDayStockholmIso(day)).toISOString());
    }
    expect(dueInstant('2027-06-30')).toBe('2027-06-30T21:59:59.000Z');
    expect(reminderInstant('2027-04-14', 14)).toBe('2027-03-31T06:00:00.000Z'); // 08:00 CEST
    expect(stockholmDate(Date.parse('2027-06-30T22:30:00Z'))).toBe('2027-07-01');
    expect(stockholmDate(Date.parse('2027-12-31T22:59:00Z'))).toBe('2027-12-31');
  });
});

/** The rolling horizon of recurring milestones: the end of the next contract year, never past the end. */
describe('planningHorizon', () => {
  it('plans a 10-year contract two contract years at a time', () => {
    expect(planningHorizon('2027-03-01', 0, '2037-02-28')).toBe('2029-03-01');
    expect(planningHorizon('2027-03-01', 1, '2037-02-28')).toBe('2030-03-01');
    expect(planningHorizon('2027-03-01', 8, '2037-02-28')).toBe('2037-02-28');
  });
  it('never past the current end of a short contract', () => {
    expect(planningHorizon('2027-03-01', 0, '2028-02-29')).toBe('2028-02-29');
  });
  it('a plan to the horizon holds the recurring milestones due by then only', () => {
    const c = {
      startDate: '2027-03-01',
      criticality: 'low' as const,
      labourConditionsRequired: true,
      sustainabilityCriteria: true,
    };
    const due = recurringMilestones(
      c,
      DEFAULT_FOLLOW_UP_POLICY,
      null,
      planningHorizon('2027-03-01', 0, '2037-02-28'),
    ).map((m) => m.dueDate);
    expect(due.every((d) => d <= '2029-03-01')).toBe(true);
    expect(due).toContain('2029-03-01');
  });
});
