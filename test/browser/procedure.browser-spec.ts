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

  /** The officer's new tender through the console's form; its id. */
  async function newTender(
    page: Page,
    t: { title: string; value: string; contractType?: string; procedure: string; invite?: boolean },
  ): Promise<string> {
    await page.goto(`${ui.base}/console/tenders/new`);
    await page.getByLabel('Titel').first().fill(t.title);
    await page.getByLabel('Kategori').first().fill('lab-supplies');
    if (t.contractType) await page.getByLabel('Kontraktstyp').selectOption(t.contractType);
    await page.getByLabel('Uppskattat värde (kr, hela perioden inkl. option)').fill(t.value);
    await page.getByText('Förfarande, inbjudna organisationer, optioner och mer').click();
    await page.getByLabel('Förfarande', { exact: true }).selectOption(t.procedure);
    const invited = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Inbjudna organisationer 1' }) });
    if (t.invite) {
      await invited.getByLabel('Organisation').fill('BOLAG');
      await invited.getByLabel('Namn').fill('Regionens Fastighets AB');
      await invited.getByLabel('E-post för kontakt').fill('upphandling@bolag.example');
    }
    await ui.axe(page, 'new tender (every field)');
    if (t.invite) await ui.shot(page, 'new-tender');
    await page.getByRole('button', { name: 'Starta upphandlingen' }).click();
    await page.waitForURL(/\/console\/tenders\/[^/]+\/needs-analysis$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
    await page.getByLabel('Varför hållbarhetskrav inte är tillämpliga').fill('Inga relevanta kriterier för detta köp');
    await page.getByLabel('Motivering för arbetsrättsliga villkor').fill('Varor från grossister inom EU');
    await page.getByLabel('Skäl att inte dela upp i delkontrakt').fill('En leverantörskedja');
    await page.getByRole('button', { name: 'Slutför behovsanalysen' }).click();
    await page.getByText('Behovsanalysen är klar. Beslut att upphandla har begärts.').waitFor();
    return id;
  }

  /** An approver decides a gate on the tender page. */
  async function decide(login: string, id: string, gate: string, view: string, awardChannel?: string): Promise<void> {
    const approver = await ui.signedIn(login, `/console/tenders/${id}`);
    const form = await action(approver.page, `Besluta: ${gate}`);
    await form.getByLabel('Beslut (krävs)', { exact: true }).selectOption('approve');
    if (awardChannel) await form.getByLabel('Hur tilldelningsbeslutet skickas').selectOption(awardChannel);
    await send(approver.page, form, view);
    await approver.context.close();
  }

  /** Documents, their approval and publication; the tender period's deadline. */
  async function documentsToPublication(page: Page, id: string): Promise<void> {
    await page.goto(`${ui.base}/console/tenders/${id}`);
    await phaseIs(page, 'Upphandlingsdokument');
    // The requirements register first: a contract condition with how it is followed up.
    let form = await action(page, 'Registrera ett krav i kravregistret');
    await form.getByLabel('Slag av krav').selectOption('contract_condition');
    await form.getByLabel('Kravets lydelse').fill('Transporter sker med fordon som uppfyller lägst Euro VI.');
    await form.getByLabel('Referens').fill('Kontraktsvillkor 7.3');
    await form.getByLabel('Hållbarhetskriterium (Upphandlingsmyndighetens id)').fill('10137:2');
    await form.getByLabel('Metod').selectOption('document');
    await form.getByLabel('Hur ofta').selectOption('yearly');
    await form.getByLabel('Ansvarig').selectOption('procurement');
    await form.getByLabel('Underlag som leverantören visar').fill('Fordonslista med utsläppsklass');
    await send(page, form, 'tender page (requirement form)');
    const row = page.locator('tr[data-requirement="K1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Särskilt kontraktsvillkor');
    expect(await row.textContent()).toContain('Upphandlingsmyndighetens kriterium 10137:2');
    expect(await row.textContent()).toContain('Dokument eller intyg, varje år, upphandlingsfunktionen: Fordonslista');
    await ui.axe(page, 'tender page (requirements register)');
    await ui.shot(page, 'tender-requirements');
    form = await action(page, 'Registrera upphandlingsdokumenten');
    await form.getByLabel('Titel').first().fill('Kravspecifikation');
    await form.getByLabel('Referens').first().fill(`dms://REGION/${id}/1`);
    await send(page, form, 'tender page (documents form)');
    form = await action(page, 'Utse utvärderare');
    await form.getByLabel('Användar-id').first().fill('eva');
    await form.getByLabel('Namn').first().fill('Eva Lind');
    await form.getByRole('button', { name: 'Lägg till rad: Utvärderare' }).click();
    await form.getByLabel('Användar-id').nth(1).fill('karl');
    await form.getByLabel('Namn').nth(1).fill('Karl Nord');
    await send(page, form, 'tender page (evaluators form)');
    await decide('cecilia', id, 'Godkännande av upphandlingsdokument', 'tender page (documents approval)');
    await page.reload();
    form = await action(page, 'Publicera upphandlingen');
    await form.getByLabel('Annonsdatabas').fill('e-Avrop');
    await form.getByLabel('Annonsreferens').fill(`EA-${id}`);
    await send(page, form, 'tender page (publication form)');
    await phaseIs(page, 'Annonserad');
  }

  /** The evaluators declare before the opening, each on their own page. */
  async function declarations(id: string): Promise<void> {
    for (const evaluator of ['eva', 'karl']) {
      const e = await ui.signedIn(evaluator, `/console/tenders/${id}`);
      const declaration = await action(e.page, 'Lämna din jävsdeklaration');
      await declaration.getByLabel('Förklaring').fill('Inga band till någon anbudsgivare');
      await send(e.page, declaration, `tender page (conflict declaration, ${evaluator})`);
      await e.context.close();
    }
  }

  /** After the tender period: the opening, the evaluation, the award decision and the standstill. */
  async function openingToContract(page: Page, id: string, lastDay: string, shots = false): Promise<void> {
    await passDeadline(env, ui.sys, state, id, 'tender_deadline', 'opening');
    await page.reload();
    await phaseIs(page, 'Anbudsöppning');
    let form = await action(page, 'Registrera anbudsöppningen');
    await form.getByLabel('Förrättare av anbudsöppningen').fill('anna\nbo');
    const received = `${lastDay}T10:00`;
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Organisationsnummer').first().fill('556000-0001');
    await form.getByLabel('Mottaget').first().fill(received);
    await form.getByRole('button', { name: 'Lägg till rad: Mottagna anbud' }).click();
    await form.getByLabel('Leverantör').nth(1).fill('Nordic Reagents AB');
    await form.getByLabel('Mottaget').nth(1).fill(received);
    await send(page, form, 'tender page (opening form)');
    await phaseIs(page, 'Utvärdering');

    // Each tender assessed: no exclusion ground, qualified, admitted (the register has no mandatory requirement).
    for (const supplier of ['Acme Lab AB', 'Nordic Reagents AB']) {
      // A sent form shows that it is done; the page again gives a fresh one.
      await page.reload();
      form = await action(page, 'Pröva ett anbud');
      await form.getByLabel('Leverantör').first().fill(supplier);
      await form.getByLabel('Uppfyllt').first().check();
      await form.getByLabel('Resultat').selectOption('admitted');
      await send(page, form, 'tender page (assessment form)');
      await page.locator(`tr[data-tenderer="${supplier}"]`, { hasText: 'Går vidare till utvärdering' }).waitFor();
    }
    await ui.axe(page, 'tender page (tenders and their assessment)');
    if (shots) await ui.shot(page, 'tender-assessment');

    form = await action(page, 'Lämna utvärderingen');
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Poäng').first().fill('87');
    await form.getByLabel('Motivering').first().fill('Bästa förhållandet mellan pris och kvalitet');
    await send(page, form, 'tender page (evaluation form)');
    await decide('bo', id, 'Tilldelningsbeslut', 'tender page (award decision)', 'electronic');
    await page.reload();
    await phaseIs(page, 'Avtalsspärr');
    await passDeadline(env, ui.sys, state, id, 'standstill', 'contract');
  }

  /**
   * The officer registers the signed contract; the contract manager completes its start-up meeting.
   * With `sanctions`, the contract reserves a penalty; the contract manager records a major deviation,
   * and the approver decides the penalty from the inbox (issue 31).
   */
  async function contractToMilestone(
    page: Page,
    id: string,
    valueSek: string,
    shots: boolean,
    sanctions = false,
  ): Promise<void> {
    const today = stockholmDate(await env.currentTimeMs());
    const end = new Date(Date.parse(`${today}T00:00:00Z`) + 730 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${ui.base}/console/tenders/${id}`);
    await phaseIs(page, 'Avtal');
    const form = await action(page, 'Registrera det undertecknade avtalet');
    await form.getByLabel('Leverantör').first().fill('Acme Lab AB');
    await form.getByLabel('Värde (kr)').first().fill(valueSek);
    await form.getByLabel('Startdatum').fill(today);
    await form.getByLabel('Slutdatum').fill(end);
    await form.getByLabel('Undertecknat').fill(today);
    if (sanctions) {
      // A list starts with one row (left out while empty).
      await form.getByLabel('Sanktion (krävs)').selectOption('penalty');
      await form.getByLabel('Avtalsvillkor (klausul) (krävs)').fill('AV 14.2');
      await form.getByLabel('Högsta belopp per avvikelse (kr)').fill('200000');
    }
    await send(page, form, 'tender page (contract form)');
    await phaseIs(page, 'Uppföljning');
    if (shots) await ui.shot(page, 'tender-follow-up');

    const karl = await ui.signedIn('karl', `/console/tenders/${id}`);
    await karl.page.getByRole('link', { name: 'Avtalet och dess uppföljning' }).click();
    await karl.page.getByRole('heading', { name: 'Avtal med Acme Lab AB' }).waitFor();
    const card = karl.page.locator('article').filter({ hasText: 'Uppstartsmöte' }).first();
    await card.getByLabel('Anteckning').fill('Uppstartsmöte hållet med leverantören');
    await ui.axe(karl.page, 'contract page');
    if (shots) await ui.shot(karl.page, 'contract');
    await card.getByRole('button', { name: 'Markera som klar' }).click();
    await karl.page.locator('table tbody tr', { hasText: 'Klar' }).first().waitFor();
    if (sanctions) {
      // A major deviation on the next milestone: its corrective action, and the sanction to a decision.
      const next = karl.page
        .locator('article')
        .filter({ has: karl.page.getByRole('button', { name: 'Markera som klar' }) })
        .first();
      await next.getByLabel('Avvikelse', { exact: true }).check();
      await next.getByLabel('Anteckning').fill('Leveranserna kom sent hela månaden');
      await next.getByLabel('Avvikelsens allvar').selectOption('major');
      await next.getByRole('button', { name: 'Markera som klar' }).click();
      // The page reloads the contract: the plan shows the deviation with its severity.
      await karl.page.locator('table tbody tr', { hasText: 'Allvarlig' }).first().waitFor();
    }
    await karl.context.close();
    if (!sanctions) return;
    const bo = await ui.signedIn('bo', '/console/approvals');
    await bo.page.getByRole('heading', { name: 'Beslut om sanktioner mot leverantörer' }).waitFor();
    const decision = bo.page.locator('article').filter({ hasText: 'Beslut om sanktion' }).first();
    await decision.getByLabel('Beslut', { exact: true }).selectOption('impose');
    await decision.getByLabel('Sanktion enligt avtalet').selectOption('penalty');
    await decision.getByLabel('Belopp (hela kronor)').fill('50000');
    await decision.getByLabel('Anteckning').fill('Vite enligt AV 14.2');
    await ui.axe(bo.page, 'approvals (sanction decision)');
    if (shots) await ui.shot(bo.page, 'approvals-sanction');
    await decision.getByRole('button', { name: 'Markera som klar' }).click();
    await decision.getByRole('status').waitFor();
    await bo.context.close();
  }

  it('an open procedure above the threshold with an invited company, from the new tender to the first completed milestone', async () => {
    const anna = await ui.signedIn('anna', '/console/tenders');
    const id = await newTender(anna.page, { title, value: '4000000', procedure: 'open', invite: true });

    // The approver finds the decision to procure with "waiting for me" and decides it on the tender page.
    const bo = await ui.signedIn('bo', '/console/tenders');
    await bo.page.getByLabel('Bara de som väntar på mig').check();
    await bo.page.getByRole('button', { name: 'Filtrera' }).click();
    await bo.page.getByRole('link', { name: title }).waitFor();
    await ui.axe(bo.page, 'tenders waiting for me');
    await bo.context.close();
    await decide('bo', id, 'Beslut att upphandla', 'tender page (decision to procure)');

    // The invited company's partner joins with its volume and mandate.
    const pia = await ui.signedIn('pia', `/console/tenders/${id}`);
    const form = await action(pia.page, 'Svara på inbjudan till samordnad upphandling');
    await form.getByLabel('Svar (krävs)').selectOption('join');
    await form.getByLabel('Uppskattad volym').fill('cirka 30 % av volymen');
    await form.getByLabel('Fullmakt (referens)').fill('Styrelsebeslut 2026-11-12 § 7');
    await ui.shot(pia.page, 'partner-invitation');
    await send(pia.page, form, 'partner (invitation)');
    await pia.page.getByTestId('invitation-status').getByText('Deltar').waitFor();
    await pia.context.close();

    await documentsToPublication(anna.page, id);
    const deadline = (await state(id)).deadlines.find((d) => d.kind === 'tender_deadline')!;
    await declarations(id);
    await openingToContract(anna.page, id, deadline.lastDay, true);
    await contractToMilestone(anna.page, id, '3900000', true, true);
    await anna.context.close();

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

  it('an open procedure below the threshold (19 kap. LOU), the same way', async () => {
    const anna = await ui.signedIn('anna', '/console/tenders');
    const id = await newTender(anna.page, {
      title: `Konsulttjänster ${Date.now()}`,
      value: '1500000',
      contractType: 'services',
      procedure: 'open',
    });
    expect((await state(id)).regime).toBe('national');
    await decide('bo', id, 'Beslut att upphandla', 'tender page (decision to procure, national)');
    await documentsToPublication(anna.page, id);
    const deadline = (await state(id)).deadlines.find((d) => d.kind === 'tender_deadline')!;
    await declarations(id);
    await openingToContract(anna.page, id, deadline.lastDay);
    await contractToMilestone(anna.page, id, '1400000', false);
    await anna.context.close();
    expect((await state(id)).phase).toBe('follow_up');
  });

  it('a direct award, the same way', async () => {
    const anna = await ui.signedIn('anna', '/console/tenders');
    const id = await newTender(anna.page, {
      title: `Fönsterputs ${Date.now()}`,
      value: '250000',
      contractType: 'services',
      procedure: 'direct_award',
    });
    await decide('bo', id, 'Beslut att upphandla', 'tender page (decision to procure, direct award)');
    await contractToMilestone(anna.page, id, '240000', false);
    await anna.context.close();
    const final = await state(id);
    expect(final.timeline.map((p) => p.phase)).toEqual(['needs_analysis', 'contract', 'follow_up']);
  });
});
