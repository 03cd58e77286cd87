import { tenderStartOptions } from '@tenderflow/temporal-common/tender-start';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { recordTenderStart } from '@tenderflow/db/tender-starts';
import { tenderStartInput, validateStart } from '@tenderflow/activities/tender-start';
import { withOverrides } from '@tenderflow/domain/thresholds';
import type { ContractType } from '@tenderflow/domain/types';
import { swedishToday } from '../../apps/api/src/common/today';
import { getStateQuery } from '@tenderflow/workflows/tender/tender.messages';
import { CATEGORIES, Caller, ORGS, titleFor } from './fixtures';
import { Http, LatencySummary, round, runClosedLoop, say, sleep, summarize, until } from './lib';
import { BENCH_JWT_SECRET, CpuSnapshot, procCpuSeconds, type ProcStats, type System } from './system';
import { CommandSigner, developmentSigningKey } from '@tenderflow/temporal-common/command-signer';

/**
 * Tender creation: POST /tenders through the API against a raw `client.workflow.start` of the same
 * workflow with an equivalent TenderStartInput (same server, task queue and worker), closed loop at a
 * given concurrency. Both paths run in alternating blocks (A B B A) after a warm-up of each, and the
 * worker is let drain (every started tender in the read model) between blocks so that neither path
 * pays for the other's backlog.
 */

export type Op = (i: number) => Promise<unknown>;

export interface Strategy {
  name: string;
  op: Op;
  /** The API process serving this strategy (CPU accounting); the main api when absent. */
  apiPid?: number;
}

const KINDS: { contractType: ContractType; valueSek: number }[] = [
  { contractType: 'supplies', valueSek: 4_000_000 },
  { contractType: 'services', valueSek: 3_000_000 },
];

export function createBody(i: number) {
  const kind = KINDS[i % KINDS.length];
  return {
    title: titleFor(i),
    organization: ORGS[i % ORGS.length],
    category: CATEGORIES[(i * 7) % CATEGORIES.length],
    contractType: kind.contractType,
    estimatedValueSek: kind.valueSek + (i % 1000) * 1000,
  };
}

let globalOp = 0;
let failed = 0;
/** A fresh request index for every operation of every strategy (titles, orgs vary). */
const nextIndex = () => globalOp++;

export function apiCreate(http: Http, callers: Caller[]): Op {
  return async () => {
    const i = nextIndex();
    const body = createBody(i);
    const caller = callers.find((c) => c.actor.org === body.organization)!;
    await http.expect(201, 'POST', '/tenders', { token: caller.token, body });
  };
}

let rawSeq = 1_000_000;
/** The keys the bench's APIs pin (their development key derives from the bench's JWT secret). */
const benchKeys = new CommandSigner(developmentSigningKey(BENCH_JWT_SECRET)).pinned();

/**
 * The raw start: what the API sends to Temporal for the same body, with the classification done once
 * up front (the API does it per request) and the ID from a counter (the API takes it from a sequence).
 */
export function rawStart(sys: System, callers: Caller[], opts: { query?: boolean } = {}): Op {
  const today = swedishToday();
  const rows = withOverrides([]);
  const classified = new Map(
    KINDS.map((k) => {
      // The rules look at the kind and the value; the rest of the body is any of them.
      const r = validateStart(
        { ...createBody(0), contractType: k.contractType, estimatedValueSek: k.valueSek },
        today,
        rows,
      );
      if (!r.ok)
        throw new Error(
          `raw start: ${k.contractType} ${k.valueSek} is refused: ${r.violations.map((v) => v.message).join(' ')}`,
        );
      return [k.contractType, r] as const;
    }),
  );
  return async () => {
    const i = nextIndex();
    const body = createBody(i);
    const caller = callers.find((c) => c.actor.org === body.organization)!;
    const id = `${body.organization}-${today.slice(0, 4)}-${rawSeq++}`;
    // The input the API builds for the same body (activities/tender-start.ts), without a pinned policy.
    const input = tenderStartInput(body, classified.get(body.contractType)!, {
      id,
      createdBy: caller.actor,
      createdAt: new Date().toISOString(),
      pin: {},
      commandKeys: benchKeys,
    });
    // Recorded as the API records its starts: the worker writes only for recorded starts.
    await recordTenderStart(sys.pool, { tenderId: id, workflowId: tenderWorkflowId(id), input, origin: 'api' });
    const handle = await sys.client.workflow.start('tenderWorkflow', tenderStartOptions(input, sys.taskQueue));
    if (opts.query) await handle.query(getStateQuery);
  };
}

/** Operations issued so far by this module (every one of them starts a tender). */
export function issued(): number {
  return globalOp;
}

/** Tenders this module's blocks expect in the read model so far (issued minus failed), across systems. */
export function expectedSoFar(): number {
  return globalOp - failed;
}

/** Waits until the worker has written every started tender to the read model. */
export async function drain(
  sys: System,
  expected: number,
  timeoutMs = 300_000,
  onDrained?: () => void,
): Promise<number> {
  const t0 = Date.now();
  await until(
    async () => {
      const { rows } = await sys.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders');
      return Number(rows[0].n) >= expected;
    },
    timeoutMs,
    `${expected} tenders in the read model`,
    50,
  );
  const ms = Date.now() - t0;
  onDrained?.();
  // Let the last activities and workflow tasks settle before the next block (not counted).
  await sleep(300);
  return ms;
}

export interface BlockResult {
  strategy: string;
  concurrency: number;
  count: number;
  latencies: number[];
  wallMs: number;
  /** Time after the block until the worker had every started tender in the read model. */
  drainMs: number;
  /** CPU seconds each component used from the block's start until the worker had drained it. */
  cpu: CpuSnapshot;
  errors: number;
  firstErrors: string[];
}

export async function runBlock(
  sys: System,
  s: Strategy,
  count: number,
  concurrency: number,
  baseline: number,
): Promise<BlockResult> {
  const cpuNow = (): CpuSnapshot => ({ ...sys.cpu(), api: procCpuSeconds(s.apiPid ?? sys.api.pid) });
  const c0 = cpuNow();
  let c1 = c0;
  const r = await runClosedLoop(count, concurrency, s.op);
  if (r.errors) say(`   ${s.name} c=${concurrency}: ${r.errors} errors, e.g. ${r.firstErrors[0]}`);
  // Failed creates may or may not have started a tender; wait for what the issued count allows.
  failed += r.errors;
  const drainedMs = await drain(sys, baseline + issued() - failed, 300_000, () => (c1 = cpuNow())).catch(async (e) => {
    say(`   drain: ${e.message}`);
    return -1;
  });
  const sum = summarize(r.latencies, r.wallMs, r.errors);
  say(
    `   ${s.name.padEnd(18)} c=${String(concurrency).padEnd(3)} n=${count}: ${round(sum.ratePerSec, 1)} ops/s, ` +
      `p50 ${sum.p50Ms} ms, p99 ${sum.p99Ms} ms (drained in ${drainedMs} ms)`,
  );
  const cpu = Object.fromEntries(
    Object.entries(c1).map(([k, v]) => [k, v - c0[k as keyof CpuSnapshot]]),
  ) as CpuSnapshot;
  return { strategy: s.name, concurrency, count, drainMs: Math.max(0, drainedMs), cpu, ...r };
}

export interface Comparison {
  concurrency: number;
  results: Record<string, LatencySummary>;
  /**
   * Rate until the worker had processed what the path started (ops / (block wall + drain)): the raw
   * path returns as soon as Temporal has the start; the API waits for the first workflow task.
   */
  processed: Record<string, { ratePerSec: number; drainMs: number }>;
  /** CPU milliseconds per created tender, by component (block start to drained). */
  cpuMsPerOp: Record<string, CpuSnapshot>;
}

/**
 * Measures the strategies at one concurrency: a warm-up of each, then `count` operations of each in
 * blocks ordered A B … B A (each strategy gets the same share of early and late positions).
 */
export async function compare(
  sys: System,
  strategies: Strategy[],
  count: number,
  concurrency: number,
  warmup: number,
  baseline: () => number,
  afterWarmup?: () => Promise<void>,
): Promise<Comparison> {
  say(` c=${concurrency}: warm-up ${warmup} of each`);
  for (const s of strategies) await runBlock(sys, s, warmup, concurrency, baseline());
  await afterWarmup?.();
  // Short blocks at c=1 interleave more finely (other load on the machine drifts over seconds).
  const blocks = concurrency === 1 ? 10 : 4;
  const per = Math.ceil(count / blocks);
  const order: Strategy[] = [];
  for (let b = 0; b < blocks; b++) order.push(...(b % 2 === 0 ? strategies : [...strategies].reverse()));
  const acc = new Map<
    string,
    { latencies: number[]; wallMs: number; drainMs: number; errors: number; cpu: CpuSnapshot }
  >();
  say(` c=${concurrency}: measured ${count} of each, ${blocks} blocks per strategy`);
  for (const s of order) {
    const done = acc.get(s.name)?.latencies.length ?? 0;
    const n = Math.min(per, count - done);
    if (n <= 0) continue;
    const r = await runBlock(sys, s, n, concurrency, baseline());
    const a = acc.get(s.name) ?? {
      latencies: [],
      wallMs: 0,
      drainMs: 0,
      errors: 0,
      cpu: { api: 0, worker: 0, temporal: 0, postgres: 0, bench: 0, other: 0 },
    };
    for (const k of Object.keys(a.cpu) as (keyof CpuSnapshot)[]) a.cpu[k] += r.cpu[k];
    a.latencies.push(...r.latencies);
    a.wallMs += r.wallMs;
    a.drainMs += r.drainMs;
    a.errors += r.errors;
    acc.set(s.name, a);
  }
  const results: Record<string, LatencySummary> = {};
  const processed: Comparison['processed'] = {};
  const cpuMsPerOp: Comparison['cpuMsPerOp'] = {};
  for (const [name, a] of acc) {
    const ops = a.latencies.length + a.errors;
    cpuMsPerOp[name] = Object.fromEntries(
      Object.entries(a.cpu).map(([k, v]) => [k, round((v / ops) * 1000)]),
    ) as CpuSnapshot;
    results[name] = summarize(a.latencies, a.wallMs, a.errors);
    processed[name] = {
      ratePerSec: round((a.latencies.length / (a.wallMs + a.drainMs)) * 1000),
      drainMs: round(a.drainMs, 0),
    };
  }
  return { concurrency, results, processed, cpuMsPerOp };
}

/** Per-step timings the instrumented API variant collected (ms), summarised. */
export function summarizeTimings(
  stats: ProcStats,
): Record<string, { n: number; meanMs: number; p50Ms: number; p99Ms: number }> {
  const out: Record<string, { n: number; meanMs: number; p50Ms: number; p99Ms: number }> = {};
  for (const [k, xs] of Object.entries(stats.timings)) {
    const s = summarize(xs, 1);
    out[k] = { n: s.count, meanMs: s.meanMs, p50Ms: s.p50Ms, p99Ms: s.p99Ms };
  }
  return out;
}

/** Patches of the compiled TendersService for the profiling variants (applied to a copy of dist/). */
export const TENDERS_SERVICE_JS = 'apps/api/src/tenders/tenders.service.js';

export const NO_QUERY_PATCH = [
  {
    // Only the first occurrence is in create(); get() has the same line, hence the context.
    find: /if \(!replay\)\s*this\.metrics\?\.workflowStarted\(regime\);\s*const state = await this\.state\(id\);/,
    replace:
      'if (!replay)\n            this.metrics?.workflowStarted(regime);\n' +
      "        const state = { phase: 'needs_analysis', regime, procedure, ruleSet: classification.ruleSet, deadlines: [] };",
  },
];

const REC =
  'const __rec = (k, t) => { const T = (globalThis.__benchT ??= {}); (T[k] ??= []).push(performance.now() - t); };';
export const INSTRUMENT_PATCH = [
  {
    find: /async create\(actor, dto, idempotencyKey\) \{/,
    replace: `async create(actor, dto, idempotencyKey) {\n        ${REC} let __t = performance.now(); const __t0 = __t;`,
  },
  {
    find: /const rows = await this\.reference\.rows\(\);/,
    replace:
      "__t = performance.now(); const rows = await this.reference.rows(); __rec('1 reference.rows (SELECT threshold_overrides)', __t); __t = performance.now();",
  },
  {
    find: /const regime = result\.regime;/,
    replace: "const regime = result.regime; __rec('2 classify + validateTenderStart', __t); __t = performance.now();",
  },
  {
    find: /(const \{ id, replay \} = await this\.ids\.allocate\([^;]*\);)/,
    replace: "$1 __rec('3 ids.allocate (nextval)', __t); __t = performance.now();",
  },
  {
    find: /if \(!replay\)\s*this\.metrics\?\.workflowStarted\(regime\);\s*const state = await this\.state\(id\);/,
    replace:
      "__rec('4 client.workflow.start', __t); __t = performance.now();\n        if (!replay)\n            this.metrics?.workflowStarted(regime);\n" +
      "        const state = await this.state(id); __rec('5 state query (getState)', __t); __rec('0 TendersService.create total', __t0);",
  },
];
