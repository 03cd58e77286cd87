import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';
import { freePort, stopChild } from '../../scripts/lib/services';
import { mintToken } from '../../scripts/lib/tokens';
import { Prng } from '../reliability/prng';
import { buildScript, ORG } from '../reliability/scripts';
import { buildDist } from '../support/build-dist';

/**
 * One command, one trace: the built API and worker (dist/, as deployed) run with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in this test, which keeps every
 * span it is sent in memory. A gate decision must arrive as one connected tree: the API's HTTP
 * request, its SQL, the Temporal client's update, the workflow's update handler and the
 * activities it schedules (on the worker) down to their SQL. Also checks the worker's Prometheus
 * endpoint for the Temporal SDK's runtime metrics. (The auto-instrumentation patches modules as
 * Node loads them, which jest's module system bypasses: hence real processes, not in-process.)
 */

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
  start: bigint;
  attributes: Record<string, unknown>;
}

const SPAN_KIND = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

/** What the OTLP/JSON exporter sends (OTLP's JSON encoding, ids in hex). */
interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        attributes?: Array<{ key: string; value: OtlpValue }>;
      }>;
    }>;
  }>;
}

function attrs(list: Array<{ key: string; value: OtlpValue }> = []): Record<string, unknown> {
  return Object.fromEntries(
    list.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue]),
  );
}

/** The in-memory end of the pipeline: an OTLP/HTTP receiver (POST /v1/traces, JSON). */
class OtlpReceiver {
  readonly spans: Span[] = [];
  readonly contentTypes = new Set<string>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces') {
          this.contentTypes.add(String(req.headers['content-type']));
          this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  private take(body: OtlpRequest): void {
    for (const rs of body.resourceSpans ?? []) {
      const service = String(attrs(rs.resource?.attributes)['service.name']);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            name: s.name,
            kind: s.kind,
            service,
            start: BigInt(s.startTimeUnixNano),
            attributes: attrs(s.attributes),
          });
        }
      }
    }
  }

  trace(traceId: string): Span[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }
}

function tree(spans: Span[]): string {
  const byParent = new Map<string | undefined, Span[]>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const s of (byParent.get(parent) ?? []).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
      const sql = s.attributes['db.statement']
        ? `  ${String(s.attributes['db.statement']).replace(/\s+/g, ' ').slice(0, 70)}`
        : '';
      lines.push(
        `${'  '.repeat(depth)}${s.name}  [${s.service.replace('tenderflow-', '')}, ${SPAN_KIND[s.kind]?.toLowerCase()}]${sql}`,
      );
      walk(s.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('tracing: one command is one connected trace, from the HTTP request to PostgreSQL', () => {
  const receiver = new OtlpReceiver();
  const secret = `tracing-secret-${process.pid}-0123456789abcdefghijklmnop`;
  const logs = mkdtempSync(join(tmpdir(), 'tenderflow-tracing-'));
  const children: ChildProcess[] = [];
  let api = '';
  let metricsAddress = '';

  const logTail = (name: string) => {
    try {
      return readFileSync(join(logs, `${name}.log`), 'utf8')
        .split('\n')
        .slice(-30)
        .join('\n');
    } catch {
      return '';
    }
  };

  beforeAll(async () => {
    // The processes run dist/, as deployed: it must be current.
    buildDist();
    await receiver.start();
    const apiPort = await freePort();
    metricsAddress = `127.0.0.1:${await freePort()}`;
    api = `http://127.0.0.1:${apiPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      TEMPORAL_TASK_QUEUE: `tracing-${process.pid}`,
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      // Export within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    for (const [name, main, extra] of [
      ['worker', 'dist/apps/worker/src/main.js', { WORKER_METRICS_ADDRESS: metricsAddress }],
      ['api', 'dist/apps/api/src/main.js', { PORT: String(apiPort), HOST: '127.0.0.1' }],
    ] as const) {
      const fd = openSync(join(logs, `${name}.log`), 'a');
      children.push(
        spawn(process.execPath, [join(PROJECT_ROOT, main)], {
          cwd: PROJECT_ROOT,
          env: { ...env, ...extra },
          stdio: ['ignore', fd, fd],
        }),
      );
      closeSync(fd);
    }
    await waitFor('API ready', async () => ((await fetch(`${api}/health/ready`)).ok ? true : undefined), 120_000).catch(
      (err) => {
        throw new Error(`${err.message}\napi log:\n${logTail('api')}\nworker log:\n${logTail('worker')}`);
      },
    );
  }, 240_000);

  afterAll(async () => {
    for (const c of children.reverse()) await stopChild(c, 10_000);
    await receiver.stop();
    rmSync(logs, { recursive: true, force: true });
  }, 60_000);

  it('traces a gate decision through the API, Temporal, the workflow and its activities to PostgreSQL', async () => {
    const script = buildScript(`trace${process.pid}`, 1, 'national_question', new Prng(17));
    const tokens = {
      officer: await mintToken(secret, {
        sub: 'trace-officer',
        name: 'Tina Trace',
        org: ORG,
        roles: ['procurement_officer'],
      }),
      approverA: await mintToken(secret, {
        sub: 'trace-approver',
        name: 'Arne Approver',
        org: ORG,
        roles: ['approver'],
        approvalLimitSek: 50_000_000,
      }),
    };
    const post = async (path: string, token: string, body: unknown, key: string) => {
      const res = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}\nworker log:\n${logTail('worker')}`);
      return JSON.parse(text) as { id: string };
    };
    // The worker bundles the workflows at start: creation waits for it (the API queries the new workflow).
    const { id } = await waitFor(
      'tender created',
      () => post('/tenders', tokens.officer, script.createBody, `${script.idempotencyKey}-create`),
      120_000,
    );
    const [needs, gate] = script.steps;
    expect([needs.command, gate.command, gate.gate]).toEqual([
      'completeNeedsAnalysis',
      'decideGate',
      { gate: 'decision_to_procure', decision: 'approve' },
    ]);
    await post(needs.path(id), tokens.officer, needs.body({} as never), `${script.idempotencyKey}-needs`);

    await post(gate.path(id), tokens.approverA, gate.body({} as never), `${script.idempotencyKey}-gate`);

    // The trace of the decision: the API's server span for its path is the root.
    const root = await waitFor(
      'server span of the gate decision',
      async () =>
        receiver.spans.find(
          (s) =>
            s.service === 'tenderflow-api' &&
            SPAN_KIND[s.kind] === 'SERVER' &&
            String(s.attributes['http.target'] ?? s.attributes['url.path']).endsWith(
              '/gates/decision_to_procure/decision',
            ),
        ),
      30_000,
    );
    // Spans arrive in batches from two processes: wait until the activities' SQL is in and the trace stops growing.
    let stable = 0;
    let size = 0;
    await waitFor(
      'the whole trace',
      async () => {
        const spans = receiver.trace(root.traceId);
        const done =
          spans.some((s) => s.name.startsWith('RunActivity:')) &&
          spans.some((s) => s.service === 'tenderflow-worker' && s.attributes['db.system'] === 'postgresql');
        stable = done && spans.length === size ? stable + 1 : 0;
        size = spans.length;
        return stable >= 6 ? true : undefined;
      },
      60_000,
    );
    const trace = receiver.trace(root.traceId);
    const printed = tree(trace);
    process.stdout.write(
      `\nspan tree of one gate decision (${trace.length} spans, trace ${root.traceId}):\n${printed}\n\n`,
    );

    // One tree: a single root (the HTTP request), every other span's parent in the same trace.
    const ids = new Set(trace.map((s) => s.spanId));
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual([root.name]);
    expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);
    expect(root.name).toBe('POST /tenders/:id/gates/:gate/decision');
    expect(root.attributes['http.route']).toBe('/tenders/:id/gates/:gate/decision');

    const parentOf = (s: Span) => trace.find((p) => p.spanId === s.parentSpanId);
    const ancestors = (s: Span): Span[] => {
      const p = parentOf(s);
      return p ? [p, ...ancestors(p)] : [];
    };
    const named = (prefix: string) => trace.filter((s) => s.name.startsWith(prefix));
    // API: the Temporal client's update, inside the request.
    const [update] = named('StartWorkflowUpdate:decideGate');
    expect(update).toMatchObject({ service: 'tenderflow-api' });
    expect(ancestors(update)).toContain(root);
    // Worker: the workflow's validator and handler of that update, continuing the client's span.
    const [handler] = named('HandleUpdate:decideGate');
    expect(handler).toMatchObject({ service: 'tenderflow-worker' });
    expect(ancestors(handler)).toContain(update);
    expect(named('ValidateUpdate:decideGate').map((s) => ancestors(s).includes(update))).toEqual([true]);
    // The activities the decision runs, each under the handler, each with its SQL beneath it.
    const activities = named('RunActivity:');
    expect(activities.length).toBeGreaterThan(0);
    for (const a of activities) {
      expect({ activity: a.name, service: a.service, underHandler: ancestors(a).includes(handler) }).toEqual({
        activity: a.name,
        service: 'tenderflow-worker',
        underHandler: true,
      });
    }
    const workerSql = trace.filter(
      (s) => s.service === 'tenderflow-worker' && s.attributes['db.system'] === 'postgresql',
    );
    expect(workerSql.length).toBeGreaterThan(0);
    for (const q of workerSql) expect(ancestors(q).some((a) => a.name.startsWith('RunActivity:'))).toBe(true);
    // And the API's own SQL (the idempotency key) inside the request.
    expect(
      trace.some(
        (s) =>
          s.service === 'tenderflow-api' && s.attributes['db.system'] === 'postgresql' && ancestors(s).includes(root),
      ),
    ).toBe(true);
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  }, 300_000);

  it("exposes the worker's Temporal SDK runtime metrics for Prometheus at WORKER_METRICS_ADDRESS", async () => {
    const res = await fetch(`http://${metricsAddress}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const names = new Set([...text.matchAll(/^(temporal_[a-z_]+)/gm)].map((m) => m[1]));
    // Polls, task slots and workflow task latency: what an operator scales workers by.
    expect([...names]).toEqual(
      expect.arrayContaining([
        'temporal_request',
        'temporal_worker_task_slots_available',
        'temporal_workflow_task_execution_latency_bucket',
      ]),
    );
    expect(text).toContain(`task_queue="tracing-${process.pid}"`);
  });
});
