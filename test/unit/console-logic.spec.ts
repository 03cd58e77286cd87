import {
  answerWords,
  axisTicks,
  directAwardRecord,
  dueMilestones,
  fieldErrors,
  fieldPathWords,
  ganttLayout,
  isOverdue,
  milestoneCompletionBody,
  contractChangeBody,
  nextDeadline,
  withoutFieldName,
} from '../../console/src/logic';
import { FIELD_LABELS } from '../../console/src/form-labels';
import { explainRule, RULE_EXPLANATIONS, translate, TABLES, VOCABULARY } from '../../console/src/i18n-tables';
import { ruleNamesInSources } from '../support/rule-names';

/** The console's view logic (console/src/logic.ts) and its string tables. */
describe('console view logic', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('lays out phases as bars and deadlines as markers on one axis, the running phase up to now', () => {
    const g = ganttLayout(
      [
        { phase: 'needs_analysis', enteredAt: '2026-03-01T00:00:00Z', leftAt: '2026-03-05T00:00:00Z' },
        { phase: 'documents', enteredAt: '2026-03-05T00:00:00Z' },
      ],
      [{ kind: 'documentation', at: '2026-03-20T22:59:59Z', lastDay: '2026-03-20', basis: '12 kap. 14 § LOU' }],
      now,
    );
    // The axis runs from a day before the first phase to a day after the last deadline.
    expect(g.start).toBe('2026-02-28T00:00:00.000Z');
    expect(g.end).toBe('2026-03-21T22:59:59.000Z');
    expect(g.bars).toHaveLength(2);
    expect(g.bars[0]).toMatchObject({ phase: 'needs_analysis', current: false });
    expect(g.bars[1]).toMatchObject({ phase: 'documents', current: true });
    // The first phase starts one day into a 21.96-day axis; the second begins where the first ends.
    expect(g.bars[0].left).toBeCloseTo(4.6, 1);
    expect(g.bars[1].left).toBeCloseTo(g.bars[0].left + g.bars[0].width, 1);
    // The running phase ends at now, where the now line is.
    expect(g.bars[1].left + g.bars[1].width).toBeCloseTo(g.now!, 1);
    expect(g.markers).toEqual([
      {
        kind: 'documentation',
        left: expect.any(Number),
        lastDay: '2026-03-20',
        basis: '12 kap. 14 § LOU',
        past: false,
      },
    ]);
    expect(g.markers[0].left).toBeGreaterThan(g.now!);
  });

  it('marks a deadline past when it has an outcome or lies before now, and gives a short phase a visible width', () => {
    const g = ganttLayout(
      [{ phase: 'needs_analysis', enteredAt: '2026-03-10T11:59:59Z' }],
      [
        {
          kind: 'question_cutoff',
          at: '2026-03-09T22:59:59Z',
          lastDay: '2026-03-09',
          basis: 'policy',
          outcome: 'passed',
        },
        { kind: 'tender_deadline', at: '2026-04-20T21:59:59Z', lastDay: '2026-04-20', basis: '11 kap.' },
      ],
      now,
    );
    expect(g.markers.map((m) => [m.kind, m.past])).toEqual([
      ['question_cutoff', true],
      ['tender_deadline', false],
    ]);
    expect(g.bars[0].width).toBe(0.5);
  });

  it("maps a 400 problem's errors[] to the fields, nested paths also under their first segment", () => {
    const errors = fieldErrors({
      errors: [
        { field: 'title', rule: 'minLength', message: 'title must be at least 3 characters' },
        { field: 'laborConditions.justification', rule: 'isString', message: 'justification must be a string' },
        { field: 'lots[0].title', rule: 'isString', message: 'a lot needs a title' },
      ],
    });
    expect(errors.title).toEqual(['title must be at least 3 characters']);
    expect(errors['laborConditions.justification']).toEqual(['justification must be a string']);
    expect(errors.laborConditions).toEqual(['justification must be a string']);
    expect(errors.lots).toEqual(['a lot needs a title']);
    expect(fieldErrors(undefined)).toEqual({});
    expect(fieldErrors({})).toEqual({});
  });

  it('words each field error through the given function (the console: the rule in Swedish)', () => {
    const errors = fieldErrors(
      {
        errors: [
          {
            field: 'laborConditions',
            rule: 'labour_conditions',
            message: 'Above the threshold, assess labour conditions.',
          },
        ],
      },
      (e) => explainRule('sv', e.rule, e.message),
    );
    expect(errors.laborConditions).toEqual([{ text: RULE_EXPLANATIONS.sv.labour_conditions }]);
  });

  it("says a refused rule in Swedish when the table has it, and otherwise the API's English marked as such", () => {
    expect(
      explainRule('sv', 'four_eyes', 'You asked for this decision; another person must take it (four-eyes).'),
    ).toEqual({
      text: 'Du begärde själv beslutet; en annan person måste fatta det (fyraögonsprincipen).',
    });
    expect(explainRule('sv', 'no_such_rule', 'Some English sentence.')).toEqual({
      text: 'Some English sentence.',
      lang: 'en',
    });
    expect(explainRule('sv', undefined, 'Some English sentence.')).toEqual({
      text: 'Some English sentence.',
      lang: 'en',
    });
    expect(explainRule('en', 'four_eyes', 'You asked for this decision.')).toEqual({
      text: 'You asked for this decision.',
    });
  });

  it("marks the API's sentences as English only when it answered in English (a Swedish answer carries detailEn)", () => {
    const explain = (rule: string | undefined, message: string) => explainRule('sv', rule, message);
    const english = answerWords({}, explain);
    expect(english(undefined, 'Tender X does not exist')).toEqual({ text: 'Tender X does not exist', lang: 'en' });
    const swedish = answerWords({ detailEn: 'Invalid request: comment (isLength)' }, explain);
    expect(swedish('isLength', 'comment: minst 1 tecken')).toEqual({ text: 'comment: minst 1 tecken' });
    expect(swedish('four_eyes', 'whatever')).toEqual({ text: RULE_EXPLANATIONS.sv.four_eyes });
  });

  it('explains only rules the API names: each key is a rule id in its sources', () => {
    const named = ruleNamesInSources();
    const unknown = Object.keys(RULE_EXPLANATIONS.sv).filter((rule) => !named.has(rule));
    expect(unknown).toEqual([]);
  });

  it('calls a tender overdue when its next deadline has passed (the rule of GET /tenders?overdue=true)', () => {
    expect(isOverdue({ at: '2026-03-10T11:59:59Z' }, now)).toBe(true);
    expect(isOverdue({ at: '2026-03-10T12:00:01Z' }, now)).toBe(false);
    expect(isOverdue(null, now)).toBe(false);
    expect(nextDeadline([{ at: '2026-05-01T00:00:00Z' }, { at: '2026-04-01T00:00:00Z' }])).toEqual({
      at: '2026-04-01T00:00:00Z',
    });
    expect(nextDeadline([])).toBeUndefined();
  });

  it('lists milestones due within the window or overdue, oldest first, and leaves done ones out', () => {
    const ms = [
      { id: 'M1', dueDate: '2026-06-30', status: 'scheduled' },
      { id: 'M2', dueDate: '2026-03-01', status: 'overdue' },
      { id: 'M3', dueDate: '2026-03-20', status: 'scheduled' },
      { id: 'M4', dueDate: '2026-03-05', status: 'done' },
    ];
    expect(dueMilestones(ms, now, 30).map((m) => m.id)).toEqual(['M2', 'M3']);
  });

  it('has every Swedish key in English too, and fills placeholders', () => {
    expect(Object.keys(TABLES.en).sort()).toEqual(Object.keys(TABLES.sv).sort());
    expect(Object.keys(VOCABULARY.en).sort()).toEqual(Object.keys(VOCABULARY.sv).sort());
    expect(translate('sv', 'auth.signedInAs', { name: 'Bo Berg', org: 'REGION' })).toBe(
      'Inloggad som Bo Berg (REGION)',
    );
    expect(translate('en', 'tender.chainVerified', { events: 4 })).toBe('Chain verified (4 events)');
  });

  it("reads a direct award's documentation from the form's lines (name; org. number; answer; price), leaving unknown answers for the API to name", () => {
    const record = directAwardRecord({
      competition: 'Prisförfrågan',
      suppliers:
        'Fönsterputs AB; 556000-0004; anbud; 640 000\nGlans AB;; anbud; 690000\n\nSkinande AB; ; avböjde\nTyst AB\nKonstig AB; ; kanske',
      winner: ' Fönsterputs AB ',
      winnerOrg: '556000-0004',
      reason: 'Lägsta pris',
    });
    expect(record).toEqual({
      competition: 'Prisförfrågan',
      suppliersAsked: [
        { name: 'Fönsterputs AB', orgNumber: '556000-0004', answer: 'tendered', priceSek: 640_000 },
        { name: 'Glans AB', answer: 'tendered', priceSek: 690_000 },
        { name: 'Skinande AB', answer: 'declined' },
        { name: 'Tyst AB', answer: 'no_answer' },
        { name: 'Konstig AB', answer: 'kanske' },
      ],
      winner: { name: 'Fönsterputs AB', orgNumber: '556000-0004' },
      reason: 'Lägsta pris',
    });
  });

  it('completes a milestone with what its kind takes: a reference where filed, the extension decision and its months', () => {
    const form = {
      outcome: 'ok' as const,
      note: 'Klart',
      reference: 'DNR-2027-1',
      extend: 'yes' as const,
      months: '12',
    };
    expect(milestoneCompletionBody('startup_meeting', form)).toEqual({ outcome: 'ok', note: 'Klart' });
    // A control is completed with its evidence's reference; a deviation with its severity and the supplier's due date.
    expect(
      milestoneCompletionBody('control', {
        ...form,
        outcome: 'deviation',
        severity: 'major',
        correctiveDueDate: ' 2027-06-20 ',
      }),
    ).toEqual({
      outcome: 'deviation',
      note: 'Klart',
      reference: 'DNR-2027-1',
      severity: 'major',
      correctiveDueDate: '2027-06-20',
    });
    expect(milestoneCompletionBody('control', { ...form, severity: 'major', correctiveDueDate: '2027-06-20' })).toEqual(
      {
        outcome: 'ok',
        note: 'Klart',
        reference: 'DNR-2027-1',
      },
    );
    expect(milestoneCompletionBody('post_award_notice', form)).toEqual({
      outcome: 'ok',
      note: 'Klart',
      reference: 'DNR-2027-1',
    });
    expect(milestoneCompletionBody('extension_decision', form)).toEqual({
      outcome: 'ok',
      note: 'Klart',
      extend: true,
      months: 12,
    });
    expect(milestoneCompletionBody('extension_decision', { ...form, extend: 'no' })).toEqual({
      outcome: 'ok',
      note: 'Klart',
      extend: false,
    });
    // Not a whole number: sent as typed, for the API to name the field.
    expect(milestoneCompletionBody('extension_decision', { ...form, months: 'ett år' })).toMatchObject({
      months: 'ett år',
    });
    expect(milestoneCompletionBody('extension_decision', { ...form, extend: '' })).toEqual({
      outcome: 'ok',
      note: 'Klart',
    });
  });

  it('ticks the timeline by month for a tender of months or years, by week for a short one', () => {
    // Five months: the first of each month, placed by its share of the span.
    const months = axisTicks('2026-01-15T00:00:00Z', '2026-06-15T00:00:00Z');
    expect(months.map((x) => x.day)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']);
    expect(months[0].left).toBeCloseTo(((Date.UTC(2026, 1, 1) - Date.UTC(2026, 0, 15)) / (151 * 86_400_000)) * 100, 0);
    // Four years of follow-up: every fourth month, at most twelve ticks.
    const years = axisTicks('2027-01-16T00:00:00Z', '2031-01-16T00:00:00Z');
    expect(years.length).toBeLessThanOrEqual(12);
    expect(years[0].day).toBe('2027-02-01');
    expect(years[1].day).toBe('2027-06-01');
    // Three weeks: Mondays.
    expect(axisTicks('2026-12-02T00:00:00Z', '2026-12-23T00:00:00Z').map((x) => x.day)).toEqual([
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
    ]);
    expect(axisTicks('2026-12-02T00:00:00Z', '2026-12-02T00:00:00Z')).toEqual([]);
  });
});

describe("console: a field error in the form's words", () => {
  it("names the field by the form's labels, rows counted from 1, and drops the API's field code before the message", () => {
    expect(fieldPathWords('documents.1.reference', FIELD_LABELS.sv)).toBe('Upphandlingsdokument 2 › Referens');
    expect(fieldPathWords('comment', FIELD_LABELS.sv)).toBe('Kommentar');
    expect(fieldPathWords('somethingNew', FIELD_LABELS.sv)).toBe('somethingNew');
    expect(withoutFieldName({ field: 'comment', rule: 'isLength', message: 'comment: minst 1 tecken' })).toBe(
      'minst 1 tecken',
    );
    const en = 'comment must be longer than or equal to 1 characters';
    expect(withoutFieldName({ field: 'comment', rule: 'isLength', message: en })).toBe(en);
  });
});

describe('contractChangeBody', () => {
  const form = {
    ground: 'low_value',
    valueChangeSek: '150 000',
    overallNatureChanged: false,
    description: 'En leveransadress till',
    clauseReference: 'AV 9.2',
    newSupplier: 'Ny AB',
    substantial: { changesCompetition: false, favoursSupplier: false, extendsScope: false, replacesSupplier: false },
  };
  it('sends the fields the ground takes, the value as a number where it is one', () => {
    expect(contractChangeBody(form)).toEqual({
      ground: 'low_value',
      valueChangeSek: 150_000,
      overallNatureChanged: false,
      description: 'En leveransadress till',
    });
    expect(contractChangeBody({ ...form, ground: 'review_clause', valueChangeSek: '−20 000' })).toMatchObject({
      valueChangeSek: -20_000,
      clauseReference: 'AV 9.2',
    });
    expect(contractChangeBody({ ...form, ground: 'supplier_succession', valueChangeSek: '0' })).toMatchObject({
      newSupplier: 'Ny AB',
    });
    expect(contractChangeBody({ ...form, ground: 'not_substantial' }).substantial).toEqual(form.substantial);
    // Not a number: sent as typed, for the API to name the field.
    expect(contractChangeBody({ ...form, valueChangeSek: 'mycket' }).valueChangeSek).toBe('mycket');
  });
});
