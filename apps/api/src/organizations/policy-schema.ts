import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ErrorObject } from 'ajv';
import { DELEGATION_ORDER_UPDATE_SCHEMA, type DelegationItem } from '@tenderflow/domain/delegation';
import {
  POLICY_RULES_SCHEMA,
  policyUpdateSchema,
  type CategoryRulesEntry,
  type PolicyRules,
} from '@tenderflow/domain/policy';
import type { ProblemDetails } from '../common/problem';

/** The body of `PUT /organizations/{org}/policy` once it has passed the schema. */
export interface PolicyUpdate {
  rules: Partial<PolicyRules>;
  categoryRules?: CategoryRulesEntry[];
  reference: string;
}

/** The body of `PUT /organizations/{org}/delegation-order` once it has passed the schema. */
export interface DelegationOrderUpdate {
  items: DelegationItem[];
  reference: string;
}

/** Published in the OpenAPI document (components.schemas), so clients validate against what the API validates against. */
export const POLICY_SCHEMA_NAMES = {
  rules: 'PolicyRules',
  update: 'PolicyUpdate',
  delegationOrder: 'DelegationOrderUpdate',
} as const;

export function addPolicySchemas(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    [POLICY_SCHEMA_NAMES.rules]: POLICY_RULES_SCHEMA as never,
    [POLICY_SCHEMA_NAMES.update]: policyUpdateSchema({
      $ref: `#/components/schemas/${POLICY_SCHEMA_NAMES.rules}`,
    }) as never,
    [POLICY_SCHEMA_NAMES.delegationOrder]: DELEGATION_ORDER_UPDATE_SCHEMA as never,
  };
  return document;
}

// The same schema objects, compiled once. `example` and `description` are OpenAPI annotations;
// `verbose` keeps the offending value, to explain a threshold that is neither SEK nor false.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
ajv.addKeyword('example');
const validate = ajv.compile<PolicyUpdate>(policyUpdateSchema(POLICY_RULES_SCHEMA));
const validateDelegationOrder = ajv.compile<DelegationOrderUpdate>(DELEGATION_ORDER_UPDATE_SCHEMA as never);

/** The body's problems against the published schema, each naming its field (`rules.dualApprovalFromSek`); empty when valid. */
export function policyUpdateProblems(body: unknown): NonNullable<ProblemDetails['errors']> {
  if (validate(body)) return [];
  const errors = validate.errors ?? [];
  // A threshold is whole SEK or false (oneOf): report the branch that fits the value's type, once.
  const alternatives = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => {
    if (!alternatives.has(e.instancePath)) return true;
    if (e.keyword === 'oneOf') return typeof e.data !== 'number';
    return typeof e.data === 'number' && /\/oneOf\/0\//.test(e.schemaPath);
  });
  return kept.map(toProblem);
}

export function isPolicyUpdate(body: unknown): body is PolicyUpdate {
  return validate(body);
}

/** The delegation order's problems against its published schema, each naming its field (`items.2.limit`); empty when valid. */
export function delegationOrderUpdateProblems(body: unknown): NonNullable<ProblemDetails['errors']> {
  return validateDelegationOrder(body) ? [] : (validateDelegationOrder.errors ?? []).map(toProblem);
}

export function isDelegationOrderUpdate(body: unknown): body is DelegationOrderUpdate {
  return validateDelegationOrder(body);
}

function toProblem(e: ErrorObject): { field: string; rule: string; message: string } {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') {
    const field = [...path, String(e.params.additionalProperty)].join('.');
    return {
      field,
      rule: 'unknown_field',
      message: `${field} is not a known ${path[path.length - 1] === 'rules' ? 'rule' : 'field'}`,
    };
  }
  if (e.keyword === 'required') {
    const field = [...path, String(e.params.missingProperty)].join('.');
    return { field, rule: 'required', message: `${field} is required` };
  }
  const field = path.length > 0 ? path.join('.') : 'body';
  if (e.keyword === 'oneOf')
    return { field, rule: 'type', message: `${field} must be a whole number of SEK, or false (the rule is off)` };
  return { field, rule: e.keyword, message: `${field} ${e.message ?? 'is invalid'}` };
}
