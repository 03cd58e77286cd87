/**
 * `npm run bench`: the speed numbers of the issue, on dist/ (api and worker as separate processes,
 * like `npm start`), with throw-away services on free ports. Not part of the tests.
 *
 *   1. one tender through to the end of a 4-year follow-up under the time-skipping test server
 *   2. tender creation through the API vs raw client.workflow.start, c=1 and c=50 (+ a profile of the
 *      API's extra cost when it is slower than 0.8 × raw)
 *   3. RSS of api and worker with 10 000 open tenders
 *   4. GET /tenders with filters at 100 000 tenders
 *   5. a command (a supplier's question) through the API vs a raw signed executeUpdate, c=1 and c=20
 *      on distinct tenders
 *   6. (questions) the history bytes and events the n-th question of 5 000 characters adds to one
 *      tender, n = 1, 10, 100, 1 000, and the Update's answer size (time-skipping test server)
 *
 * Writes test/bench/results.json and BENCHMARKS.md. Environment:
 *   BENCH_SCALE=0.1      scale every count (smoke run)
 *   BENCH_LIST_ROWS=n    tenders in the read model for the list phase (default 1 000 000)
 *   BENCH_ONLY=create,list,rss,fouryear,command,questions   run only these phases
 *   BENCH_PROFILE=1      profile creation even when the ratio goal is met
 *   BENCH_KEEP=1         keep the temp folder (logs of api and worker)
 *   BENCH_REPORT_ONLY=1  only re-render BENCHMARKS.md from results.json
 *   BENCH_DIST=/path     run a copy of dist/ (with node_modules linked beside it) instead of dist/
 *   BENCH_NOTE='…'       a note to carry into the report
 *   BENCH_NODE_ARGS='…' extra node flags for the api and worker processes (e.g. --cpu-prof --cpu-prof-dir=DIR)
 *   BENCH_TEMPORAL=both  with BENCH_ONLY=create: creation on the dev server, then on Temporal as
 *                        `npm run cluster` runs it (the real server's services on PostgreSQL), back
 *                        to back; the pair goes to `creationTopologies`, `creation` is left alone
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import {
  apiCreate,
  compare,
  Comparison,
  expectedSoFar,
  INSTRUMENT_PATCH,
  NO_QUERY_PATCH,
  rawStart,
  Strategy,
  summarizeTimings,
  TENDERS_SERVICE_JS,
} from './create';
import { caller, officers, ORGS } from './fixtures';
import { benchCommands } from './command';
import { benchFourYears } from './four-year';
import { benchQuestions } from './questions';
import { Http, say } from './lib';
import { benchList, seedReadModel } from './list';
import { machineInfo, renderReport, Results } from './report';
import { benchRss } from './rss';
import { patchedDist, startSystem, System, temporalTopology } from './system';

const RESULTS = process.env.BENCH_RESULTS ?? join(PROJECT_ROOT, 'test', 'bench', 'results.json');
const REPORT = process.env.BENCH_REPORT ?? join(PROJECT_ROOT, 'BENCHMARKS.md');

const scale = Number(process.env.BENCH_SCALE ?? '1');
const n = (x: number) => Math.max(1, Math.round(x * scale));
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const phase = (name: string) => !only || only.has(name);

async function main(): Promise<void> {
  if (process.env.BENCH_REPORT_ONLY) {
    const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
    writeFileSync(REPORT, renderReport(results));
    say(`wrote ${REPORT} from ${RESULTS}`);
    return;
  }
  const started = Date.now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    scale,
    machine: machineInfo(),
    config: {
      creation: { c1: n(300), c50: n(1000), warmupC1: n(30), warmupC50: n(150), profileC1: n(100), profileC50: n(400) },
      list: { rows: Number(process.env.BENCH_LIST_ROWS ?? 1_000_000), requests: n(500), warmup: n(50) },
      rss: { tenders: n(10_000), concurrency: 100 },
      command: { c1: n(200), c20: n(800), warmup: n(40) },
    },
    notes: process.env.BENCH_NOTE ? [process.env.BENCH_NOTE] : [],
  };
  if (process.env.BENCH_DIST)
    results.notes.push(
      `Compiled code from BENCH_DIST=${process.env.BENCH_DIST} (a copy of dist/ taken before the run), not dist/.`,
    );
  say(`machine: ${results.machine.line}`);

  // 1. The 4-year run first, on a quiet machine (it is a wall-time goal).
  results.load = { start: loadavg() };
  if (phase('fouryear')) {
    results.load.fouryear = loadavg();
    say('4-year run under the time-skipping test server');
    try {
      results.fourYear = await benchFourYears();
      say(
        `   wall ${results.fourYear.wallMs} ms for ${results.fourYear.simulatedDays} simulated days; largest history ${results.fourYear.largestHistory?.events} events`,
      );
    } catch (err) {
      results.fourYear = { error: String(err instanceof Error ? err.stack : err) } as never;
      say(`   failed: ${err}`);
    }
  }

  // 1b. What the n-th question adds to a tender's history (time-skipping test server, no services).
  if (phase('questions')) {
    results.load.questions = loadavg();
    say('history cost of the n-th question (5 000 characters), n = 1, 10, 100, 1 000');
    results.questions = await benchQuestions(
      n(1_000),
      [1, 10, 100, 1_000].filter((x) => x <= n(1_000)),
    );
    for (const c of results.questions.costs)
      say(
        `   n=${c.n}: ${c.bytes} bytes, ${c.events} events; answer ${c.answerBytes} bytes; step ${c.stepBytes} bytes (run ${c.run})`,
      );
  }

  let sys: System | undefined;
  const stopOnSignal = async () => {
    say('interrupted: stopping services');
    // The phase still running will fail against stopped services: ignore that from here on.
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    await sys?.stop().catch(() => undefined);
    process.exit(130);
  };
  process.on('SIGINT', () => void stopOnSignal());
  process.on('SIGTERM', () => void stopOnSignal());
  try {
    if (temporalTopology() === 'both') {
      if (!only || [...only].some((x) => x !== 'create'))
        throw new Error('BENCH_TEMPORAL=both measures creation only: set BENCH_ONLY=create');
      const callers = await officers();
      const on = async (topology: 'dev-server' | 'cluster') => {
        const measuredAt = new Date().toISOString();
        const load = loadavg();
        say(
          `creation on the ${topology === 'cluster' ? 'npm run cluster topology' : 'dev server'}: API vs raw client.workflow.start`,
        );
        sys = await startSystem(topology);
        try {
          const s = sys;
          results.machine.postgres ??= (await s.pool.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
          const http = new Http(s.apiUrl, 64);
          // The blocks count the tenders they expect across both systems; this one starts empty.
          const baseRows =
            Number((await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders')).rows[0].n) -
            expectedSoFar();
          const strategies: Strategy[] = [
            { name: 'api', op: apiCreate(http, callers) },
            { name: 'raw', op: rawStart(s, callers) },
          ];
          const c1 = await compare(
            s,
            strategies,
            results.config.creation.c1,
            1,
            results.config.creation.warmupC1,
            () => baseRows,
          );
          const c50 = await compare(
            s,
            strategies,
            results.config.creation.c50,
            50,
            results.config.creation.warmupC50,
            () => baseRows,
          );
          http.close();
          const ratio = (c: Comparison) => c.results.api.ratePerSec / c.results.raw.ratePerSec;
          say(`   ratio API/raw (${topology}): c=1 ${ratio(c1).toFixed(2)}, c=50 ${ratio(c50).toFixed(2)}`);
          return { measuredAt, load, c1: { ...c1, ratio: ratio(c1) }, c50: { ...c50, ratio: ratio(c50) } };
        } finally {
          await sys.stop();
          sys = undefined;
        }
      };
      const devServer = await on('dev-server');
      const cluster = await on('cluster');
      results.creationTopologies = {
        devServer,
        cluster,
        machine: machineInfo(results.machine.postgres).line,
        code: results.machine.git,
      };
    } else if (phase('create') || phase('rss') || phase('list') || phase('command')) {
      sys = await startSystem();
      results.machine.postgres = (await sys.pool.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
      results.machine.line = machineInfo(results.machine.postgres).line;
    }
    const callers = await officers();

    // 2. Creation.
    if (sys && phase('create')) {
      const s = sys;
      const http = new Http(s.apiUrl, 64);
      const baseRows = Number((await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders')).rows[0].n);
      const baseline = () => baseRows;
      const api: Strategy = { name: 'api', op: apiCreate(http, callers) };
      const raw: Strategy = { name: 'raw', op: rawStart(s, callers) };
      results.load!.create = loadavg();
      say('creation: API vs raw client.workflow.start');
      const c1 = await compare(
        s,
        [api, raw],
        results.config.creation.c1,
        1,
        results.config.creation.warmupC1,
        baseline,
      );
      const c50 = await compare(
        s,
        [api, raw],
        results.config.creation.c50,
        50,
        results.config.creation.warmupC50,
        baseline,
      );
      const ratio = (c: Comparison) => c.results.api.ratePerSec / c.results.raw.ratePerSec;
      results.creation = {
        c1: { ...c1, ratio: ratio(c1) },
        c50: { ...c50, ratio: ratio(c50) },
      };
      say(`   ratio API/raw: c=1 ${ratio(c1).toFixed(2)}, c=50 ${ratio(c50).toFixed(2)}`);

      if (ratio(c1) < 0.8 || ratio(c50) < 0.8 || process.env.BENCH_PROFILE) {
        say(
          'creation profile: raw+query, API without the post-start query, instrumented API (patched copies of dist/)',
        );
        const profile: NonNullable<Results['creationProfile']> = { notes: [], comparisons: [], timings: {} };
        const strategies: Strategy[] = [raw, { name: 'raw+query', op: rawStart(s, callers, { query: true }) }, api];
        const noQuery = patchedDist(s.root, 'variant-noquery', TENDERS_SERVICE_JS, NO_QUERY_PATCH);
        const instrumented = patchedDist(s.root, 'variant-instrumented', TENDERS_SERVICE_JS, INSTRUMENT_PATCH);
        const extra: { close(): void; stop(): Promise<void> }[] = [];
        let instrumentedProc: Awaited<ReturnType<System['startApi']>> | undefined;
        if ('dist' in noQuery) {
          const v = await s.startApi('api-noquery', noQuery.dist);
          const h = new Http(v.url, 64);
          extra.push({ close: () => h.close(), stop: () => v.proc.stop() });
          strategies.push({ name: 'api-noquery', op: apiCreate(h, callers), apiPid: v.proc.pid });
        } else profile.notes.push(`no-query variant not measured: ${noQuery.error}`);
        if ('dist' in instrumented) {
          instrumentedProc = await s.startApi('api-instrumented', instrumented.dist);
          const h = new Http(instrumentedProc.url, 64);
          const p = instrumentedProc;
          extra.push({ close: () => h.close(), stop: () => p.proc.stop() });
          strategies.push({ name: 'api-instrumented', op: apiCreate(h, callers), apiPid: p.proc.pid });
        } else profile.notes.push(`instrumented variant not measured: ${instrumented.error}`);
        for (const [c, count, warm] of [
          [1, results.config.creation.profileC1, results.config.creation.warmupC1],
          [50, results.config.creation.profileC50, results.config.creation.warmupC50],
        ] as const) {
          const reset = async () => {
            if (instrumentedProc) await instrumentedProc.proc.stats();
          };
          profile.comparisons.push(await compare(s, strategies, count, c, warm, baseline, reset));
          if (instrumentedProc) profile.timings[`c${c}`] = summarizeTimings(await instrumentedProc.proc.stats());
        }
        for (const e of extra) {
          e.close();
          await e.stop();
        }
        results.creationProfile = profile;
      }
      http.close();
    }

    // 5 (measured before RSS and list fill the system). A command through the API vs raw.
    if (sys && phase('command')) {
      results.load!.command = loadavg();
      say('command latency: POST /tenders/{id}/questions vs raw executeUpdate');
      results.command = await benchCommands(sys, results.config.command!);
    }

    // 3. RSS with 10 000 open tenders.
    if (sys && phase('rss')) {
      results.load!.rss = loadavg();
      say(`RSS: ${results.config.rss.tenders} open tenders (raw starts, c=${results.config.rss.concurrency})`);
      results.rss = await benchRss(sys, callers, results.config.rss.tenders, results.config.rss.concurrency);
      const src = readFileSync(join(PROJECT_ROOT, 'apps/worker/src/worker.service.ts'), 'utf8');
      if (/maxCachedWorkflows/.test(src))
        results.rss.maxCachedWorkflowsConfigured = 'set in apps/worker/src/worker.service.ts (see source)';
    }

    // 4. List at 1 000 000 tenders (BENCH_LIST_ROWS).
    if (sys && phase('list')) {
      results.load!.list = loadavg();
      say(`list: seeding the read model to ${results.config.list.rows} tenders`);
      const seed = await seedReadModel(sys, results.config.list.rows);
      say(`   ${seed.existing} existing + ${seed.inserted} inserted in ${seed.ms} ms`);
      const admin = await caller({ sub: 'bench-admin', name: 'Bench Admin', org: 'REGION', roles: ['admin'] });
      const officer = callers.find((c) => c.actor.org === ORGS[0])!;
      const cases = await benchList(
        sys,
        { admin, officer },
        { requests: results.config.list.requests, warmup: results.config.list.warmup },
      );
      results.list = { seed, cases };
    }
  } finally {
    if (sys) {
      say('stopping services');
      await sys.stop();
    }
  }
  results.load!.end = loadavg();
  results.finishedAt = new Date().toISOString();
  results.totalSeconds = Math.round((Date.now() - started) / 1000);
  // BENCH_TEMPORAL=both adds its own section to the earlier results and changes nothing else
  // (their machine, date and sections stay theirs).
  if (temporalTopology() === 'both' && existsSync(RESULTS)) {
    const previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
    const merged: Results = { ...previous, creationTopologies: results.creationTopologies };
    writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
    writeFileSync(REPORT, renderReport(merged));
    say(`done in ${results.totalSeconds} s: ${RESULTS}, ${REPORT}`);
    return;
  }
  // Keep the sections of an earlier run that this one did not measure (BENCH_ONLY).
  if (only && existsSync(RESULTS)) {
    const previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
    for (const k of [
      'fourYear',
      'creation',
      'creationTopologies',
      'creationProfile',
      'rss',
      'list',
      'command',
      'questions',
    ] as const) {
      if (results[k] === undefined && previous[k] !== undefined)
        (results as unknown as Record<string, unknown>)[k] = previous[k];
    }
    results.load = {
      ...previous.load,
      ...Object.fromEntries(Object.entries(results.load ?? {}).filter(([k]) => k !== 'start' && k !== 'end')),
    };
    results.notes = [...new Set([...(previous.notes ?? []), ...results.notes])];
    results.notes.push(
      `Partial run ${results.startedAt} (BENCH_ONLY=${process.env.BENCH_ONLY}) merged into the results of ${previous.startedAt}.`,
    );
    results.machine.postgres = results.machine.postgres ?? previous.machine.postgres;
    if (results.machine.postgres) results.machine.line = machineInfo(results.machine.postgres).line;
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(REPORT, renderReport(results));
  say(`done in ${results.totalSeconds} s: ${RESULTS}, ${REPORT}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
