import { stockholmDate } from '@tenderflow/domain/dates';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { pdfText } from '../support/pdf-text';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { auditChain, binaryBody } from '../support/tender-reads';
import { passDeadline } from '../support/time-skipping-http';

/**
 * An EU open procedure from POST /tenders to follow_up over HTTP, as procurement officer, approver
 * and evaluators with their own tokens: the real API and worker on the real PostgreSQL, with
 * Temporal's time-skipping server in place of the dev server so that the 30-day tender period and
 * the 10-day standstill pass in seconds (the dev server cannot move its clock). Every step before
 * and after a timer is the same HTTP call a user makes.
 */
const ORG = 'OPEN';

describe('open procedure from creation to follow_up over HTTP (time-skipping Temporal)', () => {
  let env: TestWorkflowEnvironment;
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const saved = { address: process.env.TEMPORAL_ADDRESS, queue: process.env.TEMPORAL_TASK_QUEUE };

  const post = (path: string, token: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const state = async (id: string) =>
    (await request(sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${t.anna}`).expect(200))
      .body as TenderState;

  const pass = (id: string, kind: string, next: string) => passDeadline(env, sys, state, id, kind, next);

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `open-${process.pid}`;
    sys = await startE2eSystem();
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.olof = await sys.token({ sub: 'olof', name: 'Olof Upphandlare', org: ORG, roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    t.eva = await sys.token({ sub: 'eva', name: 'Eva Utvärderare', org: ORG, roles: ['contract_manager'] });
    t.erik = await sys.token({ sub: 'erik', name: 'Erik Utvärderare', org: ORG, roles: ['category_manager'] });
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
  });

  it('walks every phase of the main path with the people who may act in each', async () => {
    const created = await post('/tenders', t.anna, {
      title: 'Laboratory reagents 2027–2029',
      organization: ORG,
      category: 'lab-supplies',
      contractType: 'supplies',
      estimatedValueSek: 4_000_000,
      contractTermMonths: 24,
      extensionOptionMonths: 12,
    }).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ regime: 'eu', procedure: 'open', phase: 'needs_analysis' });

    await post(`/tenders/${id}/needs-analysis`, t.anna, {
      need: 'Reagents for the clinical chemistry laboratories',
      sustainability: { criteria: ['Fossil-free transport'], level: 'avancerad' },
      laborConditions: { required: true, justification: 'Transport services in the supply chain' },
      supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks at the supplier' },
      lotJustification: 'One integrated analyser platform: dividing it would raise cost and risk',
    }).expect(200);
    expect(
      (
        await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
          decision: 'approve',
          comment: 'Within budget',
        }).expect(200)
      ).body.phase,
    ).toBe('documents');

    await post(`/tenders/${id}/documents`, t.anna, {
      documents: [{ title: 'Requirements specification', reference: 'dms://OPEN/2026/1' }],
    }).expect(200);
    await post(`/tenders/${id}/gates/documents_approval/decision`, t.bo, { decision: 'approve' }).expect(200);
    await post(`/tenders/${id}/evaluators`, t.anna, {
      evaluators: [
        { sub: 'eva', name: 'Eva Utvärderare' },
        { sub: 'erik', name: 'Erik Utvärderare' },
      ],
    }).expect(200);
    const published = (await post(`/tenders/${id}/publication`, t.anna, { advertisingDatabase: 'e-Avrop' }).expect(200))
      .body as TenderState;
    expect(published.phase).toBe('published');
    const deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!;
    expect(deadline.basis).toMatch(/11 kap/);

    const opening = await pass(id, 'tender_deadline', 'opening');
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    await post(`/tenders/${id}/opening`, t.anna, {
      openers: ['anna', 'olof'],
      tenders: [
        { supplier: 'Acme Lab AB', orgNumber: '556000-0001', receivedAt },
        { supplier: 'Nordic Reagents AB', orgNumber: '556000-0002', receivedAt },
      ],
    }).expect(200);
    expect(opening.phase).toBe('opening');
    await post(`/tenders/${id}/conflict-declarations`, t.eva, {
      hasConflict: false,
      statement: 'No ties to any tenderer',
    }).expect(200);
    await post(`/tenders/${id}/conflict-declarations`, t.erik, {
      hasConflict: false,
      statement: 'No ties to any tenderer',
    }).expect(200);
    await post(`/tenders/${id}/evaluation`, t.anna, {
      proposals: [{ supplier: 'Acme Lab AB', score: 87, reasons: 'Best price–quality ratio' }],
    }).expect(200);
    const standstill = (
      await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, {
        decision: 'approve',
        noticeChannel: 'electronic',
      }).expect(200)
    ).body as TenderState;
    expect(standstill.phase).toBe('standstill');
    expect(standstill.award).toMatchObject({
      standstillDays: 10,
      winners: [expect.objectContaining({ supplier: 'Acme Lab AB' })],
    });
    // The content is in the read model's texts, not in the state the workflow keeps (ARCHITECTURE §5); the tender reads back whole.
    expect(standstill.award!.winners).toEqual([
      { supplier: 'Acme Lab AB', score: 87, reasons: 'Best price–quality ratio' },
    ]);
    expect(standstill.evaluation!.proposals).toEqual(standstill.award!.winners);
    expect(standstill.documents!.items).toEqual([
      { title: 'Requirements specification', reference: 'dms://OPEN/2026/1' },
    ]);
    const [stored]: { parts: number; texts: string[] }[] = await sys.app.get(DataSource).query(
      `SELECT (SELECT count(*)::int FROM tender_state_parts WHERE tender_id = $1 AND (value::text LIKE '%Best price%' OR value::text LIKE '%dms://OPEN%')) AS parts,
                (SELECT array_agg(split_part(ref, '@', 1) ORDER BY ref) FROM tender_texts WHERE tender_id = $1 AND ref LIKE 'content/%') AS texts`,
      [id],
    );
    expect(stored).toEqual({ parts: 0, texts: ['content/documents', 'content/evaluation', 'content/needs-analysis'] });

    const contractPhase = await pass(id, 'standstill', 'contract');
    // The day in Sweden on the test server's clock: the standstill ran to the end of its last day there.
    const today = stockholmDate(await env.currentTimeMs());
    const followUp = (
      await post(`/tenders/${id}/contract`, t.anna, {
        supplier: 'Acme Lab AB',
        valueSek: 3_900_000,
        startDate: today,
        endDate: new Date(Date.parse(`${today}T00:00:00Z`) + 730 * 86_400_000).toISOString().slice(0, 10),
        options: [{ description: 'One year', months: 12 }],
        signedAt: today,
      }).expect(200)
    ).body as TenderState;
    expect(contractPhase.phase).toBe('contract');
    expect(followUp.phase).toBe('follow_up');
    expect(followUp.timeline.map((p) => p.phase)).toEqual([
      'needs_analysis',
      'documents',
      'published',
      'opening',
      'evaluation',
      'award_decision',
      'standstill',
      'contract',
      'follow_up',
    ]);
    // For the record: the phases with the (server) times they were entered.
    process.stdout.write(
      `open procedure ${id}:\n${followUp.timeline.map((p) => `  ${p.phase.padEnd(15)} ${p.enteredAt}`).join('\n')}\n`,
    );
    const verify = await request(sys.http)
      .get(`/tenders/${id}/audit/verify`)
      .set('Authorization', `Bearer ${t.anna}`)
      .expect(200);
    expect(verify.body.valid).toBe(true);
    // The public export of the finished procedure (no token) and its audit chain, for the record.
    const ocds = await request(sys.http).get(`/tenders/${id}/ocds`).expect(200);
    expect(ocds.body.releases[0]).toMatchObject({
      ocid: expect.stringMatching(new RegExp(`-${id}$`)),
      tender: { procurementMethod: 'open' },
    });
    const audit = await request(sys.http)
      .get(`/tenders/${id}/audit`)
      .set('Authorization', `Bearer ${t.anna}`)
      .expect(200);

    // The individual report (12 kap. 15 § LOU) from the state and the audit chain: every required
    // item, each statement traceable to audit events that are in the chain.
    const report = (
      await request(sys.http).get(`/tenders/${id}/report`).set('Authorization', `Bearer ${t.anna}`).expect(200)
    ).body as {
      required: boolean;
      complete: boolean;
      statements: {
        item: string;
        heading: string;
        paragraph: string;
        text: string;
        evidence: { index: number; type: string; hash: string }[];
      }[];
    };
    expect(report).toMatchObject({ required: true, complete: true });
    const item = (k: string) => report.statements.find((s) => s.item === k)!;
    expect(report.statements.map((s) => s.item)).toEqual([
      'authority_subject_value',
      'procedure',
      'selected',
      'not_accepted',
      'winner',
      'subcontracting',
      'abnormally_low',
      'not_awarded',
      'lots',
      'conflicts_of_interest',
      'communication',
    ]);
    expect(item('authority_subject_value').text).toContain(
      'Föremål: Laboratory reagents 2027–2029. Uppskattat värde: 4 000 000 kr. Kontraktets värde: 3 900 000 kr',
    );
    expect(item('selected').text).toContain('Acme Lab AB (556000-0001), Nordic Reagents AB (556000-0002)');
    expect(item('not_accepted').text).toContain('prövades men inte antogs: Nordic Reagents AB');
    expect(item('winner').text).toContain('Acme Lab AB (poäng 87). Skäl: Best price–quality ratio');
    expect(item('lots').text).toContain('Skäl: One integrated analyser platform');
    expect(item('conflicts_of_interest').text).toContain(
      'Eva Utvärderare: ingen intressekonflikt; Erik Utvärderare: ingen intressekonflikt',
    );
    expect(item('communication').text).toContain('Anbud lämnades med elektroniska medel.');
    const chain = await auditChain(sys.http, id, t.anna);
    for (const s of report.statements) {
      expect(s.evidence.length).toBeGreaterThan(0);
      for (const e of s.evidence) expect(chain.get(e.index)).toMatchObject({ type: e.type, hash: e.hash });
    }
    const pdf = await request(sys.http)
      .get(`/tenders/${id}/report?format=pdf`)
      .set('Authorization', `Bearer ${t.anna}`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('Individuell rapport (12 kap. 15–16 §§ LOU)');
    for (const s of report.statements) {
      expect(text).toContain(s.heading);
      expect(text).toContain(`händelse ${s.evidence[0].index} (${s.evidence[0].type}`);
    }
    expect(text).toContain('Skäl: Best price–quality ratio');
    if (process.env.E2E_RECORD_DIR) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${process.env.E2E_RECORD_DIR}/ocds.json`, JSON.stringify(ocds.body, null, 1));
      writeFileSync(
        `${process.env.E2E_RECORD_DIR}/audit.json`,
        JSON.stringify({ verify: verify.body, events: audit.body.items }, null, 1),
      );
      writeFileSync(`${process.env.E2E_RECORD_DIR}/individual-report.pdf`, pdf.body as Buffer);
    }
  }, 180_000);
});
