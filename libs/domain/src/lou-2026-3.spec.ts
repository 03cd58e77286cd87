/**
 * Rule set LOU-2026.3 (issue 26): dated cases, each naming its paragraph and where it was read
 * (libs/domain/CITATIONS.md rows 27–45: the statute text, SFS 2016:1145 t.o.m. 2023:815).
 */
import { directAwardDocumentationRequired, directAwardNoticeRequired } from './accelerated';
import { classify } from './classification';
import { computeDeadline, exAnteWaitEnd, invalidityExposure, postAwardNoticeDue } from './deadlines';
import { directAwardDocumentationProblem, isOrganisationNumber, tendersReceived } from './direct-award';
import {
  ABNORMALLY_LOW_PARAGRAPH,
  awardNoticeBasis,
  exAnteNoticeParagraph,
  procedureChapter,
  procedureLabelSv,
  withoutNoticeGround,
} from './procedures';
import { validateTenderStart } from './rules';
import { RULE_SET_VERSION, ruleSetAtLeast } from './thresholds';
import { directAwardRecord } from '../../../test/support/direct-award-record';

describe('LOU-2026.3: the direct-award limit, 19 a kap. 2 § ("beräknas understiga 700 000 kronor"; CITATIONS.md row 27)', () => {
  it.each([
    ['2026-03-02', 699_999, 'direct'],
    ['2026-03-02', 700_000, 'national'],
    ['2022-02-01', 699_999, 'direct'],
    ['2022-02-01', 700_000, 'national'],
  ] as const)('services on %s at %i SEK → %s', (date, valueSek, regime) => {
    expect(classify({ contractType: 'services', valueSek, date }).regime).toBe(regime);
  });

  it('a 500 000 SEK supply advertised on 2026-11-30 stays a direct award, under 19 a kap. only (19 kap. 1 § tredje stycket; row 29)', () => {
    const r = validateTenderStart({
      contractType: 'supplies',
      estimatedValueSek: 500_000,
      date: '2026-11-30',
      procedure: 'open',
    });
    expect(r).toMatchObject({ ok: true, regime: 'direct', procedure: 'open' });
    expect(r.classification.basis).toContain('19 a kap. 2 § LOU');
    expect(procedureChapter('direct', 'open')).toBe('19 a kap. LOU');
    expect(procedureLabelSv('direct', 'open')).toBe('Direktupphandling (annonserad, ett steg)');
    expect(awardNoticeBasis('direct')).toBe('19 a kap. 10 § LOU');
  });

  it('the rule set is LOU-2026.3; tenders keep theirs (ruleSetAtLeast)', () => {
    expect(RULE_SET_VERSION).toBe('LOU-2026.3');
    expect(ruleSetAtLeast('LOU-2026.3', 'LOU-2026.3')).toBe(true);
    expect(ruleSetAtLeast('LOU-2026.2', 'LOU-2026.3')).toBe(false);
    expect(ruleSetAtLeast('test', 'LOU-2026.3')).toBe(false);
    expect(ruleSetAtLeast(undefined, 'LOU-2026.3')).toBe(false);
  });
});

describe('LOU-2026.3: grounds without prior notice (6 kap. 12–19 §§; 19 a kap. 3–7 §§; row 28)', () => {
  it('a 1 500 000 SEK service on 2026-11-30 negotiated without notice on 19 a kap. 6 § (a review pending) is a direct award', () => {
    const r = validateTenderStart({
      contractType: 'services',
      estimatedValueSek: 1_500_000,
      date: '2026-11-30',
      procedure: 'negotiated_without_notice',
      withoutNoticeGround: 'pending_review',
      negotiationGround:
        'Förvaltningsrätten har förlängt avtalsspärren i upphandlingen av städtjänster; behovet kan inte vänta.',
    });
    expect(r).toMatchObject({ ok: true, regime: 'direct' });
    expect(withoutNoticeGround('pending_review', 'direct')?.paragraph).toBe('19 a kap. 6–7 §§ LOU');
  });

  it('the same on 2026-11-30 at 4 000 000 SEK of supplies (EU): 6 kap. grounds only', () => {
    const refused = validateTenderStart({
      contractType: 'supplies',
      estimatedValueSek: 4_000_000,
      date: '2026-11-30',
      procedure: 'negotiated_without_notice',
      withoutNoticeGround: 'exceptional_reasons',
      negotiationGround: 'Synnerliga skäl.',
    });
    expect(refused.violations).toEqual([
      expect.objectContaining({
        rule: 'without_notice_ground_not_available',
        paragraph: '19 a kap. 5 § andra stycket LOU',
      }),
    ]);
    expect(withoutNoticeGround('extreme_urgency', 'eu')).toMatchObject({ paragraph: '6 kap. 15 § LOU' });
    expect(withoutNoticeGround('no_suitable_tenders', 'direct')).toMatchObject({ paragraph: '19 a kap. 3 § LOU' });
    expect(withoutNoticeGround('only_unacceptable_tenders', 'direct')).toMatchObject({
      paragraph: '19 a kap. 4 § LOU',
    });
  });
});

describe('LOU-2026.3: after the contract (rows 30–33, 39–41)', () => {
  it('documentation of a direct award when the value "överstiger 100 000 kronor" (19 a kap. 11 §): 100 000 no, 100 001 yes; 2026-03-02 → 2026-04-01', () => {
    expect(directAwardDocumentationRequired(100_000)).toBe(false);
    expect(directAwardDocumentationRequired(100_001)).toBe(true);
    expect(computeDeadline('documentation', { from: '2026-03-02', regime: 'direct' })).toMatchObject({
      lastDay: '2026-04-01',
      basis: expect.stringContaining('19 a kap. 11 § LOU'),
    });
  });

  it('post-award notice of a direct award except "när upphandlingens värde understiger 700 000 kronor" (19 a kap. 13 §): 699 999 no, 700 000 yes; 30 days', () => {
    expect(directAwardNoticeRequired(699_999, '2026-06-01')).toBe(false);
    expect(directAwardNoticeRequired(700_000, '2026-06-01')).toBe(true);
    // 2026-06-01 + 30 = 2026-07-01 (a Wednesday).
    expect(postAwardNoticeDue('2026-06-01', 'direct')).toMatchObject({
      days: 30,
      lastDay: '2026-07-01',
      basis: expect.stringContaining('19 a kap. 13–14 §§ LOU'),
    });
    expect(postAwardNoticeDue('2026-06-01', 'national').basis).toContain('19 kap. 7 § LOU');
  });

  it('the ex-ante notice wait (20 kap. 3 §): published 2026-12-14, ten days end on Christmas Eve → the next working day, Monday 2026-12-28 (20 kap. 18 §, lag 1930:173 2 §)', () => {
    expect(exAnteWaitEnd('2026-12-14')).toMatchObject({
      days: 10,
      rawLastDay: '2026-12-24',
      lastDay: '2026-12-28',
      moved: true,
      basis: expect.stringContaining('20 kap. 3 § LOU'),
    });
    expect(exAnteWaitEnd('2026-03-02')).toMatchObject({ lastDay: '2026-03-12', moved: false });
    expect(exAnteNoticeParagraph('eu')).toBe('10 kap. 5 § LOU');
    expect(exAnteNoticeParagraph('direct')).toBe('19 a kap. 9 § LOU');
  });

  it('invalidity: six months from the contract, 30 days from a post-award notice (20 kap. 17 §); the event day not counted (1182/71 art. 3.1)', () => {
    expect(invalidityExposure({ signedDate: '2026-01-15' })).toMatchObject({
      lastDay: '2026-07-15',
      basis: expect.stringContaining('20 kap. 17 § första stycket LOU'),
    });
    expect(invalidityExposure({ signedDate: '2026-01-15', noticeDate: '2026-01-20' })).toMatchObject({
      lastDay: '2026-02-19',
      basis: expect.stringContaining('20 kap. 17 § andra stycket'),
    });
    expect(computeDeadline('period', { from: '2026-03-02', days: 5 }).basis).toContain('1182/71 artikel 3.1');
  });

  it('abnormally low tenders: 16 kap. 7 § (ask, then reject), row 36', () => {
    expect(ABNORMALLY_LOW_PARAGRAPH).toBe('16 kap. 7–8 §§ LOU');
  });
});

describe("LOU-2026.3: a direct award's documentation record (19 a kap. 11 §; row 30)", () => {
  const record = directAwardRecord;

  it('a complete record for the contract signed with its winner passes; it counts the tenders', () => {
    expect(directAwardDocumentationProblem(record, 'Fönsterputs AB')).toBeNull();
    expect(tendersReceived(record)).toBe(2);
  });

  it.each([
    ['no record', undefined, 'RuleViolation', 'direct_award_documentation_required', ''],
    ['no competition', { ...record, competition: ' ' }, 'BadRequest', 'required', 'competition'],
    ['nobody asked', { ...record, suppliersAsked: [] }, 'BadRequest', 'required', 'suppliersAsked'],
    [
      'a supplier twice',
      { ...record, suppliersAsked: [...record.suppliersAsked, { name: 'glans ab', answer: 'declined' }] },
      'BadRequest',
      'duplicate',
      'suppliersAsked[3].name',
    ],
    [
      'an unknown answer',
      { ...record, suppliersAsked: [{ name: 'X AB', answer: 'maybe' }] },
      'BadRequest',
      'enum',
      'suppliersAsked[0].answer',
    ],
    [
      'a price from one who declined',
      { ...record, suppliersAsked: [{ name: 'X AB', answer: 'declined', priceSek: 5 }] },
      'BadRequest',
      'price_without_tender',
      'suppliersAsked[0].priceSek',
    ],
    [
      'a winner without its number',
      { ...record, winner: { name: 'Fönsterputs AB', orgNumber: '' } },
      'BadRequest',
      'required',
      'winner.orgNumber',
    ],
    [
      'a winner that declined',
      { ...record, winner: { name: 'Skinande AB', orgNumber: '556000-0005' } },
      'RuleViolation',
      'winner_not_a_tenderer',
      'winner.name',
    ],
    [
      'a winner other than the contract’s',
      { ...record, winner: { name: 'Glans AB', orgNumber: '556000-0006' } },
      'RuleViolation',
      'winner_not_contract_supplier',
      'winner.name',
    ],
    ['no reason', { ...record, reason: '' }, 'BadRequest', 'required', 'reason'],
    ['a reason of 2 001 characters', { ...record, reason: 'x'.repeat(2001) }, 'BadRequest', 'too_long', 'reason'],
  ])('%s → %s %s (%s)', (_what, r, kind, rule, field) => {
    expect(directAwardDocumentationProblem(r, 'Fönsterputs AB')).toMatchObject({ kind, rule, field });
  });

  it('organisation numbers carry their check digit (Luhn): 232100-0016 and 202100-5489 yes, 232100-0017 and 2321000016 no', () => {
    expect(isOrganisationNumber('232100-0016')).toBe(true);
    expect(isOrganisationNumber('202100-5489')).toBe(true);
    expect(isOrganisationNumber('232100-0017')).toBe(false);
    expect(isOrganisationNumber('2321000016')).toBe(false);
    expect(isOrganisationNumber(2321000016)).toBe(false);
  });
});
