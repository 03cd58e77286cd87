import { answerTextRef, contentRef, questionTextRef, withContent, withTexts } from './tender-texts';
import type { TenderState } from './tender-types';

/** The workflow keeps content by ref; whoever reads the state back fills it in (ARCHITECTURE §5). */
describe('tender texts', () => {
  const person = { sub: 'anna', name: 'Anna' };
  const kept = {
    id: 'HSN-2026-00001',
    questions: [{ id: 'Q1', receivedAt: '2026-05-01T08:00:00.000Z', registeredBy: person }],
    needsAnalysis: {
      sustainability: { notApplicableReason: 'Services only' },
      supplyPreparedness: { criticality: 'high' },
      completedBy: person,
      completedAt: '2026-04-01T08:00:00.000Z',
      textRef: contentRef('needs-analysis', 2),
    },
    documents: {
      items: [],
      itemCount: 1,
      registeredBy: person,
      registeredAt: '2026-04-02T08:00:00.000Z',
      approved: true,
      textRef: contentRef('documents', 4),
    },
    evaluation: {
      proposals: [{ supplier: 'Acme AB', score: 87 }, { supplier: 'Beta AB' }],
      submittedBy: person,
      submittedAt: '2026-06-01T08:00:00.000Z',
      textRef: contentRef('evaluation', 9),
    },
    award: {
      decidedBy: person,
      decidedAt: '2026-06-02T08:00:00.000Z',
      winners: [{ supplier: 'Acme AB', score: 87 }],
      noticeChannel: 'electronic',
      standstillDays: 10,
      textRef: contentRef('evaluation', 9),
    },
    reviews: [
      {
        id: 'R1',
        applicant: 'Beta AB',
        court: 'FR Stockholm',
        filedAt: '2026-06-03T08:00:00.000Z',
        filedBy: person,
        status: 'decided',
        textRef: contentRef('ruling:R1', 11),
      },
    ],
    participants: [
      { organization: 'KOMMB', name: 'Kommun B', status: 'declined', textRef: contentRef('decline:KOMMB', 3) },
    ],
  } as unknown as TenderState;
  const texts = new Map<string, Record<string, unknown>>([
    [contentRef('needs-analysis', 2), { need: 'Reagents', risks: 'One supplier' }],
    [contentRef('documents', 4), { items: [{ title: 'Kravspecifikation', reference: 'dms://1' }] }],
    [contentRef('evaluation', 9), { reasons: ['Best price', 'Second on quality'], summary: 'Two tenders' }],
    [contentRef('ruling:R1', 11), { comment: 'No breach' }],
    [contentRef('decline:KOMMB', 3), { declineReason: 'Own agreement' }],
    [questionTextRef('Q1'), { question: 'Which lots?', askedBy: 'Acme AB' }],
    [answerTextRef('Q1'), { answer: 'Both.' }],
  ]);

  it('fills every content from the text its ref names, and shows no ref', () => {
    const s = withContent(kept, texts);
    expect(s.needsAnalysis).toEqual({
      ...kept.needsAnalysis,
      textRef: undefined,
      need: 'Reagents',
      risks: 'One supplier',
    });
    expect(s.documents!.items).toEqual([{ title: 'Kravspecifikation', reference: 'dms://1' }]);
    expect(s.evaluation).toMatchObject({
      summary: 'Two tenders',
      proposals: [
        { supplier: 'Acme AB', score: 87, reasons: 'Best price' },
        { supplier: 'Beta AB', reasons: 'Second on quality' },
      ],
    });
    expect(s.award!.winners).toEqual([{ supplier: 'Acme AB', score: 87, reasons: 'Best price' }]);
    expect(s.award).not.toHaveProperty('summary');
    expect(s.reviews[0]).toMatchObject({ id: 'R1', comment: 'No breach' });
    expect(s.participants[0]).toMatchObject({ organization: 'KOMMB', declineReason: 'Own agreement' });
    expect(JSON.stringify(s)).not.toContain('textRef');
    // The questions' texts are read a page at a time: withContent leaves them out, withTexts puts them in.
    expect(s.questions[0]).not.toHaveProperty('question');
    expect(withTexts(kept, texts).questions[0]).toMatchObject({
      question: 'Which lots?',
      askedBy: 'Acme AB',
      answer: 'Both.',
    });
  });

  it('a state from before content moved keeps its content and reads the same', () => {
    const old = {
      ...kept,
      needsAnalysis: { ...kept.needsAnalysis, textRef: undefined, need: 'Reagents' },
      evaluation: {
        ...kept.evaluation!,
        textRef: undefined,
        proposals: [{ supplier: 'Acme AB', reasons: 'Best price' }],
        summary: 'Old',
      },
      award: { ...kept.award!, textRef: undefined, winners: [{ supplier: 'Acme AB', reasons: 'Best price' }] },
      reviews: [],
      participants: [{ organization: 'KOMMB', name: 'Kommun B', status: 'declined', declineReason: 'Own agreement' }],
    } as unknown as TenderState;
    const s = withContent(old, texts);
    expect(s.needsAnalysis).toEqual(old.needsAnalysis);
    expect(s.evaluation).toEqual(old.evaluation);
    expect(s.award).toEqual(old.award);
    expect(s.participants).toEqual(old.participants);
  });

  it('a text not stored (yet) leaves the content out rather than showing a ref', () => {
    const s = withContent(kept, new Map());
    expect(s.documents).toMatchObject({ items: [], itemCount: 1 });
    expect(s.evaluation!.proposals).toEqual([{ supplier: 'Acme AB', score: 87 }, { supplier: 'Beta AB' }]);
    expect(JSON.stringify(s)).not.toContain('textRef');
  });
});
