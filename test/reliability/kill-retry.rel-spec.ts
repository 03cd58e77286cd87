import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { buildDataSourceOptions } from '@tenderflow/db/data-source-options';
import { mintToken } from '../../scripts/lib/tokens';
import { Cluster, sleep } from './cluster';
import { buildDist } from '../support/build-dist';

/**
 * Commands in flight when the worker is SIGKILLed, retried by their clients with the same
 * Idempotency-Key (issue: hostile input, "every command is idempotent"). Each command must take
 * effect once, with one audit entry, and every answer a client gets for a key must be the first
 * outcome, including the answers after the worker is back.
 */
const TENDERS = 8;
const say = (line: string) => process.stdout.write(`[kill-retry] ${line}\n`);

describe('worker SIGKILLed with commands in flight; clients retry with the same keys', () => {
  const cluster = new Cluster({ workers: 1, apis: 1, log: say });
  let ds: DataSource;

  beforeAll(async () => {
    buildDist();
    await cluster.start();
    ds = new DataSource(buildDataSourceOptions(cluster.databaseUrl));
    await ds.initialize();
  }, 300_000);
  afterAll(async () => {
    await ds?.destroy();
    await cluster.stop();
  });

  it('each command takes effect once, with one audit entry, and every client gets the first outcome', async () => {
    const api = cluster.apiUrl(0);
    const officer = await mintToken(cluster.secret, {
      sub: 'kill-anna',
      name: 'Anna',
      org: 'KILL',
      roles: ['procurement_officer'],
    });
    const call = async (method: string, path: string, body: unknown, key: string, timeoutMs: number) => {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { Authorization: `Bearer ${officer}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, body: (await res.json()) as { id?: string; version?: number; phase?: string } };
    };

    const ids: string[] = [];
    for (let i = 0; i < TENDERS; i++) {
      const created = await call(
        'POST',
        '/tenders',
        {
          title: `Kill test ${i}`,
          organization: 'KILL',
          category: 'consulting',
          contractType: 'services',
          estimatedValueSek: 1_500_000,
        },
        `create-${i}`,
        30_000,
      );
      expect(created.status).toBe(201);
      ids.push(created.body.id!);
    }
    const needsAnalysis = {
      sustainability: { notApplicableReason: 'Consultancy hours; no material sustainability impact' },
      supplyPreparedness: { criticality: 'low' },
    };

    // Every client sends, waits at most 1.5 s for an answer, then sends the same request again
    // with the same key, until it gets one. The worker dies 100 ms after the first sends.
    const answers = new Map<string, { status: number; version?: number }[]>();
    let attempts = 0;
    const client = async (id: string) => {
      const key = `needs-analysis-${id}`;
      const seen: { status: number; version?: number }[] = [];
      answers.set(id, seen);
      const until = Date.now() + 120_000;
      while (Date.now() < until) {
        attempts += 1;
        try {
          const r = await call('POST', `/tenders/${id}/needs-analysis`, needsAnalysis, key, 1_500);
          seen.push({ status: r.status, version: r.body.version });
          if (r.status < 500) return;
        } catch {
          // Timed out or the connection broke: the outcome is unknown, so the client asks again.
        }
        await sleep(200);
      }
      throw new Error(`no answer for ${id} in time`);
    };
    const inFlight = ids.map((id) => client(id));
    await sleep(100);
    const killed = await cluster.killWorker(0);
    say(`worker pid ${killed} SIGKILLed with ${ids.length} commands in flight`);
    await sleep(2_000);
    const pid = await cluster.startWorker(0);
    say(`worker back as pid ${pid}`);
    await Promise.all(inFlight);

    // A client that retries once more after its answer still gets the first outcome.
    for (const id of ids) {
      const again = await call('POST', `/tenders/${id}/needs-analysis`, needsAnalysis, `needs-analysis-${id}`, 30_000);
      answers.get(id)!.push({ status: again.status, version: again.body.version });
    }

    const tally = { commands: ids.length, attempts, accepted: 0, auditEntries: 0 };
    for (const id of ids) {
      const seen = answers.get(id)!;
      expect({ id, statuses: [...new Set(seen.map((s) => s.status))] }).toEqual({ id, statuses: [200] });
      expect({ id, versions: [...new Set(seen.map((s) => s.version))] }).toEqual({ id, versions: [seen[0].version] });
      const rows: { n: string }[] = await ds.query(
        `SELECT count(*) AS n FROM audit_events WHERE tender_id = $1 AND type = 'command.accepted' AND payload->>'command' = 'completeNeedsAnalysis'`,
        [id],
      );
      expect({ id, entries: Number(rows[0].n) }).toEqual({ id, entries: 1 });
      tally.accepted += 1;
      tally.auditEntries += Number(rows[0].n);
      const verdict = await new AuditService(ds).verify(id);
      expect({ id, valid: verdict.valid }).toEqual({ id, valid: true });
    }
    say(`${JSON.stringify(tally)}`);
  }, 300_000);
});
