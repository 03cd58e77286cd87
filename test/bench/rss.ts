import { performance } from 'node:perf_hooks';
import type { Caller } from './fixtures';
import { drain, issued, rawStart } from './create';
import { round, runClosedLoop, say, sleep } from './lib';
import { cpuDelta, CpuSnapshot, procMemory, System } from './system';

/**
 * Memory with 10 000 open tenders: raw starts at high concurrency (every one waits in needs_analysis,
 * which has no timer), wait until the worker has processed them all (read model count, and the
 * TenderPhase visibility count), then VmRSS/VmHWM of api and worker from /proc, and again after a GC
 * of each process's main isolate (the bench preload, see system.ts).
 */

export interface RssResult {
  started: number;
  startWallMs: number;
  startRatePerSec: number;
  processedAfterMs: number;
  openTendersTotal: number;
  visibleNeedsAnalysis: number;
  readModelRows: number;
  before: { api: { rssMiB: number; hwmMiB: number }; worker: { rssMiB: number; hwmMiB: number } };
  peakDuringRamp: { apiMiB: number; workerMiB: number };
  after: { api: { rssMiB: number; hwmMiB: number }; worker: { rssMiB: number; hwmMiB: number } };
  afterIdle: { api: { rssMiB: number; hwmMiB: number }; worker: { rssMiB: number; hwmMiB: number } };
  afterGc: {
    api: { rssMiB: number; heapUsedMiB: number; heapUsedBeforeGcMiB: number; externalMiB: number };
    worker: { rssMiB: number; heapUsedMiB: number; heapUsedBeforeGcMiB: number; externalMiB: number };
  };
  /** CPU seconds per component from the first start until every tender was processed. */
  cpuSeconds: CpuSnapshot;
  /** Worker RSS every ~5 s while the tenders were started and processed: [seconds since start, MiB, tenders processed]. */
  workerRssSeries: [number, number, number][];
  workerHeapSizeLimitMiB: number;
  maxCachedWorkflowsDefault: number;
  maxCachedWorkflowsConfigured: string;
}

const mib = (b: number) => round(b / 1048576, 1);

export async function benchRss(sys: System, callers: Caller[], count: number, concurrency: number): Promise<RssResult> {
  const before = { api: procMemory(sys.api.pid), worker: procMemory(sys.worker.pid) };
  const baseRows = Number((await sys.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders')).rows[0].n);
  const baseIssued = issued();
  let peakApi = before.api.rssMiB;
  let peakWorker = before.worker.rssMiB;
  let sampling = true;
  const series: [number, number, number][] = [];
  const t0 = performance.now();
  const cpu0 = sys.cpu();
  const sampler = (async () => {
    let k = 0;
    while (sampling) {
      const w = procMemory(sys.worker.pid).rssMiB;
      peakApi = Math.max(peakApi, procMemory(sys.api.pid).rssMiB);
      peakWorker = Math.max(peakWorker, w);
      if (k++ % 20 === 0) {
        const done =
          Number((await sys.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders')).rows[0].n) - baseRows;
        series.push([round((performance.now() - t0) / 1000, 1), w, done]);
      }
      await sleep(250);
    }
  })();
  const r = await runClosedLoop(count, concurrency, rawStart(sys, callers));
  const startWallMs = performance.now() - t0;
  if (r.errors) say(`   ${r.errors} starts failed, e.g. ${r.firstErrors[0]}`);
  say(`   started ${count - r.errors} tenders in ${round(startWallMs / 1000, 1)} s; waiting for the worker`);
  const expected = baseRows + (issued() - baseIssued) - r.errors;
  await drain(sys, expected, 1_800_000);
  const processedAfterMs = performance.now() - t0;
  const cpuSeconds = cpuDelta(cpu0, sys.cpu());
  // Visibility is eventually consistent; give it a moment to agree with the read model.
  let visible = 0;
  for (let i = 0; i < 60; i++) {
    visible = (
      await sys.client.workflow.count(
        `WorkflowType = 'tenderWorkflow' AND ExecutionStatus = 'Running' AND TenderPhase = 'needs_analysis'`,
      )
    ).count;
    if (visible >= expected) break;
    await sleep(500);
  }
  const openTendersTotal = (
    await sys.client.workflow.count(`WorkflowType = 'tenderWorkflow' AND ExecutionStatus = 'Running'`)
  ).count;
  sampling = false;
  await sampler;
  const after = { api: procMemory(sys.api.pid), worker: procMemory(sys.worker.pid) };
  say(
    `   processed after ${round(processedAfterMs / 1000, 1)} s; ${visible} visible in needs_analysis, ${openTendersTotal} open; RSS api ${after.api.rssMiB} MiB, worker ${after.worker.rssMiB} MiB`,
  );
  // Idle for a while: the outbox poller runs, the caches stay.
  await sleep(10_000);
  const afterIdle = { api: procMemory(sys.api.pid), worker: procMemory(sys.worker.pid) };
  const [apiStats, workerStats] = await Promise.all([sys.api.stats(), sys.worker.stats()]);
  await sleep(1000);
  const apiGc = procMemory(sys.api.pid);
  const workerGc = procMemory(sys.worker.pid);
  const heapLimitMiB = workerStats.heapSizeLimit / 1048576;
  return {
    started: count - r.errors,
    startWallMs: round(startWallMs),
    startRatePerSec: round(((count - r.errors) / startWallMs) * 1000, 1),
    processedAfterMs: round(processedAfterMs),
    openTendersTotal,
    visibleNeedsAnalysis: visible,
    readModelRows: expected,
    before,
    peakDuringRamp: { apiMiB: peakApi, workerMiB: peakWorker },
    after,
    afterIdle,
    afterGc: {
      api: {
        rssMiB: apiGc.rssMiB,
        heapUsedMiB: mib(apiStats.after.heapUsed),
        heapUsedBeforeGcMiB: mib(apiStats.before.heapUsed),
        externalMiB: mib(apiStats.after.external),
      },
      worker: {
        rssMiB: workerGc.rssMiB,
        heapUsedMiB: mib(workerStats.after.heapUsed),
        heapUsedBeforeGcMiB: mib(workerStats.before.heapUsed),
        externalMiB: mib(workerStats.after.external),
      },
    },
    cpuSeconds: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round(v, 1)])) as CpuSnapshot,
    workerRssSeries: series,
    workerHeapSizeLimitMiB: round(heapLimitMiB, 0),
    // @temporalio/worker 1.24 worker-options.js, reuseV8Context (the default): max(floor((heapMiB - 200) * 600 / 1024), 10).
    maxCachedWorkflowsDefault: Math.max(Math.floor((Math.max(heapLimitMiB - 200, 0) * 600) / 1024), 10),
    maxCachedWorkflowsConfigured: 'not set in apps/worker/src/worker.service.ts (SDK default applies)',
  };
}
