import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ErrorObject } from 'ajv';
import { POLICY_RULES_SCHEMA, policyUpdateSchema, type PolicyRules } from '../../../../libs/domain/src/policy';
import type { ProblemDetails } from '../common/problem';

/** The body of `PUT /organizations/{org}/policy` once it has passed the schema. */
export interface PolicyUpdate {
  rules: Partial<PolicyRules>;
  categoryRules?: Record<string, Partial<PolicyRules>>;
  reference: string;
}

/** Published in the OpenAPI document (components.schemas), so clients validate against what the API validates against. */
export const POLICY_SCHEMA_NAMES = { rules: 'PolicyRules', update: 'PolicyUpdate' } as const;

export function addPolicySchemas(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    [POLICY_SCHEMA_NAMES.rules]: POLICY_RULES_SCHEMA as never,
    [POLICY_SCHEMA_NAMES.update]: policyUpdateSchema({ $ref: `#/components/schemas/${POLICY_SCHEMA_NAMES.rules}` }) as never,
  };
  return document;
}

// The same schema objects, compiled once. `example` and `description` are OpenAPI annotations.
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addKeyword('example');
const validate = ajv.compile<PolicyUpdate>(policyUpdateSchema(POLICY_RULES_SCHEMA));

/** The body's problems against the published schema, each naming its field (`rules.dualApprovalFromSek`); empty when valid. */
export function policyUpdateProblems(body: unknown): NonNullable<ProblemDetails['errors']> {
  if (validate(body)) return [];
  return (validate.errors ?? []).map(toProblem);
}

export function isPolicyUpdate(body: unknown): body is PolicyUpdate {
  return validate(body);
}

function toProblem(e: ErrorObject): { field: string; rule: string; message: string } {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') {
    const field = [...path, String(e.params.additionalProperty)].join('.');
    return { field, rule: 'unknown_field', message: `${field} is not a known ${path.length === 1 && path[0] === 'rules' ? 'rule' : 'field'}` };
  }
  if (e.keyword === 'required') {
    const field = [...path, String(e.params.missingProperty)].join('.');
    return { field, rule: 'required', message: `${field} is required` };
  }
  const field = path.length > 0 ? path.join('.') : 'body';
  return { field, rule: e.keyword, message: `${field} ${e.message ?? 'is invalid'}` };
}
