import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { buildDataSourceOptions } from '@tenderflow/db/data-source-options';
import { mintToken } from '../../scripts/lib/tokens';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { checkGlobal, checkTender, collectHistory, GlobalVerdict, HistoryFacts, TenderVerdict } from './checks';
import { Cluster, sleep } from './cluster';
import { Driver } from './driver';
import { Prng, seedFromEnv } from './prng';
import { buildScripts, ORG } from './scripts';
import { buildDist } from '../support/build-dist';

/**
 * Durability under crashes and restarts, on the built system (dist/) as separate processes: two
 * workers and two APIs side by side on one Temporal and one PostgreSQL, while N tenders move
 * through their phases. At random moments (seeded; the seed is printed and RELIABILITY_SEED
 * replays the choices — scripts, order and targets of the events, downtimes — though not the exact
 * timing) a worker is SIGKILLed and started again, and once each PostgreSQL, one API and each of
 * Temporal's restart targets are stopped or killed and started again. Afterwards every tender must
 * be where its commands put it — each transition, gate decision and command exactly once in the
 * workflow, the read model and the audit log — and every audit chain must verify.
 *
 * RELIABILITY_TEMPORAL (temporal-backends.ts):
 *   dev-server (default): the Temporal CLI's dev server on a file store, stopped and started once;
 *   cluster (npm run test:cluster): the real server, frontend, history, matching and worker as
 *     separate processes on the run's PostgreSQL; history, matching and frontend each SIGKILLed
 *     and started again once.
 * RELIABILITY_PROFILE=full (npm run test:reliability, npm run test:cluster): 50 tenders, 20 worker
 * kills. Default `ci` (part of npm test): 12 tenders, 5 worker kills. Results go to
 * .data/reliability/<profile>.json, or cluster-<profile>.json for the cluster; with
 * UPDATE_RELIABILITY_RESULTS=1 to the committed test/reliability/results/ instead (a run's evidence,
 * kept on purpose: tests otherwise leave the work tree as they found it).
 */

interface Profile {
  tenders: number;
  workerKills: number;
  concurrency: number;
  thinkMs: [number, number];
  /** Pause after each chaos event, before the next one may fire. */
  gapMs: [number, number];
  /** How long a killed worker / stopped service stays down. */
  downMs: [number, number];
  settleMs: number;
  stepTimeoutMs: number;
}

const PROFILES: Record<string, Profile> = {
  ci: {
    tenders: 12,
    workerKills: 5,
    concurrency: 12,
    thinkMs: [300, 2_500],
    gapMs: [500, 2_000],
    downMs: [200, 2_500],
    settleMs: 25_000,
    stepTimeoutMs: 150_000,
  },
  full: {
    tenders: 50,
    workerKills: 20,
    concurrency: 10,
    thinkMs: [300, 2_500],
    gapMs: [500, 2_000],
    downMs: [200, 3_000],
    settleMs: 30_000,
    stepTimeoutMs: 300_000,
  },
};

const profileName = process.env.RELIABILITY_PROFILE ?? 'ci';
const profile = PROFILES[profileName];
if (!profile)
  throw new Error(`RELIABILITY_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got ${profileName}`);

const say = (line: string) => process.stdout.write(`[reliability] ${line}\n`);

/** `temporal…`: one of the Temporal backend's restart targets (the dev server, or one service). */
type ChaosKind = 'worker-kill' | 'postgres' | 'api' | `temporal${string}`;
interface ChaosEvent {
  n: number;
  kind: ChaosKind;
  target: string;
  atSeconds: number;
  inFlightTenders: number;
  /** HTTP commands under way at the moment of the stop (through the API concerned, for an API restart). */
  commandsInFlight: number;
  downMs: number;
  /** From the stop until the replacement is ready again (worker polling, API ready, server serving). */
  recoverySeconds: number;
}

const temporalKind = process.env.RELIABILITY_TEMPORAL ?? 'dev-server';
const resultName = temporalKind === 'cluster' ? `cluster-${profileName}` : profileName;

describe(`reliability (${profileName}, Temporal ${temporalKind}): ${profile.tenders} tenders, ${profile.workerKills} worker kills, Temporal/PostgreSQL/API restarts`, () => {
  const seed = seedFromEnv();
  const rng = new Prng(seed);
  const cluster = new Cluster({ workers: 2, apis: 2, log: say, temporal: temporalKind });
  let dataSource: DataSource | undefined;
  let connection: Connection | undefined;
  let passed = false;

  beforeAll(async () => {
    say(`profile ${profileName}, seed ${seed} (replay with RELIABILITY_SEED=${seed}), data in ${cluster.root}`);
    // The run drives the built processes, as deployed: dist/ must be current and type-correct.
    buildDist();
    const t0 = Date.now();
    await cluster.start();
    say(
      `2 workers + 2 APIs on ${cluster.temporalAddress} (${JSON.stringify(cluster.temporal.describe)}; queue ${cluster.taskQueue}) and PostgreSQL ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }, 240_000);

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await cluster.stop();
    if (passed && !process.env.RELIABILITY_KEEP_DATA) rmSync(cluster.root, { recursive: true, force: true });
    else say(`data and logs kept in ${cluster.root}`);
  }, 60_000);

  it(
    'every tender ends where its commands put it: no lost or doubled transition, effect or audit row; every chain verifies',
    async () => {
      const started = Date.now();
      const runTag = `rel${seed.toString(36)}`;
      const scripts = buildScripts(runTag, profile.tenders, rng.fork('scripts'));
      const officer = { sub: 'rel-officer', name: 'Rita Reliabel', org: ORG, roles: ['procurement_officer' as const] };
      const tokens = {
        officer: await mintToken(cluster.secret, officer),
        approverA: await mintToken(cluster.secret, {
          sub: 'rel-approver-a',
          name: 'Axel Approver',
          org: ORG,
          roles: ['approver'],
          approvalLimitSek: 50_000_000,
        }),
        approverB: await mintToken(cluster.secret, {
          sub: 'rel-approver-b',
          name: 'Berit Approver',
          org: ORG,
          roles: ['approver'],
          approvalLimitSek: 50_000_000,
        }),
      };
      const chaosRng = rng.fork('chaos');
      const temporalTargets = cluster.temporal.restartTargets as ChaosKind[];
      const kinds: ChaosKind[] = chaosRng.shuffle([
        ...Array<ChaosKind>(profile.workerKills).fill('worker-kill'),
        ...temporalTargets,
        'postgres',
        'api',
      ]);
      // Event k fires at a random point of the k-th slot of the driver's progress (steps done).
      const thresholds = kinds.map((_, k) => ((k + 0.2 + 0.6 * chaosRng.next()) / kinds.length) * 0.9);
      let eventsDone = 0;
      const driver: Driver = new Driver(scripts, {
        apiUrls: () => Array.from({ length: cluster.apiCount }, (_, i) => cluster.apiUrl(i)),
        tokens,
        concurrency: profile.concurrency,
        thinkMs: profile.thinkMs,
        settleMs: profile.settleMs,
        stepTimeoutMs: profile.stepTimeoutMs,
        rng: rng.fork('driver'),
        log: say,
        // Backpressure: the driver runs at most half a slot past the next event's threshold until
        // that event has happened, so that the events spread over the run and each hits it mid-way.
        mayProceed: () =>
          eventsDone >= kinds.length || driver.progress() <= thresholds[eventsDone] + 0.5 / kinds.length,
      });

      // --- chaos, concurrently with the driver ------------------------------------------------------
      const events: ChaosEvent[] = [];
      let driving = true;
      const chaos = (async () => {
        for (const [n, kind] of kinds.entries()) {
          await sleep(chaosRng.int(profile.gapMs[0], profile.gapMs[1]));
          while (driving && driver.progress() < thresholds[n]) await sleep(50);
          const downMs = chaosRng.int(profile.downMs[0], profile.downMs[1]);
          const worker = chaosRng.int(0, cluster.workerCount - 1);
          const api = chaosRng.int(0, cluster.apiCount - 1);
          // A random moment at which commands are under way (through that API, for an API restart):
          // wait up to 3 s for one, then a few milliseconds more, so the stop lands mid-request.
          const busy = () => driver.commandsInFlight(kind === 'api' ? api : undefined) > 0;
          for (const until = Date.now() + 3_000; !busy() && Date.now() < until;) await sleep(5);
          await sleep(chaosRng.int(0, 40));
          const at = Date.now();
          const inFlight = driver.inFlight();
          const commandsInFlight = driver.commandsInFlight(kind === 'api' ? api : undefined);
          let target: string;
          switch (kind) {
            case 'worker-kill': {
              const i = worker;
              const pid = await cluster.killWorker(i);
              await sleep(downMs);
              const next = await cluster.startWorker(i);
              target = `worker-${i} pid ${pid} -> ${next}`;
              break;
            }
            case 'postgres':
              target = 'postgresql';
              await cluster.restartPostgres(downMs);
              break;
            case 'api':
              target = `api-${api} (${await cluster.restartApi(api, downMs)})`;
              break;
            default:
              target = await cluster.restartTemporal(kind, downMs);
          }
          const e: ChaosEvent = {
            n: n + 1,
            kind,
            target,
            atSeconds: Math.round((at - started) / 100) / 10,
            inFlightTenders: inFlight,
            commandsInFlight,
            downMs,
            recoverySeconds: Math.round((Date.now() - at) / 100) / 10,
          };
          events.push(e);
          eventsDone += 1;
          say(
            `chaos ${e.n}/${kinds.length} at ${e.atSeconds}s: ${kind} ${target} (down ${downMs} ms, back in ${e.recoverySeconds} s; ` +
              `${inFlight} tenders and ${commandsInFlight} commands in flight${driving ? '' : ', driver finished'})`,
          );
        }
      })();
      await Promise.all([driver.run().finally(() => (driving = false)), chaos]);
      const drivenSeconds = (Date.now() - started) / 1000;
      say(`driver and chaos done in ${drivenSeconds.toFixed(1)} s; ${JSON.stringify(driver.stats)}`);
      const failedRuns = driver.runs.filter((r) => r.error);
      expect(failedRuns.map((r) => `#${r.script.index} ${r.script.kind}: ${r.error}`)).toEqual([]);
      await cluster.assertAllUp();

      // --- settle, then check ---------------------------------------------------------------------
      dataSource = new DataSource(
        buildDataSourceOptions(cluster.databaseUrl, { poolSize: 4, applicationName: 'tenderflow-reliability-check' }),
      );
      await dataSource.initialize();
      const ds = dataSource;
      const audit = new AuditService(ds);
      const states = new Map<number, TenderState>();
      const settleUntil = Date.now() + 120_000;
      for (const run of driver.runs) {
        const final = run.script.expectedTimeline[run.script.expectedTimeline.length - 1];
        for (;;) {
          const state = await driver.readState(run.id!);
          const [row]: { state_version: number }[] = await ds.query(`SELECT state_version FROM tenders WHERE id = $1`, [
            run.id,
          ]);
          states.set(run.script.index, state);
          if (state.phase === final && row && Number(row.state_version) === state.version) break;
          if (Date.now() > settleUntil) break; // the checks say what is off
          await sleep(500);
        }
      }
      const verdicts: TenderVerdict[] = [];
      for (const run of driver.runs)
        verdicts.push(await checkTender(ds, audit, run.script, run.id!, states.get(run.script.index)!));
      connection = await cluster.temporal.connect();
      const client = new Client({ connection, namespace: cluster.namespace });
      const global: GlobalVerdict = await checkGlobal(ds, client, driver.runs.length);
      const history: HistoryFacts = await collectHistory(
        client,
        driver.runs.map((r) => `tender-${r.id}`),
      );
      const workerIdentities = [...history.workerIdentities].sort();
      const pids = new Set(cluster.workerPids().map(String));
      const strangers = workerIdentities.filter((i) => !pids.has(i.split('@')[0]));

      // --- report ---------------------------------------------------------------------------------
      const problems = [
        ...verdicts.flatMap((v) => v.problems.map((p) => `#${v.index} ${v.id} (${v.kind}): ${p}`)),
        ...global.problems,
        ...cluster.unexpectedExits.map((e) => `process: ${e}`),
        ...history.workflowTaskFailures.filter((f) => /nondetermin/i.test(f)).map((f) => `non-determinism: ${f}`),
        ...strangers.map((s) => `work done by an unknown worker identity ${s}`),
      ];
      // Temporal's side of "exactly once": every Update it accepted is one accepted command (or one
      // the handler refused and audited) — a command delivered twice would be one more.
      const acceptedExpected = verdicts.reduce((a, v) => a + v.commands + v.handlerRefusals, 0);
      if (history.updatesAccepted !== acceptedExpected) {
        problems.push(
          `Temporal accepted ${history.updatesAccepted} updates, the tenders show ${acceptedExpected} accepted or refused commands`,
        );
      }
      const duplicates =
        verdicts.reduce((a, v) => a + v.doubled, 0) +
        global.duplicateEventKeys +
        global.duplicateChainIndexes +
        Math.max(0, history.updatesAccepted - acceptedExpected);
      const lost = verdicts.reduce((a, v) => a + v.lost, 0);
      const restarts: Record<string, number> = Object.fromEntries(
        [...temporalTargets, 'postgres', 'api'].map((k) => [k, events.filter((e) => e.kind === k).length]),
      );
      const kills = events.filter((e) => e.kind === 'worker-kill').length;
      const transitions = verdicts.reduce((a, v) => a + v.transitions, 0);
      const wallSeconds = Math.round((Date.now() - started) / 100) / 10;
      const summary = {
        profile: profileName,
        temporal: cluster.temporal.describe,
        seed,
        finishedAt: new Date().toISOString(),
        wallSeconds,
        drivenSeconds: Math.round(drivenSeconds * 10) / 10,
        tenders: verdicts.length,
        byKind: countBy(verdicts.map((v) => v.kind)),
        finalPhases: countBy([...states.values()].map((s) => s.phase)),
        kills,
        restarts,
        chaosUnderLoad: events.filter((e) => e.inFlightTenders > 0).length,
        chaosMidCommand: events.filter((e) => e.commandsInFlight > 0).length,
        transitionsChecked: transitions,
        gateDecisionsChecked: verdicts.reduce((a, v) => a + v.gateDecisions, 0),
        commandsChecked: verdicts.reduce((a, v) => a + v.commands, 0),
        auditEventsChecked: verdicts.reduce((a, v) => a + v.auditEvents, 0),
        chainsVerified: verdicts.filter((v) => !v.problems.some((p) => p.startsWith('audit chain'))).length,
        refusalsRecordedByApi: verdicts.reduce((a, v) => a + v.refusalsRecorded, 0),
        duplicates,
        lost,
        problems,
        driver: driver.stats,
        scaleOut: {
          workerSlots: cluster.workerCount,
          apiInstances: cluster.apiCount,
          processStarts: cluster.starts(),
          workerIdentitiesThatDidWork: workerIdentities.length,
          workerIdentities,
          answeredBy: driver.stats.servedBy,
        },
        temporalHistory: {
          workflows: history.runs,
          updatesAccepted: history.updatesAccepted,
          workflowTaskTimeouts: history.workflowTaskTimeouts,
          workflowTaskFailures: history.workflowTaskFailures.length,
          activityTimeouts: history.activityTimeouts,
        },
        readModel: { tenders: global.tendersInReadModel, temporalWorkflows: global.workflowsInTemporal },
        notifications: global.notifications,
        chaos: events,
      };
      const line =
        `reliability: profile=${profileName} temporal=${temporalKind}${cluster.temporal.describe.server ? `(${cluster.temporal.describe.server})` : ''} tenders=${summary.tenders} kills=${kills} ` +
        `restarts={${Object.entries(restarts)
          .map(([k, n]) => `${k}:${n}`)
          .join(',')}} ` +
        `transitions=${transitions} gateDecisions=${summary.gateDecisionsChecked} commands=${summary.commandsChecked} ` +
        `auditEvents=${summary.auditEventsChecked} chainsVerified=${summary.chainsVerified}/${summary.tenders} ` +
        `duplicates=${duplicates} lost=${lost} seed=${seed} wall=${wallSeconds}s`;
      say(line);
      const dir =
        process.env.UPDATE_RELIABILITY_RESULTS === '1'
          ? join(__dirname, 'results')
          : join(__dirname, '..', '..', '.data', 'reliability');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${resultName}.json`), `${JSON.stringify({ summary: line, ...summary }, null, 2)}\n`);
      if (problems.length > 0) say(`problems:\n  ${problems.join('\n  ')}`);

      expect(problems).toEqual([]);
      expect(duplicates).toBe(0);
      expect(lost).toBe(0);
      expect(kills).toBe(profile.workerKills);
      expect(restarts).toEqual(Object.fromEntries([...temporalTargets, 'postgres', 'api'].map((k) => [k, 1])));
      // Scale-out: both APIs answered, and more than one worker process did workflow or activity work.
      expect(Object.keys(driver.stats.servedBy).sort()).toEqual(['api-0', 'api-1']);
      expect(workerIdentities.length).toBeGreaterThan(1);
      passed = true;
    },
    30 * 60_000,
  );
});

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
