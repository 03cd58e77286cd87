/**
 * Rule set LOU-2026.2 (issue 13): each corrected rule with a dated case and its paragraph. Where a
 * paragraph could not be confirmed, the basis text says so and the test checks that it does.
 */
import { classify, nationalProcedures } from './classification';
import {
  computeDeadline,
  documentationDue,
  earliestRequestDeadline,
  earliestTenderDeadline,
  latestAnswerDate,
  minimumDeadlineAfterAnswer,
  minimumTenderPeriod,
  postAwardNoticeDue,
  requestPeriod,
} from './deadlines';
import { DomainInputError } from './errors';
import { awardNoticeBasis, defaultProcedureDescription, procedureLabelSv } from './procedures';
import {
  checkDirectAwardLimit,
  checkExtensionAfterChange,
  checkNegotiatedGround,
  checkPriorInformationNotice,
  checkProcedureAllowed,
  checkUrgency,
  DIRECT_AWARD_GUIDELINES_PARAGRAPH,
  directAwardDocumentationRequired,
  directAwardNoticeRequired,
  validateTenderStart,
} from './rules';
import { RULE_SET_VERSION, RuleSetGapError } from './thresholds';
import { CONTRACT_TYPES } from './types';

describe('rule set version', () => {
  it('is LOU-2026.3 (after LOU-2026.2) and every classification records it', () => {
    expect(RULE_SET_VERSION).toBe('LOU-2026.3');
    expect(classify({ contractType: 'services', valueSek: 1_500_000, date: '2026-11-29' }).ruleSet).toBe('LOU-2026.3');
  });
});

describe('19 kap. LOU since 2022-02-01: the authority designs the advertised procedure', () => {
  it('2026-11-29, services 1 500 000 SEK: national, every shape allowed, open by default (19 kap., 19 kap. 9 §)', () => {
    const c = classify({ contractType: 'services', valueSek: 1_500_000, date: '2026-11-29' });
    expect(c).toMatchObject({ regime: 'national', defaultProcedure: 'open', legacyNationalRules: false });
    expect(c.procedures).toEqual([
      'open',
      'restricted',
      'negotiated_with_notice',
      'competitive_dialogue',
      'innovation_partnership',
      'negotiated_without_notice',
    ]);
    expect(c.basis).toEqual(
      expect.arrayContaining([
        '19 kap. 9 § LOU (förfarandet beskrivs i upphandlingsdokumenten)',
        '19 kap. 11 § LOU (skälig tid)',
      ]),
    );
    const r = validateTenderStart({
      contractType: 'services',
      estimatedValueSek: 1_500_000,
      date: '2026-11-29',
      procedure: 'open',
    });
    expect(r).toMatchObject({ ok: true, regime: 'national', procedure: 'open' });
  });

  it('records the described procedure: the officer’s text, or a description of the chosen shape', () => {
    const own = 'Två steg: ansökan, sedan anbud från högst fem utvalda; förhandling kan ske med de tre bästa.';
    expect(
      validateTenderStart({
        contractType: 'services',
        estimatedValueSek: 1_500_000,
        date: '2026-11-29',
        procedure: 'restricted',
        procedureDescription: own,
      }).procedureDescription,
    ).toBe(own);
    expect(
      validateTenderStart({
        contractType: 'services',
        estimatedValueSek: 1_500_000,
        date: '2026-11-29',
        procedure: 'restricted',
      }).procedureDescription,
    ).toBe(defaultProcedureDescription('restricted'));
    // Above the threshold (not bilaga 2) the procedure is a statutory one: nothing to describe.
    expect(
      validateTenderStart({ contractType: 'services', estimatedValueSek: 5_000_000, date: '2026-11-29' })
        .procedureDescription,
    ).toBeUndefined();
  });

  it('2026-11-29: simplified and selective are refused, naming the abolition on 2022-02-01', () => {
    for (const procedure of ['simplified', 'selective'] as const) {
      const r = validateTenderStart({
        contractType: 'services',
        estimatedValueSek: 1_500_000,
        date: '2026-11-29',
        procedure,
      });
      expect(r.ok).toBe(false);
      expect(r.violations[0]).toMatchObject({
        rule: 'procedure_not_allowed',
        paragraph: '19 kap. LOU (i lydelsen från den 1 februari 2022)',
      });
      expect(r.violations[0].message).toContain('abolished on 2022-02-01');
    }
  });

  it('2022-01-31 (older rules): simplified and selective remain the labels of a tender started then', () => {
    expect(nationalProcedures('2022-01-31')).toEqual(['simplified', 'selective', 'negotiated_without_notice']);
    expect(nationalProcedures('2022-02-01')).toContain('open');
    const legacy = {
      regime: 'national' as const,
      procedures: [...nationalProcedures('2022-01-31')],
      basis: ['19 kap. LOU i lydelsen före den 1 februari 2022'],
      legacyNationalRules: true,
    };
    expect(checkProcedureAllowed({ classification: legacy, procedure: 'simplified' })).toEqual([]);
    expect(checkProcedureAllowed({ classification: legacy, procedure: 'open' })[0].message).not.toContain('abolished');
  });

  it('skälig tid (19 kap. 11 §): policy default 15 days; sent 2026-12-10 → 2026-12-25 Christmas Day → Monday 2026-12-28', () => {
    const d = earliestTenderDeadline('2026-12-10', { regime: 'national', procedure: 'open' });
    expect(d).toMatchObject({ days: 15, rawLastDay: '2026-12-25', lastDay: '2026-12-28', moved: true });
    expect(d.basis).toContain('19 kap. 11 § LOU (skälig tid; organisationens standard 15 dagar)');
    expect(d.basis).not.toContain('19 kap. 15 §');
  });

  it('two stages below the threshold: requests in a reasonable time, policy default 10 days, no statutory floor (19 kap. 11 §)', () => {
    expect(requestPeriod({ regime: 'national', procedure: 'restricted' })).toEqual({
      days: 10,
      basis: expect.stringContaining('19 kap. 11 § LOU'),
    });
    expect(requestPeriod({ regime: 'national', procedure: 'restricted', nationalRequestDays: 7 })?.days).toBe(7);
    expect(requestPeriod({ regime: 'national', procedure: 'open' })).toBeNull();
    expect(() => requestPeriod({ regime: 'national', procedure: 'restricted', nationalRequestDays: 0 })).toThrow(
      DomainInputError,
    );
    expect(earliestRequestDeadline('2026-06-09', { regime: 'national', procedure: 'restricted' })).toMatchObject({
      rawLastDay: '2026-06-19',
      lastDay: '2026-06-22',
    });
  });

  it('negotiation without notice below the threshold is a direct award on a ground of 19 a kap. 3–6 §§ (LOU-2026.3), not 19 kap. 7 §', () => {
    const [v] = checkNegotiatedGround({ procedure: 'negotiated_without_notice', regime: 'national' });
    expect(v.paragraph).toBe('19 a kap. 3–6 §§ LOU');
    expect(v.paragraph).not.toContain('19 kap. 7 §');
    // An advertised negotiation below the threshold is the authority's own design: no ground needed.
    expect(checkNegotiatedGround({ procedure: 'negotiated_with_notice', regime: 'national' })).toEqual([]);
  });
});

describe('direct awards (19 a kap.)', () => {
  it("a row that allows the limit itself (an administrator's override) still admits it; the statute's row does not (LOU-2026.3)", () => {
    const [v] = checkDirectAwardLimit({
      procedure: 'direct_award',
      valueSek: 700_001,
      limitSek: 700_000,
      allowsEqual: true,
    });
    expect(v.message).toContain('at most 700 000 SEK');
    expect(
      checkDirectAwardLimit({ procedure: 'direct_award', valueSek: 700_000, limitSek: 700_000, allowsEqual: true }),
    ).toEqual([]);
  });

  it('the direct-award guidelines (riktlinjer) are 19 a kap. 15 §, not 19 a kap. 2 §', () => {
    expect(DIRECT_AWARD_GUIDELINES_PARAGRAPH).toBe('19 a kap. 15 § LOU');
  });

  it('documentation from 100 000 SEK under LOU-2026.2 (19 a kap. 11 §), due 30 days after the contract: 2026-03-02 → 2026-04-01', () => {
    expect(directAwardDocumentationRequired(99_999, 'LOU-2026.2')).toBe(false);
    expect(directAwardDocumentationRequired(100_000, 'LOU-2026.2')).toBe(true);
    const d = documentationDue('2026-03-02', 'direct');
    expect(d.lastDay).toBe('2026-04-01');
    expect(d.basis).toContain('19 a kap. 11 § LOU');
    expect(d.basis).not.toContain('12 kap.');
  });

  it('post-award notice above 700 000 SEK under LOU-2026.2 through a registered advertising database (19 a kap. 13–14 §§), 30 days', () => {
    expect(directAwardNoticeRequired(700_000, '2026-06-01', 'LOU-2026.2')).toBe(false);
    expect(directAwardNoticeRequired(700_001, '2026-06-01', 'LOU-2026.2')).toBe(true);
    const n = postAwardNoticeDue('2026-06-01', 'direct');
    expect(n).toMatchObject({ lastDay: '2026-07-01' });
    expect(n.basis).toContain('19 a kap. 13–14 §§ LOU');
  });
});

describe('documentation and post-award notice per regime', () => {
  it('documentation: 12 kap. 14–16 §§ above the threshold, 19 kap. 22 § below; 30 days by the statute (SFS 2023:815)', () => {
    const eu = documentationDue('2026-06-15', 'eu');
    expect(eu).toMatchObject({ lastDay: '2026-07-15' });
    expect(eu.basis).toContain('12 kap. 14–16 §§ LOU');
    expect(eu.basis).toContain('slutförd senast 30 dagar efter att avtal ingicks');
    const national = documentationDue('2026-06-15', 'national');
    expect(national.basis).toContain('19 kap. 22 § LOU');
    expect(national.basis).not.toContain('12 kap. 14');
  });

  it('post-award notice: 10 kap. 4 § (EU) and 19 kap. 7 § (national) each in its place; none for a call-off', () => {
    // 2026-05-08 + 30 = 2026-06-07, a Sunday → Monday 2026-06-08.
    expect(postAwardNoticeDue('2026-05-08', 'eu')).toMatchObject({
      lastDay: '2026-06-08',
      basis: expect.stringContaining('10 kap. 4 § LOU'),
    });
    const national = postAwardNoticeDue('2026-05-08', 'national');
    expect(national.basis).toContain('19 kap. 7 § LOU');
    expect(national.basis).not.toContain('10 kap.');
    expect(() => postAwardNoticeDue('2026-05-08', 'framework_call_off')).toThrow(DomainInputError);
    expect(computeDeadline('post_award_notice', { from: '2026-05-08', regime: 'national' }).basis).toContain(
      '19 kap. 7 § LOU',
    );
    expect(computeDeadline('documentation', { from: '2026-05-08', regime: 'direct' }).basis).toContain(
      '19 a kap. 11 §',
    );
  });

  it('the award notice cites the paragraph of the tender’s own regime', () => {
    expect(awardNoticeBasis('eu')).toBe('12 kap. 12 § LOU');
    expect(awardNoticeBasis('national')).toBe('19 kap. 19 § LOU');
    expect(procedureLabelSv('national', 'open')).toBe('Upphandling under tröskelvärdet (annonserad, ett steg)');
    expect(procedureLabelSv('eu', 'open')).toBe('Öppet förfarande');
  });
});

describe('bilaga 2 services and welfare services', () => {
  it('welfare_services is its own contract type', () => {
    expect(CONTRACT_TYPES).toContain('welfare_services');
  });

  it('2025-05-01, welfare services 5 000 000 SEK: direct award, the limit is the bilaga 2 threshold (8 109 450 SEK); bilaga 2 a merged into bilaga 2', () => {
    const c = classify({ contractType: 'welfare_services', valueSek: 5_000_000, date: '2025-05-01' });
    expect(c).toMatchObject({
      regime: 'direct',
      annex2: true,
      directAwardLimitSekUsed: 8_109_450,
      threshold: { id: 'thr-2024-social-services' },
    });
    expect(c.basis.join(' ')).toContain('tidigare bilaga 2 a');
  });

  it('2025-05-01, welfare services 9 000 000 SEK: above the threshold, 19 kap. with EU advertising; skälig tid, not 11 kap. minimums', () => {
    const c = classify({ contractType: 'welfare_services', valueSek: 9_000_000, date: '2025-05-01' });
    expect(c).toMatchObject({ regime: 'eu', annex2: true });
    expect(c.basis.join(' ')).toContain('19 kap. LOU (bilaga 2 över tröskelvärdet');
    const p = minimumTenderPeriod({ regime: 'eu', procedure: 'open', annex2: true });
    expect(p).toEqual({ days: 15, basis: expect.stringContaining('19 kap. 11 § LOU') });
    // The same purchase as ordinary services would be 11 kap.: 30 days.
    expect(minimumTenderPeriod({ regime: 'eu', procedure: 'open' }).basis).toContain('11 kap.');
  });

  it('social services behave the same; only the label differs', () => {
    const s = classify({ contractType: 'social_services', valueSek: 9_000_000, date: '2025-05-01' });
    const w = classify({ contractType: 'welfare_services', valueSek: 9_000_000, date: '2025-05-01' });
    expect({ ...s, basis: [] }).toEqual({ ...w, basis: [] });
  });
});

describe('accelerated procedures', () => {
  it('urgency needs a recorded justification (11 kap. 10 §)', () => {
    expect(checkUrgency({ urgent: true })).toEqual([
      expect.objectContaining({
        rule: 'urgency_justification_missing',
        paragraph: '11 kap. 10 § LOU',
        field: 'urgencyJustification',
      }),
    ]);
    expect(checkUrgency({ urgent: true, justification: '  ' })).toHaveLength(1);
    expect(
      checkUrgency({
        urgent: true,
        justification: 'Leverantören gick i konkurs 2026-09-01; vården kräver ny leverantör före 2026-11-01.',
      }),
    ).toEqual([]);
    expect(checkUrgency({ urgent: false })).toEqual([]);
  });

  it('answers: six days before the deadline, four under urgency (12 kap. 11 § andra stycket, confirmed on the statute text in LOU-2026.3)', () => {
    expect(latestAnswerDate('2026-09-30')).toMatchObject({
      lastDay: '2026-09-24',
      basis: expect.stringContaining('sex dagar'),
    });
    const urgent = latestAnswerDate('2026-09-30', true);
    expect(urgent).toMatchObject({ lastDay: '2026-09-26' });
    expect(urgent.basis).toContain('fyra dagar');
    expect(urgent.basis).toContain('12 kap. 11 § andra stycket LOU');
    expect(minimumDeadlineAfterAnswer('2026-09-27', true)).toBe('2026-10-01');
    expect(computeDeadline('latest_answer', { from: '2026-09-30', urgent: true }).lastDay).toBe('2026-09-26');
  });

  it('a PIN shortens the limits only when sent 35 days–12 months before the notice (11 kap. 5 § andra stycket 2 p.)', () => {
    const notice = '2026-06-15';
    expect(checkPriorInformationNotice({ pin: true, pinSentDate: '2026-05-11', noticeSentDate: notice })).toEqual([]);
    expect(checkPriorInformationNotice({ pin: true, pinSentDate: '2025-06-15', noticeSentDate: notice })).toEqual([]);
    const [late] = checkPriorInformationNotice({ pin: true, pinSentDate: '2026-05-12', noticeSentDate: notice });
    expect(late).toMatchObject({
      rule: 'pin_out_of_range',
      paragraph: '11 kap. 5 § andra stycket 2 p. LOU',
      details: { daysBefore: 34, earliest: '2025-06-15', latest: '2026-05-11' },
    });
    expect(checkPriorInformationNotice({ pin: true, pinSentDate: '2025-06-14', noticeSentDate: notice })[0].rule).toBe(
      'pin_out_of_range',
    );
    expect(checkPriorInformationNotice({ pin: true, noticeSentDate: notice })[0].rule).toBe('pin_date_missing');
    expect(checkPriorInformationNotice({ pin: false, noticeSentDate: notice })).toEqual([]);
  });

  it('documents not available electronically: five more days; sent 2026-03-02, open, electronic tenders → 35 days → Easter Monday → 2026-04-07', () => {
    const d = earliestTenderDeadline('2026-03-02', {
      regime: 'eu',
      procedure: 'open',
      electronic: true,
      documentsNotElectronic: true,
    });
    expect(d).toMatchObject({ days: 35, rawLastDay: '2026-04-06', lastDay: '2026-04-07', moved: true });
    expect(d.basis).toContain('fem dagar');
    expect(d.basis).toContain('11 kap. 9 § LOU');
    // "Skälig tid" below the threshold is already the authority's own judgement: no fixed addition.
    expect(minimumTenderPeriod({ regime: 'national', procedure: 'open', documentsNotElectronic: true }).days).toBe(15);
  });

  it('a significant change to the documents extends the deadline (11 kap. 8 § 2 p.); the floor is policy', () => {
    const base = { changeDate: '2026-09-20', current: '2026-09-24' };
    const [v] = checkExtensionAfterChange({ ...base, proposed: '2026-09-25' });
    expect(v).toMatchObject({
      rule: 'extension_after_change_too_short',
      paragraph: '11 kap. 8 § 2 p. LOU; organisationens policy',
      details: { minimum: '2026-09-26' },
    });
    expect(checkExtensionAfterChange({ ...base, proposed: '2026-09-26' })).toEqual([]);
    expect(checkExtensionAfterChange({ ...base, proposed: '2026-09-25', urgent: true })).toEqual([]);
    expect(
      checkExtensionAfterChange({ changeDate: '2026-09-01', current: '2026-09-24', proposed: '2026-09-24' })[0].details,
    ).toMatchObject({ minimum: '2026-09-25' });
  });
});

describe('library edges', () => {
  it('a tender period agreed with the candidates must be at least one day (11 kap. 7 §)', () => {
    expect(() => minimumTenderPeriod({ regime: 'eu', procedure: 'restricted', agreedWithCandidates: 0 })).toThrow(
      DomainInputError,
    );
    expect(() =>
      computeDeadline('tender_deadline', {
        from: '2026-06-01',
        regime: 'eu',
        procedure: 'restricted',
        agreedWithCandidates: 0,
      }),
    ).toThrow(/agreedWithCandidates must be a whole number of days ≥ 1/);
    expect(minimumTenderPeriod({ regime: 'eu', procedure: 'restricted', agreedWithCandidates: 1 }).days).toBe(1);
  });

  it('2028-03-01 has no published thresholds: a RuleSetGapError naming what is missing and that an administrator can add the row', () => {
    let err: unknown;
    try {
      classify({ contractType: 'services', valueSek: 1_000_000, date: '2028-03-01' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleSetGapError);
    const gap = err as RuleSetGapError;
    expect(gap.missing).toEqual({ kind: 'threshold', contractType: 'services', date: '2028-03-01' });
    expect(gap.message).toContain('no threshold (tröskelvärde) for services in force on 2028-03-01');
    expect(gap.message).toContain('An administrator can add the row');
  });
});
