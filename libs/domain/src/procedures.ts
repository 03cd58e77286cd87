/**
 * Names and descriptions of procedures, in Swedish, for notices, OCDS and the individual report.
 * One place, so that the API, the workflow's messages and the exports say the same thing.
 */
import type { Procedure, Regime } from './types';

/** The procedure's name above the threshold (6 kap. LOU) or its legacy name below it. */
export const PROCEDURE_NAMES_SV: Readonly<Record<Procedure, string>> = Object.freeze({
  direct_award: 'Direktupphandling',
  simplified: 'Förenklat förfarande',
  selective: 'Urvalsförfarande',
  open: 'Öppet förfarande',
  restricted: 'Selektivt förfarande',
  negotiated_with_notice: 'Förhandlat förfarande med föregående annonsering',
  competitive_dialogue: 'Konkurrenspräglad dialog',
  innovation_partnership: 'Förfarande för inrättande av innovationspartnerskap',
  negotiated_without_notice: 'Förhandlat förfarande utan föregående annonsering',
  call_off: 'Avrop från ramavtal',
});

/**
 * Below the threshold (since 2022-02-01) a procedure has no statutory name: the authority designs
 * it and describes it in the documents (19 kap. 9 § LOU). These are the shapes it may take.
 */
const NATIONAL_SHAPES_SV: Partial<Record<Procedure, string>> = {
  open: 'Annonserat förfarande i ett steg: alla leverantörer får lämna anbud; kvalificering och utvärdering i ett steg',
  restricted:
    'Annonserat förfarande i två steg: leverantörer ansöker om att delta, de utvalda bjuds in att lämna anbud',
  negotiated_with_notice: 'Annonserat förfarande med förhandling: anbud lämnas och myndigheten får förhandla om dem',
  competitive_dialogue:
    'Annonserat förfarande med dialog: myndigheten för dialog med utvalda leverantörer innan anbud lämnas',
  innovation_partnership: 'Annonserat förfarande för ett innovationspartnerskap med utvalda leverantörer',
  negotiated_without_notice: 'Direktupphandling på en grund i 6 kap. 12–19 §§ LOU, utan föregående annonsering',
  simplified: 'Förenklat förfarande (lydelsen före 2022-02-01)',
  selective: 'Urvalsförfarande (lydelsen före 2022-02-01)',
};

/** The description a tender records when the officer gives none (19 kap. 9 § LOU). */
export function defaultProcedureDescription(procedure: Procedure): string {
  return NATIONAL_SHAPES_SV[procedure] ?? PROCEDURE_NAMES_SV[procedure];
}

/**
 * A direct award that is neither advertised nor negotiated: the decision to procure is its award and
 * the contract follows it. An advertised or negotiated purchase within the limit is a direct award
 * too (regime 'direct'), but runs the tendering path to an award decision.
 */
export function awardedByDecisionToProcure(procedure: Procedure): boolean {
  return procedure === 'direct_award';
}

/**
 * Abnormally low tenders (onormalt låga anbud): the authority asks the tenderer to explain the price
 * and may reject the tender only if the explanation does not account for it (CITATIONS.md).
 */
export const ABNORMALLY_LOW_PARAGRAPH = '16 kap. 7–8 §§ LOU';

/** The chapter a procedure is run under, for notices and exports. */
export function procedureChapter(regime: Regime, procedure: Procedure): string {
  // Within the direct-award limit only 19 a kap. applies, advertised or not (LOU-2026.3).
  if (procedure === 'direct_award' || regime === 'direct') return '19 a kap. LOU';
  if (procedure === 'call_off') return '7 kap. LOU';
  if (regime === 'national') return '19 kap. LOU';
  return '6 kap. LOU';
}

const NATIONAL_SHORT_SV: Partial<Record<Procedure, string>> = {
  open: 'annonserad, ett steg',
  restricted: 'annonserad, två steg med urval',
  negotiated_with_notice: 'annonserad, med förhandling',
  competitive_dialogue: 'annonserad, med dialog',
  innovation_partnership: 'annonserad, innovationspartnerskap',
  negotiated_without_notice: 'direktupphandling på grund i 6 kap. 12–19 §§',
};

/** How a direct award within the limit was run, when it was not a plain direct award. */
const DIRECT_SHORT_SV: Partial<Record<Procedure, string>> = {
  open: 'annonserad, ett steg',
  restricted: 'annonserad, två steg med urval',
  negotiated_with_notice: 'annonserad, med förhandling',
  competitive_dialogue: 'annonserad, med dialog',
  innovation_partnership: 'annonserad, innovationspartnerskap',
  negotiated_without_notice: 'förhandling med utvalda leverantörer utan annonsering',
};

/** A short label: the statutory name above the threshold, the designed shape below it. */
export function procedureLabelSv(regime: Regime, procedure: Procedure): string {
  if (regime === 'direct')
    return DIRECT_SHORT_SV[procedure]
      ? `Direktupphandling (${DIRECT_SHORT_SV[procedure]})`
      : PROCEDURE_NAMES_SV.direct_award;
  const short = NATIONAL_SHORT_SV[procedure];
  if (regime === 'national' && short) return `Upphandling under tröskelvärdet (${short})`;
  return PROCEDURE_NAMES_SV[procedure];
}

/**
 * The paragraph an award notice (tilldelningsbeslut) cites: 12 kap. 12 § LOU in the EU regime and
 * for call-offs with competition; 19 kap. 19 § LOU below the threshold; a direct award with tenders
 * from more than one supplier, 19 a kap. 10 § LOU (the notice starts no standstill).
 */
export function awardNoticeBasis(regime: Regime): string {
  switch (regime) {
    case 'eu':
    case 'framework_call_off':
      return '12 kap. 12 § LOU';
    case 'national':
      return '19 kap. 19 § LOU';
    case 'direct':
      return '19 a kap. 10 § LOU';
  }
}

// --- contracts awarded without prior notice -----------------------------------------------------

/**
 * The grounds for awarding a contract without prior notice. Above the threshold a negotiated
 * procedure without prior notice (6 kap. 12–19 §§ LOU); below it a direct award on a ground of
 * 19 a kap. 3–6 §§ LOU (19 a kap. 5 § 2 refers to 6 kap. 14 § and 17–19 §§; 19 a kap. 5–7 §§ only
 * below the threshold or for bilaga 2 services). Statute text: CITATIONS.md.
 */
export const WITHOUT_NOTICE_GROUNDS = [
  'no_suitable_tenders',
  'only_unacceptable_tenders',
  'single_supplier',
  'extreme_urgency',
  'supplies_special_terms',
  'repetition',
  'design_contest',
  'exceptional_reasons',
  'pending_review',
] as const;
export type WithoutNoticeGround = (typeof WITHOUT_NOTICE_GROUNDS)[number];

interface GroundRule {
  label: string;
  /** Above the threshold (6 kap.); absent: not a ground there. */
  eu?: string;
  /** Below the threshold, as a direct award (19 a kap.). */
  direct: string;
}

const GROUNDS: Readonly<Record<WithoutNoticeGround, GroundRule>> = {
  no_suitable_tenders: {
    label: 'inga lämpliga anbudsansökningar eller anbud har lämnats i en annonserad upphandling',
    eu: '6 kap. 12–13 §§ LOU',
    direct: '19 a kap. 3 § LOU',
  },
  only_unacceptable_tenders: {
    label: 'endast ogiltiga eller oacceptabla anbud har lämnats i en annonserad upphandling',
    eu: '6 kap. 16 § LOU',
    direct: '19 a kap. 4 § LOU',
  },
  single_supplier: {
    label: 'endast en viss leverantör kan fullgöra kontraktet (konstnärliga eller tekniska skäl, ensamrätt)',
    eu: '6 kap. 14 § LOU',
    direct: '19 a kap. 5 § 2 LOU (förhållandena i 6 kap. 14 §)',
  },
  extreme_urgency: {
    label:
      'synnerlig brådska som myndigheten inte kunnat förutse eller orsakat, och anskaffningen är absolut nödvändig',
    eu: '6 kap. 15 § LOU',
    direct: '19 a kap. 5 § 1 LOU',
  },
  supplies_special_terms: {
    label:
      'varor för forskning, kompletterande leveranser, råvarubörs eller särskilt förmånliga villkor vid avveckling eller konkurs',
    eu: '6 kap. 17 § LOU',
    direct: '19 a kap. 5 § 2 LOU (förhållandena i 6 kap. 17 §)',
  },
  repetition: {
    label: 'upprepning av tidigare tjänster eller byggentreprenader som angavs i den ursprungliga upphandlingen',
    eu: '6 kap. 18 § LOU',
    direct: '19 a kap. 5 § 2 LOU (förhållandena i 6 kap. 18 §)',
  },
  design_contest: {
    label: 'tjänstekontrakt efter en projekttävling',
    eu: '6 kap. 19 § LOU',
    direct: '19 a kap. 5 § 2 LOU (förhållandena i 6 kap. 19 §)',
  },
  exceptional_reasons: { label: 'synnerliga skäl', direct: '19 a kap. 5 § 3 LOU' },
  pending_review: {
    label:
      'ett angeläget behov under en överprövning (avtal får inte ingås, upphandlingen ska göras om eller rättas, eller avtalet får inte fullgöras); ' +
      'kontraktet får inte ha längre löptid eller vara mer omfattande än vad syftet kräver',
    direct: '19 a kap. 6–7 §§ LOU',
  },
};

/**
 * A ground's paragraph and Swedish label in a regime ('eu': 6 kap.; otherwise as a direct award under
 * 19 a kap.), or null where the ground does not exist (synnerliga skäl and a pending review are not
 * grounds above the threshold).
 */
export function withoutNoticeGround(
  ground: WithoutNoticeGround,
  regime: Regime,
): { paragraph: string; label: string } | null {
  const rule = GROUNDS[ground];
  if (!rule) return null;
  if (regime === 'eu') return rule.eu ? { paragraph: rule.eu, label: rule.label } : null;
  return { paragraph: rule.direct, label: rule.label };
}

/**
 * No standstill after an award without prior notice (20 kap. 2 § 1 LOU) nor in a direct award
 * (19 a kap. 10 §: its notice "utlöser inte någon avtalsspärr"); a voluntary ex-ante transparency
 * notice (10 kap. 5 § or 19 a kap. 9 § LOU) bars the contract until 10 days after its publication
 * (20 kap. 3 § LOU), which protects the contract against invalidity (20 kap. 15 § 4 LOU).
 */
export const EX_ANTE_NOTICE_WAIT_DAYS = 10;

/** The paragraph of a voluntary ex-ante transparency notice in a regime. */
export function exAnteNoticeParagraph(regime: Regime): string {
  return regime === 'eu' ? '10 kap. 5 § LOU' : '19 a kap. 9 § LOU';
}

/** OCDS's procurement method codelist (closed). */
export type OcdsProcurementMethod = 'open' | 'selective' | 'limited' | 'direct';

/**
 * LOU procedure → OCDS `method` codelist. The codelist's definitions: open — all interested
 * suppliers may submit a tender; selective — only qualified suppliers are invited to submit a
 * tender; limited — the procuring entity contacts a number of suppliers of its choice; direct — the
 * contract is awarded to a single supplier without competition.
 */
export const PROCUREMENT_METHOD: Readonly<Record<Procedure, OcdsProcurementMethod>> = {
  // Advertised; every supplier may tender.
  open: 'open',
  simplified: 'open',
  // Advertised; suppliers apply, the authority invites those it selects.
  restricted: 'selective',
  selective: 'selective',
  negotiated_with_notice: 'selective',
  competitive_dialogue: 'selective',
  innovation_partnership: 'selective',
  // Not advertised; the authority turns to suppliers of its choice (6 kap. 12–19 §§).
  negotiated_without_notice: 'limited',
  // Direktupphandling: no advertising, no formal competition; the contract goes to one supplier.
  direct_award: 'direct',
  // Only the framework's suppliers, qualified in the first stage, may take part.
  call_off: 'selective',
};
