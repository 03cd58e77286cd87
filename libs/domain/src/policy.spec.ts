import Ajv from 'ajv';
import {
  checkPolicyFollowUpPlan,
  checkPolicyGroupCoordination,
  checkPolicyLots,
  checkPolicyQuotes,
  checkPolicySustainability,
  DEFAULT_POLICY_RULES,
  followUpPlanProblem,
  POLICY_RULE_NAMES,
  POLICY_RULES_SCHEMA,
  policyConsistencyProblems,
  policyUpdateSchema,
  policyVersionLabel,
  requiredApprovals,
  resolvePolicy,
  tenderRules,
  type GroupActivity,
} from './policy';

describe('policy defaults reproduce the behaviour before the policy was data', () => {
  it('has every rule the issue names, with its default', () => {
    expect(DEFAULT_POLICY_RULES).toEqual({
      questionCutoffDays: 10,
      coordinationResponseDays: 14,
      coordinationReminderDays: 3,
      reasonableTenderDays: 15,
      openingDueDays: 1,
      dualApprovalFromSek: false,
      directAwardQuotesFromSek: false,
      directAwardMinQuotes: 3,
      lotsRequiredFromSek: false,
      sustainabilityCriteriaRequiredFromSek: false,
      followUpPlanRequired: false,
      groupCoordinationCheck: false,
      contractValueTolerancePercent: 0,
    });
  });

  it('a tender without a policy in its input runs under the defaults', () => {
    expect(tenderRules(undefined)).toEqual(DEFAULT_POLICY_RULES);
    expect(tenderRules({ questionCutoffDays: 12 })).toEqual({ ...DEFAULT_POLICY_RULES, questionCutoffDays: 12 });
  });

  it('every default passes the published schema, and the schema names every rule', () => {
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword('example');
    expect(ajv.validate(POLICY_RULES_SCHEMA, DEFAULT_POLICY_RULES)).toBe(true);
    expect(Object.keys(POLICY_RULES_SCHEMA.properties).sort()).toEqual([...POLICY_RULE_NAMES].sort());
  });

  it('with the defaults no new rule refuses anything', () => {
    const r = DEFAULT_POLICY_RULES;
    expect(requiredApprovals(r, 1_000_000_000)).toBe(1);
    expect(checkPolicyLots(r, { estimatedValueSek: 1_000_000_000 }, {})).toBeNull();
    expect(checkPolicySustainability(r, { estimatedValueSek: 1_000_000_000 }, { notApplicableReason: 'x' })).toBeNull();
    expect(
      checkPolicyQuotes(r, {
        regime: 'direct',
        estimatedValueSek: 690_000,
        valueSek: 690_000,
        supplier: 'A',
        quotes: [],
      }),
    ).toBeNull();
    expect(checkPolicyFollowUpPlan(r, undefined)).toBeNull();
  });
});

describe('the published schema', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addKeyword('example');
  const validate = ajv.compile(policyUpdateSchema(POLICY_RULES_SCHEMA));

  it('accepts overrides, a switched-off threshold (false), category overrides and a reference', () => {
    expect(
      validate({
        rules: { dualApprovalFromSek: 5_000_000, lotsRequiredFromSek: false },
        categoryRules: [{ category: 'lab-supplies', rules: { followUpPlanRequired: true } }],
        reference: 'RS 2026-11-20 § 112',
      }),
    ).toBe(true);
  });

  it.each([
    ['a negative threshold', { dualApprovalFromSek: -1 }, '/rules/dualApprovalFromSek'],
    ['a fraction of a day', { questionCutoffDays: 2.5 }, '/rules/questionCutoffDays'],
    ['a string for a number', { coordinationResponseDays: '14' }, '/rules/coordinationResponseDays'],
    ['false where the rule cannot be off', { questionCutoffDays: false }, '/rules/questionCutoffDays'],
    [
      'null for a threshold (the API takes no nulls: false is off)',
      { lotsRequiredFromSek: null },
      '/rules/lotsRequiredFromSek',
    ],
    ['true for a threshold', { dualApprovalFromSek: true }, '/rules/dualApprovalFromSek'],
    ['a number for a flag', { followUpPlanRequired: 1 }, '/rules/followUpPlanRequired'],
    ['a tolerance above 100 %', { contractValueTolerancePercent: 150 }, '/rules/contractValueTolerancePercent'],
    ['zero quotes', { directAwardMinQuotes: 0 }, '/rules/directAwardMinQuotes'],
  ])('refuses %s, naming the field', (_what, rules, path) => {
    expect(validate({ rules, reference: 'RS 2026-11-20 § 112' })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });

  it('refuses a category code that is not one, and a category entry without rules', () => {
    expect(
      validate({
        rules: {},
        categoryRules: [{ category: 'Lab Supplies', rules: {} }, { category: 'it' }],
        reference: 'RS 2026-11-20 § 112',
      }),
    ).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      '/categoryRules/0/category pattern',
      '/categoryRules/1 required',
    ]);
  });

  it('refuses an unknown rule and a missing reference', () => {
    expect(validate({ rules: { dualApproval: 5 } })).toBe(false);
    expect(validate.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'required']);
  });
});

describe('inheritance: defaults ← group ← company ← category', () => {
  it('the company overrides single rules and inherits the rest; each rule names its source', () => {
    const { rules, sources } = resolvePolicy([
      { source: 'REGION', rules: { dualApprovalFromSek: 5_000_000, questionCutoffDays: 12 } },
      { source: 'BOLAG', rules: { questionCutoffDays: 8 } },
      { source: 'BOLAG#lab', rules: { sustainabilityCriteriaRequiredFromSek: 0 } },
    ]);
    expect(rules).toMatchObject({
      dualApprovalFromSek: 5_000_000,
      questionCutoffDays: 8,
      sustainabilityCriteriaRequiredFromSek: 0,
      coordinationResponseDays: 14,
    });
    expect(sources).toMatchObject({
      dualApprovalFromSek: 'REGION',
      questionCutoffDays: 'BOLAG',
      sustainabilityCriteriaRequiredFromSek: 'BOLAG#lab',
      coordinationResponseDays: 'default',
    });
  });

  it('false switches an inherited threshold off; absent keeps it', () => {
    const layers = [{ source: 'REGION', rules: { dualApprovalFromSek: 5_000_000 } }];
    expect(
      resolvePolicy([...layers, { source: 'BOLAG', rules: { dualApprovalFromSek: false } }]).rules.dualApprovalFromSek,
    ).toBe(false);
    expect(resolvePolicy([...layers, { source: 'BOLAG', rules: {} }]).rules.dualApprovalFromSek).toBe(5_000_000);
  });

  it('ignores values of the wrong type and unknown keys (the store never holds them; old data must not break a tender)', () => {
    const { rules } = resolvePolicy([
      {
        source: 'X',
        rules: {
          questionCutoffDays: 'ten',
          groupCoordinationCheck: 1,
          dualApprovalFromSek: true,
          lotsRequiredFromSek: null,
          nonsense: 3,
        } as never,
      },
    ]);
    expect(rules).toEqual(DEFAULT_POLICY_RULES);
  });

  it('the version label names every level from the group down', () => {
    expect(
      policyVersionLabel([
        { organization: 'REGION', version: 3 },
        { organization: 'BOLAG', version: 0 },
      ]),
    ).toBe('REGION@3/BOLAG@0');
  });

  it('a reminder on or after the response deadline contradicts it', () => {
    expect(
      policyConsistencyProblems({ ...DEFAULT_POLICY_RULES, coordinationResponseDays: 5, coordinationReminderDays: 5 }),
    ).toEqual([expect.objectContaining({ field: 'coordinationReminderDays' })]);
    expect(policyConsistencyProblems(DEFAULT_POLICY_RULES)).toEqual([]);
  });
});

describe('the rules', () => {
  const r = { ...DEFAULT_POLICY_RULES };

  it('dualApprovalFromSek: two approvers at and above the value (5 MSEK: 6 MSEK needs two, 4 999 999 SEK one)', () => {
    const rules = { ...r, dualApprovalFromSek: 5_000_000 };
    expect(requiredApprovals(rules, 6_000_000)).toBe(2);
    expect(requiredApprovals(rules, 5_000_000)).toBe(2);
    expect(requiredApprovals(rules, 4_999_999)).toBe(1);
  });

  it('lotsRequiredFromSek: strictly above the value, two lots or a reason', () => {
    const rules = { ...r, lotsRequiredFromSek: 1_000_000 };
    expect(checkPolicyLots(rules, { estimatedValueSek: 1_000_000 }, {})).toBeNull();
    expect(checkPolicyLots(rules, { estimatedValueSek: 1_000_001 }, {})).toMatchObject({
      rule: 'divide_or_justify',
      field: 'lotJustification',
      paragraph: 'inköpspolicy: lotsRequiredFromSek',
    });
    expect(checkPolicyLots(rules, { estimatedValueSek: 1_000_001 }, { lots: [{}] })).not.toBeNull();
    expect(checkPolicyLots(rules, { estimatedValueSek: 1_000_001 }, { lots: [{}, {}] })).toBeNull();
    expect(
      checkPolicyLots(rules, { estimatedValueSek: 1_000_001 }, { lotJustification: 'One integrated system' }),
    ).toBeNull();
  });

  it('sustainabilityCriteriaRequiredFromSek: from the value a not-applicable reason is refused', () => {
    const rules = { ...r, sustainabilityCriteriaRequiredFromSek: 500_000 };
    expect(
      checkPolicySustainability(rules, { estimatedValueSek: 499_999 }, { notApplicableReason: 'Standard goods' }),
    ).toBeNull();
    const v = checkPolicySustainability(
      rules,
      { estimatedValueSek: 500_000 },
      { notApplicableReason: 'Standard goods' },
    );
    expect(v).toMatchObject({ rule: 'sustainability_criteria_required', field: 'sustainability.criteria' });
    expect(v!.message).toContain('500 000 SEK');
    expect(
      checkPolicySustainability(rules, { estimatedValueSek: 500_000 }, { criteria: ['Fossil-free transport'] }),
    ).toBeNull();
  });

  it('directAwardQuotesFromSek: that many quotes from different suppliers, the contracted one among them; only direct awards', () => {
    const rules = { ...r, directAwardQuotesFromSek: 100_000, directAwardMinQuotes: 3 };
    const base = { regime: 'direct', estimatedValueSek: 250_000, valueSek: 240_000, supplier: 'A AB' };
    const quotes = [
      { supplier: 'A AB', amountSek: 240_000 },
      { supplier: 'B AB', amountSek: 260_000 },
      { supplier: 'C AB', amountSek: 300_000 },
    ];
    expect(checkPolicyQuotes(rules, { ...base, quotes })).toBeNull();
    expect(checkPolicyQuotes(rules, { ...base, quotes: quotes.slice(0, 2) })).toMatchObject({
      rule: 'direct_award_quotes',
      field: 'quotes',
    });
    // The same supplier twice is one quote.
    expect(
      checkPolicyQuotes(rules, { ...base, quotes: [...quotes.slice(0, 2), { supplier: 'b ab', amountSek: 1 }] }),
    ).toMatchObject({ field: 'quotes' });
    expect(checkPolicyQuotes(rules, { ...base, supplier: 'D AB', quotes })).toMatchObject({ field: 'supplier' });
    expect(checkPolicyQuotes(rules, { ...base, estimatedValueSek: 90_000, valueSek: 99_999, quotes: [] })).toBeNull();
    // Only a plain direct award: an advertised one, or one on a ground of 19 a kap. 3–6 §§ (a single supplier), has its own competition.
    expect(checkPolicyQuotes(rules, { ...base, procedure: 'direct_award', quotes: [] })).toMatchObject({
      rule: 'direct_award_quotes',
    });
    expect(checkPolicyQuotes(rules, { ...base, procedure: 'open', quotes: [] })).toBeNull();
    expect(checkPolicyQuotes(rules, { ...base, procedure: 'negotiated_without_notice', quotes: [] })).toBeNull();
    // The contract's value counts when it is the larger.
    expect(
      checkPolicyQuotes(rules, { ...base, estimatedValueSek: 90_000, valueSek: 100_000, quotes: [] }),
    ).not.toBeNull();
    expect(checkPolicyQuotes(rules, { ...base, regime: 'national', quotes: [] })).toBeNull();
  });

  it('followUpPlanRequired: the documents need a plan; a plan is well-formed', () => {
    expect(checkPolicyFollowUpPlan({ followUpPlanRequired: true }, [])).toMatchObject({
      rule: 'follow_up_plan_required',
      field: 'followUpPlan',
    });
    const plan = [{ what: 'Delivery precision', how: 'Monthly report', byWhom: 'Lab manager', everyMonths: 3 }];
    expect(checkPolicyFollowUpPlan({ followUpPlanRequired: true }, plan)).toBeNull();
    expect(followUpPlanProblem(plan)).toBeNull();
    expect(followUpPlanProblem([{ ...plan[0], everyMonths: 0 }])).toMatchObject({
      field: 'followUpPlan[0].everyMonths',
    });
    expect(followUpPlanProblem([{ ...plan[0], byWhom: ' ' }])).toMatchObject({ field: 'followUpPlan[0].byWhom' });
    expect(followUpPlanProblem([{ ...plan[0], owner: 'supplier' }])).toMatchObject({ field: 'followUpPlan[0].owner' });
  });

  it('groupCoordinationCheck: anything running in the category across the group needs a reason, which names it', () => {
    const none: GroupActivity = { organizations: ['REGION', 'BOLAG'], tenders: [], contracts: [] };
    expect(checkPolicyGroupCoordination(none, 'lab', undefined)).toBeNull();
    const found: GroupActivity = {
      ...none,
      contracts: [
        {
          id: 'REGION-2025-00007-K1',
          title: 'Reagents',
          organization: 'REGION',
          supplier: 'Acme Lab AB',
          endDate: '2027-12-31',
        },
      ],
    };
    const v = checkPolicyGroupCoordination(found, 'lab', undefined);
    expect(v).toMatchObject({ rule: 'group_coordination_reason_missing', field: 'separateProcurementReason' });
    expect(v!.message).toContain('REGION-2025-00007-K1');
    expect(checkPolicyGroupCoordination(found, 'lab', 'The region agreement does not cover our sites')).toBeNull();
  });
});
