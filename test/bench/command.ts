import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Actor } from '@tenderflow/domain/types';
import { CommandSigner, developmentSigningKey } from '@tenderflow/temporal-common/command-signer';
import { COMMAND_UPDATES } from '@tenderflow/workflows/tender/tender.messages';
import { caller, type Caller } from './fixtures';
import { Http, round, say, summarize, type LatencySummary } from './lib';
import { BENCH_JWT_SECRET, type System } from './system';

/**
 * Command latency: `POST /tenders/{id}/questions` through the API (token check, DTO validation,
 * the command gateway, signing, the Update, the mapping of its answer) against a raw
 * `executeUpdate('askQuestion')` of the same signed Update on the same server and worker. Each
 * concurrent client works on its own published tenders (distinct tenders: no client waits for
 * another's turn in a workflow). Blocks A B B A after a warm-up of each. The questions are spread
 * over TENDERS tenders (client k takes k, k + c, k + 2c, … in turn): a tender's history carries its
 * whole state in every step, so hundreds of questions on one tender measure its history size (the
 * server ends a run whose history passes its limit), not a command.
 */
const TENDERS = 40;

export interface CommandComparison {
  concurrency: number;
  tenders: number;
  api: LatencySummary;
  raw: LatencySummary;
  /** API rate / raw rate. */
  ratio: number;
}

export interface CommandResult {
  command: string;
  c1: CommandComparison;
  c20: CommandComparison;
}

const ORG = 'HSN';

const needsAnalysis = {
  need: 'Reagents for the clinical chemistry laboratories',
  sustainability: { criteria: ['Fossil-free transport'], level: 'avancerad' },
  laborConditions: { required: true, justification: 'Transport services in the supply chain' },
  supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks at the supplier' },
  lots: [
    { title: 'Lot 1: chemistry', estimatedValueSek: 2_500_000 },
    { title: 'Lot 2: haematology', estimatedValueSek: 1_500_000 },
  ],
};

interface People {
  officer: Caller;
  approver: Caller;
}

async function people(): Promise<People> {
  return {
    officer: await caller({
      sub: 'bench-cmd-officer',
      name: 'Bench Command Officer',
      org: ORG,
      roles: ['procurement_officer'],
    }),
    approver: await caller({
      sub: 'bench-cmd-approver',
      name: 'Bench Command Approver',
      org: ORG,
      roles: ['approver'],
      approvalLimitSek: 50_000_000,
    }),
  };
}

/** A tender through the API up to publication: the phase where suppliers' questions come in. */
async function publishedTender(http: Http, p: People, i: number): Promise<string> {
  const body = {
    title: `Command bench ${i}`,
    organization: ORG,
    category: 'lab-supplies',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    contractTermMonths: 24,
  };
  const { body: created } = await http.expect(201, 'POST', '/tenders', { token: p.officer.token, body });
  const id = created.id as string;
  const post = (path: string, who: Caller, b: unknown) =>
    http.expect(200, 'POST', `/tenders/${id}/${path}`, { token: who.token, body: b });
  await post('needs-analysis', p.officer, needsAnalysis);
  await post('gates/decision_to_procure/decision', p.approver, { decision: 'approve' });
  await post('documents', p.officer, {
    documents: [{ title: 'Administrative provisions', reference: `dms://HSN/bench/${i}/1` }],
  });
  await post('gates/documents_approval/decision', p.approver, { decision: 'approve' });
  await post('evaluators', p.officer, { evaluators: [{ sub: 'bench-eval-1', name: 'Bench Evaluator' }] });
  await post('publication', p.officer, { advertisingDatabase: 'e-Avrop', noticeReference: `EA-BENCH-${i}` });
  return id;
}

type Op = (tenderId: string, i: number) => Promise<unknown>;

/** `concurrency` clients, client k on tenders[k], `count` operations in all. */
async function block(
  tenders: string[],
  count: number,
  concurrency: number,
  op: Op,
): Promise<{ latencies: number[]; wallMs: number; errors: number; firstError?: string }> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      const mine = tenders.filter((_t, j) => j % concurrency === k);
      for (let turn = 0; ; turn++) {
        const i = next++;
        if (i >= count) return;
        const s = performance.now();
        try {
          await op(mine[turn % mine.length], i);
          latencies.push(performance.now() - s);
        } catch (err) {
          errors += 1;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  return { latencies, wallMs: performance.now() - t0, errors, firstError };
}

export async function benchCommands(
  sys: System,
  opts: { c1: number; c20: number; warmup: number },
): Promise<CommandResult> {
  const p = await people();
  const http = new Http(sys.apiUrl, 64);
  const signer = new CommandSigner(developmentSigningKey(BENCH_JWT_SECRET));
  const actor: Actor = p.officer.actor;
  try {
    say(`commands: publishing ${TENDERS} tenders through the API (the questions phase)`);
    const tenders: string[] = [];
    for (let i = 0; i < TENDERS; i++) tenders.push(await publishedTender(http, p, i));

    const api: Op = (id, i) =>
      http.expect(200, 'POST', `/tenders/${id}/questions`, {
        token: p.officer.token,
        body: { question: `Question ${i} through the API?`, askedBy: 'Bench AB' },
      });
    const raw: Op = (id, i) => {
      const workflowId = `tender-${id}`;
      const updateId = `askQuestion-${randomUUID()}`;
      const input = { actor, payload: { question: `Question ${i} sent raw?`, askedBy: 'Bench AB' } };
      const auth = signer.sign({ workflowId, command: 'askQuestion', updateId, ...input });
      return sys.client.workflow
        .getHandle(workflowId)
        .executeUpdate(COMMAND_UPDATES.askQuestion, { args: [{ ...input, auth }], updateId });
    };

    const compare = async (concurrency: number, count: number): Promise<CommandComparison> => {
      const use = tenders;
      await block(use, opts.warmup, concurrency, api);
      await block(use, opts.warmup, concurrency, raw);
      const runs: Record<'api' | 'raw', { latencies: number[]; wallMs: number; errors: number }> = {
        api: { latencies: [], wallMs: 0, errors: 0 },
        raw: { latencies: [], wallMs: 0, errors: 0 },
      };
      for (const name of ['api', 'raw', 'raw', 'api'] as const) {
        const r = await block(use, Math.ceil(count / 2), concurrency, name === 'api' ? api : raw);
        if (r.errors) say(`   ${name} c=${concurrency}: ${r.errors} errors, e.g. ${r.firstError}`);
        runs[name].latencies.push(...r.latencies);
        runs[name].wallMs += r.wallMs;
        runs[name].errors += r.errors;
      }
      const a = summarize(runs.api.latencies, runs.api.wallMs, runs.api.errors);
      const b = summarize(runs.raw.latencies, runs.raw.wallMs, runs.raw.errors);
      const ratio = round(a.ratePerSec / b.ratePerSec);
      say(
        `   askQuestion c=${concurrency}: API ${a.ratePerSec} ops/s (p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms), raw ${b.ratePerSec} ops/s (p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms): ${ratio}×`,
      );
      return { concurrency, tenders: use.length, api: a, raw: b, ratio };
    };
    return {
      command: 'askQuestion (POST /tenders/{id}/questions)',
      c1: await compare(1, opts.c1),
      c20: await compare(20, opts.c20),
    };
  } finally {
    http.close();
  }
}
