import request from 'supertest';
import { DataSource } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/activities/audit.activities';
import type { AuditEventInput } from '@tenderflow/activities/activity-types';
import { buildDataSourceOptions } from '@tenderflow/db';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

const DAY = 86_400_000;
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (days: number) => new Date(t0 + days * DAY).toISOString();

/**
 * Five tenders of one category with known phase durations and gate waits (days), written
 * straight into the read model and the audit log the way the workflow's activities write them.
 *
 * needs_analysis 2, 4, 6, 8, 10                      → p50 6,   p90 9.2
 * documents      1, 1, 3, 5, 15+5 (two visits)       → p50 3,   p90 14
 * published      30, 35, 40, 45 (T5 still there)     → p50 37.5, p90 43.5
 * decision_to_procure waits 0.5, 1, 1.5, 2, 10       → p50 1.5, p90 6.8
 * documents_approval waits 0.25, 0.2 + 0.5, 2.2 and one decision without a request → p50 0.4, p90 1.7, unmatched 1
 * pending cancellation gates since 3 and 1 days ago  → count 2, p50 2, oldest 3
 */
function seed(suffix: string, category: string) {
  const needs = [2, 4, 6, 8, 10];
  const docs = [1, 1, 3, 5, 15];
  const published = [30, 35, 40, 45, 3];
  const dtpWait = [0.5, 1, 1.5, 2, 10];
  return needs.map((n, i) => {
    const id = `LT${suffix}-2025-0000${i + 1}`;
    const docsFrom = n;
    const pubFrom = docsFrom + docs[i];
    const timeline: { phase: string; enteredAt: string; leftAt?: string }[] = [
      { phase: 'needs_analysis', enteredAt: iso(0), leftAt: iso(n) },
      { phase: 'documents', enteredAt: iso(docsFrom), leftAt: iso(pubFrom) },
      { phase: 'published', enteredAt: iso(pubFrom), leftAt: iso(pubFrom + published[i]) },
    ];
    if (i < 4) timeline.push({ phase: 'opening', enteredAt: iso(pubFrom + published[i]) });
    else {
      // Redone from the documents phase, and now published again: the open visit keeps T5 out of `published`.
      const again = pubFrom + published[i];
      timeline.push(
        { phase: 'documents', enteredAt: iso(again), leftAt: iso(again + 5) },
        { phase: 'published', enteredAt: iso(again + 5) },
      );
    }
    const requests: { gate: string; at: number }[] = [{ gate: 'decision_to_procure', at: n - dtpWait[i] }];
    const decisions: { gate: string; decision: string; at: number }[] = [
      { gate: 'decision_to_procure', decision: 'approve', at: n },
    ];
    if (i === 0) {
      requests.push({ gate: 'documents_approval', at: pubFrom - 0.25 });
      decisions.push({ gate: 'documents_approval', decision: 'approve', at: pubFrom });
    } else if (i === 1) {
      requests.push(
        { gate: 'documents_approval', at: docsFrom + 0.1 },
        { gate: 'documents_approval', at: docsFrom + 0.4 },
      );
      decisions.push(
        { gate: 'documents_approval', decision: 'request_changes', at: docsFrom + 0.3 },
        { gate: 'documents_approval', decision: 'approve', at: docsFrom + 0.9 },
      );
    } else if (i === 2) {
      requests.push({ gate: 'documents_approval', at: pubFrom - 2.2 });
      decisions.push({ gate: 'documents_approval', decision: 'approve', at: pubFrom });
    } else if (i === 3) {
      // A decision whose request is not in the audit log: counted as unmatched, not guessed.
      decisions.push({ gate: 'documents_approval', decision: 'approve', at: pubFrom });
    }
    return {
      id,
      category,
      timeline,
      gateDecisions: decisions.map((d) => ({
        gate: d.gate,
        decision: d.decision,
        at: iso(d.at),
        requestedBy: 'ofc',
        decidedBy: 'apr',
      })),
      requests,
      pendingSinceDaysAgo: i === 3 ? 1 : i === 4 ? 3 : undefined,
    };
  });
}

describe('/metrics and /metrics/lead-times over HTTP', () => {
  let sys: E2eSystem;
  let ds: DataSource;
  const suffix = Date.now().toString(36).toUpperCase();
  const category = `lt-${suffix.toLowerCase()}`;
  let manager: string;
  let otherManager: string;
  let foreignManager: string;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    sys = await startE2eSystem();
    ds = new DataSource(
      buildDataSourceOptions(process.env.DATABASE_URL!, { poolSize: 2, applicationName: 'metrics-e2e' }),
    );
    await ds.initialize();
    // The fixtures are LTORG's tenders; lead times count the caller's organisation's tenders.
    manager = await sys.token({
      sub: 'km-1',
      org: 'LTORG',
      roles: ['category_manager'],
      categories: [category, 'lab'],
    });
    otherManager = await sys.token({ sub: 'km-2', org: 'HSN', roles: ['category_manager'], categories: ['it'] });
    foreignManager = await sys.token({ sub: 'km-3', org: 'HSN', roles: ['category_manager'], categories: [category] });
    admin = await sys.token({ sub: 'root', org: 'REGION', roles: ['admin'] });
    officer = await sys.token({ sub: 'anna', name: 'Anna Andersson', org: 'HSN', roles: ['procurement_officer'] });

    const audit: AuditEventInput[] = [];
    for (const t of seed(suffix, category)) {
      await ds.query(
        `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure, estimated_value_sek,
           phase, rule_set, created_by, state_version, timeline, gate_decisions)
         VALUES ($1, $2, $3, 'LTORG', $4, 'services', 'national', 'simplified', 1000000, $5, 'LOU-test', 'ofc', 1, $6, $7)`,
        [
          t.id,
          `tender-${t.id}`,
          `Lead-time fixture ${t.id}`,
          t.category,
          t.timeline[t.timeline.length - 1].phase,
          JSON.stringify(t.timeline),
          JSON.stringify(t.gateDecisions),
        ],
      );
      t.requests.forEach((r, seq) =>
        audit.push({
          tenderId: t.id,
          workflowId: `tender-${t.id}`,
          seq: seq + 1,
          type: 'gate.requested',
          actor: { sub: 'ofc', name: 'Officer', org: 'LTORG' },
          at: iso(r.at),
          payload: { gate: r.gate },
        }),
      );
      if (t.pendingSinceDaysAgo !== undefined) {
        await ds.query(
          `INSERT INTO pending_gates (tender_id, gate, organization, role, min_approval_limit_sek, excluded, requested_by_sub, requested_by_name, since, may_decide)
           VALUES ($1, 'cancellation', 'LTORG', 'approver', 1000000, '{ofc}', 'ofc', 'Officer', now() - make_interval(days => $2), 'an approver')`,
          [t.id, t.pendingSinceDaysAgo],
        );
      }
    }
    await appendAuditEvents(ds, audit);
  });

  afterAll(async () => {
    await ds?.destroy();
    await sys?.close();
  });

  const get = (path: string, token?: string) => {
    const r = request(sys.http).get(path);
    return token ? r.set('Authorization', `Bearer ${token}`) : r;
  };

  it('gives median and 90th percentile per phase and per gate, in days, for the category', async () => {
    const res = await get(`/metrics/lead-times?category=${category}`, manager).expect(200);
    expect(res.body.unit).toBe('days');
    expect(res.body.basis).toEqual({
      phases: expect.stringContaining('timeline'),
      gatesDecided: expect.stringContaining('gate.requested'),
      gatesPending: expect.stringContaining('pending_gates'),
      percentiles: expect.stringContaining('percentile_cont'),
    });
    expect(res.body.categories).toHaveLength(1);
    const [c] = res.body.categories;
    expect(c.category).toBe(category);
    expect(c.phases).toEqual([
      { phase: 'needs_analysis', tenders: 5, p50Days: 6, p90Days: 9.2 },
      { phase: 'documents', tenders: 5, p50Days: 3, p90Days: 14 },
      { phase: 'published', tenders: 4, p50Days: 37.5, p90Days: 43.5 },
    ]);
    expect(c.gates).toEqual([
      {
        gate: 'decision_to_procure',
        decided: { count: 5, unmatched: 0, p50Days: 1.5, p90Days: 6.8 },
        pending: { count: 0, p50Days: null, oldestDays: null },
      },
      {
        gate: 'documents_approval',
        decided: { count: 4, unmatched: 1, p50Days: 0.4, p90Days: 1.7 },
        pending: { count: 0, p50Days: null, oldestDays: null },
      },
      {
        gate: 'cancellation',
        decided: { count: 0, unmatched: 0, p50Days: null, p90Days: null },
        pending: { count: 2, p50Days: 2, oldestDays: 3 },
      },
    ]);
  });

  it("refuses a category outside the manager's claim (403), other roles (403) and no token (401); an admin sees any", async () => {
    const refused = await get(`/metrics/lead-times?category=${category}`, otherManager).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/not yours/);
    await get(`/metrics/lead-times?category=${category}`, officer).expect(403);
    await get(`/metrics/lead-times?category=${category}`).expect(401);
    const asAdmin = await get(`/metrics/lead-times?category=${category}`, admin).expect(200);
    expect(asAdmin.body.categories[0].phases[0]).toEqual({
      phase: 'needs_analysis',
      tenders: 5,
      p50Days: 6,
      p90Days: 9.2,
    });
    const all = await get('/metrics/lead-times', admin).expect(200);
    expect(all.body.categories.map((x: { category: string }) => x.category)).toContain(category);
    expect(all.body.organization).toBeNull();
    const own = await get('/metrics/lead-times', otherManager).expect(200);
    expect(own.body.categories.map((x: { category: string }) => x.category)).toEqual(['it']);
    expect(own.body.organization).toBe('HSN');
    await get('/metrics/lead-times?category=', manager).expect(400);
  });

  it("scopes a category manager to their own organisation: another organisation's manager of the same category sees none of its tenders", async () => {
    const mine = await get(`/metrics/lead-times?category=${category}`, manager).expect(200);
    expect(mine.body.organization).toBe('LTORG');
    expect(mine.body.categories[0].phases.map((p: { tenders: number }) => p.tenders)).toEqual([5, 5, 4]);
    const theirs = await get(`/metrics/lead-times?category=${category}`, foreignManager).expect(200);
    expect(theirs.body.organization).toBe('HSN');
    expect(theirs.body.categories).toEqual([{ category, phases: [], gates: [] }]);
  });

  it('serves Prometheus metrics without a token: latency by route and status, workflow starts, gate waits', async () => {
    const body = {
      title: 'Metrics probe',
      organization: 'HSN',
      category,
      contractType: 'services',
      estimatedValueSek: 3_000_000,
    };
    const created = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', `metrics-${suffix}`)
      .send(body)
      .expect(201);
    await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', `metrics-${suffix}`)
      .send(body)
      .expect(201);
    // The public export: an unpublished tender is not exported.
    const ocds = await get(`/tenders/${created.body.id}/ocds`).expect(404);
    expect(ocds.body.detail).toBe(`No public OCDS release exists for tender ${created.body.id}`);
    await get(`/metrics/lead-times?category=${category}`, otherManager).expect(403);
    await get(`/no-such-page/${suffix}`).expect(404);

    const res = await get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text: string = res.text;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/metrics\/lead-times",status="403"\} [1-9]/,
    );
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/tenders",status="201"\} 2/);
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/tenders\/:id\/ocds",status="404"\} 1/,
    );
    // Paths that match no route share one label, so probing URLs cannot blow up the label set.
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).not.toContain(suffix);
    expect(text).toContain('# TYPE tenderflow_workflow_starts_total counter');
    // The repeat with the same Idempotency-Key started nothing.
    expect(text).toContain(`tenderflow_workflow_starts_total{regime="${created.body.regime}"} 1`);
    expect(text).toContain('# TYPE tenderflow_gate_pending_wait_seconds histogram');
    // At least this suite's two; other suites sharing the database may have left more pending.
    const pending = Number(/tenderflow_gate_pending_wait_seconds_count\{gate="cancellation"\} (\d+)/.exec(text)?.[1]);
    expect(pending).toBeGreaterThanOrEqual(2);
    expect(text).toContain('tenderflow_gate_oldest_pending_wait_seconds{gate="cancellation"}');
  });
});
