/**
 * What text may enter a tender. Deterministic and dependency-free: the API checks every string at
 * the door and the workflow validators check again, since Updates can also reach a workflow from
 * elsewhere (ARCHITECTURE §4). The rule is what PostgreSQL can store faithfully in `text` and `jsonb`:
 * well-formed Unicode (no lone UTF-16 surrogates), no NUL, and no C0/C1 control characters other
 * than tab, line feed and carriage return.
 */

export const MAX_JSON_DEPTH = 32;

const MAILBOX_CHARS = '[^\\s@<>,;:"\\u0000-\\u001F\\u007F]';
const EMAIL_ADDRESS = new RegExp(`^${MAILBOX_CHARS}+@${MAILBOX_CHARS}+\\.${MAILBOX_CHARS}+$`);

/**
 * An e-mail address a notice can be sent to: one mailbox, local part @ domain with a dot, at most
 * 254 characters (RFC 5321's path limit), nothing that would split a recipient list or a header
 * (spaces, control characters, `<>,;:"`).
 */
export function isEmailAddress(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 254 && EMAIL_ADDRESS.test(v) && !v.endsWith('.');
}

/** A required text: a string with more than whitespace, at most `max` characters. */
export function isFilledText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.trim().length > 0 && v.length <= max;
}

/** An optional text: absent, or a string of at most `max` characters. */
export function isOptionalText(v: unknown, max: number): v is string | undefined {
  return v === undefined || (typeof v === 'string' && v.length <= max);
}

/**
 * The control-character rule as a JSON Schema `pattern` for the OpenAPI document: no C0 control
 * other than tab, LF, CR, no DEL, no C1 control. (Lone surrogates, also refused, cannot be written
 * in a pattern that every client's regex engine takes; the document says so in words.) Kept beside
 * textRuleBroken and tested against it.
 */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';

/** Keys that would reach an object's prototype machinery; refused as unknown fields. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type TextRule =
  | 'lone_surrogate'
  | 'nul_character'
  | 'control_character'
  | 'malformed_encoding'
  | 'max_depth'
  | 'unknown_field'
  | 'not_null';

export interface TextProblem {
  /** Dotted path of the offending value, e.g. `lots.0.title` (a key problem names the key). */
  field: string;
  rule: TextRule;
  message: string;
}

type CharacterRule = 'lone_surrogate' | 'nul_character' | 'control_character';

const MESSAGES: Record<CharacterRule, string> = {
  lone_surrogate: 'contains a lone UTF-16 surrogate (not well-formed Unicode)',
  nul_character: 'contains a NUL character (U+0000)',
  control_character: 'contains a control character (only tab, line feed and carriage return are allowed)',
};

/** The first character of `s` that cannot be stored, as a rule, or null when `s` is fine. */
export function textRuleBroken(s: string): CharacterRule | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return 'lone_surrogate';
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 'lone_surrogate';
    if (c === 0) return 'nul_character';
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || (c >= 0x80 && c <= 0x9f))
      return 'control_character';
  }
  return null;
}

/**
 * Walks a parsed JSON value (body, query, claims) and names the first string or key that may not
 * enter, or a nesting deeper than `maxDepth`. Iterative over a bounded depth: a hostile document
 * cannot exhaust the stack here.
 */
export function findTextProblem(value: unknown, root = '', maxDepth = MAX_JSON_DEPTH): TextProblem | null {
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const rule = textRuleBroken(v);
      if (rule) return { field: path || 'value', rule, message: `${path || 'value'} ${MESSAGES[rule]}` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth)
      return {
        field: path || 'value',
        rule: 'max_depth',
        message: `${path || 'the body'} is nested deeper than ${maxDepth} levels`,
      };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: join(path, String(i)), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const field = join(path, key);
      const keyRule = textRuleBroken(key);
      if (keyRule)
        return {
          field: join(path, JSON.stringify(key).slice(1, -1)),
          rule: keyRule,
          message: `a field name ${MESSAGES[keyRule]}`,
        };
      if (FORBIDDEN_KEYS.has(key)) return { field, rule: 'unknown_field', message: `${field} is not a known field` };
      stack.push({ v: (v as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * The form of a value that PostgreSQL stores unchanged: lone surrogates and NUL become U+FFFD in
 * strings and keys. Audit rows are hashed over this form, so whatever content reaches the chain,
 * `verify` recomputes the same hash from what was stored.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableString(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => storable(v)) as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[storableString(k)] = storable(v);
  return out as T;
}

function storableString(s: string): string {
  // Fast path: most text has nothing to replace. NUL is looked for on purpose: PostgreSQL text cannot store it.
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000\ud800-\udfff]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i += 1;
        continue;
      }
      out += '\ufffd';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0) {
      out += '\ufffd';
    } else {
      out += s[i];
    }
  }
  return out;
}

export const MAX_CLAIM_LENGTH = 200;

/**
 * Whether an actor, as a command carries it, is one a token could have vouched for: `sub`, `org`
 * and `name` non-empty storable strings of at most 200 characters, roles a list of strings, an
 * approval limit that is a non-negative safe integer. The API refuses such tokens (401); workflow
 * validators refuse such actors, since Updates can also arrive from elsewhere.
 */
export function actorProblem(actor: unknown): string | null {
  if (!actor || typeof actor !== 'object') return 'the command carries no actor';
  const a = actor as Record<string, unknown>;
  for (const claim of ['sub', 'org', 'name']) {
    const v = a[claim];
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_CLAIM_LENGTH || textRuleBroken(v)) {
      return `actor.${claim} must be a non-empty string of at most ${MAX_CLAIM_LENGTH} characters of plain text`;
    }
  }
  if (!Array.isArray(a.roles) || !a.roles.every((r) => typeof r === 'string'))
    return 'actor.roles must be a list of role names';
  const limit = a.approvalLimitSek;
  if (limit !== undefined && !(typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0)) {
    return 'actor.approvalLimitSek must be a whole, non-negative number of SEK';
  }
  if (
    a.categories !== undefined &&
    !(Array.isArray(a.categories) && a.categories.every((c) => typeof c === 'string'))
  ) {
    return 'actor.categories must be a list of category codes';
  }
  return null;
}

/** How far ahead a deadline may be set: a typo (2062 for 2026) must not park a tender for decades. */
export const MAX_DEADLINE_YEARS_AHEAD = 2;

/**
 * A requested last day (YYYY-MM-DD) against today (YYYY-MM-DD): 'past' when before today,
 * 'too_far' when more than two years ahead, or null.
 */
export function deadlineHorizonProblem(day: string, today: string): 'past' | 'too_far' | null {
  if (day < today) return 'past';
  const [y, m, d] = today.split('-');
  const horizon = `${String(Number(y) + MAX_DEADLINE_YEARS_AHEAD).padStart(4, '0')}-${m}-${d}`;
  return day > horizon ? 'too_far' : null;
}
