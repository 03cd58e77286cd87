import { ruleText } from '@tenderflow/domain/rule-texts';
import type { ProblemDetails } from './problem-details';

/**
 * Problem details in Swedish (Accept-Language: sv). The English answer is built as always and then
 * said in Swedish here: the title by status, each field message from its constraint (class-validator)
 * or rule, and the detail from the refused rule's meaning (libs/domain rule-texts.ts) or, for other
 * answers, a Swedish sentence of its kind. The English detail, which carries the figures, stays in
 * `detailEn`.
 */

export const SWEDISH_TITLES: Readonly<Record<number, string>> = {
  400: 'Felaktig begäran',
  401: 'Inte inloggad',
  403: 'Åtkomst nekad',
  404: 'Hittades inte',
  405: 'Metoden tillåts inte',
  409: 'Konflikt',
  413: 'För stort innehåll',
  415: 'Medietypen stöds inte',
  422: 'Regeln tillåter inte detta',
  429: 'För många förfrågningar',
  500: 'Internt serverfel',
  503: 'Tjänsten är inte tillgänglig',
};

/** The Swedish detail of an answer that names no rule with a Swedish text: by its type, then by its status. */
const DETAILS_BY_TYPE: Readonly<Record<string, string>> = {
  'malformed-request': 'Felaktig begäran: innehållet är inte giltig JSON eller adressen är felaktig.',
  'payload-too-large': 'Begärans innehåll är större än tillåtet.',
  'database-unavailable': 'Databasen går inte att nå just nu; försök igen om en stund (inget gick förlorat).',
  'temporal-unavailable': 'Arbetsflödestjänsten kunde inte hantera begäran; försök igen om en stund.',
  'not-ready': 'Tjänsten är inte redo ännu; försök igen om en stund.',
  'internal-error': 'Ett oväntat fel inträffade; det har loggats.',
  'method-not-allowed': 'Adressen finns men inte med denna metod; Allow anger de metoder som finns.',
  'not-found': 'Det efterfrågade finns inte, eller så får du inte se det.',
  unauthorized: 'Begäran saknar en giltig inloggning (token).',
};
const DETAILS_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Begäran är felaktig.',
  401: 'Begäran saknar en giltig inloggning (token).',
  403: 'Du får inte göra detta.',
  404: 'Det efterfrågade finns inte, eller så får du inte se det.',
  405: 'Adressen finns men inte med denna metod.',
  409: 'Det går inte i det nuvarande läget, eller så krockar begäran med en tidigare.',
  413: 'Begärans innehåll är större än tillåtet.',
  415: 'Begärans medietyp stöds inte.',
  422: 'En regel för upphandlingen tillåter inte detta.',
  429: 'För många förfrågningar; försök igen efter tiden i Retry-After.',
  500: 'Ett oväntat fel inträffade; det har loggats.',
  503: 'Tjänsten är inte tillgänglig just nu; försök igen om en stund (inget gick förlorat).',
};

const list = (values: unknown) => (Array.isArray(values) ? values.join(', ') : String(values));
const length = (value: unknown) => (typeof value === 'string' ? [...value].length : undefined);

/**
 * A field's message in Swedish for each class-validator constraint the API's DTOs use (and the
 * project's own, registered by name), with the constraint's figures: `comment: minst 1 tecken`.
 * `args` are the constraint's arguments (Length(1, 300) → [1, 300]); `value` the value refused.
 */
export const CONSTRAINT_TEXTS: Readonly<
  Record<string, (field: string, args: readonly unknown[], value: unknown) => string>
> = {
  isDefined: (f) => `${f}: måste anges`,
  isString: (f) => `${f}: en text`,
  isInt: (f) => `${f}: ett heltal`,
  isNumber: (f) => `${f}: ett tal`,
  isBoolean: (f) => `${f}: true eller false`,
  isArray: (f) => `${f}: en lista`,
  isObject: (f) => `${f}: ett objekt`,
  isEmail: (f) => `${f}: en e-postadress`,
  isIn: (f, [values]) => `${f}: ett av ${list(values)}`,
  min: (f, [n]) => `${f}: minst ${String(n)}`,
  max: (f, [n]) => `${f}: högst ${String(n)}`,
  isLength: (f, [min, max], value) => {
    const n = length(value);
    if (n !== undefined && typeof min === 'number' && n < min) return `${f}: minst ${min} tecken`;
    if (n !== undefined && typeof max === 'number' && n > max) return `${f}: högst ${max} tecken`;
    return typeof max === 'number' ? `${f}: ${String(min)}–${max} tecken` : `${f}: minst ${String(min)} tecken`;
  },
  maxLength: (f, [n]) => `${f}: högst ${String(n)} tecken`,
  minLength: (f, [n]) => `${f}: minst ${String(n)} tecken`,
  arrayMinSize: (f, [n]) => `${f}: minst ${String(n)} element`,
  arrayMaxSize: (f, [n]) => `${f}: högst ${String(n)} element`,
  matches: (f, [pattern]) => `${f}: ska följa mönstret ${pattern instanceof RegExp ? pattern.source : String(pattern)}`,
  nestedValidation: (f) => `${f}: ett objekt eller en lista av objekt`,
  whitelistValidation: (f) => `${f}: okänt fält`,
  unknown_field: (f) => `${f}: okänt fält`,
  isIsoDate: (f) => `${f}: ett datum ÅÅÅÅ-MM-DD som finns i kalendern`,
  isInstant: (f) => `${f}: en tidpunkt enligt ISO 8601, t.ex. 2026-09-30T14:03:00Z`,
  exclusive: (f) => `${f}: ange antingen kriterier och nivå eller notApplicableReason, inte båda`,
  contract_dates: (f) => `${f}: ${ruleText('sv', 'contract_dates')}`,
};

/** Words said for an answer where a generic translation would lose something (figures, the expected form). */
export interface SwedishWords {
  detail?: string;
  /** One per entry of `errors`, in order. */
  messages?: (string | undefined)[];
}

/** A field's message in Swedish: its constraint's text (with `args` when known), its rule's meaning, or a general one. */
export function swedishFieldMessage(
  error: { field: string; rule: string },
  args: readonly unknown[] = [],
  value?: unknown,
): string {
  const constraint = CONSTRAINT_TEXTS[error.rule];
  if (constraint && (args.length > 0 || !NEEDS_FIGURES.has(error.rule))) return constraint(error.field, args, value);
  const meaning = ruleText('sv', error.rule);
  if (meaning) return `${error.field}: ${meaning}`;
  return `${error.field}: ogiltigt värde`;
}

/** Constraints whose text says nothing without their figures (a raiser that knows none gets the general text). */
const NEEDS_FIGURES = new Set([
  'isIn',
  'min',
  'max',
  'isLength',
  'maxLength',
  'minLength',
  'arrayMinSize',
  'arrayMaxSize',
  'matches',
]);

/** The refused rule's meaning, with its paragraph when the sentence does not already cite it. */
function ruleDetail(rule: string | undefined, paragraph: string | undefined): string | undefined {
  const meaning = ruleText('sv', rule);
  if (!meaning) return undefined;
  if (!paragraph || meaning.includes(paragraph)) return meaning;
  return `${meaning.replace(/\.$/, '')} (${paragraph}).`;
}

/** The English problem said in Swedish; `own` are the words its raiser chose, where it chose any. */
export function swedishProblem(problem: ProblemDetails, own: SwedishWords = {}): ProblemDetails {
  const errors = problem.errors?.map((e, i) => ({ ...e, message: own.messages?.[i] ?? swedishFieldMessage(e) }));
  const slug = problem.type.split('/').pop() ?? '';
  const detail =
    own.detail ??
    ruleDetail(problem.rule, problem.paragraph) ??
    (slug === 'validation-error' && errors?.length
      ? `Ogiltig begäran: ${errors.map((e) => `${e.field} (${e.rule})`).join(', ')}`
      : undefined) ??
    DETAILS_BY_TYPE[slug] ??
    DETAILS_BY_STATUS[problem.status] ??
    (problem.status >= 500 ? DETAILS_BY_STATUS[500]! : 'Begäran kunde inte utföras.');
  return {
    ...problem,
    title: SWEDISH_TITLES[problem.status] ?? 'Fel',
    detail,
    detailEn: problem.detail,
    ...(errors ? { errors } : {}),
  };
}
