import type { Actor } from '@tenderflow/domain/types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { scoresView, withholdOthersScores } from './scores.view';

/** Evaluators score on their own (issue 30, part 3): what each reader sees of the sheets and of the chain. */
const person = (sub: string) => ({ sub, name: sub });
const actor = (sub: string, roles: Actor['roles'], org = 'HSN'): Actor => ({ sub, name: sub, org, roles });
const state = {
  organization: 'HSN',
  scoreSheets: [
    {
      supplier: 'A AB',
      lot: 'Kemi',
      evaluator: person('eva'),
      at: '2026-11-02T09:00:00Z',
      textRef: 'content/score-sheet@7',
    },
    {
      supplier: 'A AB',
      lot: 'Kemi',
      evaluator: person('erik'),
      at: '2026-11-02T10:00:00Z',
      textRef: 'content/score-sheet@8',
    },
    {
      supplier: 'B AB',
      lot: 'Kemi',
      evaluator: person('erik'),
      at: '2026-11-02T11:00:00Z',
      textRef: 'content/score-sheet@9',
    },
  ],
  consensus: [
    {
      supplier: 'A AB',
      lot: 'Kemi',
      scores: { K1: 4 },
      decidedBy: person('anna'),
      at: '2026-11-03T09:00:00Z',
      textRef: 'content/consensus@10',
    },
  ],
} as unknown as TenderState;
const texts = new Map<string, Record<string, unknown>>([
  ['content/score-sheet@7', { scores: [{ criterionId: 'K1', score: 4, note: 'Fyra dagar' }] }],
  ['content/score-sheet@8', { scores: [{ criterionId: 'K1', score: 3 }] }],
  ['content/score-sheet@9', { scores: [{ criterionId: 'K1', score: 2 }] }],
  ['content/consensus@10', { reason: 'Enades om fyra', notes: { K1: 'Leveranstid fyra dagar' } }],
]);

describe('the scores as each reader sees them', () => {
  it('an evaluator sees their own sheets and the others’ for a tender with a consensus; the officer sees all', () => {
    const eva = scoresView(actor('eva', ['contract_manager']), state, texts);
    expect(eva.sheets.map((x) => [x.supplier, x.evaluator.sub, x.scores[0].score])).toEqual([
      ['A AB', 'eva', 4],
      ['A AB', 'erik', 3],
    ]);
    expect(eva.consensus).toEqual([
      {
        supplier: 'A AB',
        lot: 'Kemi',
        scores: [{ criterionId: 'K1', score: 4, note: 'Leveranstid fyra dagar' }],
        reason: 'Enades om fyra',
        decidedBy: person('anna'),
        at: '2026-11-03T09:00:00Z',
      },
    ]);
    expect(scoresView(actor('anna', ['procurement_officer']), state, texts).sheets).toHaveLength(3);
    // An officer who is also an evaluator taking part scores on their own too: own sheets and agreed ones only.
    const officerEvaluator = { ...state, evaluators: [{ sub: 'anna', status: 'declared' }] } as unknown as TenderState;
    expect(scoresView(actor('anna', ['procurement_officer']), officerEvaluator, texts).sheets).toHaveLength(2);
    // An officer of another organisation (were one let in) is not the tender's officer: only the agreed tender's sheets.
    expect(
      scoresView(actor('olga', ['procurement_officer'], 'RS'), state, texts).sheets.map((x) => x.supplier),
    ).toEqual(['A AB', 'A AB']);
  });

  it('withholds another evaluator’s scores in the chain until the consensus, and nothing else', () => {
    const scored = (sub: string, supplier: string) => ({
      type: 'tender.scored',
      actor: { sub },
      payload: {
        command: 'scoreTender',
        payload: { supplier, lot: 'Kemi', scores: [{ criterionId: 'K1', score: 2 }] },
      },
    });
    const items = [
      scored('erik', 'B AB'),
      scored('erik', 'A AB'),
      scored('eva', 'B AB'),
      { type: 'gate.decided', actor: null, payload: {} },
    ];
    const seen = withholdOthersScores(actor('eva', ['contract_manager']), state, items);
    expect(seen[0].payload).toEqual({
      command: 'scoreTender',
      payload: { supplier: 'B AB', lot: 'Kemi' },
      withheld: expect.stringContaining('consensus'),
    });
    expect(seen.slice(1)).toEqual(items.slice(1));
    expect(withholdOthersScores(actor('anna', ['procurement_officer']), state, items)).toEqual(items);
  });
});
