import { documentationBasis, evaluationReport, openingProtocol } from './decision-documents';

/**
 * The opening protocol (12 kap. 10 § LOU) and the evaluation report (12 kap. 14 § LOU) of a
 * procurement with two lots, opened on 2026-10-02 after the deadline of 2026-10-01 and decided on
 * 2026-11-20: the sentences a procurement officer reads, from the facts alone.
 */
const head = { tenderId: 'HSN-2026-00042', title: 'Laboratoriereagens', organization: 'HSN' };

describe('the opening protocol', () => {
  it('names the openers, the deadline and every tender with its prices; a late one is marked', () => {
    const doc = openingProtocol({
      ...head,
      deadline: { lastDay: '2026-10-01', at: '2026-10-01T21:59:59.000Z' },
      openedAt: '2026-10-02T08:00:00.000Z',
      openers: ['anna', 'olof'],
      recordedBy: 'Anna Upphandlare',
      tenders: [
        {
          supplier: 'Kemlab AB',
          orgNumber: '556000-0001',
          receivedAt: '2026-09-30T10:00:00.000Z',
          late: false,
          lots: ['Kemi'],
          prices: [{ lot: 'Kemi', priceSek: 1_000_000 }],
        },
        { supplier: 'Sen AB', receivedAt: '2026-10-02T07:00:00.000Z', late: true },
      ],
    });
    expect(doc).toMatchObject({
      kind: 'opening_protocol',
      heading: 'Protokoll från anbudsöppning',
      paragraph: '12 kap. 10 § LOU',
    });
    expect(doc.text).toEqual([
      'Anbudsöppning i upphandlingen Laboratoriereagens (HSN-2026-00042), HSN, den 2026-10-02.',
      'Sista dag för anbud: 2026-10-01.',
      'Öppnare: anna, olof. Protokollet fördes av Anna Upphandlare.',
      'Antal anbud: 2, varav 1 för sent inkomna.',
      '1. Kemlab AB (556000-0001), inkom 2026-09-30T10:00:00.000Z; delområden Kemi; pris Kemi 1 000 000 kr.',
      '2. Sen AB, inkom 2026-10-02T07:00:00.000Z (för sent, prövas inte); inget pris registrerat.',
    ]);
  });
});

describe('the evaluation report', () => {
  const facts = {
    ...head,
    regime: 'eu' as const,
    decidedAt: '2026-11-20T09:00:00.000Z',
    decidedBy: 'Bo Beslutsfattare',
    tenders: [
      { supplier: 'Kemlab AB', late: false, assessment: { result: 'admitted' } },
      { supplier: 'Billig AB', late: false, assessment: { result: 'admitted' } },
      { supplier: 'Fel AB', late: false, assessment: { result: 'rejected', reason: 'K1 uppfylls inte' } },
      { supplier: 'Sen AB', late: true },
    ],
    lots: [
      {
        lot: 'Kemi',
        model: 'weighted' as const,
        ranked: [
          {
            supplier: 'Kemlab AB',
            rank: 1,
            priceSek: 1_000_000,
            total: 82,
            consensus: { scores: { K2: 5, K1: 4 }, reason: 'Enig bedömning' },
          },
          { supplier: 'Billig AB', rank: 2, priceSek: 800_000, total: 78 },
        ],
        winner: 'Kemlab AB',
      },
    ],
    proposals: [{ lot: 'Kemi', supplier: 'Kemlab AB', reasons: 'Högst totalpoäng' }],
    redFlags: [{ code: 'R036', value: 1 }],
    justification: 'Fel AB saknade den omsättning som krävs.',
  };

  it('gives the assessment, the model, the consensus scores, the ranking, the reasons and the red flags with their justification', () => {
    const doc = evaluationReport(facts);
    expect(doc).toMatchObject({
      kind: 'evaluation_report',
      heading: 'Utvärderingsrapport',
      paragraph: '12 kap. 14 § LOU',
    });
    expect(doc.text).toEqual([
      'Utvärdering i upphandlingen Laboratoriereagens (HSN-2026-00042), HSN; tilldelningen beslutad den 2026-11-20 av Bo Beslutsfattare.',
      'Prövning: Kemlab AB: går vidare till utvärdering.',
      'Prövning: Billig AB: går vidare till utvärdering.',
      'Prövning: Fel AB: förkastat (K1 uppfylls inte).',
      'Prövning: Sen AB: för sent inkommet, prövas inte.',
      'Kemi: Utvärderingsmodell: bästa förhållande mellan pris och kvalitet (viktade kriterier). Rangordning: 1. Kemlab AB (82 poäng) [konsensus K1 4, K2 5; Enig bedömning]; 2. Billig AB (78 poäng).',
      'Kemi: Tilldelas Kemlab AB. Skäl: Högst totalpoäng',
      'Varningsflaggor: R036 (1). Motivering för att ändå tilldela: Fel AB saknade den omsättning som krävs.',
    ]);
  });

  it('says so when no flag was raised, and what the case does not record', () => {
    const doc = evaluationReport({
      ...facts,
      tenders: [{ supplier: 'Fel AB', late: false, assessment: { result: 'rejected' } }],
      proposals: [{ supplier: 'Kemlab AB' }],
      redFlags: [],
      justification: undefined,
    });
    expect(doc.text).toContain('Prövning: Fel AB: förkastat (inte registrerat i ärendet).');
    expect(doc.text).toContain('Tilldelas Kemlab AB. Skäl: inte registrerat i ärendet');
    expect(doc.text.at(-1)).toBe('Inga varningsflaggor räknades fram för tilldelningen.');
  });

  it("gives each abnormally low check with its dates, outcome and reason, without the tenderer's explanation", () => {
    const doc = evaluationReport({
      ...facts,
      abnormallyLow: [
        {
          supplier: 'Billig AB',
          lot: 'Kemi',
          explanationRequestedOn: '2026-11-02',
          explanationReceivedOn: '2026-11-09',
          outcome: 'accepted',
          reason: 'Förklaringen visar hur priset är möjligt',
        },
        { supplier: 'Fel AB', explanationRequestedOn: '2026-11-02', outcome: 'rejected' },
      ],
    });
    expect(doc.text.slice(5, 7)).toEqual([
      'Onormalt lågt pris: Billig AB, Kemi: förklaring begärd 2026-11-02, mottagen 2026-11-09; förklaringen godtogs. Skäl: Förklaringen visar hur priset är möjligt.',
      'Onormalt lågt pris: Fel AB: förklaring begärd 2026-11-02, ingen förklaring mottagen; anbudet förkastades. Skäl: inte registrerat i ärendet.',
    ]);
    expect(doc.abnormallyLow).toHaveLength(2);
    // Without a check the report has neither the line nor the field (documents issued before keep their digest).
    expect(evaluationReport(facts)).not.toHaveProperty('abnormallyLow');
  });

  it('cites the documentation duty of each regime', () => {
    expect((['eu', 'framework_call_off', 'national', 'direct'] as const).map(documentationBasis)).toEqual([
      '12 kap. 14 § LOU',
      '12 kap. 14 § LOU',
      '19 kap. 22 § LOU',
      '19 a kap. 11 § LOU',
    ]);
  });
});
