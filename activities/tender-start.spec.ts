import { RuleSetGapError, THRESHOLD_ROWS, withOverrides } from '@tenderflow/domain/thresholds';
import type { TenderStartResult } from '@tenderflow/domain/rules';
import type { Actor } from '@tenderflow/domain/types';
import type { TenderStartInput } from '@tenderflow/temporal-common/tender-types';
import {
  firstState,
  prepareTenderStart,
  reprocurementRequest,
  tenderStartInput,
  validateStart,
  type PolicyPin,
  type TenderRequest,
  type TenderStartSteps,
} from './tender-start';

const TODAY = '2026-03-02';
const ROWS = withOverrides([]);
const actor: Actor = { sub: 'u-1', name: 'Anna Andersson', org: 'HSN', roles: ['procurement_officer'] };
const pin: PolicyPin = {
  policy: { questionCutoffDays: 6 },
  policyVersion: 'HSN@3',
  categoryInfo: { code: 'IT', name: 'IT-tjänster', manager: null },
};
const keys = [{ id: 'k1', publicKey: 'pk1' }];

/** The steps without a database: the id given, the pin above, the record answering what it was given. */
function steps(overrides: Partial<TenderStartSteps<{ id: string }>> = {}): TenderStartSteps<{ id: string }> {
  return {
    today: TODAY,
    rows: ROWS,
    refuse: (violations) => new Error(`refused: ${violations.map((v) => v.rule).join(', ')}`),
    allocate: async () => ({ id: 'HSN-2026-00042' }),
    pin: async () => pin,
    createdBy: actor,
    createdAt: '2026-03-02T09:00:00.000Z',
    commandKeys: keys,
    record: async ({ input }) => input,
    ...overrides,
  };
}

/** The facts of a contract to re-procure, as the contract activity has them from the records. */
const contract = {
  title: 'Drift av e-tjänster',
  organization: 'HSN',
  category: 'IT',
  contractType: 'services' as const,
  estimatedValueSek: 3_500_000,
  frameworkAgreement: false,
  contractTermMonths: 24,
  extensionOptionMonths: 12,
};

/** The API request with the same facts (POST /tenders' body). */
const apiBody = (facts: Partial<TenderRequest> = {}): TenderRequest => ({
  title: `${contract.title} (re-procurement)`,
  organization: contract.organization,
  category: contract.category,
  contractType: contract.contractType,
  estimatedValueSek: contract.estimatedValueSek,
  contractTermMonths: contract.contractTermMonths,
  extensionOptionMonths: contract.extensionOptionMonths,
  ...facts,
});

/** TendersService.create's start input as it was built before prepareTenderStart (its key order too). */
function apiInputBefore(
  dto: TenderRequest,
  result: TenderStartResult,
  id: string,
  createdAt: string,
): TenderStartInput {
  const { classification, procedure, regime } = result;
  return {
    id,
    title: dto.title,
    organization: dto.organization,
    category: dto.category,
    contractType: dto.contractType,
    estimatedValueSek: dto.estimatedValueSek,
    regime,
    procedure,
    frameworkAgreement: dto.frameworkAgreement ?? false,
    contractTermMonths: dto.contractTermMonths,
    extensionOptionMonths: dto.extensionOptionMonths ?? 0,
    electronicSubmission: dto.electronicSubmission ?? true,
    invitedBodies: dto.invitedBodies ?? [],
    threshold: classification.threshold,
    ruleSet: classification.ruleSet,
    ...(result.procedureDescription ? { procedureDescription: result.procedureDescription } : {}),
    ...(dto.negotiationGround ? { negotiationGround: dto.negotiationGround } : {}),
    ...(dto.withoutNoticeGround && procedure === 'negotiated_without_notice' && classification.regime !== 'direct'
      ? { withoutNoticeGround: dto.withoutNoticeGround }
      : {}),
    ...(dto.renewedCompetition ? { renewedCompetition: true } : {}),
    createdBy: actor,
    createdAt,
    ...pin,
    commandKeys: keys,
  };
}

/** prepareReprocurement's start input as it was built before prepareTenderStart (its key order too). */
function reprocurementInputBefore(
  req: typeof contract & { procedure?: 'direct_award' },
  result: TenderStartResult,
  id: string,
  createdAt: string,
): TenderStartInput {
  return {
    id,
    title: `${req.title} (re-procurement)`,
    organization: req.organization,
    category: req.category,
    contractType: req.contractType,
    estimatedValueSek: req.estimatedValueSek,
    regime: result.regime,
    procedure: result.procedure,
    frameworkAgreement: req.frameworkAgreement,
    ...(req.contractTermMonths !== undefined ? { contractTermMonths: req.contractTermMonths } : {}),
    extensionOptionMonths: req.extensionOptionMonths,
    electronicSubmission: true,
    invitedBodies: [],
    threshold: result.classification.threshold,
    ruleSet: result.classification.ruleSet,
    createdBy: actor,
    createdAt,
    previousTenderId: 'HSN-2025-00007',
    ...pin,
    commandKeys: keys,
  };
}

/** What reaches Temporal and the record's digest: the JSON, key order included. */
const wire = (input: TenderStartInput) => JSON.stringify(input);

const reprocurementSteps = (overrides: Partial<TenderStartSteps<{ id: string }>> = {}) =>
  steps({ previousTenderId: 'HSN-2025-00007', withoutProcedureDescription: true, ...overrides });

describe('how a tender is born (prepareTenderStart)', () => {
  it('the API and a re-procurement give the same start input for the same facts, but for the link to the tender replaced', async () => {
    const api = await prepareTenderStart(apiBody(), steps());
    const re = await prepareTenderStart(reprocurementRequest(contract), reprocurementSteps());
    expect(api.input.regime).toBe('eu');
    expect(re.input).toEqual({ ...api.input, previousTenderId: 'HSN-2025-00007' });
    expect(api.workflowId).toBe(re.workflowId);
  });

  it('a re-procurement below the threshold starts, as it always has, without the described procedure an API start records', async () => {
    const facts = { ...contract, estimatedValueSek: 1_500_000 };
    const api = await prepareTenderStart(apiBody({ estimatedValueSek: facts.estimatedValueSek }), steps());
    const re = await prepareTenderStart(reprocurementRequest(facts), reprocurementSteps());
    expect(api.input.regime).toBe('national');
    expect(api.input.procedureDescription).toEqual(expect.any(String));
    const { procedureDescription: _described, ...rest } = api.input;
    expect(re.input).toEqual({ ...rest, previousTenderId: 'HSN-2025-00007' });
    expect(re.input).not.toHaveProperty('procedureDescription');
  });

  describe('the same input as each path built before', () => {
    const bodies: [string, TenderRequest][] = [
      ['above the threshold, defaults', apiBody()],
      [
        'below the threshold, described',
        apiBody({ estimatedValueSek: 1_500_000, procedureDescription: '  Ett steg, förhandling  ' }),
      ],
      [
        'below the threshold, default description',
        apiBody({ estimatedValueSek: 1_500_000, contractTermMonths: undefined }),
      ],
      ['a direct award', apiBody({ estimatedValueSek: 300_000, procedure: 'direct_award' })],
      [
        'without notice above the limit, with its ground and invitees',
        apiBody({
          estimatedValueSek: 1_500_000,
          procedure: 'negotiated_without_notice',
          withoutNoticeGround: 'extreme_urgency',
          negotiationGround: 'synnerlig brådska',
          electronicSubmission: false,
          invitedBodies: [{ organization: 'KOMMUN1', name: 'Kommun Ett', contactEmail: 'a@kommun1.se' }],
        }),
      ],
      [
        'without notice within the limit: no ground kept',
        apiBody({
          estimatedValueSek: 300_000,
          procedure: 'negotiated_without_notice',
          withoutNoticeGround: 'extreme_urgency',
        }),
      ],
      [
        'a framework call-off with renewed competition',
        apiBody({
          frameworkCallOff: true,
          procedure: 'call_off',
          renewedCompetition: true,
          contractTermMonths: undefined,
        }),
      ],
      [
        'a framework agreement',
        apiBody({ frameworkAgreement: true, contractTermMonths: 48, extensionOptionMonths: 0 }),
      ],
    ];
    it.each(bodies)('API: %s', async (_, body) => {
      const valid = validateStart(body, TODAY, ROWS);
      expect(valid.violations).toEqual([]);
      const { input } = await prepareTenderStart(body, steps());
      expect(wire(input)).toBe(wire(apiInputBefore(body, valid, 'HSN-2026-00042', '2026-03-02T09:00:00.000Z')));
    });

    const contracts: [string, typeof contract & { procedure?: 'direct_award' }][] = [
      ['above the threshold', contract],
      ['below the threshold', { ...contract, estimatedValueSek: 1_500_000 }],
      [
        'a direct award, without a term',
        {
          ...contract,
          estimatedValueSek: 300_000,
          procedure: 'direct_award',
          contractTermMonths: undefined as unknown as number,
        },
      ],
      [
        'a framework agreement',
        { ...contract, frameworkAgreement: true, contractTermMonths: 48, extensionOptionMonths: 0 },
      ],
    ];
    it.each(contracts)('re-procurement: %s', async (_, facts) => {
      const request = reprocurementRequest(facts);
      const valid = validateStart(request, TODAY, ROWS);
      expect(valid.violations).toEqual([]);
      const { input } = await prepareTenderStart(request, reprocurementSteps());
      expect(wire(input)).toBe(
        wire(reprocurementInputBefore(facts, valid, 'HSN-2026-00042', '2026-03-02T09:00:00.000Z')),
      );
    });
  });

  it('a refusal of the rules stops the birth before an id is allocated', async () => {
    const allocate = jest.fn(async () => ({ id: 'HSN-2026-00042' }));
    await expect(
      prepareTenderStart(apiBody({ estimatedValueSek: 900_000, procedure: 'direct_award' }), steps({ allocate })),
    ).rejects.toThrow('refused: direct_award_limit');
    expect(allocate).not.toHaveBeenCalled();
  });

  it("the rules run inside the caller's guard, which sees a gap in the rule set", async () => {
    const seen: unknown[] = [];
    const classifying = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        seen.push(err);
        throw new Error('gap answered', { cause: err });
      }
    };
    await expect(prepareTenderStart(apiBody(), steps({ today: '1999-06-01', classifying }))).rejects.toThrow(
      'gap answered',
    );
    expect(seen[0]).toBeInstanceOf(RuleSetGapError);
  });

  it('the allocation sees the classification; the policy is pinned after the id; the record answers the input to start with', async () => {
    const order: string[] = [];
    const earlier = {
      ...apiInputBefore(apiBody(), validateStart(apiBody(), TODAY, ROWS), 'HSN-2026-00042', '2026-01-01T00:00:00.000Z'),
    };
    const born = await prepareTenderStart(
      apiBody(),
      steps({
        allocate: async (valid) => {
          order.push(`allocate ${valid.classification.regime}`);
          return { id: 'HSN-2026-00042', replay: true };
        },
        pin: async () => {
          order.push('pin');
          return pin;
        },
        record: async (start) => {
          order.push(`record ${start.tenderId} ${start.workflowId}`);
          return earlier;
        },
      }),
    );
    expect(order).toEqual(['allocate eu', 'pin', `record HSN-2026-00042 ${born.workflowId}`]);
    expect(born.input).toBe(earlier);
    expect(born.fresh.createdAt).toBe('2026-03-02T09:00:00.000Z');
    expect(born.allocated).toEqual({ id: 'HSN-2026-00042', replay: true });
  });

  it('pins the delegation order in force: per gate the items whose conditions the tender meets, with the version', async () => {
    const order = {
      version: 7,
      items: [
        {
          id: '3.1',
          decision: 'decision_to_procure' as const,
          delegate: 'it_chef',
          limit: { sek: 5_000_000 },
          conditions: { categories: ['IT'] },
          reportToBoard: true,
          substitute: { nearestSuperior: true as const },
        },
        {
          id: '3.2',
          decision: 'decision_to_procure' as const,
          delegate: 'labbchef',
          conditions: { categories: ['LAB'] },
          reportToBoard: true,
          substitute: { nearestSuperior: true as const },
        },
      ],
    };
    const { input } = await prepareTenderStart(apiBody(), steps({ delegationOrder: async () => order }));
    expect(input.delegation).toEqual({ version: 7, ladders: { decision_to_procure: [order.items[0]] } });
    // An organisation without an order: nothing pinned, the token's limit decides as before.
    const { input: plain } = await prepareTenderStart(apiBody(), steps({ delegationOrder: async () => undefined }));
    expect(plain.delegation).toBeUndefined();
  });

  it('without a date given, the tender is created now', async () => {
    const before = Date.now();
    const { fresh } = await prepareTenderStart(apiBody(), steps({ createdAt: undefined }));
    expect(Date.parse(fresh.createdAt)).toBeGreaterThanOrEqual(before);
  });

  it('a new tender is in needs_analysis, under its procedure, rule set and pinned policy, without deadlines', () => {
    const input = tenderStartInput(apiBody(), validateStart(apiBody(), TODAY, ROWS), {
      id: 'HSN-2026-00042',
      createdBy: actor,
      createdAt: 'x',
      pin,
      commandKeys: keys,
    });
    expect(firstState(input)).toEqual({
      phase: 'needs_analysis',
      regime: 'eu',
      procedure: input.procedure,
      ruleSet: input.ruleSet,
      policyVersion: 'HSN@3',
      deadlines: [],
    });
  });

  it('the threshold rows given are the ones classified by', () => {
    const row = THRESHOLD_ROWS.find(
      (r) =>
        r.kind === 'threshold' &&
        r.contractTypes.includes('services') &&
        r.validFrom <= TODAY &&
        (r.validTo === null || r.validTo >= TODAY),
    )!;
    const confirmed = withOverrides([{ id: row.id, sek: 5_000_000, source: 'admin' }]);
    expect(validateStart(apiBody(), TODAY, ROWS).regime).toBe('eu');
    expect(validateStart(apiBody(), TODAY, confirmed).regime).not.toBe('eu');
  });
});
