import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stockholmDate } from '@tenderflow/domain/dates';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import request from 'supertest';
import { TemporalService } from '../../apps/api/src/temporal/temporal.service';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';
import { runHistories } from '../support/run-histories';
import { createTimeSkippingEnv } from '../support/temporal-test-env';
import { passDeadline } from '../support/time-skipping-http';

/**
 * ARCHITECTURE §5, a tender of any size runs to the end: one tender with 1 000 questions of 5 000
 * characters, 1 000 answers, 50 deadline extensions and 200 documents, over HTTP, through opening,
 * evaluation, award and standstill to its contract, on the time-skipping server (the tender period
 * and standstill pass in seconds). Before (commit 5b0f831) the 71st question answered 409: Temporal
 * had terminated the workflow for its history size. Now each run stays under 10 MB and 10 000
 * events (the tender continues as new), the chain holds every question, and every read comes from
 * the read model: no read asks the tender's workflow. The tender and every command's answer carry
 * the questions without their texts (10 MB here): GET /tenders/{id}/questions pages through them.
 * The reads' and the commands' times are printed, never asserted (they depend on the machine).
 */
const ORG = 'LARGE';
const QUESTIONS = 1_000;
const EXTENSIONS = 50;
const DOCUMENTS = 200;

const questionText = (n: number) =>
  `Fråga ${n}: ${'Hur ska kravet på leveranstid tolkas för delområde 3, och gäller det även reservdelar? '.repeat(60)}`.slice(
    0,
    5000,
  );
const answerText = (n: number) =>
  `Svar ${n}: ${'Kravet gäller leveranser till samtliga enheter, reservdelar inräknade, enligt bilaga 2. '.repeat(60)}`.slice(
    0,
    5000,
  );

describe('a large tender over HTTP (time-skipping Temporal): 1 000 questions, 1 000 answers, 50 extensions, 200 documents', () => {
  let env: TestWorkflowEnvironment;
  let sys: E2eSystem;
  const t: Record<string, string> = {};
  const saved = {
    address: process.env.TEMPORAL_ADDRESS,
    queue: process.env.TEMPORAL_TASK_QUEUE,
    rate: process.env.RATE_LIMIT_PER_MINUTE,
  };

  const post = (path: string, token: string, body: object) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string) => request(sys.http).get(path).set('Authorization', `Bearer ${t.anna}`);
  const state = async (id: string) => (await get(`/tenders/${id}`).expect(200)).body as TenderState;

  const pass = (id: string, kind: string, next: string) => passDeadline(env, sys, state, id, kind, next, 60_000);

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    process.env.TEMPORAL_ADDRESS = env.address;
    process.env.TEMPORAL_TASK_QUEUE = `large-${process.pid}`;
    // One officer registers 1 000 questions as fast as the system takes them: past the default limit of
    // 600 requests a minute per caller on a fast machine. The limit is not what this test is about.
    process.env.RATE_LIMIT_PER_MINUTE = '1000000';
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
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = saved.address;
    process.env.TEMPORAL_TASK_QUEUE = saved.queue;
    if (saved.rate === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = saved.rate;
  });

  it('runs to its contract: every run under 10 MB and 10 000 events, the chain whole, every read from the read model', async () => {
    const id = (
      await post('/tenders', t.anna, {
        title: 'Ramavtal sjukvårdsmaterial 2027–2031',
        organization: ORG,
        category: 'medical-supplies',
        contractType: 'supplies',
        estimatedValueSek: 8_000_000,
        contractTermMonths: 24,
        extensionOptionMonths: 24,
        frameworkAgreement: true,
      }).expect(201)
    ).body.id as string;
    await post(`/tenders/${id}/needs-analysis`, t.anna, {
      need: 'Sjukvårdsmaterial för regionens alla enheter',
      sustainability: { criteria: ['Fossil-free transport'], level: 'bas' },
      laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
      supplyPreparedness: { criticality: 'medium', measures: 'Safety stock of 4 weeks' },
      lotJustification: 'One logistics chain',
    }).expect(200);
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
    const documents = Array.from({ length: DOCUMENTS }, (_v, i) => ({
      title: `Bilaga ${i + 1}: kravspecifikation del ${i + 1}`,
      reference: `dms://LARGE/2026/${i + 1}`,
    }));
    await post(`/tenders/${id}/documents`, t.anna, { documents }).expect(200);
    await post(`/tenders/${id}/gates/documents_approval/decision`, t.bo, { decision: 'approve' }).expect(200);
    await post(`/tenders/${id}/evaluators`, t.anna, { evaluators: [{ sub: 'eva', name: 'Eva Utvärderare' }] }).expect(
      200,
    );
    const published = (await post(`/tenders/${id}/publication`, t.anna, { advertisingDatabase: 'e-Avrop' }).expect(200))
      .body as TenderState;

    const started = Date.now();
    // Each command's answer time, as the caller sees it (the Update, then the tender read back).
    const askMs: number[] = [];
    const answerMs: number[] = [];
    const command = async (path: string, body: object, times: number[]) => {
      const from = process.hrtime.bigint();
      const res = await post(path, t.anna, body);
      times.push(Number(process.hrtime.bigint() - from) / 1e6);
      return res;
    };
    for (let n = 1; n <= QUESTIONS; n++) {
      const res = await command(
        `/tenders/${id}/questions`,
        { question: questionText(n), askedBy: `Leverantör ${n} AB` },
        askMs,
      );
      expect({ n, status: res.status }).toEqual({ n, status: 200 });
    }
    let deadline = published.deadlines.find((d) => d.kind === 'tender_deadline')!.lastDay;
    for (let n = 1; n <= QUESTIONS; n++) {
      const res = await command(`/tenders/${id}/questions/Q${n}/answer`, { answer: answerText(n) }, answerMs);
      expect({ n, status: res.status }).toEqual({ n, status: 200 });
      if (n % (QUESTIONS / EXTENSIONS) === 0) {
        // One extension every 20 answers: a day later each time.
        deadline = new Date(Date.parse(`${deadline}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        await post(`/tenders/${id}/deadline-extensions`, t.anna, {
          deadline,
          reason: `Many questions (${n} answered)`,
        }).expect(200);
      }
    }
    const commandsMs = Date.now() - started;

    const opening = await pass(id, 'tender_deadline', 'opening');
    expect(opening.questions).toHaveLength(QUESTIONS);
    const receivedAt = new Date(
      Date.parse(opening.pastDeadlines.filter((d) => d.kind === 'tender_deadline').pop()!.at) - 86_400_000,
    ).toISOString();
    await post(`/tenders/${id}/opening`, t.anna, {
      openers: ['anna', 'olof'],
      tenders: [
        { supplier: 'Medica AB', orgNumber: '556000-0011', receivedAt },
        { supplier: 'Vårdmaterial AB', orgNumber: '556000-0012', receivedAt },
      ],
    }).expect(200);
    await post(`/tenders/${id}/conflict-declarations`, t.eva, {
      hasConflict: false,
      statement: 'No ties to any tenderer',
    }).expect(200);
    await post(`/tenders/${id}/evaluation`, t.anna, {
      proposals: [{ supplier: 'Medica AB', score: 91, reasons: 'Lowest total cost' }],
    }).expect(200);
    await post(`/tenders/${id}/gates/award_decision/decision`, t.bo, {
      decision: 'approve',
      noticeChannel: 'electronic',
    }).expect(200);
    await pass(id, 'standstill', 'contract');
    const today = stockholmDate(await env.currentTimeMs());
    const followUp = (
      await post(`/tenders/${id}/contract`, t.anna, {
        supplier: 'Medica AB',
        valueSek: 7_500_000,
        startDate: today,
        endDate: new Date(Date.parse(`${today}T00:00:00Z`) + 700 * 86_400_000).toISOString().slice(0, 10),
        options: [{ description: 'Two years', months: 24 }],
        signedAt: today,
      }).expect(200)
    ).body as TenderState;
    expect(followUp.phase).toBe('follow_up');

    // Alive, and no run of the tender near Temporal's limits: it continued as new.
    const runs = await runHistories(env.address, env.client.options.namespace, `tender-${id}`);
    expect(runs.length).toBeGreaterThan(1);
    for (const r of runs) {
      expect(r.events).toBeLessThan(10_000);
      expect(r.bytes).toBeLessThan(10 * 1024 * 1024);
    }

    // Every read after it comes from the read model: none asks the tender's workflow.
    const temporalService = sys.app.get(TemporalService);
    const asked = jest.spyOn(temporalService.client.workflow, 'getHandle');
    const timed = async (path: string, auth = true) => {
      const from = process.hrtime.bigint();
      const req = request(sys.http).get(path);
      const res = await (auth ? req.set('Authorization', `Bearer ${t.anna}`) : req).expect(200);
      return { res, ms: Number(process.hrtime.bigint() - from) / 1e6 };
    };
    // Each read three times: the first may pay for warming up, the others show its usual cost.
    const paths = {
      tender: [`/tenders/${id}`, true],
      calendar: ['/calendar.ics', true],
      ocds: [`/tenders/${id}/ocds`, false],
      report: [`/tenders/${id}/report`, true],
      list: [`/tenders?organization=${ORG}`, true],
      questions: [`/tenders/${id}/questions`, true],
      lastQuestions: [`/tenders/${id}/questions?limit=200&cursor=${QUESTIONS - 200}`, true],
    } as const;
    const reads: Record<string, { res: request.Response; ms: number[] }> = {};
    for (const [name, [path, auth]] of Object.entries(paths)) {
      for (let i = 0; i < 3; i++) {
        const { res, ms } = await timed(path, auth);
        reads[name] = { res, ms: [...(reads[name]?.ms ?? []), ms] };
      }
    }
    expect(asked.mock.calls.filter(([workflowId]) => workflowId === `tender-${id}`)).toEqual([]);
    asked.mockRestore();

    // The tender lists every question without its texts; its answer stays small.
    const read = reads.tender.res.body as TenderState;
    expect(read.questions).toHaveLength(QUESTIONS);
    expect(read.questions[QUESTIONS - 1]).toMatchObject({
      id: `Q${QUESTIONS}`,
      answeredAt: expect.any(String),
      answeredBy: { sub: 'anna', name: 'Anna Upphandlare' },
    });
    expect(read.questions.filter((q) => 'question' in q || 'answer' in q || 'askedBy' in q)).toEqual([]);
    expect(reads.tender.res.text.length).toBeLessThan(2 * 1024 * 1024);
    expect(read.tenderPeriod!.extensions).toHaveLength(EXTENSIONS);
    expect(read.documents!.items).toHaveLength(DOCUMENTS);
    expect(
      (reads.ocds.res.body as { releases: { tender: { hasEnquiries?: boolean } }[] }).releases[0].tender.hasEnquiries,
    ).toBe(true);

    // The texts, a page at a time: every question once, in registration order, each text and answer as sent.
    const seen: { id: string; question: string; askedBy: string; answer: string }[] = [];
    let pages = 0;
    for (let cursor: string | null = ''; cursor !== null; pages++) {
      const page: request.Response = await get(
        `/tenders/${id}/questions?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(pages).toBe(QUESTIONS / 200);
    expect(seen.map((q) => q.id)).toEqual(Array.from({ length: QUESTIONS }, (_v, i) => `Q${i + 1}`));
    const wrong = seen.filter(
      (q, i) =>
        q.question !== questionText(i + 1) || q.answer !== answerText(i + 1) || q.askedBy !== `Leverantör ${i + 1} AB`,
    );
    expect(wrong.map((q) => q.id)).toEqual([]);
    expect(seen[QUESTIONS - 1]).toMatchObject({
      id: `Q${QUESTIONS}`,
      question: questionText(QUESTIONS),
      answer: answerText(QUESTIONS),
    });
    expect(reads.questions.res.body.items).toHaveLength(50);
    expect(reads.lastQuestions.res.body).toMatchObject({ items: seen.slice(-200), nextCursor: null });

    // The chain verifies and holds every question (its text covered by the event's hash).
    const verify = (await get(`/tenders/${id}/audit/verify`).expect(200)).body as { valid: boolean; events: number };
    expect(verify.valid).toBe(true);
    let asks = 0;
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: request.Response = await get(`/tenders/${id}/audit${cursor ? `?cursor=${cursor}` : ''}`).expect(200);
      for (const e of page.body.items as {
        type: string;
        payload: { command?: string; payload?: { question?: string } };
      }[]) {
        if (e.payload?.command === 'askQuestion') asks += 1;
      }
      cursor = page.body.nextCursor;
    }
    expect(asks).toBe(QUESTIONS);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const answers = (xs: number[]) =>
      `median ${median(xs).toFixed(0)} ms, last 100 median ${median(xs.slice(-100)).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
    process.stdout.write(
      `large tender ${id}: ${QUESTIONS} questions + ${QUESTIONS} answers + ${EXTENSIONS} extensions in ${commandsMs} ms; ` +
        `question answers ${answers(askMs)}; answer answers ${answers(answerMs)}; ` +
        `${runs.length} runs (newest first): ${runs.map((r) => `${r.events} events / ${(r.bytes / 1024 / 1024).toFixed(2)} MiB`).join(', ')}; ` +
        `chain ${verify.events} events; reads (ms, three times; size): ${Object.entries(reads)
          .map(
            ([k, v]) =>
              `${k} ${v.ms.map((ms) => ms.toFixed(0)).join('/')} (${((v.res.text ?? '').length / 1024).toFixed(0)} KiB)`,
          )
          .join(', ')}\n`,
    );
  }, 1_800_000);
});
