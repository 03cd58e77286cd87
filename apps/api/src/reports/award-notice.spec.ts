import { createHash } from 'node:crypto';
import { canonicalJson } from '@tenderflow/domain/canonical-json';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { AwardNoticeUnavailable, buildAwardNotice } from './award-notice';

/**
 * The award decision notice (12 kap. 12 § LOU) to each tenderer of a two-lot procurement decided on
 * 2026-11-20, its standstill of 10 days (sent electronically) ending on 2026-11-30: the winner, the
 * ranked loser, the tender rejected in the assessment and the late one each get their own notice.
 */
const person = (sub: string, name: string) => ({ sub, name });
const state = {
  id: 'HSN-2026-00042',
  title: 'Laboratoriereagens',
  organization: 'HSN',
  regime: 'eu',
  tendersReceived: [
    {
      supplier: 'Kemlab AB',
      orgNumber: '556000-0001',
      receivedAt: '2026-10-01T10:00:00Z',
      lots: ['Kemi'],
      late: false,
    },
    { supplier: 'Billig AB', receivedAt: '2026-10-01T10:00:00Z', lots: ['Kemi'], late: false },
    { supplier: 'Fel AB', receivedAt: '2026-10-01T10:00:00Z', lots: ['Kemi'], late: false },
    { supplier: 'Sen AB', receivedAt: '2026-10-03T10:00:00Z', late: true },
  ],
  assessments: [{ supplier: 'Fel AB', result: 'rejected', reason: 'Ska-krav K1 uppfylls inte' }],
  evaluation: {
    ranking: [
      {
        lot: 'Kemi',
        model: 'weighted',
        ranked: [
          { supplier: 'Kemlab AB', rank: 1, priceSek: 1_000_000, total: 82 },
          { supplier: 'Billig AB', rank: 2, priceSek: 800_000, total: 78 },
        ],
        winner: 'Kemlab AB',
      },
    ],
  },
  award: {
    decidedBy: person('bo', 'Bo Beslutsfattare'),
    decidedAt: '2026-11-20T09:00:00.000Z',
    winners: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
    noticeChannel: 'electronic',
    standstillDays: 10,
  },
  deadlines: [
    { kind: 'standstill', at: '2026-11-30T22:59:59.999Z', lastDay: '2026-11-30', basis: '20 kap. 1 § LOU', days: 10 },
  ],
  pastDeadlines: [],
} as unknown as TenderState;

describe('the award decision notice to each tenderer (12 kap. 12 § LOU)', () => {
  it('names the winner with the reasons, the addressee’s outcome, the ranking and the standstill’s last day', () => {
    const notice = buildAwardNotice(state, 'Billig AB');
    expect(notice).toMatchObject({
      paragraph: '12 kap. 12 § LOU',
      addressee: { supplier: 'Billig AB' },
      outcome: 'not_awarded',
      standstill: { days: 10, lastDay: '2026-11-30' },
      winners: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
    });
    expect(notice.text).toEqual([
      'HSN har den 2026-11-20 beslutat om tilldelning i upphandlingen Laboratoriereagens (HSN-2026-00042).',
      'Kemi: Kontraktet tilldelas Kemlab AB. Skäl: Högst totalpoäng',
      'Ert anbud har inte antagits.',
      'Kemi: Rangordning enligt utvärderingsmodellen: 1. Kemlab AB (82 poäng), 2. Billig AB (78 poäng).',
      'Avtal får inte ingås förrän avtalsspärren på 10 dagar har löpt ut; sista dagen är 2026-11-30.',
      'Underrättelsen lämnas enligt 12 kap. 12 § LOU.',
    ]);
    const { sha256, ...rest } = notice;
    expect(sha256).toBe(createHash('sha256').update(canonicalJson(rest)).digest('hex'));
  });

  it('each tenderer its own outcome; no notice before the decision or to a stranger', () => {
    expect(buildAwardNotice(state, 'Kemlab AB')).toMatchObject({
      outcome: 'awarded',
      addressee: { orgNumber: '556000-0001' },
    });
    expect(buildAwardNotice(state, 'Kemlab AB').text[2]).toBe('Ert anbud har antagits för Kemi.');
    expect(buildAwardNotice(state, 'Fel AB').text[2]).toBe(
      'Ert anbud förkastades vid prövningen: Ska-krav K1 uppfylls inte.',
    );
    const late = buildAwardNotice(state, 'Sen AB');
    expect(late.outcome).toBe('late');
    expect(late.text[2]).toBe('Ert anbud kom in efter anbudstidens utgång och har inte prövats.');
    // Each notice its own digest.
    expect(
      new Set(['Kemlab AB', 'Billig AB', 'Fel AB', 'Sen AB'].map((x) => buildAwardNotice(state, x).sha256)).size,
    ).toBe(4);
    expect(() => buildAwardNotice(state, 'Okänd AB')).toThrow(AwardNoticeUnavailable);
    expect(() => buildAwardNotice({ ...state, award: undefined }, 'Kemlab AB')).toThrow(AwardNoticeUnavailable);
  });

  it('an award without a standstill says so', () => {
    const direct = { ...state, award: { ...state.award!, standstillDays: null }, deadlines: [] };
    expect(buildAwardNotice(direct, 'Billig AB').text).toContain('Ingen avtalsspärr gäller för tilldelningen.');
  });
});
