import {
  actorProblem,
  deadlineHorizonProblem,
  findTextProblem,
  isFilledText,
  isOptionalText,
  storable,
  STORABLE_TEXT_PATTERN,
  textRuleBroken,
} from './text';

describe('text that may enter a tender', () => {
  it.each([
    ['plain Swedish text', 'Städtjänster åt Region Örebro län', null],
    ['tab, LF and CR', 'a\tb\nc\r\n', null],
    ['a surrogate pair (emoji)', 'ok \ud83d\ude00', null],
    ['bidi overrides (storable, shown as they are)', 'abc \u202e cba', null],
    ['a lone high surrogate', 'x \ud800 y', 'lone_surrogate'],
    ['a lone low surrogate', 'x \udc00 y', 'lone_surrogate'],
    ['a high surrogate at the end', 'x\ud83d', 'lone_surrogate'],
    ['NUL', 'a\u0000b', 'nul_character'],
    ['a C0 control (bell)', 'a\u0007b', 'control_character'],
    ['DEL', 'a\u007fb', 'control_character'],
    ['a C1 control (NEL)', 'a\u0085b', 'control_character'],
  ])('%s', (_what, text, rule) => {
    expect(textRuleBroken(text)).toBe(rule);
  });

  it('names the field of a nested offending string', () => {
    expect(findTextProblem({ lots: [{ title: 'ok' }, { title: 'bad\u0000' }] })).toEqual({
      field: 'lots.1.title',
      rule: 'nul_character',
      message: 'lots.1.title contains a NUL character (U+0000)',
    });
  });

  it('refuses prototype keys as unknown fields', () => {
    expect(findTextProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toMatchObject({
      field: 'a.__proto__',
      rule: 'unknown_field',
    });
    expect(findTextProblem(JSON.parse('{"constructor":1}'))).toMatchObject({
      field: 'constructor',
      rule: 'unknown_field',
    });
  });

  it('refuses a key that cannot be stored', () => {
    expect(findTextProblem({ ['k\ud800']: 1 })).toMatchObject({ rule: 'lone_surrogate' });
  });

  it('stops at 32 levels of nesting without recursing into the rest', () => {
    const deep = JSON.parse('['.repeat(40_000) + ']'.repeat(40_000));
    expect(findTextProblem(deep)).toMatchObject({ rule: 'max_depth' });
    expect(findTextProblem(JSON.parse('['.repeat(32) + ']'.repeat(32)))).toBeNull();
    expect(findTextProblem(JSON.parse('['.repeat(33) + ']'.repeat(33)))).toMatchObject({ rule: 'max_depth' });
  });

  it('storable() replaces exactly what PostgreSQL cannot keep, and is idempotent', () => {
    const v = { ['k\u0000']: ['x \ud800 y', 'ok \ud83d\ude00', 'bell\u0007'], n: 1.5 };
    const s = storable(v);
    expect(s).toEqual({ ['k\ufffd']: ['x \ufffd y', 'ok \ud83d\ude00', 'bell\u0007'], n: 1.5 });
    expect(storable(s)).toEqual(s);
  });
});

describe('actors a command may carry', () => {
  const ok = { sub: 'anna', name: 'Anna', org: 'HSN', roles: ['approver'], approvalLimitSek: 5_000_000 };
  it('accepts a well-formed actor', () => expect(actorProblem(ok)).toBeNull());
  it.each([
    ['numeric sub', { ...ok, sub: 42 }, 'actor.sub'],
    ['empty sub', { ...ok, sub: '' }, 'actor.sub'],
    ['a 201-character org', { ...ok, org: 'X'.repeat(201) }, 'actor.org'],
    ['a NUL in the name', { ...ok, name: 'a\u0000' }, 'actor.name'],
    ['a fractional limit', { ...ok, approvalLimitSek: 1.5 }, 'approvalLimitSek'],
    ['a limit beyond the safe integers', { ...ok, approvalLimitSek: 1e19 }, 'approvalLimitSek'],
    ['a negative limit', { ...ok, approvalLimitSek: -1 }, 'approvalLimitSek'],
    ['roles not a list', { ...ok, roles: 'admin' }, 'actor.roles'],
  ])('refuses %s', (_what, actor, named) => {
    expect(actorProblem(actor)).toContain(named);
  });
});

describe('deadline horizon', () => {
  it.each([
    ['2026-11-28', 'past'],
    ['2026-11-29', null],
    ['2028-11-29', null],
    ['2028-11-30', 'too_far'],
    ['2062-01-01', 'too_far'],
  ])('%s seen on 2026-11-29 → %s', (day, expected) => {
    expect(deadlineHorizonProblem(day, '2026-11-29')).toBe(expected);
  });
});

describe('STORABLE_TEXT_PATTERN (the rule as the OpenAPI document states it)', () => {
  const re = new RegExp(STORABLE_TEXT_PATTERN);
  it('agrees with textRuleBroken on every BMP code unit outside the surrogates, within text', () => {
    const disagreements: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = `a${String.fromCharCode(c)}b`;
      if (re.test(s) !== (textRuleBroken(s) === null)) disagreements.push(c);
    }
    expect(disagreements).toEqual([]);
  });
  it.each(['ok \ud83d\ude00', 'tab\tnl\ncr\r', '', 'bell\u0007', 'nel\u0085'])('agrees on %j', (s) => {
    expect(re.test(s)).toBe(textRuleBroken(s) === null);
  });
});

describe('required and optional texts of a length', () => {
  it('a required text has more than whitespace and fits; an optional one is absent or fits', () => {
    expect([isFilledText('Krav', 4), isFilledText('Krav!', 4), isFilledText(' \n ', 4), isFilledText(4, 4)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([
      isOptionalText(undefined, 2),
      isOptionalText('', 2),
      isOptionalText('abc', 2),
      isOptionalText(null, 2),
    ]).toEqual([true, true, false, false]);
  });
});
