import type { Page } from 'playwright-core';
import { startBrowserConsole, type BrowserConsole } from '../support/browser-console';

/**
 * The console's administration views in a browser against the real stack
 * (test/support/browser-console.ts): the procurement policy (in force, history, the chain's
 * verification, a new version shown as its change and adopted), the categories and the people,
 * each only in the menu of those the API lets read or change it.
 */
jest.setTimeout(180_000);

interface PolicyAnswer {
  version: number;
  overrides: Record<string, unknown>;
  categoryRules: unknown[];
}

describe("the console's administration views in a browser", () => {
  let ui: BrowserConsole;
  const stamp = Date.now().toString(36);

  beforeAll(async () => {
    ui = await startBrowserConsole('tenderflow-api-admin');
  }, 180_000);

  afterAll(() => ui?.close());

  /** The signed-in person's token, to read and put what the page is checked against. */
  async function call<T>(page: Page, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
    const token = (
      (await page.evaluate(`JSON.parse(sessionStorage.getItem('tenderflow.session'))`)) as { accessToken: string }
    ).accessToken;
    const res = await fetch(`${ui.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  const navLinks = async (page: Page) =>
    (await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents()).map((s) =>
      s.trim(),
    );

  it('the policy administrator sees the version in force and the history, changes one rule, sees the change and adopts it; a refused change shows the field errors', async () => {
    const { context, page } = await ui.signedIn('rut', '/console/admin/policy');
    // A version already in force, the rules unchanged (this run's data may have none yet).
    const before = await call<PolicyAnswer>(page, 'GET', '/organizations/REGION/policy');
    const seeded = await call<PolicyAnswer>(page, 'PUT', '/organizations/REGION/policy', {
      rules: before.overrides,
      ...(before.categoryRules.length ? { categoryRules: before.categoryRules } : {}),
      reference: `RS 2026-01-15 § 4 (${stamp})`,
    });
    const n = seeded.version;
    await page.reload();
    expect(await navLinks(page)).toEqual(expect.arrayContaining(['Upphandlingspolicy', 'Kategorier']));
    expect(await navLinks(page)).not.toContain('Personer');

    await page.getByRole('heading', { name: 'Version i kraft' }).waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe(String(n));
    expect(await page.getByTestId('policy-reference').textContent()).toBe(`RS 2026-01-15 § 4 (${stamp})`);
    const quotes = page.getByTestId('policy-in-force').locator('tr[data-rule=directAwardMinQuotes]');
    expect(await quotes.textContent()).toMatch(/Antal offerter vid direktupphandling.*3.*Standard/);
    expect(await page.getByTestId('policy-history').locator('tbody tr').first().textContent()).toContain(
      `RS 2026-01-15 § 4 (${stamp})`,
    );
    expect(await page.getByTestId('policy-chain').textContent()).toMatch(/^Kedjan är verifierad: \d+ händelser/);
    expect(await page.getByTestId('policy-diff').textContent()).toContain('Inga regler ändras.');
    await ui.axe(page, 'policy');

    // Refused: a cut-off beyond the schema's maximum and no decision; the API's 400 names both fields.
    const cutoff = page.getByLabel('Frågor stängs (dagar före sista anbudsdag)', { exact: true });
    await cutoff.fill('99');
    await page.getByRole('button', { name: `Anta version ${n + 1}` }).click();
    await page.locator('#policy-reference-error').waitFor();
    expect(await page.getByLabel(/^Styrelsens beslut/).getAttribute('aria-invalid')).toBe('true');
    expect(await cutoff.getAttribute('aria-invalid')).toBe('true');
    // The API's own words (in Swedish: it answers in the console's language).
    expect(await page.locator('#rule-questionCutoffDays-error').textContent()).toMatch(/questionCutoffDays/);
    expect(await page.locator('#policy-reference-error').textContent()).toBe('Uppgiften krävs.');
    await ui.axe(page, 'policy (refused, with field errors)');
    await ui.shot(page, 'admin-policy-refused');

    // One rule changed: the change against the version in force, rule by rule, before it is adopted.
    await cutoff.fill(
      before.overrides.questionCutoffDays === undefined ? '' : String(before.overrides.questionCutoffDays),
    );
    const minQuotes = page.getByLabel('Antal offerter vid direktupphandling', { exact: true });
    await minQuotes.fill('4');
    const diff = page.getByTestId('policy-diff');
    expect(await diff.getByRole('heading').textContent()).toBe(`Ändringen mot version ${n}`);
    expect(await diff.locator('tbody tr').count()).toBe(1);
    expect(await diff.locator('tr[data-rule=directAwardMinQuotes]').textContent()).toBe(
      'Antal offerter vid direktupphandling3 (ärvs)→ 4',
    );
    await ui.shot(page, 'admin-policy-diff');
    const reference = `RS 2026-11-20 § 112 (${stamp})`;
    await page.getByLabel(/^Styrelsens beslut/).fill(reference);
    await page.getByRole('button', { name: `Anta version ${n + 1}` }).click();
    await page.getByText(`Version ${n + 1} är antagen och gäller från`).waitFor();
    // The page reads the policy again after the answer.
    await page
      .getByTestId('policy-version')
      .filter({ hasText: new RegExp(`^${n + 1}$`) })
      .waitFor();

    expect(await page.getByTestId('policy-version').textContent()).toBe(String(n + 1));
    expect(await page.getByTestId('policy-reference').textContent()).toBe(reference);
    expect(await quotes.textContent()).toMatch(/Antal offerter vid direktupphandling.*4.*Egen version/);
    const latest = page.getByTestId('policy-history').locator('tbody tr').first();
    expect(await latest.textContent()).toMatch(
      new RegExp(`^${n + 1}.*Rut Palm.*RS 2026-11-20 § 112.*Antal offerter vid direktupphandling: 4`),
    );
    expect(await page.getByTestId('policy-chain').textContent()).toMatch(/^Kedjan är verifierad/);
    expect(await page.getByTestId('policy-diff').textContent()).toContain('Inga regler ändras.');
    const after = await call<PolicyAnswer & { rules: Record<string, unknown> }>(
      page,
      'GET',
      '/organizations/REGION/policy',
    );
    expect(after).toMatchObject({ version: n + 1, overrides: { ...before.overrides, directAwardMinQuotes: 4 } });
    await ui.axe(page, 'policy (adopted)');
    await ui.shot(page, 'admin-policy');

    // The region's rules as they were, for the other suites of the run (a version of its own, audited).
    await call(page, 'PUT', '/organizations/REGION/policy', {
      rules: before.overrides,
      ...(before.categoryRules.length ? { categoryRules: before.categoryRules } : {}),
      reference: `RS 2026-11-21 § 3 (${stamp})`,
    });
    await context.close();
  });

  it('the policy administrator registers a category with its category manager; the list shows it', async () => {
    const { context, page } = await ui.signedIn('rut', '/console/admin/policy');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Kategorier' }).click();
    await page.getByRole('heading', { name: 'Kategorier — REGION' }).waitFor();
    const code = `admin-${stamp}`;
    await page.getByLabel('Kod', { exact: true }).fill(code);
    await page.locator('#category-name').fill('Laboratorieutrustning');
    await page.locator('#category-manager-sub').fill('eva');
    await page.locator('#category-manager-name').fill('Eva Lind');
    await page.getByRole('button', { name: 'Spara kategorin' }).click();
    await page.getByText(`Kategorin ${code} är sparad.`).waitFor();
    const row = page.getByTestId('categories').locator(`tr[data-code="${code}"]`);
    expect(await row.textContent()).toMatch(/Laboratorieutrustning.*Eva Lind \(eva\).*Organisationens regler gäller/);
    await ui.axe(page, 'categories');
    await ui.shot(page, 'admin-categories');

    // A code that is not one: the API's 400 names the field.
    await page.getByLabel('Kod', { exact: true }).fill('Ej En Kod');
    await page.locator('#category-name').fill('Felaktig');
    await page.getByRole('button', { name: 'Spara kategorin' }).click();
    await page.locator('#category-code-error').waitFor();
    expect(await page.getByLabel('Kod', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await ui.axe(page, 'categories (refused)');
    await context.close();
  });

  it('an administrator sees the directory of people and the last import; a procurement officer sees no administration', async () => {
    const { context, page } = await ui.signedIn('ada', '/console/admin/people');
    expect(await navLinks(page)).toEqual(expect.arrayContaining(['Upphandlingspolicy', 'Kategorier', 'Personer']));
    // An import of one person, so that the page has a last import to show.
    await call(page, 'PUT', '/organizations/REGION/people', {
      Resources: [{ userName: `import-${stamp}`, displayName: 'Ida Import' }],
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Personer — REGION' }).waitFor();
    const people = page.getByTestId('people');
    await people.waitFor();
    expect(await people.locator('tbody tr', { hasText: 'Ada Admin' }).textContent()).toMatch(
      /Ada Adminadaada@region\.example.*Administratör.*Aktiv.*Inloggning/,
    );
    expect(await page.getByTestId('people-import').textContent()).toMatch(
      new RegExp(
        `Senaste importen.*av Ada Admin\\. Mottagna: 1, oförändrade: 0\\.Nyaimport-${stamp}Ändrade—Inaktiverade—`,
      ),
    );
    expect(await people.locator('tbody tr', { hasText: 'Ida Import' }).textContent()).toMatch(/Aktiv.*Import/);
    await ui.axe(page, 'people');
    await ui.shot(page, 'admin-people');
    await context.close();

    const officer = await ui.signedIn('anna', '/console/tenders');
    const links = await navLinks(officer.page);
    expect(links).toContain('Upphandlingar');
    for (const admin of ['Upphandlingspolicy', 'Kategorier', 'Personer']) expect(links).not.toContain(admin);
    await officer.context.close();
  });

  /** A call to the API with a token minted for the test (setup the console does not offer to this person). */
  async function asToken<T>(token: string, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${ui.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json()) as T;
    expect({ path, status: res.status, answer: res.status < 300 ? 'ok' : answer }).toEqual({
      path,
      status: method === 'POST' && path === '/tenders' ? 201 : 200,
      answer: 'ok',
    });
    return answer;
  }

  it('a gate by the delegation order: the delegate sees as what she decides and decides; the register lists it and downloads it as CSV', async () => {
    // BOLAG's order gets an item for this run's category only: every other tender of BOLAG keeps
    // being decided by the token's limit, as the other suites expect.
    const org = 'BOLAG';
    const category = `deleg-${stamp}`;
    const code = `inkopschef-${stamp}`;
    const admin = await ui.sys.token({ sub: `bolag-admin-${stamp}`, name: 'Bea Admin', org, roles: ['admin'] });
    const olle = await ui.sys.token({ sub: 'olle', name: 'Olle Ström', org, roles: ['procurement_officer'] });
    const { context, page } = await ui.signedIn('stina', '/console/approvals');
    await asToken(admin, 'PUT', `/organizations/${org}/functions/${code}`, { name: 'Inköpschef' });
    await asToken(admin, 'PUT', `/organizations/${org}/people/stina/functions`, {
      functions: [{ code, validFrom: '2024-01-01' }],
    });
    const current = await asToken<{ items: unknown[] }>(admin, 'GET', `/organizations/${org}/delegation-order`);
    await asToken(admin, 'PUT', `/organizations/${org}/delegation-order`, {
      reference: `Styrelsen 2026-11-30 § 7 (${stamp})`,
      items: [
        ...current.items,
        {
          id: `B.${stamp}`,
          decision: 'decision_to_procure',
          delegate: code,
          limit: { sek: 5_000_000 },
          conditions: { categories: [category] },
          reportToBoard: true,
          substitute: { nearestSuperior: true },
        },
      ],
    });
    const tender = await asToken<{ id: string }>(olle, 'POST', '/tenders', {
      title: `Städtjänster enligt delegationsordningen ${stamp}`,
      organization: org,
      category,
      contractType: 'services',
      estimatedValueSek: 2_000_000,
      contractTermMonths: 24,
    });
    await asToken(olle, 'POST', `/tenders/${tender.id}/needs-analysis`, {
      sustainability: { notApplicableReason: 'Inga relevanta kriterier' },
      laborConditions: { required: false, justification: 'Låg risk' },
      supplyPreparedness: { criticality: 'low' },
    });

    await page.reload();
    const card = page.locator('article', { hasText: tender.id });
    await card.waitFor();
    expect(await card.textContent()).toMatch(
      new RegExp(`Delegationsordningpunkt B\\.${stamp} \\(version \\d+\\): ${code}, upp till 5`),
    );
    await card.getByText(`Du beslutar som ${code}.`).waitFor();
    await ui.axe(page, 'approvals (delegation order)');
    await ui.shot(page, 'approvals-delegation');
    await card.getByRole('button', { name: 'Godkänn' }).click();
    await card.getByRole('status').waitFor();

    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Delegationsbeslut' }).click();
    await page.getByRole('heading', { name: `Delegationsbeslut i ${org}` }).waitFor();
    const row = page.getByTestId('delegation-register').locator('tr', { hasText: tender.id });
    await row.waitFor();
    expect(await row.textContent()).toMatch(
      new RegExp(`B\\.${stamp}.*Beslut att upphandla: godkänt.*Stina Dahl, ${code} \\(delegat\\).*Ska anmälas`),
    );
    await ui.axe(page, 'delegation register');
    await ui.shot(page, 'delegation-register');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Ladda ned som CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^delegationsbeslut-BOLAG-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toContain(`"${tender.id}"`);
    await context.close();
  });

  it('the policy administrator adopts a new version of the delegation order in the console; JSON that is not, and an item the API refuses, are named', async () => {
    const { context, page } = await ui.signedIn('rut', '/console/admin/delegation-order');
    await page.getByRole('heading', { name: 'Ny version' }).waitFor();
    const items = page.getByLabel('Punkter (JSON)');
    const current = JSON.parse(await items.inputValue()) as unknown[];
    await page.getByLabel('Styrelsens beslut').fill(`Regionstyrelsen 2026-12-01 § 3 (${stamp})`);
    await items.fill('[{ "id": ');
    await page.getByRole('button', { name: /^Anta version \d+$/ }).click();
    await page.getByText(/^Punkterna är inte giltig JSON/).waitFor();
    // A limit of 0 SEK: the API's 400 names the item's field.
    const item = {
      id: `R.${stamp}`,
      decision: 'cancellation',
      delegate: 'upphandlingschef',
      limit: { sek: 0 },
      conditions: { categories: [`deleg-${stamp}`] },
      reportToBoard: false,
      substitute: { nearestSuperior: true },
    };
    await items.fill(JSON.stringify([...current, item], null, 2));
    await page.getByRole('button', { name: /^Anta version \d+$/ }).click();
    await page.locator('#delegation-items-error').waitFor();
    expect(await page.locator('#delegation-items-error').textContent()).toContain(`items.${current.length}.limit`);
    await ui.axe(page, 'delegation order (refused)');
    await items.fill(JSON.stringify([...current, { ...item, limit: { prisbasbelopp: 2 } }], null, 2));
    const adopt = page.getByRole('button', { name: /^Anta version \d+$/ });
    const version = Number((await adopt.textContent())!.replace(/\D+/g, ''));
    await adopt.click();
    await page.getByText(`Version ${version} är antagen.`).waitFor();
    await page.getByTestId('delegation-items').locator(`tr[data-id="R.${stamp}"]`).waitFor();
    await ui.axe(page, 'delegation order (editor)');
    await ui.shot(page, 'delegation-order-editor');
    await context.close();
  });
});
