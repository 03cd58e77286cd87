/**
 * The checks on a signed contract when it is registered on its tender. Pure and deterministic
 * (dates, numbers and this library's vocabulary only, no holiday calendar): the tender workflow's
 * update validator and handler call them, and so does the API before a request reaches Temporal.
 * Like rules.ts, a check never throws for a broken rule: it returns the violations, each naming a
 * stable rule code and the paragraph of the law or the policy it comes from.
 *
 * The direct-award limit and the year's total (19 a kap. 2 § LOU) are checked as well, but under
 * the direct-award ledger's lock, by the worker (activities/direct-award.activities.ts), with the
 * same rule that creation uses (rules.ts checkDirectAwardAggregate).
 */
import { FRAMEWORK_MAX_MONTHS, frameworkTermEnd } from './checks';
import { addDays, addMonths, compareDates, isIsoDate } from './dates';
import { formatSek } from './format';
import type { IsoDate } from './types';

export const CONTRACT_RULE_CODES = [
  'contract_dates',
  'signed_in_future',
  'signed_before_award',
  'signed_during_standstill',
  'contract_value_above_award',
  'contract_value_above_approval_limit',
  /** The same rule id as checkFrameworkTerm at the tender's start (checks.ts). */
  'framework_term_exceeded',
  'contract_term_beyond_declared',
  'contract_term_limit',
] as const;
export type ContractRuleCode = (typeof CONTRACT_RULE_CODES)[number];

export interface ContractRuleViolation {
  rule: ContractRuleCode;
  paragraph: string;
  message: string;
  field: 'startDate' | 'endDate' | 'signedAt' | 'valueSek' | 'specialReasons';
  details?: Record<string, unknown>;
}

const DELEGATION = 'organisationens delegationsordning';

export interface ContractDates {
  startDate: IsoDate;
  endDate: IsoDate;
  signedAt: IsoDate;
}

/**
 * The contract's own dates must make sense together: it ends on or after its start, and it was
 * signed before it ended. (A contract may start before it is signed — a retroactive start — but a
 * contract signed after its end was never a contract to register.) Malformed dates are not judged
 * here: the caller reports them as such.
 */
export function checkContractDates(c: ContractDates): ContractRuleViolation[] {
  if (![c.startDate, c.endDate, c.signedAt].every(isIsoDate)) return [];
  const out: ContractRuleViolation[] = [];
  if (compareDates(c.endDate, c.startDate) < 0) {
    out.push({
      rule: 'contract_dates',
      paragraph: 'avtalets löptid',
      message: `The contract ends (${c.endDate}) before it starts (${c.startDate}).`,
      field: 'endDate',
      details: { startDate: c.startDate, endDate: c.endDate },
    });
  }
  if (compareDates(c.signedAt, c.endDate) > 0) {
    out.push({
      rule: 'contract_dates',
      paragraph: 'avtalets löptid',
      message: `The contract is said to be signed (${c.signedAt}) after it ends (${c.endDate}).`,
      field: 'signedAt',
      details: { signedAt: c.signedAt, endDate: c.endDate },
    });
  }
  return out;
}

export interface ContractRegistrationInput {
  contract: ContractDates & {
    valueSek: number;
    options?: ReadonlyArray<{ months: number }>;
    specialReasons?: string | null;
  };
  /** Today's date in Sweden (the workflow's clock). */
  today: IsoDate;
  frameworkAgreement: boolean;
  /**
   * The decision that awarded the contract: the award decision (tilldelningsbeslut) of a competed
   * tender, or the decision to procure of a direct award. Absent when none is recorded.
   */
  award?: {
    gate: 'award_decision' | 'decision_to_procure';
    /** The Swedish date of the decision. */
    decidedOn: IsoDate;
    decidedBy: string;
    /** The value the decision approved: the tender's estimated value, on which the approver's authority was checked. */
    approvedValueSek: number;
    /** The approver's approval limit when deciding (delegation order). */
    approverLimitSek: number;
  };
  /** The organisation's tolerance above the approved value, in per cent (policy; default 0). */
  valueTolerancePercent?: number;
  /** The last day of the standstill (or of the extended standstill after a review) that applied, and its basis. */
  standstill?: { lastDay: IsoDate; basis: string } | null;
}

/** Every check on a contract being registered, in the order a person would correct them. */
export function checkContractRegistration(input: ContractRegistrationInput): ContractRuleViolation[] {
  const c = input.contract;
  const out = checkContractDates(c);
  if (out.length > 0 || !isIsoDate(c.signedAt)) return out;

  if (compareDates(c.signedAt, input.today) > 0) {
    out.push({
      rule: 'signed_in_future',
      paragraph: 'ett registrerat avtal är undertecknat',
      message: `signedAt ${c.signedAt} is in the future (today is ${input.today}): register a contract once it is signed.`,
      field: 'signedAt',
      details: { signedAt: c.signedAt, today: input.today },
    });
  }
  const a = input.award;
  if (a && compareDates(c.signedAt, a.decidedOn) < 0) {
    out.push({
      rule: 'signed_before_award',
      paragraph: input.standstill ? input.standstill.basis : DELEGATION,
      message:
        `The contract cannot have been signed (${c.signedAt}) before the ${a.gate === 'award_decision' ? 'award decision' : 'decision to procure'} ` +
        `of ${a.decidedOn} (${a.decidedBy}).`,
      field: 'signedAt',
      details: { signedAt: c.signedAt, decidedOn: a.decidedOn, gate: a.gate },
    });
  } else if (input.standstill && compareDates(c.signedAt, input.standstill.lastDay) <= 0) {
    out.push({
      rule: 'signed_during_standstill',
      paragraph: input.standstill.basis,
      message: `The contract may not be signed before the standstill has ended: it ran to the end of ${input.standstill.lastDay}, and signedAt is ${c.signedAt}.`,
      field: 'signedAt',
      details: {
        signedAt: c.signedAt,
        standstillLastDay: input.standstill.lastDay,
        earliest: addDays(input.standstill.lastDay, 1),
      },
    });
  }

  if (a) {
    const tolerance = Math.max(0, input.valueTolerancePercent ?? 0);
    const allowed = Math.floor((a.approvedValueSek * (100 + tolerance)) / 100);
    if (c.valueSek > allowed) {
      out.push({
        rule: 'contract_value_above_award',
        paragraph: `${DELEGATION}; policy: tolerans ${tolerance} %`,
        message:
          `The contract value ${formatSek(c.valueSek)} exceeds the approved value ${formatSek(a.approvedValueSek)}` +
          `${tolerance > 0 ? ` plus the policy's tolerance of ${tolerance} % (${formatSek(allowed)})` : ' (the policy allows no tolerance)'}; ` +
          'a larger contract needs a new decision.',
        field: 'valueSek',
        details: {
          valueSek: c.valueSek,
          approvedValueSek: a.approvedValueSek,
          tolerancePercent: tolerance,
          allowedSek: allowed,
        },
      });
    }
    if (c.valueSek > a.approverLimitSek) {
      out.push({
        rule: 'contract_value_above_approval_limit',
        paragraph: DELEGATION,
        message: `The contract value ${formatSek(c.valueSek)} is above the approval limit of ${a.decidedBy}, who approved the award (${formatSek(a.approverLimitSek)}).`,
        field: 'valueSek',
        details: { valueSek: c.valueSek, approverLimitSek: a.approverLimitSek, decidedBy: a.decidedBy },
      });
    }
  }

  if (input.frameworkAgreement) {
    const optionMonths = (c.options ?? []).reduce((sum, o) => sum + o.months, 0);
    // The term runs from the start to the end of endDate; the options extend it.
    const latestEnd = frameworkTermEnd(c.startDate, optionMonths);
    const hasReasons = typeof c.specialReasons === 'string' && c.specialReasons.trim().length > 0;
    if (compareDates(c.endDate, addDays(latestEnd, -1)) > 0 && !hasReasons) {
      out.push({
        rule: 'framework_term_exceeded',
        paragraph: '7 kap. 2 § LOU',
        message:
          `A framework agreement runs at most ${FRAMEWORK_MAX_MONTHS} months including options unless special reasons are recorded: ` +
          `${c.startDate}–${c.endDate} with ${optionMonths} months of options is longer.`,
        field: 'specialReasons',
        details: { startDate: c.startDate, endDate: c.endDate, optionMonths, maxMonths: FRAMEWORK_MAX_MONTHS },
      });
    }
  }
  return out;
}

/**
 * The longest term any contract may be registered with, options included: 600 months (50 years),
 * the longest term a tender may declare (POST /tenders contractTermMonths). LOU sets no general
 * maximum for a contract (only a framework agreement's four years, 7 kap. 2 §): this is the policy's
 * bound, so that a follow-up is never planned to a year no one will reach.
 */
export const MAX_CONTRACT_TERM_MONTHS = 600;

export interface ContractTermInput {
  contract: Pick<ContractDates, 'startDate' | 'endDate'> & { options?: ReadonlyArray<{ months: number }> };
  /** The term the tender declared (contractTermMonths) and its extension options: what was estimated and advertised. */
  declared?: { termMonths: number; optionMonths: number };
}

/**
 * The contract's whole term (start to end, then its options) within what the tender declared, and
 * never beyond MAX_CONTRACT_TERM_MONTHS. The term runs from the start to the end of endDate: it may
 * end the day before the same date `n` months later (as frameworkTermEnd counts).
 */
export function checkContractTerm(input: ContractTermInput): ContractRuleViolation[] {
  const c = input.contract;
  if (!isIsoDate(c.startDate) || !isIsoDate(c.endDate)) return [];
  const optionMonths = (c.options ?? []).reduce((sum, o) => sum + o.months, 0);
  // Compared on the last allowed day (end of endDate < start + n months), so that 9999-12-31 needs no day after it.
  const runsPast = (months: number) =>
    months < optionMonths || compareDates(c.endDate, addDays(addMonths(c.startDate, months - optionMonths), -1)) > 0;
  const details = { startDate: c.startDate, endDate: c.endDate, optionMonths };
  if (runsPast(MAX_CONTRACT_TERM_MONTHS)) {
    return [
      {
        rule: 'contract_term_limit',
        paragraph: `policy: högst ${MAX_CONTRACT_TERM_MONTHS} månaders avtalstid inklusive optioner`,
        message: `A contract runs at most ${MAX_CONTRACT_TERM_MONTHS} months including options: ${c.startDate}–${c.endDate} with ${optionMonths} months of options is longer.`,
        field: 'endDate',
        details: { ...details, maxMonths: MAX_CONTRACT_TERM_MONTHS },
      },
    ];
  }
  const d = input.declared;
  if (d && runsPast(d.termMonths + d.optionMonths)) {
    return [
      {
        rule: 'contract_term_beyond_declared',
        paragraph: 'policy: avtalstiden är den som upphandlingen angav (contractTermMonths och extensionOptionMonths)',
        message:
          `The tender declared a term of ${d.termMonths} months with ${d.optionMonths} months of options, which its value was estimated for: ` +
          `${c.startDate}–${c.endDate} with ${optionMonths} months of options is longer (a longer contract is a new procurement).`,
        field: 'endDate',
        details: { ...details, declaredTermMonths: d.termMonths, declaredOptionMonths: d.optionMonths },
      },
    ];
  }
  return [];
}

/**
 * The OCDS `procurementMethodRationale` of a direct award, from the figures themselves: the value
 * that counts (the contract's once registered, else the estimate) against the limit in force,
 * which a direct award must be below (19 a kap. 2 § LOU, "understiga"). A direct award on another
 * ground (19 a kap. 3–6 §§) states its ground instead (`ground`).
 */
export function directAwardRationale(
  valueSek: number,
  basis: 'contract' | 'estimate',
  limitSek: number | null,
  ground?: { paragraph: string; label: string },
): string {
  const what = basis === 'contract' ? 'Kontraktets värde' : 'Det uppskattade värdet';
  if (ground) return `Direktupphandling (${ground.paragraph}): ${ground.label}. ${what}: ${formatSek(valueSek)}.`;
  if (limitSek === null) return `Direktupphandling (19 a kap. 2 § LOU). ${what}: ${formatSek(valueSek)}.`;
  // The statute's words (19 a kap. 2 §): a direct award is allowed when the value is estimated to "understiga" the limit.
  const relation = valueSek < limitSek ? 'understiger' : 'understiger inte';
  return `Direktupphandling (19 a kap. 2 § LOU). ${what}, ${formatSek(valueSek)}, ${relation} direktupphandlingsgränsen ${formatSek(limitSek)}.`;
}
