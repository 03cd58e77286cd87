import { CATEGORIES, Caller, ORGS, TITLE_WORDS } from './fixtures';
import { Http, LatencySummary, runClosedLoop, say, summarize } from './lib';
import type { System } from './system';
import { mulberry32 } from '../support/seeded-random';

/**
 * GET /tenders at 100 000 tenders: the read model is filled up to the target directly (multi-row
 * INSERT … SELECT FROM unnest, 2 000 rows a statement) with a seeded, skewed spread over 20
 * organisations, 30 categories, every phase, four years of created_at and next deadlines around
 * today; ANALYZE; then each filter is requested at concurrency 1 as an admin and as an officer of
 * the largest organisation, and the equivalent SQL is EXPLAINed.
 */

const PHASE_WEIGHTS: [string, number][] = [
  ['needs_analysis', 8],
  ['coordination', 2],
  ['documents', 8],
  ['published', 10],
  ['opening', 2],
  ['evaluation', 6],
  ['award_decision', 3],
  ['standstill', 2],
  ['under_review', 1],
  ['contract', 3],
  ['follow_up', 10],
  ['completed', 35],
  ['cancelled', 7],
  ['unsuccessful', 3],
];
const FINAL = new Set(['completed', 'cancelled', 'unsuccessful']);
const DEADLINE_KIND: Record<string, string> = {
  coordination: 'coordination_response',
  published: 'tender_deadline',
  opening: 'opening_due',
  standstill: 'standstill',
  under_review: 'review_hold',
  follow_up: 'documentation',
  documents: 'publication_target',
  evaluation: 'evaluation_target',
  award_decision: 'award_target',
  contract: 'contract_target',
};

function weighted<T>(rand: () => number, items: [T, number][]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = rand() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1][0];
}

export async function seedReadModel(
  sys: System,
  target: number,
): Promise<{ existing: number; inserted: number; ms: number; distribution: Record<string, unknown> }> {
  const t0 = Date.now();
  const existing = Number((await sys.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenders')).rows[0].n);
  const toInsert = Math.max(0, target - existing);
  const rand = mulberry32(20260101);
  const orgWeights = ORGS.map((o, k) => [o, 1 / Math.pow(k + 1, 0.7)] as [string, number]);
  const catWeights = CATEGORIES.map((c, k) => [c, 1 / Math.pow(k + 1, 0.5)] as [string, number]);
  const now = Date.now();
  const day = 86_400_000;
  const batch = 2000;
  for (let start = 0; start < toInsert; start += batch) {
    const cols: unknown[][] = Array.from({ length: 14 }, () => []);
    for (let n = start; n < Math.min(toInsert, start + batch); n++) {
      const org = weighted(rand, orgWeights);
      const category = weighted(rand, catWeights);
      const ageDays = rand() * 4 * 365;
      const createdAt = new Date(now - ageDays * day - rand() * day);
      // Older tenders are mostly finished.
      const phase =
        ageDays > 365 && rand() < 0.8
          ? weighted(rand, [
              ['completed', 80],
              ['cancelled', 15],
              ['unsuccessful', 5],
            ])
          : weighted(rand, PHASE_WEIGHTS);
      const kind = weighted(rand, [
        [['supplies', 'eu', 'open'], 45],
        [['services', 'eu', 'restricted'], 20],
        [['services', 'national', 'simplified'], 20],
        [['supplies', 'direct', 'direct_award'], 10],
        [['works', 'eu', 'open'], 5],
      ] as [string[], number][]);
      const words = 3 + Math.floor(rand() * 3);
      const title = [
        ...Array.from({ length: words }, () => TITLE_WORDS[Math.floor(rand() * TITLE_WORDS.length)]),
        String(createdAt.getUTCFullYear() + 1),
      ].join(' ');
      const hasDeadline = !FINAL.has(phase) && phase !== 'needs_analysis';
      // Around 15 % of running deadlines have passed (overdue), the rest lie up to 90 days ahead.
      const nextDeadline = hasDeadline ? new Date(now + (rand() < 0.15 ? -rand() * 20 : rand() * 90) * day) : null;
      // 2 000 000 and up: clear of the raw starts of the earlier phases (create.ts, from 1 000 000).
      const id = `${org}-${createdAt.getUTCFullYear()}-${String(2_000_000 + n)}`;
      const row = [
        id,
        `tender-${id}`,
        title,
        org,
        category,
        kind[0],
        kind[1],
        kind[2],
        String(
          kind[1] === 'direct' ? 50_000 + Math.floor(rand() * 600_000) : 1_000_000 + Math.floor(rand() * 80_000_000),
        ),
        phase,
        nextDeadline ? nextDeadline.toISOString() : null,
        nextDeadline ? (DEADLINE_KIND[phase] ?? 'deadline') : null,
        `officer-${org.toLowerCase()}`,
        createdAt.toISOString(),
      ];
      row.forEach((v, k) => cols[k].push(v));
    }
    await sys.pool.query(
      `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure,
         estimated_value_sek, phase, rule_set, threshold_id, next_deadline, next_deadline_kind, created_by, state_version, created_at, updated_at)
       SELECT id, wf, title, org, cat, ct, reg, proc, val::bigint, phase, 'lou-2026', NULL, nd::timestamptz, ndk, cb, 1, ca::timestamptz, ca::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
         AS u(id, wf, title, org, cat, ct, reg, proc, val, phase, nd, ndk, cb, ca)`,
      cols,
    );
  }
  await sys.pool.query('ANALYZE tenders');
  const dist = async (sql: string) => (await sys.pool.query(sql)).rows;
  const distribution = {
    total: Number((await dist('SELECT count(*) AS n FROM tenders'))[0].n),
    byOrganizationTop5: await dist(
      'SELECT organization, count(*)::int AS n FROM tenders GROUP BY 1 ORDER BY 2 DESC LIMIT 5',
    ),
    byPhase: await dist('SELECT phase, count(*)::int AS n FROM tenders GROUP BY 1 ORDER BY 2 DESC'),
    overdue: Number((await dist('SELECT count(*) AS n FROM tenders WHERE next_deadline < now()'))[0].n),
    categories: Number((await dist('SELECT count(DISTINCT category) AS n FROM tenders'))[0].n),
    organizations: Number((await dist('SELECT count(DISTINCT organization) AS n FROM tenders'))[0].n),
  };
  return { existing, inserted: toInsert, ms: Date.now() - t0, distribution };
}

export interface ListCase {
  name: string;
  /** Query string (without `?`); may depend on the caller. */
  query: string;
  /** The WHERE clause the service builds for it (for EXPLAIN), with $n parameters. */
  where: string;
  params: unknown[];
}

export interface ListResult {
  caller: string;
  case: string;
  query: string;
  items: number;
  summary: LatencySummary;
  explain?: { plan: string; scans: string[]; usesIndex: boolean; executionMs: number };
}

const SELECT = `SELECT t.id, t.workflow_id, t.title, t.organization, t.category, t.contract_type, t.regime, t.procedure,
  t.estimated_value_sek, t.phase, t.rule_set, t.threshold_id, t.next_deadline, t.next_deadline_kind, t.created_by,
  t.state_version, t.created_at, t.updated_at FROM tenders t`;

export async function benchList(
  sys: System,
  callers: { admin: Caller; officer: Caller },
  opts: { requests: number; warmup: number },
): Promise<ListResult[]> {
  const http = new Http(sys.apiUrl, 4);
  const results: ListResult[] = [];
  const word = 'reagents';
  // A (organisation, category) pair with rows for both callers: the officer's org and its busiest category.
  const org = callers.officer.actor.org;
  const {
    rows: [{ category }],
  } = await sys.pool.query<{ category: string }>(
    `SELECT category FROM tenders WHERE organization = $1 GROUP BY category ORDER BY count(*) DESC LIMIT 1`,
    [org],
  );
  for (const [who, c] of [
    ['admin', callers.admin],
    ['officer', callers.officer],
  ] as const) {
    const scope = who === 'admin' ? [] : [org];
    const orgWhere = (n: number) => (who === 'admin' ? '' : `t.organization = $${n} AND `);
    // The second page of the unfiltered list, through the cursor the first page returned.
    const first = await http.expect(200, 'GET', '/tenders', { token: c.token });
    const cursor = first.body.nextCursor as string;
    // `<instant>~<tender id>` of the first page's last row (apps/api/src/tenders/list-cursor.ts).
    const [cAt, cId] = cursor.split('~');
    const cases: ListCase[] = [
      {
        name: 'no filter (page 1)',
        query: '',
        where: who === 'admin' ? '' : 'WHERE t.organization = $1',
        params: scope,
      },
      {
        name: 'phase',
        query: 'phase=published',
        where: `WHERE ${orgWhere(1)}t.phase = $${scope.length + 1}`,
        params: [...scope, 'published'],
      },
      {
        name: 'organization+category',
        query: `organization=${org}&category=${category}`,
        where: 'WHERE t.organization = $1 AND t.category = $2',
        params: [org, category],
      },
      {
        name: 'overdue=true',
        query: 'overdue=true',
        where: `WHERE ${orgWhere(1)}t.next_deadline < now()`,
        params: scope,
      },
      {
        name: `q=${word}`,
        query: `q=${word}`,
        where: `WHERE ${orgWhere(1)}t.title ILIKE $${scope.length + 1}`,
        params: [...scope, `%${word}%`],
      },
      {
        name: 'keyset page 2 (cursor)',
        query: `cursor=${encodeURIComponent(cursor)}`,
        where: `WHERE ${orgWhere(1)}(t.created_at, t.id) < ($${scope.length + 1}, $${scope.length + 2})`,
        params: [...scope, cAt, cId],
      },
    ];
    for (const lc of cases) {
      const path = `/tenders${lc.query ? `?${lc.query}` : ''}`;
      const probe = await http.expect(200, 'GET', path, { token: c.token });
      await runClosedLoop(opts.warmup, 1, () => http.expect(200, 'GET', path, { token: c.token }));
      const r = await runClosedLoop(opts.requests, 1, () => http.expect(200, 'GET', path, { token: c.token }));
      const summary = summarize(r.latencies, r.wallMs, r.errors);
      const sql = `${SELECT} ${lc.where} ORDER BY t.created_at DESC, t.id DESC LIMIT 51`;
      const explain = await explainQuery(sys, sql, lc.params);
      results.push({ caller: who, case: lc.name, query: path, items: probe.body.items.length, summary, explain });
      say(
        `   ${who.padEnd(7)} ${lc.name.padEnd(24)} ${String(probe.body.items.length).padStart(2)} items: p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms` +
          ` | SQL ${explain.executionMs} ms via ${explain.scans.join(', ')}`,
      );
    }
  }
  http.close();
  return results;
}

async function explainQuery(sys: System, sql: string, params: unknown[]) {
  const { rows } = await sys.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  const scans = [
    ...plan.matchAll(
      /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan|Bitmap Heap Scan)( Backward)?(?: using (\S+))? on (\S+)/g,
    ),
  ]
    .filter((m) => m[1] !== 'Bitmap Heap Scan')
    .map((m) => `${m[1]}${m[2] ?? ''}${m[3] ? ` ${m[3]}` : ` on ${m[4]}`}`);
  const bitmapIdx = [...plan.matchAll(/Bitmap Index Scan on (\S+)/g)].map((m) => `Bitmap Index Scan ${m[1]}`);
  const all = [...new Set([...scans.filter((s) => !s.startsWith('Bitmap Index Scan on')), ...bitmapIdx])];
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  return { plan, scans: all, usesIndex: all.some((s) => !s.startsWith('Seq Scan')), executionMs };
}
