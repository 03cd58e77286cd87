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
  restricted: 'Annonserat förfarande i två steg: leverantörer ansöker om att delta, de utvalda bjuds in att lämna anbud',
  negotiated_with_notice: 'Annonserat förfarande med förhandling: anbud lämnas och myndigheten får förhandla om dem',
  competitive_dialogue: 'Annonserat förfarande med dialog: myndigheten för dialog med utvalda leverantörer innan anbud lämnas',
  innovation_partnership: 'Annonserat förfarande för ett innovationspartnerskap med utvalda leverantörer',
  negotiated_without_notice: 'Direktupphandling på en grund i 6 kap. 12–19 §§ LOU, utan föregående annonsering',
  simplified: 'Förenklat förfarande (lydelsen före 2022-02-01)',
  selective: 'Urvalsförfarande (lydelsen före 2022-02-01)',
};

/** The description a tender records when the officer gives none (19 kap. 9 § LOU). */
export function defaultProcedureDescription(procedure: Procedure): string {
  return NATIONAL_SHAPES_SV[procedure] ?? PROCEDURE_NAMES_SV[procedure];
}

/** The chapter a procedure is run under, for notices and exports. */
export function procedureChapter(regime: Regime, procedure: Procedure): string {
  if (procedure === 'direct_award') return '19 a kap. LOU';
  if (procedure === 'call_off') return '7 kap. LOU';
  if (regime === 'national' || regime === 'direct') return '19 kap. LOU';
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

/** A short label: the statutory name above the threshold, the designed shape below it. */
export function procedureLabelSv(regime: Regime, procedure: Procedure): string {
  const short = NATIONAL_SHORT_SV[procedure];
  if ((regime === 'national' || regime === 'direct') && short) return `Upphandling under tröskelvärdet (${short})`;
  return PROCEDURE_NAMES_SV[procedure];
}

/**
 * The paragraph an award notice (tilldelningsbeslut) cites: 12 kap. 12 § LOU in the EU regime and
 * for call-offs with competition; 19 kap. LOU below the threshold (the 19 kap. paragraph is not
 * confirmed, see CITATIONS.md); direct awards have no statutory award notice.
 */
export function awardNoticeBasis(regime: Regime): string {
  switch (regime) {
    case 'eu':
    case 'framework_call_off':
      return '12 kap. 12 § LOU';
    case 'national':
      return '19 kap. LOU';
    case 'direct':
      return '19 a kap. LOU';
  }
}
