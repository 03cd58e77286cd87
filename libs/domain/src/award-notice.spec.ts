import { createHash } from 'node:crypto';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import { awardNotices, kronor, type AwardNoticeFacts } from './award-notice';
import { canonicalJson } from './canonical-json';
import { isEmailAddress } from './text';

/**
 * The award decision notice (12 kap. 12 § LOU) to each tenderer of a procurement decided on
 * 2026-11-20, its standstill of 10 days (sent electronically) ending on 2026-11-30: the winner, the
 * ranked loser, the tender rejected in the assessment and the late one each get their own notice.
 */
const facts: AwardNoticeFacts = {
  tenderId: 'HSN-2026-00042',
  title: 'Laboratoriereagens',
  organization: 'HSN',
  regime: 'eu',
  decidedAt: '2026-11-20T09:00:00.000Z',
  decidedBy: 'Bo Beslutsfattare',
  winners: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
  tenders: [
    { supplier: 'Kemlab AB', orgNumber: '556000-0001', lots: ['Kemi'], late: false },
    { supplier: 'Billig AB', lots: ['Kemi'], late: false },
    { supplier: 'Fel AB', lots: ['Kemi'], late: false, rejected: { reason: 'Ska-krav K1 uppfylls inte' } },
    { supplier: 'Sen AB', late: true },
  ],
  ranking: [
    {
      lot: 'Kemi',
      model: 'weighted',
      ranked: [
        { supplier: 'Kemlab AB', rank: 1, priceSek: 1_000_000, total: 82 },
        { supplier: 'Billig AB', rank: 2, priceSek: 800_000, total: 78 },
      ],
    },
  ],
  standstill: { days: 10, lastDay: '2026-11-30' },
};

describe('the award decision notice to each tenderer (12 kap. 12 § LOU)', () => {
  const [kemlab, billig, fel, sen] = awardNotices(facts);

  it('names the winner with the reasons, the addressee’s outcome, the ranking and the standstill’s last day', () => {
    expect(billig).toMatchObject({
      kind: 'award_notice',
      heading: 'Underrättelse om tilldelningsbeslut',
      paragraph: '12 kap. 12 § LOU',
      addressee: { supplier: 'Billig AB' },
      outcome: 'not_awarded',
      standstill: { days: 10, lastDay: '2026-11-30' },
      winners: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
    });
    expect(billig.text).toEqual([
      'HSN har den 2026-11-20 beslutat om tilldelning i upphandlingen Laboratoriereagens (HSN-2026-00042).',
      'Kemi: Kontraktet tilldelas Kemlab AB. Skäl: Högst totalpoäng',
      'Ert anbud har inte antagits.',
      'Kemi: Rangordning enligt utvärderingsmodellen (bästa förhållande mellan pris och kvalitet (viktade kriterier)): 1. Kemlab AB (82 poäng), 2. Billig AB (78 poäng).',
      'Avtal får inte ingås förrän avtalsspärren på 10 dagar har löpt ut (20 kap. 1 § LOU); sista dagen är 2026-11-30.',
      'Underrättelsen lämnas enligt 12 kap. 12 § LOU.',
    ]);
  });

  it('gives each tenderer its own outcome, and the late one no ranking', () => {
    expect(kemlab).toMatchObject({
      outcome: 'awarded',
      addressee: { supplier: 'Kemlab AB', orgNumber: '556000-0001' },
    });
    expect(kemlab.text[2]).toBe('Ert anbud har antagits för Kemi.');
    expect(fel.outcome).toBe('rejected');
    expect(fel.text[2]).toBe('Ert anbud förkastades vid prövningen: Ska-krav K1 uppfylls inte.');
    expect(sen.outcome).toBe('late');
    expect(sen.text[2]).toBe('Ert anbud kom in efter anbudstidens utgång och har inte prövats.');
    // Sen AB named no lot: every lot's ranking is shown to it.
    expect(sen.ranking).toHaveLength(1);
  });

  it('says what the case does not record rather than leave it out', () => {
    const [notice] = awardNotices({
      ...facts,
      winners: [{ supplier: 'Kemlab AB' }],
      tenders: [{ supplier: 'Fel AB', late: false, rejected: {} }],
      ranking: [],
    });
    expect(notice.text).toContain('Kontraktet tilldelas Kemlab AB. Skäl: inte registrerat i ärendet');
    expect(notice.text).toContain('Ert anbud förkastades vid prövningen: inte registrerat i ärendet.');
  });

  it('an award without a standstill says so; a national procedure cites 19 kap. 19 §', () => {
    const [notice] = awardNotices({ ...facts, regime: 'national', standstill: null });
    expect(notice.text).toContain('Ingen avtalsspärr gäller för tilldelningen.');
    expect(notice.paragraph).toBe('19 kap. 19 § LOU');
    const [direct] = awardNotices({
      ...facts,
      regime: 'direct',
      standstill: null,
      noStandstillGround: '19 a kap. 10 § LOU',
    });
    expect(direct.text).toContain('Ingen avtalsspärr gäller för tilldelningen (19 a kap. 10 § LOU).');
  });

  it('prints a comparison price and a price in kronor as a Swedish letter does', () => {
    const [notice] = awardNotices({
      ...facts,
      ranking: [
        {
          lot: 'Kemi',
          model: 'value_deduction',
          ranked: [
            { supplier: 'Kemlab AB', rank: 1, priceSek: 1_000_000, comparisonPriceSek: 900_000 },
            { supplier: 'Billig AB', rank: 2, priceSek: 1_234_567 },
          ],
        },
      ],
    });
    expect(notice.ranking[0].ranked.map((r) => r.figure)).toEqual(['jämförelsepris 900 000 kr', '1 234 567 kr']);
    expect(kronor(0)).toBe('0 kr');
  });

  it('has a SHA-256 over its canonical JSON that the workflow and Node compute alike, one per notice', () => {
    const digests = [kemlab, billig, fel, sen].map((n) => documentSha256(n));
    expect(digests[1]).toBe(createHash('sha256').update(canonicalJson(billig)).digest('hex'));
    expect(new Set(digests).size).toBe(4);
  });

  it('takes a contact address only when one mailbox can be sent to', () => {
    expect(['anbud@lab.se', 'a.b+c@sub.lab.se'].map(isEmailAddress)).toEqual([true, true]);
    expect(
      [
        'a b@lab.se',
        'x@y',
        'x@y.',
        'a@b.se,c@d.se',
        'a\u0000@b.se',
        '"a"@b.se',
        'a@b.se\n',
        `${'a'.repeat(250)}@b.se`,
        7,
      ].map(isEmailAddress),
    ).toEqual([false, false, false, false, false, false, false, false, false]);
  });
});
