import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { ACTION_LABELS, CHOICE_LABELS, FIELD_LABELS } from '../../console/src/form-labels';
import { TABLES, VOCABULARY } from '../../console/src/i18n-tables';
import { startBrowserConsole, type BrowserConsole } from '../support/browser-console';
import { eventually } from '../support/e2e-system';

/**
 * Issue 28, parts 3 and 6: no English string reaches a Swedish page, a refused command is said in
 * Swedish, a whole task can be done by keyboard alone, and no view scrolls sideways at 200 % zoom.
 * The data are made over HTTP first (development tokens of the demo people), so that every view has
 * content: a tender in each of several phases, a joint procurement, a direct award with its contract.
 */
jest.setTimeout(300_000);

type Table = Record<string, string>;
const tables = (locale: 'sv' | 'en'): Table[] => [
  TABLES[locale],
  VOCABULARY[locale],
  FIELD_LABELS[locale],
  CHOICE_LABELS[locale],
  ACTION_LABELS[locale],
];
/** A text's pieces between its `{placeholders}`, without the punctuation at their ends. */
const pieces = (text: string): string[] =>
  text
    .split(/\{\w+\}/)
    .map((p) => p.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, ''))
    .filter(Boolean);
const SWEDISH = new Set(tables('sv').flatMap((t) => Object.values(t).flatMap((s) => [s, ...pieces(s)])));
/** Every English text of the console's tables that Swedish does not share, four characters or more. */
const ENGLISH = [...new Set(tables('en').flatMap((t) => Object.values(t).flatMap(pieces)))].filter(
  (s) => s.length >= 4 && !SWEDISH.has(s),
);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A whole word or phrase, as written (the tables' case): `Note` is not in `Noteringar`. */
const ENGLISH_PATTERNS = ENGLISH.map((s) => ({
  s,
  re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(s)}(?![\\p{L}\\p{N}])`, 'u'),
}));
/** The API's codes: snake_case words and dotted event types (phase.changed); not inside e-mail addresses, URLs or paths. */
const CODE = /(?<![\w@/.:-])(?:[a-z]+(?:_[a-z]+)+|[a-z]{3,}(?:_[a-z]+)*(?:\.[a-z]{3,}(?:_[a-z]+)*)+)(?![\w@/.:-])/g;

/**
 * The page's text as a reader meets it, in pieces: every text node of the body (labels, options,
 * buttons, the content of open and closed elements, text only screen readers get) and the names
 * and descriptions given in attributes. Text inside an element marked as English (`lang="en"`: the
 * API's own sentences) is left out: it is said to be English. `code` tells a piece shown as an
 * identifier (a rule's id in <code>), which is not searched for the API's codes.
 */
const PAGE_TEXT = `(() => {
  const out = [];
  const english = (el) => el.closest('[lang|="en"], script, style, noscript, #locale');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.data.trim();
    if (!el || !text || english(el)) continue;
    out.push({ text, code: !!el.closest('code') });
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (english(el)) continue;
    for (const a of ['aria-label', 'aria-description', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push({ text: v.trim(), code: false });
    }
    if (el.matches('input[type=submit], input[type=button]') && el.value) out.push({ text: el.value, code: false });
  }
  return out;
})()`;

/**
 * What makes the page wider than the window at 200 % zoom: elements reaching past its right edge
 * that no scroll container of theirs holds (a table may scroll inside its own `div.table-scroll`).
 */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !scrolls(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      culprits.push(name + ' (' + Math.round(r.right) + ')');
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 8) };
})()`;

/** The keyboard focus: the focused element, whether its outline shows, and its text. */
const FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', visible: false, text: '', id: '' };
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent || '').trim().slice(0, 120),
    visible: el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
  };
})()`;

interface Focus {
  tag: string;
  id: string;
  text: string;
  visible: boolean;
}

describe('the console in Swedish, by keyboard and at 200 % zoom', () => {
  let ui: BrowserConsole;
  const stamp = Date.now();
  const titles = {
    fresh: `Kontorsmöbler ${stamp}`,
    gate: `Laboratorieutrustning ${stamp}`,
    joint: `Fastighetsskötsel ${stamp}`,
    documents: `Skrivare och toner ${stamp}`,
    published: `Reagenser ${stamp}`,
    direct: `Fönsterputs ${stamp}`,
  };
  const ids = {} as Record<keyof typeof titles, string>;
  let contractId: string;
  /** What the scans found, per view: English texts and the API's codes. Every test ends by asserting it empty. */
  let findings: Record<string, { english?: string[]; codes?: string[]; overflow?: string }> = {};

  beforeAll(async () => {
    ui = await startBrowserConsole('tenderflow-api-swedish');
    const { sys } = ui;
    const anna = await sys.token({
      sub: 'anna',
      name: 'Anna Andersson',
      org: 'REGION',
      roles: ['procurement_officer'],
    });
    const bo = await sys.token({
      sub: 'bo',
      name: 'Bo Berg',
      org: 'REGION',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    const post = async (path: string, token: string, body: object) => {
      const res = await request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
      // The answer's body names the rule when it is refused: a bare status hides why.
      expect({ path, status: res.status < 300 ? 'ok' : res.body }).toEqual({ path, status: 'ok' });
      return res.body as TenderState & { id: string };
    };
    const day = (d: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + d * 86_400_000));
    const create = async (title: string, extra: object = {}) =>
      (
        await post('/tenders', anna, {
          title,
          organization: 'REGION',
          category: 'it',
          contractType: 'supplies',
          estimatedValueSek: 4_000_000,
          contractTermMonths: 24,
          ...extra,
        })
      ).id;
    const analyse = (id: string) =>
      post(`/tenders/${id}/needs-analysis`, anna, {
        need: 'Utrustning för regionens laboratorier',
        sustainability: { criteria: ['Miljömärkta produkter'], level: 'bas' },
        laborConditions: { required: false, justification: 'Varor från grossister inom EU' },
        supplyPreparedness: { criticality: 'medium', measures: 'Säkerhetslager för fyra veckor' },
        lotJustification: 'En leveranskedja',
      });
    const approve = (id: string, gate: string) =>
      post(`/tenders/${id}/gates/${gate}/decision`, bo, { decision: 'approve', comment: 'Väl underbyggt.' });

    ids.fresh = await create(titles.fresh);
    ids.gate = await create(titles.gate);
    await analyse(ids.gate);
    ids.joint = await create(titles.joint, {
      category: 'fastighet',
      contractType: 'services',
      procedure: 'open',
      invitedBodies: [{ organization: 'BOLAG', name: 'Regionens Fastighets AB', contactEmail: 'x@bolag.example' }],
    });
    await analyse(ids.joint);
    await approve(ids.joint, 'decision_to_procure');
    ids.documents = await create(titles.documents);
    await analyse(ids.documents);
    await approve(ids.documents, 'decision_to_procure');
    ids.published = await create(titles.published, { procedure: 'open' });
    await analyse(ids.published);
    await approve(ids.published, 'decision_to_procure');
    await post(`/tenders/${ids.published}/documents`, anna, {
      documents: [
        { title: 'Administrativa föreskrifter', reference: 'dms://REGION/2026/9/1', version: '1.0' },
        { title: 'Kravspecifikation', reference: 'dms://REGION/2026/9/2' },
      ],
    });
    await approve(ids.published, 'documents_approval');
    await post(`/tenders/${ids.published}/evaluators`, anna, { evaluators: [{ sub: 'eva', name: 'Eva Lind' }] });
    await post(`/tenders/${ids.published}/publication`, anna, {
      advertisingDatabase: 'e-Avrop',
      noticeReference: 'EA-2026-9',
    });
    await post(`/tenders/${ids.published}/questions`, anna, {
      question: 'Får anbud lämnas på delar av sortimentet?',
      askedBy: 'Labbgrossisten AB',
    });

    ids.direct = await create(titles.direct, {
      category: 'lokalvard',
      contractType: 'services',
      estimatedValueSek: 250_000,
      procedure: 'direct_award',
    });
    await post(`/tenders/${ids.direct}/needs-analysis`, anna, {
      sustainability: { criteria: ['Miljömärkta medel'], level: 'bas' },
      supplyPreparedness: { criticality: 'low' },
    });
    await approve(ids.direct, 'decision_to_procure');
    await post(`/tenders/${ids.direct}/contract`, anna, {
      supplier: 'Fönsterputs AB',
      valueSek: 240_000,
      startDate: day(0),
      endDate: day(730),
      signedAt: day(0),
    });
    contractId = await eventually(async () => {
      const s = (await request(sys.http).get(`/tenders/${ids.direct}`).set('Authorization', `Bearer ${anna}`))
        .body as TenderState;
      return s.followUp?.contractId;
    });
    // The list (the read model) has them all before the views are visited.
    await eventually(async () => {
      const listed = await request(sys.http)
        .get(`/tenders?q=${encodeURIComponent(String(stamp))}&limit=50`)
        .set('Authorization', `Bearer ${anna}`);
      return listed.body.items?.length === Object.keys(titles).length ? true : undefined;
    }, 30_000);
  }, 300_000);

  afterAll(() => ui?.close());

  /** Until the view has loaded what it loads ("Hämtar…" gone). */
  async function settled(page: Page): Promise<void> {
    await page.locator('main').waitFor();
    await eventually(async () => ((await page.getByText('Hämtar…').count()) === 0 ? true : undefined), 30_000);
  }

  /** Every <details> of the view opened, as a reader would, so that its forms are seen. */
  async function openAll(page: Page): Promise<void> {
    const closed = page.locator('main details:not([open]) > summary');
    while ((await closed.count()) > 0) await closed.first().click();
  }

  /** The Swedish scan of one view: English texts of the console's tables, and the API's codes. */
  async function scan(page: Page, view: string): Promise<void> {
    const texts = (await page.evaluate(PAGE_TEXT)) as { text: string; code: boolean }[];
    const all = texts.map((t) => t.text).join('\n');
    const english = ENGLISH_PATTERNS.filter(({ re }) => re.test(all)).map(({ s }) => {
      const where = texts.find((t) => ENGLISH_PATTERNS.find((p) => p.s === s)!.re.test(t.text))?.text ?? '';
      return `${s}  ← ${where.slice(0, 100)}`;
    });
    const codes = [
      ...new Set(
        texts
          .filter((t) => !t.code)
          .flatMap((t) => [...t.text.matchAll(CODE)].map((m) => `${m[0]}  ← ${t.text.slice(0, 100)}`)),
      ),
    ];
    if (english.length || codes.length)
      findings[view] = {
        ...findings[view],
        ...(english.length ? { english } : {}),
        ...(codes.length ? { codes } : {}),
      };
  }

  /** 200 % zoom of a 1280 × 900 window: 640 × 450 CSS pixels; the page must not scroll sideways. */
  async function zoomed(page: Page, view: string): Promise<void> {
    await page.setViewportSize({ width: 640, height: 450 });
    let last: { scrollWidth: number; width: number; culprits: string[] } | undefined;
    // Charts follow the new width at their next resize observation: give them a moment.
    const fits = await eventually(async () => {
      last = (await page.evaluate(OVERFLOW)) as typeof last;
      return last!.scrollWidth <= last!.width + 1 ? true : undefined;
    }, 2_000).catch(() => false);
    if (!fits && last)
      findings[view] = {
        ...findings[view],
        overflow: `${last.scrollWidth} > ${last.width}: ${last.culprits.join(', ')}`,
      };
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** One view: loaded, its forms open, axe-core, the Swedish scan and 200 % zoom. */
  async function visit(page: Page, path: string, view: string, ready?: () => Promise<unknown>): Promise<void> {
    if (new URL(page.url()).pathname !== path) await page.goto(`${ui.base}${path}`);
    await settled(page);
    await ready?.();
    await openAll(page);
    await ui.axe(page, view);
    await scan(page, view);
    await zoomed(page, view);
  }

  function noFindings(): void {
    const found = findings;
    findings = {};
    expect(found).toEqual({});
  }

  const tenderPage = (id: string) => `/console/tenders/${encodeURIComponent(id)}`;
  const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 }).waitFor();

  it("the officer's views are Swedish throughout and fit at 200 % zoom", async () => {
    const { context, page } = await ui.signedIn('anna', '/console/tenders');
    await visit(page, '/console/tenders', 'tenders', () => page.getByRole('link', { name: titles.direct }).waitFor());
    await visit(page, '/console/tenders/new', 'new tender (every field)', () => heading(page, 'Ny upphandling'));
    await visit(page, `${tenderPage(ids.fresh)}/needs-analysis`, 'needs analysis', () =>
      page.getByRole('button', { name: 'Slutför behovsanalysen' }).waitFor(),
    );
    await visit(page, tenderPage(ids.fresh), 'tender page (needs analysis)', () => heading(page, titles.fresh));
    await visit(page, tenderPage(ids.gate), 'tender page (awaiting the decision)', () => heading(page, titles.gate));
    await visit(page, tenderPage(ids.joint), 'tender page (coordination)', () => heading(page, titles.joint));
    await visit(page, tenderPage(ids.documents), 'tender page (documents)', () =>
      page.getByText('Registrera upphandlingsdokumenten').waitFor(),
    );
    await visit(page, tenderPage(ids.published), 'tender page (published)', () =>
      page.getByTestId('next-deadline').waitFor(),
    );
    await visit(page, tenderPage(ids.direct), 'tender page (follow-up)', () =>
      page.getByRole('link', { name: 'Avtalet och dess uppföljning' }).waitFor(),
    );
    await visit(page, `/console/contracts/${encodeURIComponent(contractId)}`, 'contract', () =>
      heading(page, 'Avtal med Fönsterputs AB'),
    );
    // A change registered from the contract page (issue 31), checked against 17 kap. LOU; a refused
    // one is explained in Swedish with its rule.
    await page.getByLabel('Grund', { exact: true }).selectOption('unforeseen');
    await page.getByLabel('Värdeförändring', { exact: true }).fill('20 000');
    await page.getByLabel('Beskrivning', { exact: true }).fill('Fler fönster i det nya huset');
    await page.getByRole('button', { name: 'Registrera en ändring' }).click();
    await page.getByTestId('contract-changes').getByText('Fler fönster i det nya huset').waitFor();
    await page.getByLabel('Grund', { exact: true }).selectOption('low_value');
    await page.getByLabel('Värdeförändring', { exact: true }).fill('5000');
    await page.getByLabel('Beskrivning', { exact: true }).fill('Ytterligare en entré');
    await page.getByRole('button', { name: 'Registrera en ändring' }).click();
    await page.getByText('Tröskelvärdet saknar ett bekräftat belopp i kronor').first().waitFor();
    expect(await page.getByTestId('contract-changes').locator('tbody tr').count()).toBe(1);
    await visit(page, `/console/contracts/${encodeURIComponent(contractId)}`, 'contract (a change registered)', () =>
      page.getByTestId('contract-changes').waitFor(),
    );
    await visit(page, '/console/follow-up', 'contract follow-up', () =>
      page.locator('article').filter({ hasText: titles.direct }).first().waitFor(),
    );
    await context.close();
    noFindings();
  });

  it("the approver's, the category manager's and the partner's views are Swedish and fit at 200 % zoom", async () => {
    const bo = await ui.signedIn('bo', '/console/approvals');
    await visit(bo.page, '/console/approvals', 'approvals inbox', () =>
      bo.page.locator('article', { hasText: titles.gate }).waitFor(),
    );
    await visit(bo.page, tenderPage(ids.gate), 'tender page (approver, the decision form)', () =>
      bo.page.getByText('Besluta: Beslut att upphandla').waitFor(),
    );
    await bo.context.close();

    const eva = await ui.signedIn('eva', '/console/lead-times');
    await visit(eva.page, '/console/lead-times', 'lead times', () =>
      eva.page.getByRole('heading', { name: 'it', exact: true }).waitFor(),
    );
    await eva.context.close();

    const pia = await ui.signedIn('pia', tenderPage(ids.joint));
    await visit(pia.page, tenderPage(ids.joint), 'partner (invitation)', () =>
      pia.page.getByText('Svara på inbjudan till samordnad upphandling').waitFor(),
    );
    await pia.context.close();
    noFindings();
  });

  it("a refused command is said in Swedish: the API's problem details in the inbox and beside a form's fields", async () => {
    const bo = await ui.signedIn('bo', '/console/approvals');
    const card = bo.page.locator('article', { has: bo.page.getByRole('link', { name: titles.gate }) });
    await card.getByRole('button', { name: 'Avslå' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    const said = await alert.innerText();
    expect(said).toContain('Beslutet nekades');
    // The field is named as the form names it, and what is wrong is said in Swedish.
    expect(said).toMatch(/Kommentar: (måste anges|minst \d+ tecken)/);
    await ui.axe(bo.page, 'approvals inbox (refused)');
    await scan(bo.page, 'approvals inbox (refused)');
    await bo.context.close();

    const anna = await ui.signedIn('anna', tenderPage(ids.documents));
    const form = anna.page.locator('details.action', { hasText: 'Registrera upphandlingsdokumenten' });
    await form.locator('summary').click();
    await form.getByRole('button', { name: 'Skicka' }).click();
    // Each message beside its field or list, or in the form's box: none of them in English.
    await form.locator('.error').or(form.getByRole('alert')).first().waitFor();
    // The API's Swedish title for a 400, in the form's box.
    expect(await form.getByRole('alert').innerText()).toContain('Felaktig begäran');
    const messages = await form.locator('.error').allInnerTexts();
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(/måste anges|minst|tecken|ogiltigt|en text|en lista/);
    await ui.axe(anna.page, 'tender page (an empty form refused)');
    await scan(anna.page, 'tender page (an empty form refused)');
    await anna.context.close();
    noFindings();
  });

  it('by keyboard alone: the skip link, then an approver finds the tender in the list, opens it and approves the decision to procure', async () => {
    const { context, page } = await ui.signedIn('bo', '/console/tenders');
    await settled(page);
    const focus = async () => (await page.evaluate(FOCUS)) as Focus;
    const seen: Focus[] = [];
    /** Tab (or Shift+Tab) until `found` holds, each stop's focus visible. */
    async function tabTo(found: (f: Focus) => boolean, key = 'Tab', most = 60): Promise<Focus> {
      for (let i = 0; i < most; i++) {
        await page.keyboard.press(key);
        const f = await focus();
        seen.push(f);
        expect({ focus: `${f.tag}#${f.id} ${f.text}`, visible: f.visible }).toEqual({
          focus: `${f.tag}#${f.id} ${f.text}`,
          visible: true,
        });
        if (found(f)) return f;
      }
      throw new Error(`not reached by ${key}: ${seen.map((f) => `${f.tag}#${f.id} ${f.text}`).join(' | ')}`);
    }

    // The first Tab reaches the skip link, shown on focus; Enter moves the focus to the content.
    // A fresh load of the page, as a keyboard user arrives: nothing focused yet.
    await page.reload();
    await settled(page);
    await page.keyboard.press('Tab');
    const skip = await focus();
    expect(skip).toMatchObject({ tag: 'a', text: 'Hoppa till innehållet', visible: true });
    const box = await page.getByRole('link', { name: 'Hoppa till innehållet' }).boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 1).toBe(true);
    await page.keyboard.press('Enter');
    expect((await focus()).id).toBe('main');

    // From the content: the search field, the title typed, Enter filters.
    await tabTo((f) => f.id === 'q');
    await page.keyboard.type(titles.gate);
    await page.keyboard.press('Enter');
    await page.locator('tbody tr').filter({ hasText: titles.gate }).waitFor();
    await eventually(async () => ((await page.locator('tbody tr').count()) === 1 ? true : undefined));
    await tabTo((f) => f.tag === 'a' && f.text === titles.gate);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: titles.gate, level: 1 }).waitFor();
    await settled(page);
    const decide = page.locator('details.action', { hasText: 'Besluta: Beslut att upphandla' });
    await decide.waitFor();

    // The decision form: the choice by arrow keys, a comment typed, sent with Enter on its button.
    const decision = await decide.getByLabel('Beslut (krävs)', { exact: true }).getAttribute('id');
    await tabTo((f) => f.id === decision);
    await page.keyboard.press('ArrowDown');
    expect(await decide.getByLabel('Beslut (krävs)', { exact: true }).inputValue()).toBe('approve');
    await tabTo((f) => f.tag === 'textarea');
    await page.keyboard.type('Behovet är väl underbyggt.');
    await tabTo((f) => f.tag === 'button' && f.text === 'Skicka');
    // Shift+Tab goes back to the comment, and Tab forward again: the order holds both ways.
    await tabTo((f) => f.tag === 'textarea', 'Shift+Tab', 3);
    await tabTo((f) => f.tag === 'button' && f.text === 'Skicka', 'Tab', 3);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Klart: Besluta: Beslut att upphandla.' }).waitFor();
    await ui.axe(page, 'tender page (decided by keyboard)');
    await scan(page, 'tender page (decided by keyboard)');
    await context.close();
    noFindings();
  });
});
