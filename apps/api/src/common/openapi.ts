import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { STORABLE_TEXT_PATTERN } from '@tenderflow/domain/text';
import { CATEGORY_CODE } from '@tenderflow/domain/policy';
import { IDEMPOTENCY_KEY } from './idempotency';
import {
  ABSENCE_ID,
  CONTRACT_ID,
  ISO_DATE,
  ISO_INSTANT,
  LOCAL_ID,
  ORGANIZATION_CODE,
  PERSON_SUB,
  TENDER_ID,
} from './params';
import { FUNCTION_CODE } from '@tenderflow/domain/absences';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; description?: string };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }
  >;
  security?: unknown[];
  description?: string;
};

/** JSON Schema's `pattern` from a RegExp used by a validator (the same source, not a copy). */
const pattern = (re: RegExp) => re.source;

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description:
    'RFC 9457 problem details, in Swedish when the request prefers it (`Accept-Language: sv`, q-values honoured; the answer says `Content-Language`), English otherwise',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    detailEn: {
      type: 'string',
      description: "In a Swedish answer to a refused rule: the API's English sentence, which carries the figures",
    },
    instance: { type: 'string' },
    rule: { type: 'string', description: 'The refused procurement rule' },
    paragraph: { type: 'string', description: 'The paragraph of the law or policy' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const CONTENT_LANGUAGE = {
  description: 'sv or en: the language of the problem details (chosen by Accept-Language)',
  schema: { type: 'string', enum: ['sv', 'en'] },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Malformed request: the offending fields are named in `errors` with the rule they break',
  '401': 'No token, or a token that is expired, wrongly signed or carries claims that are not accepted',
  '403': 'Not allowed for the caller',
  '404': 'No such resource, or one the caller may not see',
  '405': 'The path exists but not with this method; `Allow` names the methods',
  '409': 'Not possible in the current state, or a conflicting repeat',
  '413': 'The request body is larger than the limit',
  '415': 'The request body cannot be read: an unsupported Content-Encoding or charset',
  '422': 'Refused by a procurement rule; `rule` names it and `paragraph` cites the law or policy',
  '429': 'Rate limit reached; retry after the time in `Retry-After`',
  '503': 'PostgreSQL or Temporal is not reachable at the moment; retry (nothing was lost)',
};

/**
 * The OpenAPI document says what the API enforces, derived from the same sources as the checks:
 * class-validator's metadata on the DTOs (patterns, lengths, enums, bounds, unknown fields refused),
 * the shared path-parameter patterns, and one problem+json schema for every error answer.
 */
export function refineDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {}) as Record<string, Schema>;
  const derived = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      // Our own decorators (registerDecorator) are known by name.
      [ValidationTypes.CUSTOM_VALIDATION]: (meta) => {
        const name = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls as never)[0]?.name;
        if (name === 'isIsoDate') return { type: 'string', format: 'date', pattern: pattern(ISO_DATE) };
        if (name === 'isInstant') return { type: 'string', format: 'date-time', pattern: pattern(ISO_INSTANT) };
        return {};
      },
    },
  }) as Record<string, Schema>;
  for (const [name, schema] of Object.entries(schemas)) {
    const fromValidators = derived[name];
    if (fromValidators) schemas[name] = mergeSchema(schema, fromValidators);
  }
  for (const [name, variants] of Object.entries(VARIANTS)) {
    if (schemas[name]) schemas[name] = variants(schemas[name]);
  }
  schemas.Problem = PROBLEM_SCHEMA;
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const p of op.parameters ?? []) refineParameter(path, p, derived, queryNames);
      const body = op.requestBody?.content?.['application/json']?.schema;
      const secured = Array.isArray(op.security) && op.security.length > 0;
      const statuses = new Set<string>(['429', '503']);
      if (secured) statuses.add('401').add('403');
      if ((op.parameters ?? []).length > 0 || body) statuses.add('400');
      if ((op.parameters ?? []).some((p) => p.in === 'path')) statuses.add('404');
      if (body) statuses.add('413').add('415');
      // A rule set without a row for the date, or a procurement rule, answers 422 wherever rules are applied.
      if (path.startsWith('/reference/') || method !== 'get') statuses.add('422');
      for (const s of statuses) op.responses[s] ??= { description: DESCRIPTIONS[s] };
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) {
          response.content = problem;
          response.headers = { 'Content-Language': CONTENT_LANGUAGE };
        }
      }
    }
  }
  return document;
}

/** A variant of an object schema: only `keep` of its properties, `required` of them, overrides laid over. */
function variant(s: Schema, keep: string[], required: string[], overrides: Record<string, Schema> = {}): Schema {
  const properties = Object.fromEntries(
    keep.filter((k) => s.properties?.[k]).map((k) => [k, { ...s.properties![k], ...(overrides[k] ?? {}) }]),
  );
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * Rules between the fields of one body, which the validators check with ValidateIf and which a
 * flat schema cannot say: written as `oneOf` of the shapes the validators accept.
 */
const VARIANTS: Record<string, (s: Schema) => Schema> = {
  // A rejection or a request for changes says why (the comment); an approval may.
  DecideGateDto: (s) => ({
    description: s.description,
    oneOf: [
      variant(s, Object.keys(s.properties ?? {}), ['decision'], { decision: { type: 'string', enum: ['approve'] } }),
      variant(s, Object.keys(s.properties ?? {}), ['decision', 'comment'], {
        decision: { type: 'string', enum: ['reject', 'request_changes'] },
      }),
    ],
  }),
  // Criteria with their level, or the reason none apply; not both.
  SustainabilityDto: (s) => ({
    description: s.description,
    oneOf: [
      variant(s, ['criteria', 'level'], ['criteria', 'level']),
      variant(s, ['notApplicableReason'], ['notApplicableReason']),
    ],
  }),
};

/** Path parameters carry the pattern their pipe enforces; query parameters the DTO's constraints. */
function refineParameter(path: string, p: Parameter, derived: Record<string, Schema>, siblings: string[]): void {
  if (p.in === 'header' && p.name.toLowerCase() === 'idempotency-key') {
    p.schema = { type: 'string', pattern: pattern(IDEMPOTENCY_KEY) };
    return;
  }
  if (p.in === 'path') {
    const byName: Record<string, RegExp> = {
      id: path.startsWith('/contracts') ? CONTRACT_ID : path.includes('/absences/') ? ABSENCE_ID : TENDER_ID,
      qid: LOCAL_ID,
      rid: LOCAL_ID,
      mid: LOCAL_ID,
      org: ORGANIZATION_CODE,
      code: path.includes('/functions/') ? FUNCTION_CODE : CATEGORY_CODE,
      sub: PERSON_SUB,
    };
    const re = path.startsWith('/reference/thresholds') ? undefined : byName[p.name];
    if (re) p.schema = { ...(p.schema ?? {}), type: 'string', pattern: pattern(re) };
    return;
  }
  if (p.in === 'query') {
    // The query's DTO is the derived *Query schema that has every query parameter of the operation;
    // of several, the one with the fewest other properties (so the answer does not depend on the
    // order in which the DTOs were loaded).
    const size = (schema: Schema) => Object.keys(schema.properties ?? {}).length;
    let query: Schema | undefined;
    for (const [name, schema] of Object.entries(derived)) {
      if (!/Query$/.test(name) || !siblings.every((n) => schema.properties?.[n])) continue;
      if (query === undefined || size(schema) < size(query)) query = schema;
    }
    const prop = query?.properties?.[p.name];
    if (prop) {
      p.schema = mergeSchema(p.schema ?? {}, prop);
      if (p.schema.type === 'array' && p.schema.items)
        p.schema.items = mergeSchema(p.schema.items as Schema, (prop.items as Schema) ?? {});
      if (p.schema.format === undefined && p.name === 'date')
        p.schema = { ...p.schema, format: 'date', pattern: pattern(ISO_DATE) };
    }
  }
}

/**
 * Swagger's view (descriptions, examples, refs) with the validators' constraints laid over it. A
 * free-text string (no pattern, enum or format of its own) carries the door's character rule.
 */
function mergeSchema(swagger: Schema, validators: Schema): Schema {
  const merged: Schema = { ...swagger };
  for (const key of [
    'pattern',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
    'enum',
    'format',
  ]) {
    if (validators[key] !== undefined) merged[key] = validators[key];
  }
  // The validators' type wins (Swagger guesses `object` for a `string | null` property).
  if (typeof validators.type === 'string' && (validators.type !== 'object' || merged.type === undefined))
    merged.type = validators.type;
  const isString = merged.type === 'string' || (merged.type === undefined && validators.type === 'string');
  if (isString && merged.pattern === undefined && merged.enum === undefined && merged.format === undefined)
    merged.pattern = STORABLE_TEXT_PATTERN;
  if (swagger.properties || validators.properties) {
    const props: Record<string, Schema> = { ...(swagger.properties ?? {}) };
    for (const [name, v] of Object.entries(validators.properties ?? {})) {
      props[name] = props[name] ? mergeSchema(props[name], v) : v;
      if (Array.isArray(v.items) === false && (v as Schema).items && props[name].items) {
        props[name].items = mergeSchema(props[name].items as Schema, (v as Schema).items as Schema);
      }
    }
    merged.properties = props;
    merged.additionalProperties = false;
    // What is required is the validators' to say (a property with a default is optional there).
    if (validators.properties) {
      if (validators.required?.length) merged.required = validators.required;
      else delete merged.required;
    }
  }
  return merged;
}
