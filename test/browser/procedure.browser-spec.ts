import { stockholmDate } from '@tenderflow/domain/dates';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { startBrowserConsole, type BrowserConsole } from '../support/browser-console';
import { eventually } from '../support/e2e-system';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { passDeadline } from '../support/time-skipping-http';

/**
 * An open procedure above the threshold from creation to a registered contract and its first
 * completed milestone only through the console, each person signing in with the development
 * provider in turn: the officer (Anna), the approvers (Bo, Cecilia), the invited company's partner
 * (Pia), two evaluators (Eva, Karl) and the contract manager (Karl). Temporal's time-skipping
 * server stands in for the dev server so that the tender period and the standstill pass in
 * seconds; moving its clock is the test's only step outside the browser. axe-core on every view.
 */
jest.setTimeout(600_000);

describe('a whole procurement through the console', () => {
  let env: TestWorkflowEnvironment;
  let ui: BrowserConsole;
  const saved = { address: process.env.TEMPORAL_ADDRESS, queue: process.env.TEMPORAL_TASK_QUEUE };
  const title = `Reagenser ${Date.now()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `console-procedure-${process.pid}`;
    ui = await startBrowserConsole('tenderflow-api-procedure');
  }, 300_000);
  afterAll(async () => {
    await ui?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
  });

  /** The tender's state as the officer's organisation reads it (for the test's own waits, not the user's). */
  async function state(id: string): Promise<TenderState> {
    const token = await ui.sys.token({ sub: 'anna', org: 'REGION', roles: ['procurement_officer'] });
    return (await request(ui.sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${token}`).expect(200))
      .body as TenderState;
  }

  /** The form of one action on the tender page ("Att göra nu"), opened. */
  async function action(page: Page, name: string): Promise<Locator> {
    const form = page.locator('details.action', { has: page.locator('summary', { hasText: name }) });
    await form.waitFor();
    if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
    return form;
  }

  /** Sends the form and waits until the tender has moved on (the page reloads its state). */
  async function send(page: Page, form: Locator, view: string): Promise<void> {
    await ui.axe(page, view);
    const name = (await form.locator('summary strong').textContent()) ?? '';
    await form.getByRole('button', { name: 'Skicka' }).click();
    const done = page.getByRole('status').filter({ hasText: `Klart: ${name}.` });
    await done.or(form.locator('[role=alert]')).first().waitFor();
    // A refusal is shown in the form: the test names it rather than time out.
    expect(await form.locator('[role=alert]').allTextContents()).toEqual([]);
    await done.waitFor();
  }

  async function phaseIs(page: Page, phase: string): Promise<void> {
    await eventually(
      async () =>
        (await page.getByTestId('phase').textContent())?.includes(phase) ? true : (await page.reload(), undefined),
      30_000,
    );
  }

  it('runs from the new tender to the first completed milestone, every step in the console', async () => {
    // The officer creates the tender: an open procedure (above the threshold), the group's company invited.
    const anna = await ui.signedIn('anna', '/console/tenders/new');
    await anna.page.getByLabel('Titel').first().fill(title);
    await anna.page.getByLabel('Kategori').first().fill('lab-supplies');
    await anna.page.getByLabel('Uppskattat värde (kr, hela perioden inkl. option)').fill('4000000');
    await anna.page.getByText('Förfarande, inbjudna organisationer, optioner och mer').click();
    await anna.page.getByLabel('Förfarande', { exact: true }).selectOption('open');
    const invited = anna.page.locator('fieldset', {
      has: anna.page.locator('legend', { hasText: 'Inbjudna organisationer 1' }),
    });
    await invited.getByLabel('Organisation').fill('BOLAG');
    await invited.getByLabel('Namn').fill('Regionens Fastighets AB');
    await invited.getByLabel('E-post för kontakt').fill('upphandling@bolag.example');
    await ui.axe(anna.page, 'new tender (every field)');
    await ui.shot(anna.page, 'new-tender');
    await anna.page.getByRole('button', { name: 'Starta upphandlingen' }).click();
    await anna.page.waitForURL(/\/console\/tenders\/[^/]+\/needs-analysis$/);
    const id = decodeURIComponent(new URL(anna.page.url()).pathname.split('/')[3]);

    await anna.page.getByLabel('Varför hållbarhetskrav inte är tillämpliga').fill('Reagenser utan relevanta kriterier');
    await anna.page.getByLabel('Motivering för arbetsrättsliga villkor').fill('Varor från grossister inom EU');
    await anna.page.getByLabel('Skäl att inte dela upp i delkontrakt').fill('En analysplattform');
    await anna.page.getByRole('button', { name: 'Slutför behovsanalysen' }).click();
    await anna.page.getByText('Behovsanalysen är klar. Beslut att upphandla har begärts.').waitFor();

    // The approver decides to procure from the tender page ("waiting for me" finds it).
    const bo = await ui.signedIn('bo', '/console/tenders');
    await bo.page.getByLabel('Bara de som väntar på mig').check();
    await bo.page.getByRole('button', { name: 'Filtrera' }).click();
    await bo.page.getByRole('link', { name: title }).click();
    let form = await action(bo.page, 'Besluta: Beslut att upphandla');
    await form.getByLabel('Beslut (krävs)', { exact: true }).selectOption('approve');
    await send(bo.page, form, 'tender page (decision to procure)');
    await phaseIs(bo.page, 'Samordning');

    // The invited company's partner joins with its volume and mandate.
    const pia = await ui.signedIn('pia', `/console/tenders/${id}`);
    form = await action(pia.page, 'Svara på inbjudan till samordnad upphandling');
    await form.getByLabel('Svar (krävs)').selectOption('join');
    await form.getByLabel('Uppskattad volym').fill('cirka 30 % av volymen');
    await form.getByLabel('Fullmakt (referens)').fill('Styrelsebeslut 2026-11-12 § 7');
    await ui.shot(pia.page, 'partner-invitation');
    await send(pia.page, form, 'partner (invitation)');
    await pia.page.getByTestId('invitation-status').getByText('Deltar').waitFor();
    await pia.context.close();

    // The officer registers the documents and appoints the evaluators; the approver approves the documents.
    await anna.page.goto(`${ui.base}/console/tenders/${id}`);
    await phaseIs(anna.page, 'Upphandlingsdokument');
    form = await action(anna.page, 'Registrera upphandlingsdokumenten');
    await form.getByLabel('Titel').first().fill('Kravspecifikation');
    await form.getByLabel('Referens').first().fill('dms://REGION/2026/7/1');
    await send(anna.page, form, 'tender page (documents form)');
    form = await action(anna.page, 'Utse utvärderare');
    await form.getByLabel('Användar-id').first().fill('eva');
    await form.getByLabel('Namn').first().fill('Eva Lind');
    await form.getByRole('button', { name: 'Lägg till rad: Utvärderare' }).click();
    await form.getByLabel('Användar-id').nth(1).fill('karl');
    await form.getByLabel('Namn').nth(1).fill('Karl Nord');
    await send(anna.page, form, 'tender page (evaluators form)');

    const cecilia = await ui.signedIn('cecilia', `/console/tenders/${id}`);
    form = await action(cecilia.page, 'Besluta: Godkännande av upphandlingsdokument');
    await form.getByLabel('Beslut (krävs)', { exact: true }).selectOption('approve');
    await send(cecilia.page, form, 'tender page (documents approval)');
    await cecilia.context.close();

    // The officer publishes; the tender period of 11 kap. LOU runs.
    await anna.page.reload();
    form = await action(anna.page, 'Publicera upphandlingen');
    await form.getByLabel('Annonsdatabas').fill('e-Avrop');
    await form.getByLabel('Annonsreferens').fill('EA-2026-77');
    await send(anna.page, form, 'tender page (publication form)');
    await phaseIs(anna.page, 'Annonserad');
    const published = await state(id);
    const deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!;

    // The evaluators declare before the opening (their declarations come first).
    for (const evaluator of ['eva', 'karl']) {
      const e = await ui.signedIn(evaluator, `/console/tenders/${id}`);
      form = await action(e.page, 'Lämna din jävsdeklaration');
      await form.getByLabel('Förklaring').fill('Inga band till någon anbudsgivare');
      await send(e.page, form, `tender page (conflict declaration, ${evaluator})`);
      await e.context.close();
    }

    // The tender period ends (the test server's clock); the officer records the opening.
    await passDeadline(env, ui.sys, state, id, 'tender_deadline', 'opening');
    await anna.page.reload();
    await phaseIs(anna.page, 'Anbudsöppning');
    form = await action(anna.page, 'Registrera anbudsöppningen');
    await form.getByLabel('Förrättare av anbudsöppningen').fill('anna\nbo');
    const received = `${deadline.lastDay}T10:00`;
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Organisationsnummer').first().fill('556000-0001');
    await form.getByLabel('Mottaget').first().fill(received);
    await form.getByRole('button', { name: 'Lägg till rad: Mottagna anbud' }).click();
    await form.getByLabel('Leverantör').nth(1).fill('Nordic Reagents AB');
    await form.getByLabel('Mottaget').nth(1).fill(received);
    await send(anna.page, form, 'tender page (opening form)');
    await phaseIs(anna.page, 'Utvärdering');

    form = await action(anna.page, 'Lämna utvärderingen');
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Poäng').first().fill('87');
    await form.getByLabel('Motivering').first().fill('Bästa förhållandet mellan pris och kvalitet');
    await send(anna.page, form, 'tender page (evaluation form)');

    // The approver decides the award; the standstill runs.
    await bo.page.goto(`${ui.base}/console/tenders/${id}`);
    form = await action(bo.page, 'Besluta: Tilldelningsbeslut');
    await form.getByLabel('Beslut (krävs)', { exact: true }).selectOption('approve');
    await form.getByLabel('Hur tilldelningsbeslutet skickas').selectOption('electronic');
    await send(bo.page, form, 'tender page (award decision)');
    await phaseIs(bo.page, 'Avtalsspärr');
    await bo.context.close();

    // The standstill ends; the officer registers the signed contract.
    await passDeadline(env, ui.sys, state, id, 'standstill', 'contract');
    const today = stockholmDate(await env.currentTimeMs());
    const end = new Date(Date.parse(`${today}T00:00:00Z`) + 730 * 86_400_000).toISOString().slice(0, 10);
    await anna.page.reload();
    form = await action(anna.page, 'Registrera det undertecknade avtalet');
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Värde (kr)').first().fill('3900000');
    await form.getByLabel('Startdatum').fill(today);
    await form.getByLabel('Slutdatum').fill(end);
    await form.getByLabel('Undertecknat').fill(today);
    await send(anna.page, form, 'tender page (contract form)');
    await phaseIs(anna.page, 'Uppföljning');
    await ui.shot(anna.page, 'tender-follow-up');
    await anna.context.close();

    // The contract manager completes the start-up meeting on the contract's page.
    const karl = await ui.signedIn('karl', `/console/tenders/${id}`);
    await karl.page.getByRole('link', { name: 'Avtalet och dess uppföljning' }).click();
    await karl.page.getByRole('heading', { name: 'Avtal med Acme Lab AB' }).waitFor();
    const card = karl.page.locator('article').filter({ hasText: 'Uppstartsmöte' }).first();
    await card.getByLabel('Anteckning').fill('Uppstartsmöte hållet med leverantören');
    await ui.axe(karl.page, 'contract page');
    await ui.shot(karl.page, 'contract');
    await card.getByRole('button', { name: 'Markera som klar' }).click();
    await karl.page.locator('table tbody tr', { hasText: 'Klar' }).first().waitFor();
    await karl.context.close();

    // The chain holds every step, and the people who took them.
    const final = await state(id);
    expect(final.timeline.map((p) => p.phase)).toEqual([
      'needs_analysis',
      'coordination',
      'documents',
      'published',
      'opening',
      'evaluation',
      'award_decision',
      'standstill',
      'contract',
      'follow_up',
    ]);
    expect(final.participants).toEqual([expect.objectContaining({ organization: 'BOLAG', status: 'joined' })]);
  });
});
