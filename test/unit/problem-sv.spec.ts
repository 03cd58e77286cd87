import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { ruleText } from '@tenderflow/domain/rule-texts';
import { ruleNamesInSources } from '../support/rule-names';
import { DecideGateDto } from '../../apps/api/src/tenders/commands/decide-gate.dto';
import { CreateTenderDto } from '../../apps/api/src/tenders/create-tender.dto';
import { negotiateLanguage } from '../../apps/api/src/common/language';
import { PROBLEM_BASE, ProblemException, ruleViolation } from '../../apps/api/src/common/problem';
import { CONSTRAINT_TEXTS, swedishFieldMessage, swedishProblem } from '../../apps/api/src/common/problem-sv';
import { constraintName, createValidationPipe } from '../../apps/api/src/common/validation';

describe('negotiateLanguage (Accept-Language → the language of problem details)', () => {
  it.each([
    ['sv', 'sv'],
    ['sv-SE', 'sv'],
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['en-GB,en;q=0.9,sv;q=0.8', 'en'],
    ['de-DE,sv;q=0.5', 'sv'],
    ['en;q=0.4, sv;q=0.6', 'sv'],
    ['sv;q=0, en', 'en'],
    ['sv;q=0', 'en'],
    ['en, sv', 'en'],
    ['*', 'en'],
    ['de, fr;q=0.8', 'en'],
    ['en', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

/** A body through the API's validation pipe: the problem it raises, with the words for its Swedish answer. */
async function refusedBody(dto: new () => object, body: object): Promise<ProblemException> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: dto });
  } catch (err) {
    return err as ProblemException;
  }
  throw new Error('the body was accepted');
}

describe('problem details in Swedish', () => {
  it('says each refused field with its constraint and figures, and the English stays as it is', async () => {
    const err = await refusedBody(DecideGateDto, { decision: 'reject', comment: '' });
    const english = err.getResponse() as { detail: string; errors: { message: string }[] };
    expect(english.errors).toEqual([
      { field: 'comment', rule: 'isLength', message: 'comment must be longer than or equal to 1 characters' },
    ]);
    expect(err.swedish).toEqual({
      detail: 'Ogiltig begäran: comment (isLength)',
      messages: ['comment: minst 1 tecken'],
    });

    const tender = await refusedBody(CreateTenderDto, {
      title: 'Reagenser',
      organization: 'HSN',
      category: 'lab-supplies',
      contractType: 'weapons',
      estimatedValueSek: 1.5,
      contractTermMonths: 24,
      colour: 'red',
    });
    const said = Object.fromEntries(
      (tender.getResponse() as { errors: { field: string; rule: string }[] }).errors.map((e, i) => [
        `${e.field}:${e.rule}`,
        tender.swedish!.messages![i],
      ]),
    );
    expect(said).toMatchObject({
      'estimatedValueSek:isInt': 'estimatedValueSek: ett heltal',
      'contractType:isIn': expect.stringMatching(/^contractType: ett av supplies, services, works/),
      'colour:unknown_field': 'colour: okänt fält',
    });
  });

  it('words a too long text and a number out of bounds with their limits', () => {
    expect(swedishFieldMessage({ field: 'comment', rule: 'isLength' }, [1, 5000], 'x'.repeat(5001))).toBe(
      'comment: högst 5000 tecken',
    );
    expect(swedishFieldMessage({ field: 'estimatedValueSek', rule: 'min' }, [0])).toBe('estimatedValueSek: minst 0');
    expect(swedishFieldMessage({ field: 'lots', rule: 'arrayMaxSize' }, [50])).toBe('lots: högst 50 element');
    // Without its figures a bound is not guessed: the general sentence instead.
    expect(swedishFieldMessage({ field: 'months', rule: 'max' })).toBe('months: ogiltigt värde');
    // A rule rather than a constraint: its meaning.
    expect(swedishFieldMessage({ field: 'laborConditions', rule: 'labour_conditions' })).toBe(
      'laborConditions: Över tröskelvärdet ska behovet av arbetsrättsliga villkor bedömas: ange om de krävs och motivera.',
    );
  });

  it("says a refused rule's meaning with its paragraph, titles by status, and keeps the English in detailEn", () => {
    const english = ruleViolation(
      'Above the threshold, assess labour conditions (17 kap. 2 § LOU).',
      'labour_conditions',
      '17 kap. 2 § LOU',
      {
        errors: [{ field: 'laborConditions', rule: 'labour_conditions', message: 'Above the threshold…' }],
      },
    ).getResponse() as object as Parameters<typeof swedishProblem>[0];
    expect(swedishProblem(english)).toEqual({
      type: `${PROBLEM_BASE}rule/labour_conditions`,
      title: 'Regeln tillåter inte detta',
      status: 422,
      rule: 'labour_conditions',
      paragraph: '17 kap. 2 § LOU',
      detail:
        'Över tröskelvärdet ska behovet av arbetsrättsliga villkor bedömas: ange om de krävs och motivera (17 kap. 2 § LOU).',
      detailEn: 'Above the threshold, assess labour conditions (17 kap. 2 § LOU).',
      errors: [
        {
          field: 'laborConditions',
          rule: 'labour_conditions',
          message:
            'laborConditions: Över tröskelvärdet ska behovet av arbetsrättsliga villkor bedömas: ange om de krävs och motivera.',
        },
      ],
    });
    // A paragraph the sentence already cites is not said twice.
    expect(
      swedishProblem({
        type: `${PROBLEM_BASE}rule/direct_award_limit`,
        title: 'Unprocessable Content',
        status: 422,
        detail: 'The value 800000 SEK is not below the direct award limit 700000 SEK.',
        rule: 'direct_award_limit',
        paragraph: '19 a kap. 2 § LOU',
      }).detail,
    ).toBe('Värdet understiger inte gränsen för direktupphandling (19 a kap. 2 § LOU).');
    const phase = swedishProblem({
      type: `${PROBLEM_BASE}conflict`,
      title: 'Conflict',
      status: 409,
      detail: 'publish is not possible in phase needs_analysis (only in documents).',
      rule: 'phase',
    });
    expect(phase).toMatchObject({
      title: 'Konflikt',
      detail: 'Det går inte i upphandlingens nuvarande fas.',
      detailEn: 'publish is not possible in phase needs_analysis (only in documents).',
    });
    expect(
      swedishProblem({
        type: `${PROBLEM_BASE}forbidden`,
        title: 'Forbidden',
        status: 403,
        detail: 'x',
        rule: 'role',
      }).title,
    ).toBe('Åtkomst nekad');
  });

  it('says internal, unavailable and unknown errors in general Swedish sentences', () => {
    expect(
      swedishProblem({
        type: `${PROBLEM_BASE}internal-error`,
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred; it has been logged',
      }),
    ).toEqual({
      type: `${PROBLEM_BASE}internal-error`,
      title: 'Internt serverfel',
      status: 500,
      detail: 'Ett oväntat fel inträffade; det har loggats.',
      detailEn: 'An unexpected error occurred; it has been logged',
    });
    expect(
      swedishProblem({
        type: `${PROBLEM_BASE}not-found`,
        title: 'Not Found',
        status: 404,
        detail: 'Tender X does not exist',
      }),
    ).toMatchObject({ title: 'Hittades inte', detail: 'Det efterfrågade finns inte, eller så får du inte se det.' });
    expect(
      swedishProblem({ type: `${PROBLEM_BASE}teapot`, title: 'Error', status: 418, detail: 'I am a teapot' }),
    ).toMatchObject({ title: 'Fel', detail: 'Begäran kunde inte utföras.', detailEn: 'I am a teapot' });
    // The raiser's own words, when it gave them, come first.
    const own = new ProblemException(400, 'x', { errors: [{ field: 'id', rule: 'format', message: 'expected A' }] });
    expect(
      swedishProblem(own.getResponse() as Parameters<typeof swedishProblem>[0], {
        detail: 'eget',
        messages: ['id: förväntat A'],
      }),
    ).toMatchObject({ detail: 'eget', errors: [{ field: 'id', rule: 'format', message: 'id: förväntat A' }] });
  });
});

describe('every name a refusal can carry has a Swedish text', () => {
  it('each constraint the DTOs use (class-validator metadata of every *.dto.ts class)', async () => {
    const dtoFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? dtoFiles(join(dir, e.name)) : e.name.endsWith('.dto.ts') ? [join(dir, e.name)] : [],
      );
    const files = dtoFiles(join(__dirname, '..', '..', 'apps', 'api', 'src'));
    expect(files.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const file of files)
      for (const exported of Object.values((await import(file)) as Record<string, unknown>)) {
        if (typeof exported !== 'function') continue;
        for (const m of getMetadataStorage().getTargetValidationMetadatas(exported, '', true, false)) {
          const name = constraintName(m);
          // ValidateIf and IsOptional decide whether the others run; they refuse nothing themselves.
          if (name && name !== 'conditionalValidation') used.add(name);
        }
      }
    // Unknown fields are refused whatever the DTO.
    used.add('whitelistValidation');
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !CONSTRAINT_TEXTS[name]).sort()).toEqual([]);
  });

  it('each rule id in the sources of the rules, workflows, activities and the API', () => {
    const rules = ruleNamesInSources();
    expect(rules.size).toBeGreaterThan(80);
    const missing = [...rules]
      .filter(([rule]) => !ruleText('sv', rule) && !CONSTRAINT_TEXTS[rule])
      .map(([rule, file]) => `${rule} (${file})`);
    expect(missing).toEqual([]);
  });
});
