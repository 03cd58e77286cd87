/**
 * The organisation's procurement policy (Inköpspolicy, ARCHITECTURE §2 and 5a) as versioned data: the
 * rules, their defaults, the JSON Schema that the API publishes and validates against, how the
 * group's, the company's and a category's rules combine, and the checks each rule makes.
 *
 * Pure and deterministic (it imports only the text rule), so that workflows may call it
 * (test/unit/workflow-imports.spec.ts): a tender runs under the rules pinned in its start input.
 *
 * These are policy rules (P), not law: each check names the rule as its "paragraph"
 * (`inköpspolicy: <rule>`), so a refusal says which decision of the board it carries out. Where a
 * rule sits on top of a paragraph of LOU (lots above the threshold), the law's check stays where it
 * is and the policy only adds to it; a policy can never relax the law.
 */
import { STORABLE_TEXT_PATTERN } from './text';

/**
 * Every rule of the policy. A threshold of `false` means the rule is off: requests carry no nulls
 * (the API refuses them), so "off" is a value of its own that a company can set over its group's.
 */
export type SekThreshold = number | false;

export interface PolicyRules {
  /** Questions close this many days before the tender deadline. */
  questionCutoffDays: number;
  /** Invited bodies of a joint procurement answer within this many days. */
  coordinationResponseDays: number;
  /** A reminder goes out this many days before the response deadline. */
  coordinationReminderDays: number;
  /** Below the threshold: the "skälig tid" (reasonable time) for tenders, in days. */
  reasonableTenderDays: number;
  /** The opening is due this many days after the tender deadline. */
  openingDueDays: number;
  /** At or above this value (SEK) a gate needs two distinct approvers, each qualifying (delegation order). */
  dualApprovalFromSek: SekThreshold;
  /** At or above this value (SEK) a direct award's contract needs `directAwardMinQuotes` recorded quotes. */
  directAwardQuotesFromSek: SekThreshold;
  directAwardMinQuotes: number;
  /** Above this value (SEK) the needs analysis divides into lots or records why not (on top of 4 kap. 14 § LOU above the threshold). */
  lotsRequiredFromSek: SekThreshold;
  /** At or above this value (SEK) sustainability criteria are required; a not-applicable reason is refused. */
  sustainabilityCriteriaRequiredFromSek: SekThreshold;
  /** The documents gate requires a follow-up plan (what, how, by whom, how often); the plan seeds the contract's milestones. */
  followUpPlanRequired: boolean;
  /** At the decision to procure, show running tenders and active contracts of the category across the group; any of them requires a reason to procure separately. */
  groupCoordinationCheck: boolean;
  /** How far (percent) a registered contract's value may exceed the tender's estimated value. */
  contractValueTolerancePercent: number;
}

export type PolicyRuleName = keyof PolicyRules;

/**
 * The defaults: exactly what the system did before the policy was data (the question cut-off of
 * 10 days, 14 + 3 days of coordination, 15 days of "skälig tid", opening the day after, and none of
 * the rules that did not exist yet).
 */
export const DEFAULT_POLICY_RULES: Readonly<PolicyRules> = Object.freeze({
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

export const POLICY_RULE_NAMES = Object.keys(DEFAULT_POLICY_RULES) as PolicyRuleName[];

// --- the JSON Schema ------------------------------------------------------------------------------

const MAX_SEK = 1_000_000_000_000;
const days = (description: string, minimum: number, maximum: number, example: number) => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  example,
});
const sekFrom = (description: string, example: number) => ({
  description: `${description} Whole SEK, or false: the rule is off.`,
  oneOf: [
    { type: 'integer', minimum: 0, maximum: MAX_SEK, example },
    { type: 'boolean', enum: [false] },
  ],
});
const flag = (description: string) => ({ type: 'boolean', description, example: true });

/**
 * The rules as a JSON Schema object that is also an OpenAPI 3.0 schema object (oneOf rather than
 * type lists), so the one object is both published (components.schemas.PolicyRules) and what the
 * API validates a PUT against. Every rule is optional: a level states only what it overrides.
 */
export const POLICY_RULES_SCHEMA = {
  type: 'object',
  description:
    'Rules of the procurement policy. Each is optional: absent rules are inherited (category ← organisation ← group ← defaults). A threshold of false switches its rule off.',
  additionalProperties: false,
  properties: {
    questionCutoffDays: days('Questions close this many days before the tender deadline (default 10).', 0, 60, 10),
    coordinationResponseDays: days('Invited bodies answer within this many days (default 14).', 1, 180, 14),
    coordinationReminderDays: days(
      'Reminder this many days before the response deadline (default 3); less than coordinationResponseDays.',
      0,
      179,
      3,
    ),
    reasonableTenderDays: days(
      'Below the threshold: the reasonable tender period ("skälig tid", 19 kap. LOU) in days (default 15).',
      1,
      365,
      15,
    ),
    openingDueDays: days('The opening is due this many days after the tender deadline (default 1).', 0, 60, 1),
    dualApprovalFromSek: sekFrom(
      'At or above this value a gate needs two distinct qualifying approvers (default off).',
      5_000_000,
    ),
    directAwardQuotesFromSek: sekFrom(
      "At or above this value a direct award's contract needs directAwardMinQuotes recorded quotes (default off).",
      100_000,
    ),
    directAwardMinQuotes: days(
      'How many quotes (distinct suppliers) a direct award needs from directAwardQuotesFromSek (default 3).',
      1,
      20,
      3,
    ),
    lotsRequiredFromSek: sekFrom(
      'Above this value the needs analysis divides into lots or records why not (default off: above the EU threshold the law asks for the reasons anyway, 4 kap. 14 § LOU).',
      1_000_000,
    ),
    sustainabilityCriteriaRequiredFromSek: sekFrom(
      "At or above this value sustainability criteria (Upphandlingsmyndigheten's criteria) are required, not a not-applicable reason (default off).",
      500_000,
    ),
    followUpPlanRequired: flag(
      'The documents gate requires a follow-up plan: what, how, by whom, how often (default false).',
    ),
    groupCoordinationCheck: flag(
      'At the decision to procure, running tenders and active contracts of the category across the group are shown; any of them requires a reason to procure separately (default false).',
    ),
    contractValueTolerancePercent: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: "How far (percent) a contract's value may exceed the estimated value (default 0).",
      example: 10,
    },
  },
} as const;

/** A category code, as tenders and the organisation's categories name them. */
export const CATEGORY_CODE = /^[a-z0-9][a-z0-9_-]{1,63}$/;

/** The rules one category of the organisation overrides. */
export interface CategoryRulesEntry {
  category: string;
  rules: Partial<PolicyRules>;
}

/** The body of `PUT /organizations/{org}/policy`; `rules` is where the rules schema goes (inline, or a $ref in OpenAPI). */
export function policyUpdateSchema(rules: object): object {
  return {
    type: 'object',
    description: "A new version of the organisation's policy (version n+1), decided by the board.",
    additionalProperties: false,
    required: ['rules', 'reference'],
    properties: {
      rules: rules,
      categoryRules: {
        type: 'array',
        description:
          'The rules a category of the organisation (registered with PUT /organizations/{org}/categories/{code}) overrides; each category once.',
        maxItems: 200,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['category', 'rules'],
          properties: {
            category: { type: 'string', pattern: CATEGORY_CODE.source, example: 'lab-supplies' },
            rules: rules,
          },
        },
        example: [{ category: 'lab-supplies', rules: { sustainabilityCriteriaRequiredFromSek: 0 } }],
      },
      reference: {
        type: 'string',
        minLength: 3,
        maxLength: 500,
        pattern: STORABLE_TEXT_PATTERN,
        description: 'The board decision (e.g. the minutes paragraph) that adopts this version.',
        example: 'RS 2026-11-20 § 112',
      },
    },
  };
}

/** Rules that must hold together, on the effective (merged) rules; each names the field at fault. */
export function policyConsistencyProblems(rules: PolicyRules): { field: PolicyRuleName; message: string }[] {
  const out: { field: PolicyRuleName; message: string }[] = [];
  if (rules.coordinationReminderDays >= rules.coordinationResponseDays) {
    out.push({
      field: 'coordinationReminderDays',
      message: `coordinationReminderDays (${rules.coordinationReminderDays}) must be less than coordinationResponseDays (${rules.coordinationResponseDays}): the reminder goes out before the deadline`,
    });
  }
  return out;
}

// --- inheritance ----------------------------------------------------------------------------------

/** One level that may override rules: the group, a company, or a category of an organisation. */
export interface PolicyLayer {
  /** `default`, an organisation code, or `ORG#category`. */
  source: string;
  rules: Partial<PolicyRules> | null | undefined;
}

export interface ResolvedPolicy {
  rules: PolicyRules;
  /** Which level each rule's value comes from. */
  sources: Record<PolicyRuleName, string>;
}

/**
 * The effective rules: the defaults, overridden by each layer in order (the group first, then its
 * companies down to the organisation, then the category's overrides at each of those levels). Only
 * known rules are taken; a value of the wrong type is ignored (the API refuses such a version).
 */
export function resolvePolicy(layers: readonly PolicyLayer[]): ResolvedPolicy {
  const rules = { ...DEFAULT_POLICY_RULES } as PolicyRules;
  const sources = Object.fromEntries(POLICY_RULE_NAMES.map((n) => [n, 'default'])) as Record<PolicyRuleName, string>;
  for (const layer of layers) {
    for (const name of POLICY_RULE_NAMES) {
      const value = layer.rules?.[name];
      if (value === undefined || !fits(name, value)) continue;
      (rules as unknown as Record<string, unknown>)[name] = value;
      sources[name] = layer.source;
    }
  }
  return { rules, sources };
}

/** The rules a tender runs under from its start input's policy (absent rules: the defaults). */
export function tenderRules(policy: Partial<PolicyRules> | null | undefined): PolicyRules {
  return resolvePolicy([{ source: 'tender', rules: policy }]).rules;
}

function fits(name: PolicyRuleName, value: unknown): boolean {
  const wholeSek = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  if (name.endsWith('FromSek')) return value === false || wholeSek;
  if (typeof DEFAULT_POLICY_RULES[name] === 'boolean') return typeof value === 'boolean';
  if (name === 'contractValueTolerancePercent')
    return typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return wholeSek;
}

/** The label a tender pins: every level of the chain with its version, e.g. `REGION@3/BOLAG@1`. */
export function policyVersionLabel(chain: readonly { organization: string; version: number }[]): string {
  return chain.map((c) => `${c.organization}@${c.version}`).join('/');
}

// --- the checks -----------------------------------------------------------------------------------

export interface PolicyViolation {
  rule: string;
  /** The policy rule it carries out, e.g. `inköpspolicy: dualApprovalFromSek`. */
  paragraph: string;
  field: string;
  message: string;
}

export const policyParagraph = (rule: PolicyRuleName): string => `inköpspolicy: ${rule}`;

const sek = (n: number): string => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} SEK`;
const text = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const atOrAbove = (value: number, from: SekThreshold): from is number => from !== false && value >= from;

/** How many distinct approvers a gate of a tender of this value needs (the delegation order). */
export function requiredApprovals(rules: Pick<PolicyRules, 'dualApprovalFromSek'>, valueSek: number): 1 | 2 {
  return atOrAbove(valueSek, rules.dualApprovalFromSek) ? 2 : 1;
}

/**
 * Lots or a recorded reason: the policy's own threshold (strictly above it; the law's duty above the
 * EU threshold, 4 kap. 14 § LOU, is checks.ts checkLotDivision, which the workflow calls too; it is not relaxed here).
 */
export function checkPolicyLots(
  rules: Pick<PolicyRules, 'lotsRequiredFromSek'>,
  tender: { estimatedValueSek: number },
  na: { lots?: ReadonlyArray<unknown> | null; lotJustification?: string | null },
): PolicyViolation | null {
  const from = rules.lotsRequiredFromSek;
  if (from === false || !(tender.estimatedValueSek > from)) return null;
  if ((na.lots?.length ?? 0) >= 2 || text(na.lotJustification)) return null;
  return {
    rule: 'divide_or_justify',
    paragraph: policyParagraph('lotsRequiredFromSek'),
    field: 'lotJustification',
    message:
      `Above ${sek(from)} the organisation's policy requires dividing into lots (at least two), or recording why not, ` +
      `so that small and medium-sized suppliers can tender; this tender is worth ${sek(tender.estimatedValueSek)}.`,
  };
}

/** From the policy's value, criteria from Upphandlingsmyndigheten's criteria are required: a not-applicable reason is refused. */
export function checkPolicySustainability(
  rules: Pick<PolicyRules, 'sustainabilityCriteriaRequiredFromSek'>,
  tender: { estimatedValueSek: number },
  sustainability: { criteria?: unknown; notApplicableReason?: unknown } | null | undefined,
): PolicyViolation | null {
  const from = rules.sustainabilityCriteriaRequiredFromSek;
  if (!atOrAbove(tender.estimatedValueSek, from)) return null;
  const criteria = sustainability?.criteria;
  if (Array.isArray(criteria) && criteria.length > 0 && criteria.every(text)) return null;
  return {
    rule: 'sustainability_criteria_required',
    paragraph: policyParagraph('sustainabilityCriteriaRequiredFromSek'),
    field: 'sustainability.criteria',
    message:
      `From ${sek(from)} the organisation's policy requires sustainability criteria (from Upphandlingsmyndigheten's criteria, ` +
      `level bas, avancerad or spjutspets); a reason why none apply is not enough for a tender of ${sek(tender.estimatedValueSek)}.`,
  };
}

export interface Quote {
  supplier: string;
  amountSek: number;
}

/**
 * A direct award's contract, from the policy's value: at least `directAwardMinQuotes` quotes from
 * distinct suppliers, the contracted supplier among them. The value is the larger of the estimate
 * and the contract's value.
 */
export function checkPolicyQuotes(
  rules: Pick<PolicyRules, 'directAwardQuotesFromSek' | 'directAwardMinQuotes'>,
  contract: {
    regime: string;
    procedure?: string;
    estimatedValueSek: number;
    valueSek: number;
    supplier: string;
    quotes?: readonly Quote[] | null;
  },
): PolicyViolation | null {
  // Quotes are the competition of a plain direct award; an advertised or negotiated one, or one on a
  // ground of 19 a kap. 3–6 §§ (a single supplier, urgency), has its own.
  if (contract.procedure !== undefined ? contract.procedure !== 'direct_award' : contract.regime !== 'direct')
    return null;
  const value = Math.max(contract.estimatedValueSek, contract.valueSek);
  const from = rules.directAwardQuotesFromSek;
  if (!atOrAbove(value, from)) return null;
  const quotes = contract.quotes ?? [];
  const suppliers = new Set(quotes.map((q) => q.supplier.trim().toLowerCase()));
  const need = rules.directAwardMinQuotes;
  if (suppliers.size < need) {
    return {
      rule: 'direct_award_quotes',
      paragraph: policyParagraph('directAwardQuotesFromSek'),
      field: 'quotes',
      message: `From ${sek(from)} a direct award needs ${need} recorded quotes from different suppliers (supplier and amount); ${suppliers.size} recorded.`,
    };
  }
  if (!suppliers.has(contract.supplier.trim().toLowerCase())) {
    return {
      rule: 'direct_award_quotes',
      paragraph: policyParagraph('directAwardQuotesFromSek'),
      field: 'supplier',
      message: `${contract.supplier} is not among the recorded quotes (${quotes.map((q) => q.supplier).join(', ')}).`,
    };
  }
  return null;
}

// --- the follow-up plan ---------------------------------------------------------------------------

export const FOLLOW_UP_OWNERS = ['procurement', 'using_unit'] as const;

/** One line of the follow-up plan decided with the requirements (the policy: "already when setting requirements, decide how follow-up will be done"). */
export interface FollowUpPlanItem {
  /** What is followed up (a requirement, a KPI). */
  what: string;
  /** How (supplier report, spot check, meeting, …). */
  how: string;
  /** By whom (a role or a person). */
  byWhom: string;
  /** How often, in months. */
  everyMonths: number;
  /** The side that owns the milestones: the procurement department or the using unit (default). */
  owner?: (typeof FOLLOW_UP_OWNERS)[number];
}

/** The first problem with a plan as given (400: malformed), or null. */
export function followUpPlanProblem(plan: unknown): { field: string; message: string } | null {
  if (!Array.isArray(plan))
    return { field: 'followUpPlan', message: 'followUpPlan: a list of { what, how, byWhom, everyMonths, owner? }' };
  if (plan.length > 50) return { field: 'followUpPlan', message: 'followUpPlan: at most 50 lines' };
  for (let i = 0; i < plan.length; i++) {
    const item = plan[i] as Record<string, unknown> | null;
    const at = `followUpPlan[${i}]`;
    if (!item || typeof item !== 'object')
      return { field: at, message: `${at}: { what, how, byWhom, everyMonths, owner? }` };
    for (const f of ['what', 'how', 'byWhom'] as const) {
      if (!text(item[f])) return { field: `${at}.${f}`, message: `${at}.${f}: required text` };
    }
    const every = item.everyMonths;
    if (!(typeof every === 'number' && Number.isInteger(every) && every >= 1 && every <= 60)) {
      return { field: `${at}.everyMonths`, message: `${at}.everyMonths: a whole number of months, 1 to 60` };
    }
    if (item.owner !== undefined && !(FOLLOW_UP_OWNERS as readonly unknown[]).includes(item.owner)) {
      return { field: `${at}.owner`, message: `${at}.owner: one of ${FOLLOW_UP_OWNERS.join(', ')}` };
    }
  }
  return null;
}

/** The documents gate under `followUpPlanRequired`: a plan with at least one line. */
export function checkPolicyFollowUpPlan(
  rules: Pick<PolicyRules, 'followUpPlanRequired'>,
  plan: readonly unknown[] | null | undefined,
): PolicyViolation | null {
  if (!rules.followUpPlanRequired || (plan?.length ?? 0) > 0) return null;
  return {
    rule: 'follow_up_plan_required',
    paragraph: policyParagraph('followUpPlanRequired'),
    field: 'followUpPlan',
    message:
      "The organisation's policy decides follow-up already when the requirements are set: register a follow-up plan with the documents " +
      '(what is followed up, how, by whom, how often).',
  };
}

// --- coordinated purchasing across the group --------------------------------------------------------

/** What the group has running in the tender's category (from the read model). */
export interface GroupActivity {
  /** The organisations of the group that were searched. */
  organizations: string[];
  tenders: { id: string; title: string; organization: string; phase: string; estimatedValueSek: number }[];
  contracts: { id: string; title: string; organization: string; supplier: string; endDate: string }[];
}

/** Coordinated purchasing and assortment limitation: when the group already buys this, say why this is bought separately. */
export function checkPolicyGroupCoordination(
  found: GroupActivity,
  category: string,
  reason: string | null | undefined,
): PolicyViolation | null {
  if (found.tenders.length + found.contracts.length === 0 || text(reason)) return null;
  const named = [
    ...found.tenders.map((t) => `tender ${t.id} (${t.organization}, ${t.phase})`),
    ...found.contracts.map((c) => `contract ${c.id} (${c.organization}, ${c.supplier}, until ${c.endDate})`),
  ];
  return {
    rule: 'group_coordination_reason_missing',
    paragraph: policyParagraph('groupCoordinationCheck'),
    field: 'separateProcurementReason',
    message:
      `The group already buys in category ${category}: ${named.slice(0, 10).join('; ')}${named.length > 10 ? `; and ${named.length - 10} more` : ''}. ` +
      'Coordinate with it, or record why this is procured separately (separateProcurementReason).',
  };
}
