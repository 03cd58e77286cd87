/**
 * The documentation of a direct award (19 a kap. 11 § LOU): above 100 000 SEK the authority documents
 * the direct award "löpande", completed within 30 days of the contract, enough to justify its
 * decisions. What it should at least hold (Upphandlingsmyndigheten, frågeportalen 2422303, from the
 * preparatory works; Konkurrensverket, "Dokumentation av upphandlingar"): the authority's name and
 * organisation number, the subject, how competition was used, which suppliers were asked and how many
 * tendered, the winner's name and organisation number and the main reason for the award, the
 * (estimated) value, and when the contract was concluded and for how long. The subject, the value and
 * the dates are the tender's and the contract's own; the authority's are the organisation register's;
 * the rest is this record. Pure: the workflow and the API check the same rules.
 */
import { hasText } from './violations';

export const SUPPLIER_ANSWERS = ['tendered', 'declined', 'no_answer'] as const;
export type SupplierAnswer = (typeof SUPPLIER_ANSWERS)[number];

export interface SupplierAsked {
  name: string;
  orgNumber?: string;
  answer: SupplierAnswer;
  /** What the supplier offered, whole SEK excluding VAT, when it tendered. */
  priceSek?: number;
}

export interface DirectAwardDocumentation {
  /** How competition was used: e.g. "annons på regionens webbplats", "prisförfrågan till tre leverantörer". */
  competition: string;
  suppliersAsked: SupplierAsked[];
  /** The supplier awarded the contract: one who tendered, the contract's supplier. */
  winner: { name: string; orgNumber: string };
  /** The main reason for the award. */
  reason: string;
  /** The authority as the organisation register had it when the record was made (the API fills it in). */
  authority?: { name: string; orgNumber: string };
}

export const DIRECT_AWARD_DOCUMENTATION_PARAGRAPH = '19 a kap. 11 § LOU';
/** The most suppliers one record lists. */
export const MAX_SUPPLIERS_ASKED = 100;
/** The longest texts a record holds (the API's schema says the same): a record stays a bounded step. */
export const MAX_RECORD_TEXT = 2000;
const MAX_NAME = 300;

/** The rules a record can break: its shape (400), or the documentation duty and its facts (422). */
export type DocumentationRule =
  | 'direct_award_documentation_required'
  | 'winner_not_a_tenderer'
  | 'winner_not_contract_supplier'
  | 'required'
  | 'duplicate'
  | 'enum'
  | 'whole_sek'
  | 'price_without_tender'
  | 'too_long';

export interface DocumentationProblem {
  /** 'BadRequest': not a record of the right shape; 'RuleViolation': a well-formed record the rules refuse. */
  kind: 'BadRequest' | 'RuleViolation';
  rule: DocumentationRule;
  field: string;
  message: string;
}

const problem = (
  kind: DocumentationProblem['kind'],
  rule: DocumentationRule,
  field: string,
  message: string,
): DocumentationProblem => ({ kind, rule, field, message });

/**
 * The first problem of a direct award's documentation record, or null. `contractSupplier` is the
 * supplier of the registered contract: the record's winner must be it. `field` paths start at the
 * record (the caller prefixes its own name).
 */
export function directAwardDocumentationProblem(
  record: unknown,
  contractSupplier: string,
): DocumentationProblem | null {
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    return problem(
      'RuleViolation',
      'direct_award_documentation_required',
      '',
      `A direct award above 100 000 SEK is documented (${DIRECT_AWARD_DOCUMENTATION_PARAGRAPH}): the record is required.`,
    );
  }
  const r = record as Partial<DirectAwardDocumentation>;
  if (!hasText(r.competition))
    return problem('BadRequest', 'required', 'competition', 'competition: how competition was used.');
  if (r.competition.length > MAX_RECORD_TEXT)
    return problem('BadRequest', 'too_long', 'competition', `competition: at most ${MAX_RECORD_TEXT} characters.`);
  if (
    !Array.isArray(r.suppliersAsked) ||
    r.suppliersAsked.length === 0 ||
    r.suppliersAsked.length > MAX_SUPPLIERS_ASKED
  ) {
    return problem(
      'BadRequest',
      'required',
      'suppliersAsked',
      `suppliersAsked: 1–${MAX_SUPPLIERS_ASKED} suppliers, each with its answer.`,
    );
  }
  const seen = new Set<string>();
  for (const [i, s] of r.suppliersAsked.entries()) {
    const at = `suppliersAsked[${i}]`;
    if (!s || typeof s !== 'object' || !hasText(s.name))
      return problem('BadRequest', 'required', `${at}.name`, `${at}.name is required.`);
    if (s.name.length > MAX_NAME)
      return problem('BadRequest', 'too_long', `${at}.name`, `${at}.name: at most ${MAX_NAME} characters.`);
    const key = s.name.trim().toLowerCase();
    if (seen.has(key)) return problem('BadRequest', 'duplicate', `${at}.name`, `${s.name} is listed twice.`);
    seen.add(key);
    if (!(SUPPLIER_ANSWERS as readonly unknown[]).includes(s.answer))
      return problem('BadRequest', 'enum', `${at}.answer`, `${at}.answer: one of ${SUPPLIER_ANSWERS.join(', ')}.`);
    if (s.priceSek !== undefined) {
      if (!Number.isSafeInteger(s.priceSek) || s.priceSek < 0)
        return problem('BadRequest', 'whole_sek', `${at}.priceSek`, `${at}.priceSek: whole SEK ≥ 0.`);
      if (s.answer !== 'tendered')
        return problem(
          'BadRequest',
          'price_without_tender',
          `${at}.priceSek`,
          `${s.name} did not tender: it has no price.`,
        );
    }
  }
  if (!r.winner || typeof r.winner !== 'object' || !hasText(r.winner.name))
    return problem('BadRequest', 'required', 'winner.name', 'winner.name is required.');
  if (!hasText(r.winner.orgNumber))
    return problem(
      'BadRequest',
      'required',
      'winner.orgNumber',
      "winner.orgNumber: the winner's organisation number is part of the documentation.",
    );
  const winner = r.winner.name.trim().toLowerCase();
  const asked = r.suppliersAsked.find((s) => s.name.trim().toLowerCase() === winner);
  if (!asked || asked.answer !== 'tendered') {
    return problem(
      'RuleViolation',
      'winner_not_a_tenderer',
      'winner.name',
      `${r.winner.name} is not among the suppliers asked that tendered.`,
    );
  }
  if (winner !== contractSupplier.trim().toLowerCase()) {
    return problem(
      'RuleViolation',
      'winner_not_contract_supplier',
      'winner.name',
      `The contract was signed with ${contractSupplier}, not ${r.winner.name}.`,
    );
  }
  if (!hasText(r.reason)) return problem('BadRequest', 'required', 'reason', 'reason: the main reason for the award.');
  if (r.reason.length > MAX_RECORD_TEXT)
    return problem('BadRequest', 'too_long', 'reason', `reason: at most ${MAX_RECORD_TEXT} characters.`);
  return null;
}

/** How many of the suppliers asked tendered. */
export function tendersReceived(record: Pick<DirectAwardDocumentation, 'suppliersAsked'>): number {
  return record.suppliersAsked.filter((s) => s.answer === 'tendered').length;
}

/**
 * A Swedish organisation number (organisationsnummer) as NNNNNN-NNNN whose last digit is the check
 * digit of the other nine (the Luhn algorithm, as Skatteverket computes it).
 */
export function isOrganisationNumber(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{6}-\d{4}$/.test(value)) return false;
  const digits = value.replace('-', '').split('').map(Number);
  const sum = digits.slice(0, 9).reduce((acc, d, i) => {
    const v = i % 2 === 0 ? d * 2 : d;
    return acc + (v > 9 ? v - 9 : v);
  }, 0);
  return (10 - (sum % 10)) % 10 === digits[9];
}
