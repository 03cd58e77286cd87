/**
 * Forms from the API's own contract: the request body of a command is read from the OpenAPI
 * document the API serves (/docs-json), so every command the API has gets a form with the fields,
 * types, choices and required marks the API validates, and a field the API adds appears without a
 * console release. No React here (unit-tested in test/unit/console-schema-form.spec.ts): the
 * schema walk, the form's starting value and the body sent.
 */

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  $ref?: string;
  format?: string;
  maxLength?: number;
  minItems?: number;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  example?: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** A form's value: text as typed, booleans, lists and groups; numbers stay text until sent. */
export type FormValue = string | boolean | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/**
 * The schema behind `$ref`, `allOf` and `oneOf`: the variants of a oneOf are one form (their fields
 * together, the choices of a field joined, required only what every variant requires); the API
 * decides which variant a body is.
 */
export function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined, depth = 0): JsonSchema {
  if (!schema || depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components?.schemas?.[name], depth + 1);
  }
  const variants = schema.oneOf ?? schema.allOf;
  if (variants?.length) {
    const parts = variants.map((v) => resolve(doc, v, depth + 1));
    const properties: Record<string, JsonSchema> = {};
    for (const p of parts) {
      for (const [k, v] of Object.entries(p.properties ?? {})) {
        const before = properties[k];
        properties[k] =
          before?.enum && v.enum ? { ...before, enum: [...new Set([...before.enum, ...v.enum])] } : (before ?? v);
      }
    }
    const required = schema.allOf
      ? [...new Set(parts.flatMap((p) => p.required ?? []))]
      : (parts[0].required ?? []).filter((r) => parts.every((p) => p.required?.includes(r)));
    return { type: 'object', properties, required };
  }
  return schema;
}

/** The route template of the document that a concrete path fills in (`/tenders/HSN-2026-00001/opening` → `/tenders/{id}/opening`). */
export function templateOf(doc: OpenApiDocument, path: string, method = 'post'): string | undefined {
  return Object.keys(doc.paths).find(
    (template) =>
      doc.paths[template][method] &&
      new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
}

/** The JSON request body's schema of a POST (or another method) to `path` (its template), resolved. */
export function requestSchema(doc: OpenApiDocument, template: string, method = 'post'): JsonSchema | undefined {
  const body = doc.paths[template]?.[method]?.requestBody?.content?.['application/json']?.schema;
  return body ? resolve(doc, body) : undefined;
}

/** The kind of input a field is given. */
export type InputKind = 'text' | 'textarea' | 'number' | 'date' | 'datetime' | 'choice' | 'yesno' | 'check' | 'lines';

export function inputKind(s: JsonSchema, required: boolean): InputKind | 'group' | 'list' {
  if (s.enum) return 'choice';
  if (s.type === 'boolean') return required ? 'check' : 'yesno';
  if (s.type === 'integer' || s.type === 'number') return 'number';
  if (s.type === 'array') return s.items && (s.items.$ref || s.items.type === 'object') ? 'list' : 'lines';
  if (s.type === 'object' || s.properties) return 'group';
  if (s.format === 'date') return 'date';
  if (s.format === 'date-time') return 'datetime';
  return (s.maxLength ?? 0) > 500 ? 'textarea' : 'text';
}

/** A new form's value: empty text, unchecked, lists with as many rows as they must have. */
export function initialValue(doc: OpenApiDocument, schema: JsonSchema): FormValue {
  const s = resolve(doc, schema);
  const kind = inputKind(s, false);
  if (kind === 'group') {
    const out: FormObject = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = initialValue(doc, v);
    return out;
  }
  if (kind === 'list') {
    const item = s.items ? resolve(doc, s.items) : {};
    return Array.from({ length: Math.max(s.minItems ?? 0, 1) }, () => initialValue(doc, item));
  }
  if (s.type === 'boolean') return false;
  return '';
}

/** A row's values without its unticked checkboxes (a required yes/no starts as false). */
const untouched = (row: unknown) =>
  row && typeof row === 'object' && !Array.isArray(row)
    ? Object.fromEntries(Object.entries(row).filter(([, v]) => v !== false))
    : row;

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * The body sent: text trimmed of nothing (the API judges it), empty fields left out, numbers as
 * numbers when they read as one (otherwise the text, which the API names as the wrong field),
 * a list of lines as an array, yes/no as a boolean, a date-time as an ISO instant.
 */
export function toPayload(doc: OpenApiDocument, schema: JsonSchema, value: FormValue, required = false): unknown {
  const s = resolve(doc, schema);
  const kind = inputKind(s, required);
  switch (kind) {
    case 'group': {
      const v = (value ?? {}) as FormObject;
      const out: Record<string, unknown> = {};
      for (const [k, sub] of Object.entries(s.properties ?? {})) {
        const p = toPayload(doc, sub, v[k] ?? '', s.required?.includes(k) ?? false);
        if (!isEmpty(p)) out[k] = p;
      }
      return out;
    }
    case 'list': {
      const rows = (Array.isArray(value) ? value : []).map((row) => toPayload(doc, s.items ?? {}, row));
      // A row left as it started (its checkboxes unticked, nothing typed) is no row.
      return rows.filter((r) => !isEmpty(untouched(r)));
    }
    case 'lines':
      return String(value ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    case 'number': {
      const text = String(value ?? '').trim();
      if (!text) return undefined;
      const n = Number(text.replace(',', '.').replace(/\s/g, ''));
      return Number.isFinite(n) ? n : text;
    }
    case 'check':
      return value === true;
    case 'yesno':
      return value === 'yes' ? true : value === 'no' ? false : undefined;
    case 'datetime': {
      const text = String(value ?? '');
      const t = Date.parse(text);
      return text ? (Number.isFinite(t) ? new Date(t).toISOString() : text) : undefined;
    }
    default:
      return value === '' ? undefined : value;
  }
}

/** Every field name and every choice of a schema, with their nesting walked (for the labels' coverage). */
export function namesOf(
  doc: OpenApiDocument,
  schema: JsonSchema,
  seen = new Set<JsonSchema>(),
): {
  fields: Set<string>;
  choices: Set<string>;
} {
  const out = { fields: new Set<string>(), choices: new Set<string>() };
  const s = resolve(doc, schema);
  if (seen.has(s)) return out;
  seen.add(s);
  for (const c of s.enum ?? []) out.choices.add(String(c));
  const children = [...Object.entries(s.properties ?? {}), ...(s.items ? [['', s.items] as const] : [])];
  for (const [k, v] of children) {
    if (k) out.fields.add(k);
    const inner = namesOf(doc, v, seen);
    inner.fields.forEach((f) => out.fields.add(f));
    inner.choices.forEach((c) => out.choices.add(c));
  }
  return out;
}
