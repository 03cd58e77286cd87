import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createNotificationActivities } from '@tenderflow/activities/notification.activities';
import { OutboxDispatcher } from '../../apps/worker/src/outbox/outbox-dispatcher';
import { freePort } from '../../scripts/lib/services';
import type { TokenClaims } from '../../scripts/lib/tokens';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { TestSmtpServer } from '../support/test-smtp-server';

/**
 * Notifications end to end: tokens put people in the directory, tenders run on the real worker
 * and Temporal, the worker's own outbox dispatcher (configured by SMTP_URL like in production)
 * sends to a real SMTP server started here, and the messages it received are parsed.
 *
 * NOTIFY_E2E_DUMP=<dir> writes every received message there as .eml (to read one).
 */

const ORG = 'NTF';
const BASE = 'https://tenderflow.region.example';
const FROM = 'upphandling@region.example';
const ENV = {
  SMTP_URL: '',
  NOTIFY_FROM: FROM,
  PUBLIC_BASE_URL: BASE,
  NOTIFY_RETRY_BASE_SECONDS: '0.3',
  NOTIFY_MAX_ATTEMPTS: '6',
};

const tenderBody = (title: string, value: number) => ({
  title,
  organization: ORG,
  category: 'lab-supplies',
  contractType: 'supplies',
  estimatedValueSek: value,
  contractTermMonths: 36,
});
const needsAnalysis = {
  need: 'Reagents for the laboratories',
  sustainability: { criteria: ['Fossil-free transport'], level: 'bas' },
  laborConditions: { required: true, justification: 'Transport in the supply chain' },
  supplyPreparedness: { criticality: 'medium', measures: 'Safety stock' },
  lotJustification: 'One system: one lot',
};

const people: Record<string, TokenClaims & { email?: string }> = {
  anna: {
    sub: 'ntf-anna',
    name: 'Anna Upphandlare',
    org: ORG,
    roles: ['procurement_officer', 'approver'],
    approvalLimitSek: 50_000_000,
    email: 'anna@ntf.example',
  },
  bo: {
    sub: 'ntf-bo',
    name: 'Bo Beslutsfattare',
    org: ORG,
    roles: ['approver'],
    approvalLimitSek: 10_000_000,
    email: 'bo@ntf.example',
  },
  lisa: {
    sub: 'ntf-lisa',
    name: 'Lisa Låggräns',
    org: ORG,
    roles: ['approver'],
    approvalLimitSek: 1_000_000,
    email: 'lisa@ntf.example',
  },
  eva: {
    sub: 'ntf-eva',
    name: 'Eva Utvärderare',
    org: ORG,
    roles: ['approver', 'contract_manager'],
    approvalLimitSek: 50_000_000,
    email: 'eva@ntf.example',
  },
  berit: {
    sub: 'ntf-berit',
    name: 'Berit Studsar',
    org: ORG,
    roles: ['approver'],
    approvalLimitSek: 20_000_000,
    email: 'berit@bounce.ntf.example',
  },
  nils: { sub: 'ntf-nils', name: 'Nils Utanadress', org: ORG, roles: ['approver'], approvalLimitSek: 50_000_000 },
  olof: {
    sub: 'ntx-olof',
    name: 'Olof Annanorg',
    org: 'NTX',
    roles: ['approver'],
    approvalLimitSek: 50_000_000,
    email: 'olof@ntx.example',
  },
  erik: {
    sub: 'ntf-erik',
    name: 'Erik Kategori',
    org: ORG,
    roles: ['category_manager'],
    categories: ['lab-supplies'],
    email: 'erik@ntf.example',
  },
  adam: { sub: 'ntf-adam', name: 'Adam Administratör', org: ORG, roles: ['admin'], email: 'adam@ntf.example' },
  sten: { sub: 'ntf-sten', name: 'Sten Avtal', org: ORG, roles: ['contract_manager'], email: 'sten@ntf.example' },
};

interface Mail {
  parsed: ParsedMail;
  raw: string;
  to: string;
}

describe('notifications over real SMTP (smtp-server), from the directory of people', () => {
  let sys: E2eSystem;
  let smtp: TestSmtpServer;
  let ds: DataSource;
  let dispatcher: OutboxDispatcher;
  const saved: Record<string, string | undefined> = {};
  const t: Record<string, string> = {};
  let tenderId: string;
  let expensiveId: string;

  const post = (path: string, who: string, body: unknown = {}) =>
    request(sys.http)
      .post(path)
      .set('Authorization', `Bearer ${t[who]}`)
      .send(body as object);
  const get = (path: string, who: string) => request(sys.http).get(path).set('Authorization', `Bearer ${t[who]}`);

  /** Everything the server received for a tender, parsed, oldest first. */
  async function mails(tender: string, kind?: string): Promise<Mail[]> {
    const out: Mail[] = [];
    for (const r of smtp.received) {
      const parsed = await simpleParser(r.raw);
      if (parsed.headers.get('x-tenderflow-tender') !== tender) continue;
      if (kind && parsed.headers.get('x-tenderflow-kind') !== kind) continue;
      out.push({ parsed, raw: r.raw, to: r.to.join(',') });
    }
    return out;
  }
  const drain = () => dispatcher.drainOnce(1000);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const notificationsOf = async (id: string) =>
    (await get(`/tenders/${id}/notifications`, 'anna').expect(200)).body as {
      items: {
        key: string;
        kind: string;
        topic: string | null;
        status: string;
        deliveries: {
          recipient: string;
          person: { sub: string } | null;
          address: string | null;
          status: string;
          attempts: number;
          error: string | null;
          smtpResponse: string | null;
        }[];
      }[];
      escalations: { gate: string; reason: string; escalatedTo: string[] }[];
    };

  beforeAll(async () => {
    smtp = new TestSmtpServer(await freePort());
    smtp.reject.add('berit@bounce.ntf.example');
    await smtp.start();
    ENV.SMTP_URL = smtp.url;
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    sys = await startE2eSystem();
    ds = sys.worker.get(DataSource);
    dispatcher = sys.worker.get(OutboxDispatcher);
    for (const [who, claims] of Object.entries(people)) {
      t[who] = await sys.token(claims);
      // Signing in is what puts a person in the directory.
      await get('/tenders?limit=1', who).expect(200);
    }
  }, 120_000);

  afterAll(async () => {
    await sys?.close();
    await smtp?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (process.env.NOTIFY_E2E_DUMP && smtp) {
      mkdirSync(process.env.NOTIFY_E2E_DUMP, { recursive: true });
      smtp.received.forEach((r, i) =>
        writeFileSync(join(process.env.NOTIFY_E2E_DUMP!, `${String(i + 1).padStart(3, '0')}.eml`), r.raw),
      );
    }
  });

  it('records signed-in people from their token claims, e-mail included', async () => {
    const res = await get(`/organizations/${ORG}/people`, 'adam').expect(200);
    const bo = res.body.items.find((p: { sub: string }) => p.sub === 'ntf-bo');
    expect(bo).toMatchObject({
      name: 'Bo Beslutsfattare',
      email: 'bo@ntf.example',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
      source: 'token',
      active: true,
    });
    expect(res.body.items.find((p: { sub: string }) => p.sub === 'ntf-nils')).toMatchObject({ email: null });
    expect(res.body.items.some((p: { sub: string }) => p.sub === 'ntx-olof')).toBe(false);
  });

  it('a gate request reaches exactly the approvers whose inbox shows it: not the requester, not a limit below the value', async () => {
    tenderId = (await post('/tenders', 'anna', tenderBody('Reagenser för klinisk kemi', 4_000_000)).expect(201)).body
      .id;
    await post(`/tenders/${tenderId}/needs-analysis`, 'anna', needsAnalysis).expect(200);
    await drain();

    // Whose inbox lists the gate: the rule the e-mail must follow.
    const inboxOf: string[] = [];
    for (const who of Object.keys(people)) {
      const res = await get('/approvals?status=pending', who);
      if (
        res.status === 200 &&
        res.body.items.some(
          (i: { tenderId: string; gate: string }) => i.tenderId === tenderId && i.gate === 'decision_to_procure',
        )
      ) {
        inboxOf.push(people[who].sub);
      }
    }
    expect(inboxOf.sort()).toEqual(['ntf-berit', 'ntf-bo', 'ntf-eva', 'ntf-nils']);

    const n = (await notificationsOf(tenderId)).items.find((i) => i.kind === 'gate_request')!;
    expect(n.deliveries.map((d) => d.person?.sub).sort()).toEqual(inboxOf);
    const state = (sub: string) => n.deliveries.find((d) => d.person?.sub === sub)!;
    expect(state('ntf-bo')).toMatchObject({
      status: 'sent',
      address: 'bo@ntf.example',
      smtpResponse: expect.stringMatching(/^250 /),
    });
    expect(state('ntf-eva')).toMatchObject({ status: 'sent' });
    // Failing recipients are visible, with the reason: the server's permanent answer, not retried; no address at all.
    expect(state('ntf-berit')).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('550') });
    expect(state('ntf-nils')).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: expect.stringContaining('has no e-mail address'),
    });
    expect(n.status).toBe('failed');
    // The outbox is for the tender's officers.
    await get(`/tenders/${tenderId}/notifications`, 'bo').expect(403);

    const received = await mails(tenderId, 'gate_request');
    expect(received.map((m) => m.to).sort()).toEqual(['bo@ntf.example', 'eva@ntf.example']);
    const bo = received.find((m) => m.to === 'bo@ntf.example')!;
    expect(bo.parsed.subject).toBe(`Upphandling ${tenderId}: Reagenser för klinisk kemi`);
    expect(bo.parsed.inReplyTo).toBe(`<tender.${tenderId}@region.example>`);
    expect(bo.parsed.references).toBe(`<tender.${tenderId}@region.example>`);
    const text = bo.parsed.text!;
    expect(text).toContain('Hej Bo Beslutsfattare,');
    expect(text).toContain('Vad som begärs: Anna Upphandlare ber dig fatta beslut att upphandla');
    expect(text).toContain(
      `Upphandling: ${tenderId} "Reagenser för klinisk kemi" – NTF, kategori lab-supplies – uppskattat värde 4\u00a0000\u00a0000 kr`,
    );
    expect(text).toMatch(
      /Grund: inget krav i LOU; organisationens delegationsordning .* beslutsgräns på minst 4\u00a0000\u00a0000 kr/,
    );
    expect(text).toContain('Tidsfrist: Ingen lagstadgad tidsfrist för beslutet');
    expect(text).toContain(`POST ${BASE}/tenders/${tenderId}/gates/decision_to_procure/decision`);
    expect(text).toContain('Du får meddelandet som beslutsfattare i NTF.');
  }, 60_000);

  it('keeps excluding the tender’s evaluators at the next gate, and threads it under the same subject', async () => {
    await post(`/tenders/${tenderId}/gates/decision_to_procure/decision`, 'bo', { decision: 'approve' }).expect(200);
    await post(`/tenders/${tenderId}/evaluators`, 'anna', {
      evaluators: [{ sub: 'ntf-eva', name: 'Eva Utvärderare' }],
    }).expect(200);
    await post(`/tenders/${tenderId}/documents`, 'anna', {
      documents: [{ title: 'Förfrågningsunderlag', reference: 'dms://NTF/1' }],
    }).expect(200);
    await drain();
    const received = (await mails(tenderId, 'gate_request')).filter((m) =>
      m.parsed.text!.includes('godkännande av upphandlingsdokumenten'),
    );
    expect(received.map((m) => m.to)).toEqual(['bo@ntf.example']);
    expect(received[0].parsed.subject).toBe(`Upphandling ${tenderId}: Reagenser för klinisk kemi`);
    expect(received[0].parsed.references).toBe(`<tender.${tenderId}@region.example>`);
  }, 60_000);

  it('a gate no approver can decide is escalated at once to the category manager and the administrators; inbox and tender say so', async () => {
    expensiveId = (await post('/tenders', 'anna', tenderBody('Laboratorieautomation', 60_000_000)).expect(201)).body.id;
    await post(`/tenders/${expensiveId}/needs-analysis`, 'anna', needsAnalysis).expect(200);
    await drain();

    const outbox = await notificationsOf(expensiveId);
    const request = outbox.items.find((i) => i.kind === 'gate_request')!;
    expect(request.deliveries).toEqual([
      expect.objectContaining({
        recipient: `role:approver@${ORG}`,
        status: 'failed',
        error: expect.stringContaining('no active approver of NTF in the directory may decide'),
      }),
    ]);
    const escalation = outbox.items.find((i) => i.topic === 'gate_escalated')!;
    expect(escalation.deliveries.map((d) => [d.person?.sub, d.status]).sort()).toEqual([
      ['ntf-adam', 'sent'],
      ['ntf-erik', 'sent'],
    ]);
    expect(outbox.escalations).toEqual([
      expect.objectContaining({
        gate: 'decision_to_procure',
        escalatedTo: [`role:category_manager@${ORG}#lab-supplies`, `role:admin@${ORG}`],
      }),
    ]);

    const tender = (await get(`/tenders/${expensiveId}`, 'anna').expect(200)).body;
    expect(tender.pendingGates[0]).toMatchObject({
      gate: 'decision_to_procure',
      escalation: { reason: expect.stringContaining('60000000 SEK'), escalatedAt: expect.any(String) },
    });
    for (const who of ['erik', 'adam']) {
      const inbox = (await get('/approvals?status=escalated', who).expect(200)).body.items;
      expect(inbox).toEqual([
        expect.objectContaining({
          tenderId: expensiveId,
          gate: 'decision_to_procure',
          escalation: expect.objectContaining({ reason: expect.any(String) }),
        }),
      ]);
    }
    const mail = (await mails(expensiveId, 'escalation')).find((m) => m.to === 'erik@ntf.example')!;
    expect(mail.parsed.text).toContain('Ingen kan fatta beslut att upphandla');
    expect(mail.parsed.text).toContain('Du får meddelandet som kategoriansvarig i NTF (kategori lab-supplies).');

    const audit = (await get(`/tenders/${expensiveId}/audit`, 'anna').expect(200)).body.items;
    expect(audit.some((e: { type: string }) => e.type === 'gate.escalated')).toBe(true);
    expect((await get(`/tenders/${expensiveId}/audit/verify`, 'anna').expect(200)).body.valid).toBe(true);
  }, 60_000);

  it('a deadline reminder carries a valid iCalendar part (text/calendar, one VEVENT on the last day)', async () => {
    const { notify } = createNotificationActivities({ dataSource: ds, outbox: { publicBaseUrl: BASE, from: FROM } });
    const contractId = `${tenderId}-K1`;
    await notify({
      key: `contract-${contractId}:reminder:1`,
      tenderId,
      kind: 'reminder',
      recipients: [`role:contract_manager@${ORG}`],
      subject: `${contractId}: Start-up meeting is due 2027-03-31`,
      body: 'M1 "Start-up meeting" is due 2027-03-31.',
      about: {
        topic: 'milestone_due',
        milestone: { contractId, supplier: 'Acme Lab AB', id: 'M1', title: 'Uppstartsmöte', owner: 'using_unit' },
        deadline: {
          kind: 'startup_meeting',
          lastDay: '2027-03-31',
          at: '2027-03-31T21:59:59.999Z',
          basis: 'policy: within 30 days of the contract start (2027-03-01)',
        },
      },
    });
    await drain();
    const mail = (await mails(tenderId, 'reminder')).find((m) => m.to === 'sten@ntf.example')!;
    expect(mail.parsed.text).toContain('Påminnelse: Uppföljningspunkten M1 "Uppstartsmöte"');
    expect(mail.parsed.text).toContain(`POST ${BASE}/contracts/${contractId}/milestones/M1/completion`);
    const [part] = mail.parsed.attachments;
    expect(part.contentType).toBe('text/calendar');
    expect(mail.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=PUBLISH/);
    const ics = part.content.toString('utf8');
    // RFC 5545 3.1: CRLF line ends, lines folded at 75 octets.
    expect(ics.endsWith('\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).toHaveLength(1);
    const event = new ICAL.Event(events[0]);
    expect(event.uid).toBe(`${contractId}.M1@tenderflow`);
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2027-03-31');
    expect(event.endDate.toString()).toBe('2027-04-01');
    expect(event.summary).toBe(`M1 Uppstartsmöte (${contractId})`);
    expect(events[0].getFirstPropertyValue('dtstamp')).toBeTruthy();
    const alarm = events[0].getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm.getFirstPropertyValue('trigger'))).toBe('-PT15H');
  }, 60_000);

  it('a server outage is retried with back-off until delivered, and nothing is sent twice', async () => {
    await smtp.stop();
    const { notify } = createNotificationActivities({ dataSource: ds, outbox: { publicBaseUrl: BASE, from: FROM } });
    const key = `tender-${tenderId}:other:outage`;
    await notify({
      key,
      tenderId,
      kind: 'other',
      recipients: [`user:${people.anna.sub}`],
      subject: `${tenderId}: changes requested (documents_approval)`,
      body: 'Komplettera kravspecifikationen.',
      about: {
        topic: 'changes_requested',
        gate: 'documents_approval',
        comment: 'Komplettera kravspecifikationen.',
        by: { sub: 'ntf-bo', name: 'Bo Beslutsfattare' },
      },
    });
    const delivery = async () => (await notificationsOf(tenderId)).items.find((i) => i.key === key)!.deliveries[0];

    expect(await drain()).toMatchObject({ retrying: 1 });
    expect(await delivery()).toMatchObject({
      status: 'queued',
      attempts: 1,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    // Not due yet: the next attempt waits for its back-off.
    expect(await drain()).toEqual({ sent: 0, failed: 0, retrying: 0 });
    await sleep(400);
    expect(await drain()).toMatchObject({ retrying: 1 });
    expect(await delivery()).toMatchObject({ status: 'queued', attempts: 2 });

    // Back, but busy: a 4xx answer is retried too.
    smtp.busy = 1;
    await smtp.start();
    await sleep(700);
    expect(await drain()).toMatchObject({ retrying: 1 });
    expect(await delivery()).toMatchObject({ status: 'queued', attempts: 3, error: expect.stringContaining('421') });
    await sleep(1300);
    expect(await drain()).toMatchObject({ sent: 1 });
    expect(await delivery()).toMatchObject({ status: 'sent', attempts: 4, error: null });
    await sleep(500);
    await drain();

    const [row] = await ds.query(
      `SELECT d.message_id FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1`,
      [key],
    );
    const copies = (await mails(tenderId)).filter((m) => m.parsed.messageId === row.message_id);
    expect(copies).toHaveLength(1);
    expect(copies[0].to).toBe('anna@ntf.example');
    expect(copies[0].parsed.text).toContain(
      'Bo Beslutsfattare begär ändringar innan godkännande av upphandlingsdokumenten kan fattas',
    );
  }, 60_000);

  it('talks SMTP with no database transaction open', async () => {
    const { notify } = createNotificationActivities({ dataSource: ds, outbox: { publicBaseUrl: BASE, from: FROM } });
    await notify({
      key: `tender-${tenderId}:other:slow`,
      tenderId,
      kind: 'other',
      recipients: [`user:${people.bo.sub}`],
      subject: 's',
      body: 'b',
    });
    smtp.dataDelayMs = 1500;
    try {
      const sending = drain();
      while (smtp.inFlight === 0) await sleep(20);
      // The worker's connections (this one aside): none is inside a transaction while the server holds the message.
      const [open] = await ds.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'tenderflow-worker' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
      );
      expect(smtp.inFlight).toBe(1);
      expect(open.n).toBe(0);
      expect(await sending).toMatchObject({ sent: 1 });
    } finally {
      smtp.dataDelayMs = 0;
    }
  }, 60_000);

  it('counts failed deliveries in /metrics, by reason', async () => {
    const text = (await request(sys.http).get('/metrics').expect(200)).text;
    const value = (reason: string) =>
      Number(
        new RegExp(`^tenderflow_notification_deliveries_failed\\{reason="${reason}"\\} (\\d+)`, 'm').exec(text)?.[1],
      );
    expect(value('rejected')).toBeGreaterThanOrEqual(1);
    expect(value('unresolvable')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^tenderflow_gates_escalated_pending [1-9]/m);
  });
});
