import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserConsole, type BrowserConsole } from '../support/browser-console';
import { E2eSystem, eventually } from '../support/e2e-system';

/**
 * The web console in a browser against the real stack (test/support/browser-console.ts): sign-in,
 * the inbox, the tender page and its command forms, lead times and contract follow-up.
 */
jest.setTimeout(180_000);

describe('the web console in a browser', () => {
  let ui: BrowserConsole;
  let sys: E2eSystem;
  let base: string;
  const title = `Laboratorieförbrukning ${Date.now()}`;
  let tenderId: string;
  const signedIn = (login: string, path?: string, opts?: { shots?: boolean }) => ui.signedIn(login, path, opts);
  const axe = (page: Page, view: string) => ui.axe(page, view);
  const shot = (page: Page, name: string) => ui.shot(page, name);

  beforeAll(async () => {
    ui = await startBrowserConsole('tenderflow-api-browser');
    sys = ui.sys;
    base = ui.base;
  }, 180_000);

  afterAll(() => ui?.close());

  it('serves the console from the API: the SPA at /console/*, its config naming the issuer, outside the OpenAPI document', async () => {
    const config = await request(sys.http).get('/console/config.json').expect(200);
    expect(config.body).toEqual({
      issuer: ui.provider.issuer,
      clientId: 'tenderflow-console',
      redirectUri: `${base}/console/callback`,
      postLogoutRedirectUri: `${base}/console/`,
      temporalWorkflowsUrl: expect.stringMatching(/\/namespaces\/[^/]+\/workflows$/),
    });
    const deep = await request(sys.http).get('/console/tenders/REGION-2026-00001').expect(200);
    expect(deep.headers['content-type']).toMatch(/^text\/html/);
    expect(deep.headers['content-security-policy']).toContain(`connect-src 'self' ${ui.provider.issuer}`);
    expect(deep.text).toContain('<div id="root">');
    await request(sys.http).get('/console').expect(301).expect('location', '/console/');
    const post = await request(sys.http).post('/console/tenders').send({}).expect(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    await request(sys.http).get('/console/assets/nothing.js').expect(404);
    const doc = await request(sys.http).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/console'))).toEqual([]);
  });

  it('an officer signs in (code + PKCE S256, the token verified by JWKS), creates a tender and completes the needs analysis; field errors come from the API', async () => {
    const { context, page } = await signedIn('anna', '/console/tenders/new', { shots: true });
    // The token the console holds is the provider's JWT (RS256), which the API accepted above.
    const token = (
      (await page.evaluate(`JSON.parse(sessionStorage.getItem('tenderflow.session'))`)) as { accessToken: string }
    ).accessToken;
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'at+jwt',
    });
    await expect(page.getByTestId('signed-in').textContent()).resolves.toBe('Inloggad som Anna Andersson (REGION)');

    await page.getByLabel('Titel').fill('ab');
    await page.getByLabel('Kategori').fill('lab-supplies');
    await page.getByLabel('Uppskattat värde (kr, hela perioden inkl. option)').fill('4000000');
    await page.getByRole('button', { name: 'Starta upphandlingen' }).click();
    // The API's 400 names the field; the form shows its message beside it, tied by aria-describedby.
    const titleError = page.locator('#title-error');
    await titleError.waitFor();
    // In Swedish, without the field's code in front (the label names the field).
    expect(await titleError.textContent()).toMatch(/^(minst \d+ tecken|måste anges)/);
    expect(await page.getByLabel('Titel').getAttribute('aria-invalid')).toBe('true');
    await axe(page, 'new tender (with field errors)');
    await shot(page, 'new-tender-field-errors');

    await page.getByLabel('Titel').fill(title);
    // The answer to the first try is lost on the way back (the API created the tender): the console
    // shows the failure, and trying again sends the same command (the same Idempotency-Key), which
    // the API answers with the tender it created: one tender, not two.
    const keys: string[] = [];
    let lose = true;
    await page.route('**/tenders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key']);
      const answer = await route.fetch();
      if (lose) {
        lose = false;
        expect(answer.status()).toBe(201);
        return route.abort('connectionreset');
      }
      return route.fulfill({ response: answer });
    });
    await page.getByRole('button', { name: 'Starta upphandlingen' }).click();
    await page.locator('main form > [role=alert]').waitFor();
    await page.getByRole('button', { name: 'Starta upphandlingen' }).click();
    await page.waitForURL(/\/console\/tenders\/[^/]+\/needs-analysis$/);
    await page.unroute('**/tenders');
    tenderId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
    expect(tenderId).toMatch(/^REGION-/);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const listed = await eventually(async () => {
      const page1 = (await fetch(`${base}/tenders?q=${encodeURIComponent(title)}`, {
        headers: { Authorization: `Bearer ${token}` },
      }).then((r) => r.json())) as { items: { id: string }[] };
      return page1.items.length > 0 ? page1 : undefined;
    });
    expect(listed.items.map((i) => i.id)).toEqual([tenderId]);

    await page
      .getByLabel('Varför hållbarhetskrav inte är tillämpliga')
      .fill('Reagenser utan relevanta hållbarhetskriterier');
    await page.getByLabel('Skäl att inte dela upp i delkontrakt').fill('En leveranskedja');
    // Without the labour-conditions assessment the API refuses by a rule of law (422): the console shows the rule and its paragraph.
    await page.getByRole('button', { name: 'Slutför behovsanalysen' }).click();
    const refusal = page.locator('main form > [role=alert]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/labour_conditions.*17 kap\. 2 § LOU/s);
    // The rule's meaning in Swedish, beside the field and in the box; the API's English sentence kept, marked lang="en".
    const swedish = 'Över tröskelvärdet ska behovet av arbetsrättsliga villkor bedömas';
    expect(await refusal.textContent()).toContain(swedish);
    expect(await refusal.locator('[lang=en]').first().textContent()).toContain(
      'Above the threshold, assess labour conditions',
    );
    expect(await page.locator('#laborJustification-error').textContent()).toContain(swedish);
    await axe(page, 'needs analysis (refused by a rule)');
    await shot(page, 'needs-analysis-refused');
    await page.getByLabel('Motivering för arbetsrättsliga villkor').fill('Varor från grossister inom EU');
    await axe(page, 'needs analysis');
    await shot(page, 'needs-analysis');
    await page.getByRole('button', { name: 'Slutför behovsanalysen' }).click();
    await page.getByText('Behovsanalysen är klar. Beslut att upphandla har begärts.').waitFor();

    await page.goto(`${base}/console/tenders/${tenderId}`);
    await page.getByRole('heading', { name: 'Väntande beslut' }).waitFor();
    await page.getByText('Beslut att upphandla —').waitFor();
    await axe(page, 'tender page (awaiting the decision)');

    await page.goto(`${base}/console/tenders`);
    await page.getByLabel('Sök på titel').fill(title);
    await page.getByRole('button', { name: 'Filtrera' }).click();
    await page.getByRole('link', { name: title }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await axe(page, 'tenders');
    await shot(page, 'tenders');
    await context.close();
  });

  it('an approver of another organisation does not see the gate in the inbox', async () => {
    const { context, page } = await signedIn('stina', '/console/approvals');
    await page.getByRole('heading', { name: 'Att besluta', level: 1 }).waitFor();
    await page.getByText('Inget att visa.').waitFor();
    expect(await page.getByText(title).count()).toBe(0);
    await axe(page, 'approvals (empty, other organisation)');
    // Signing out forgets the token and ends the provider's session (RP-initiated logout).
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForURL((u) => u.href.startsWith(ui.provider.issuer));
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForURL(`${base}/console/`);
    await page.getByRole('button', { name: 'Logga in' }).waitFor();
    expect(await page.evaluate(`sessionStorage.getItem('tenderflow.session')`)).toBeNull();
    await context.close();
  });

  it('an approver signs in, finds the gate in the inbox with its basis and approves it; the tender page then shows the new phase and a verified chain', async () => {
    const { context, page } = await signedIn('bo', '/console/approvals');
    const card = page.locator('article', { has: page.getByRole('link', { name: title }) });
    await card.waitFor();
    expect(await card.textContent()).toContain('Beslut att upphandla');
    expect(await card.textContent()).toContain('Anna Andersson');
    expect(await card.textContent()).toMatch(/4\s000\s000\skr/);
    // The decision to procure has no paragraph in LOU: its basis is the delegation order (as the e-mails say).
    expect(await card.textContent()).toContain('Inget krav i LOU; organisationens delegationsordning');
    // A refusal is shown as the API words it: rejecting without a comment is refused, naming the field.
    await card.getByRole('button', { name: 'Avslå' }).click();
    await card.getByRole('alert').waitFor();
    expect(await card.getByRole('alert').textContent()).toMatch(/Beslutet nekades.*Kommentar: minst 1 tecken/s);
    await axe(page, 'approvals inbox');
    await shot(page, 'approvals');

    await card.getByLabel('Kommentar').fill('Behovet är väl underbyggt.');
    await card.getByRole('button', { name: 'Godkänn' }).click();
    await card.getByText('Beslutet är registrerat.').waitFor();

    await page.goto(`${base}/console/tenders/${tenderId}`);
    const phase = page.getByTestId('phase');
    await eventually(
      async () =>
        (await phase.textContent())?.includes('Upphandlingsdokument') ? true : (await page.reload(), undefined),
      30_000,
    );
    await page.getByTestId('chain').waitFor();
    expect(await page.getByTestId('chain').textContent()).toMatch(/Kedjan verifierad \(\d+ händelser\)/);
    // The audit trail names each event in Swedish, not by the API's code (phase.changed, gate.decided…).
    const trail = await page.locator('ol.audit').innerText();
    expect(trail).toContain('Beslut fattat');
    expect(trail).toContain('Ny fas');
    expect(trail.match(/\b[a-z_]+\.[a-z_]+\b/g) ?? []).toEqual([]);
    expect(await page.locator('svg.gantt rect').count()).toBeGreaterThanOrEqual(2);
    await axe(page, 'tender page (documents)');

    await context.close();

    // On to publication in the console, each person on their own page: the officer registers the
    // documents with the form the API's contract gives, an approver decides, the officer publishes.
    const officer = await signedIn('anna', `/console/tenders/${tenderId}`);
    const todo = officer.page.locator('section', { has: officer.page.getByRole('heading', { name: 'Att göra nu' }) });
    await todo.getByText('Registrera upphandlingsdokumenten').click();
    const docsForm = todo.locator('details', { hasText: 'Registrera upphandlingsdokumenten' });
    await docsForm.getByLabel('Titel').first().fill('Administrativa föreskrifter');
    await docsForm.getByLabel('Referens').first().fill('dms://REGION/2026/1/1');
    await docsForm.getByLabel('Version').first().fill('1.0');
    await docsForm.getByRole('button', { name: 'Lägg till rad: Upphandlingsdokument' }).click();
    await docsForm.getByLabel('Titel').nth(1).fill('Kravspecifikation');
    // A missing reference is refused by the API, and its message stands beside the field.
    await docsForm.getByRole('button', { name: 'Skicka' }).click();
    await docsForm.locator('.field.invalid').first().waitFor();
    expect(await docsForm.locator('.field.invalid label').first().textContent()).toContain('Referens');
    await axe(officer.page, 'tender page (a command refused, field errors)');
    await shot(officer.page, 'tender-command-form');
    await docsForm.getByLabel('Referens').nth(1).fill('dms://REGION/2026/1/2');
    await docsForm.getByRole('button', { name: 'Skicka' }).click();
    await todo
      .getByText('Inget väntar på dig i den här upphandlingen just nu.')
      .or(todo.getByText('Utse utvärderare'))
      .first()
      .waitFor();
    await officer.page
      .getByRole('listitem')
      .filter({ hasText: 'Godkännande av upphandlingsdokument' })
      .first()
      .waitFor();

    const approverPage = await signedIn('cecilia', `/console/tenders/${tenderId}`);
    const decide = approverPage.page.locator('details', { hasText: 'Besluta: Godkännande av upphandlingsdokument' });
    await decide.getByLabel('Beslut (krävs)', { exact: true }).selectOption('approve');
    // How the award notice is sent belongs to the award decision only.
    expect(await decide.getByLabel('Hur tilldelningsbeslutet skickas').count()).toBe(0);
    await decide.getByRole('button', { name: 'Skicka' }).click();
    await approverPage.page.getByText('Inget väntar på dig i den här upphandlingen just nu.').waitFor();
    await approverPage.context.close();

    await officer.page.reload();
    const publish = officer.page.locator('details', { hasText: 'Publicera upphandlingen' });
    await publish.locator('summary').click();
    await publish.getByLabel('Annonsdatabas').fill('e-Avrop');
    await publish.getByLabel('Annonsreferens').fill('EA-2026-1');
    await axe(officer.page, 'tender page (publication form)');
    await publish.getByRole('button', { name: 'Skicka' }).click();
    const page2 = officer.page;
    const phase2 = page2.getByTestId('phase');
    await eventually(
      async () => ((await phase2.textContent())?.includes('Annonserad') ? true : (await page2.reload(), undefined)),
      30_000,
    );
    // What the officer may do now, with the next deadline and its basis.
    await page2.getByTestId('next-deadline').waitFor();
    expect(await page2.getByTestId('next-deadline').textContent()).toMatch(/Nästa tidsfrist: .*\d{4}-\d{2}-\d{2}/);
    // Each deadline with its basis, in the picture's table: the tender period of 11 kap. LOU among them.
    const deadlines = page2.locator('table', { has: page2.locator('caption', { hasText: 'Tidsfrister' }) });
    expect(await deadlines.locator('tbody tr').count()).toBe(3);
    expect(await deadlines.textContent()).toMatch(/Sista anbudsdag.*11 kap/s);
    expect(await page2.locator('svg.gantt line.marker').count()).toBe(3);
    expect(await page2.getByRole('listitem').filter({ hasText: 'Kravspecifikation' }).count()).toBe(1);
    await axe(page2, 'tender page (published)');
    await shot(page2, 'tender');

    // Documents for people: the individual report as PDF, the OCDS release and the whole audit trail.
    const download = async (name: string) => {
      const [file] = await Promise.all([page2.waitForEvent('download'), page2.getByRole('button', { name }).click()]);
      const stream = await file.createReadStream();
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return { name: file.suggestedFilename(), body: Buffer.concat(chunks) };
    };
    const pdf = await download('Individuell rapport (PDF)');
    expect(pdf.name).toBe(`individuell-rapport-${tenderId}.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const ocds = await download('OCDS-release (JSON)');
    expect(JSON.parse(ocds.body.toString())).toMatchObject({
      releases: [expect.objectContaining({ ocid: expect.stringMatching(new RegExp(`${tenderId}$`)) })],
    });
    const auditFile = JSON.parse((await download('Händelselogg (JSON)')).body.toString()) as {
      tenderId: string;
      verify: { valid: boolean; events: number };
      items: { index: number; type: string }[];
    };
    expect(auditFile.tenderId).toBe(tenderId);
    expect(auditFile.verify.valid).toBe(true);
    expect(auditFile.items.map((e) => e.index)).toEqual(auditFile.items.map((_, i) => i + 1));
    expect(auditFile.items).toHaveLength(auditFile.verify.events);
    await officer.context.close();
  });

  it('an administrator gets the link to the workflow in the Temporal UI, and the console speaks English when asked', async () => {
    const { context, page } = await signedIn('ada', `/console/tenders/${tenderId}`);
    const link = page.getByRole('link', { name: 'Öppna arbetsflödet i Temporal UI' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`/namespaces/default/workflows/tender-${tenderId}$`));
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await axe(page, 'tender page (administrator, English)');
    await context.close();
  });

  it('a category manager sees the lead times drawn per category', async () => {
    const { context, page } = await signedIn('eva', '/console/lead-times');
    await page.getByRole('heading', { name: 'Ledtider', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'lab-supplies' }).waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await axe(page, 'lead times');
    await shot(page, 'lead-times');
    await context.close();
  });

  it('contract follow-up: an officer sees the milestones due and completes one', async () => {
    // A direct award to its contract over HTTP (development tokens of the same people), so that follow-up milestones exist.
    const anna = await sys.token({
      sub: 'anna',
      name: 'Anna Andersson',
      org: 'REGION',
      roles: ['procurement_officer'],
    });
    const cecilia = await sys.token({
      sub: 'cecilia',
      name: 'Cecilia Ek',
      org: 'REGION',
      roles: ['approver'],
      approvalLimitSek: 100_000_000,
    });
    const post = (path: string, token: string, body: object) =>
      request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
    const day = (d: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + d * 86_400_000));
    const title = `Fönsterputs ${Date.now()}`;
    const created = await post('/tenders', anna, {
      title,
      organization: 'REGION',
      category: 'window-cleaning',
      contractType: 'services',
      estimatedValueSek: 250_000,
      procedure: 'direct_award',
    }).expect(201);
    const id = created.body.id as string;
    await post(`/tenders/${id}/needs-analysis`, anna, {
      sustainability: { criteria: ['Miljömärkta medel'], level: 'bas' },
      supplyPreparedness: { criticality: 'low' },
    }).expect(200);
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, cecilia, { decision: 'approve' }).expect(200);
    await post(`/tenders/${id}/contract`, anna, {
      supplier: 'Fönsterputs AB',
      valueSek: 240_000,
      startDate: day(0),
      endDate: day(730),
      signedAt: day(0),
    }).expect(200);
    await eventually(async () =>
      (
        await request(sys.http)
          .get(`/tenders?phase=follow_up&q=F%C3%B6nsterputs`)
          .set('Authorization', `Bearer ${anna}`)
      ).body.items?.length
        ? true
        : undefined,
    );

    const { context, page } = await signedIn('anna', '/console/follow-up');
    // The start-up meeting of this tender (the procurement function's); the documentation milestone of a direct
    // award can fall on the same day (a deadline ending on a Sunday moves to the Monday) and needs its record.
    const card = page
      .locator('article')
      .filter({ hasText: title })
      .filter({ hasText: 'Upphandlingsfunktionen' })
      .filter({ hasNotText: '19 a kap. 11 §' })
      .first();
    await card.waitFor();
    await axe(page, 'contract follow-up');
    await shot(page, 'contract-follow-up');
    const heading = await card.getByRole('heading').textContent();
    await card.getByLabel('Anteckning').fill('Uppstartsmöte hållet med leverantören');
    await card.getByRole('button', { name: 'Markera som klar' }).click();
    await card.getByText('Uppföljningspunkten är klar.').waitFor();
    expect(heading).toBeTruthy();
    await context.close();
  });
});
