/**
 * A new version of the organisation's procurement policy, as the administration view edits it: the
 * rules and their kinds read from the API's published schema (components.schemas.PolicyRules), the
 * draft the form holds, the `rules` object PUT /organizations/{org}/policy receives, and the change
 * against the version in force, rule by rule. No React here (unit-tested in
 * test/unit/console-policy-diff.spec.ts).
 *
 * A version states only what the organisation itself sets; every other rule is inherited (from its
 * group, or the defaults). So the draft starts from the version's own rules, and "inherited" is a
 * value of its own: the diff shows what is in force before and after, and where it comes from.
 */
import { resolve, type JsonSchema, type OpenApiDocument } from './schema-form';

/** A rule's value as the API has it; text when the administrator typed what is not a number (the API names the field). */
export type RuleValue = number | boolean | string;
export type Rules = Record<string, RuleValue>;

/** A threshold in whole SEK or `false` (off); a yes/no; a number (days, quotes, percent). */
export type RuleKind = 'sek' | 'flag' | 'number';

/** What GET /organizations/{org}/policy answers (the console's reading of it). */
export interface PolicyInForce {
  organization: string;
  /** 0: the organisation has adopted no version of its own. */
  version: number;
  validFrom: string | null;
  decidedBy: { sub: string; name: string } | null;
  reference: string | null;
  /** Every rule in force, inherited ones included. */
  rules: Rules;
  /** What the organisation's own version sets. */
  overrides: Rules;
  categoryRules: { category: string; rules: Rules }[];
  /** Where each rule in force comes from: `default`, an organisation code. */
  sources: Record<string, string>;
  policyVersion: string;
  inheritsFrom: { organization: string; version: number }[];
}

/** One version of GET /organizations/{org}/policy/versions. */
export interface PolicyVersionItem {
  version: number;
  validFrom: string;
  decidedBy: { sub: string; name: string };
  reference: string;
  rules: Rules;
  categoryRules: { category: string; rules: Rules }[];
}

/** The rules of the published schema, in its order, each with its kind. */
export function ruleKinds(doc: OpenApiDocument): { name: string; kind: RuleKind }[] {
  const rules = resolve(doc, { $ref: '#/components/schemas/PolicyRules' });
  return Object.entries(rules.properties ?? {}).map(([name, sub]) => ({ name, kind: ruleKind(doc, sub) }));
}

/** A oneOf of whole SEK and `false` is a threshold; a boolean a yes/no; the rest numbers. */
export function ruleKind(doc: OpenApiDocument, schema: JsonSchema): RuleKind {
  // Not resolve(): it would merge the oneOf's variants into one object.
  const s = schema.$ref ? (doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {}) : schema;
  const variants = s.oneOf ?? [];
  if (variants.some((v) => v.type === 'boolean') && variants.some((v) => v.type === 'integer' || v.type === 'number'))
    return 'sek';
  return s.type === 'boolean' ? 'flag' : 'number';
}

/** A rule as the form holds it: inherited, off (a threshold), or set to the typed text (`yes`/`no` for a flag). */
export interface RuleDraft {
  mode: 'inherit' | 'off' | 'set';
  text: string;
}
export type PolicyDraft = Record<string, RuleDraft>;

/** The form's start: the organisation's own rules; the rest inherited. */
export function draftOf(kinds: { name: string; kind: RuleKind }[], own: Rules): PolicyDraft {
  const out: PolicyDraft = {};
  for (const { name, kind } of kinds) {
    const v = own[name];
    out[name] =
      v === undefined
        ? { mode: 'inherit', text: '' }
        : v === false && kind === 'sek'
          ? { mode: 'off', text: '' }
          : kind === 'flag'
            ? { mode: 'set', text: v === true ? 'yes' : 'no' }
            : { mode: 'set', text: String(v) };
  }
  return out;
}

/**
 * The `rules` of the PUT: only what the version sets. A number as a number when the text reads as
 * one (spaces and a decimal comma allowed), otherwise the text as typed, for the API to refuse by name.
 */
export function rulesOf(kinds: { name: string; kind: RuleKind }[], draft: PolicyDraft): Rules {
  const out: Rules = {};
  for (const { name, kind } of kinds) {
    const d = draft[name];
    if (!d || d.mode === 'inherit') continue;
    if (d.mode === 'off') {
      out[name] = false;
      continue;
    }
    if (kind === 'flag') {
      out[name] = d.text === 'yes';
      continue;
    }
    const text = d.text.trim();
    const n = Number(text.replace(/\s/g, '').replace(',', '.'));
    out[name] = text !== '' && Number.isFinite(n) ? n : text;
  }
  return out;
}

/** One rule's value in force: the value, and whether the organisation's own version sets it. */
export interface InForce {
  value: RuleValue;
  own: boolean;
}
export interface RuleChange {
  rule: string;
  before: InForce;
  after: InForce;
}

/**
 * The change a new version makes, rule by rule, in the schema's order: the value in force before
 * and after (own, or inherited from `inherited`), for every rule whose value or whose source changes
 * (setting a rule to the value it inherits still pins it: the group's later change no longer reaches it).
 */
export function policyDiff(names: string[], inherited: Rules, before: Rules, after: Rules): RuleChange[] {
  const inForce = (own: Rules, name: string): InForce =>
    own[name] !== undefined ? { value: own[name], own: true } : { value: inherited[name], own: false };
  return names
    .map((rule) => ({ rule, before: inForce(before, rule), after: inForce(after, rule) }))
    .filter((c) => c.before.value !== c.after.value || c.before.own !== c.after.own);
}
