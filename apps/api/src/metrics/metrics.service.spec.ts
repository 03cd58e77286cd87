import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Actor } from '@tenderflow/domain/types';
import { ProblemException } from '../common/problem';
import { MetricsService } from './metrics.service';

/** A DataSource stand-in that answers each query from a list and records the parameters. */
function fakeDataSource(answers: (sql: string) => unknown[] | Error) {
  const calls: { sql: string; params?: unknown[] }[] = [];
  const ds = {
    query: async (sql: string, params?: unknown[]) => {
      calls.push({ sql, params });
      const a = answers(sql);
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as DataSource;
  return { ds, calls };
}

const manager = (categories: string[]): Actor => ({
  sub: 'km',
  name: 'Kim',
  org: 'HSN',
  roles: ['category_manager'],
  categories,
});
const admin: Actor = { sub: 'root', name: 'Root', org: 'REGION', roles: ['admin'] };

describe('MetricsService', () => {
  it('exposes the HTTP histogram, the start counter and the gate waits computed at scrape', async () => {
    const { ds } = fakeDataSource((sql) =>
      sql.includes('pending_gates')
        ? [
            { gate: 'award_decision', seconds: 2 * 86_400 },
            { gate: 'award_decision', seconds: 5 * 3600 },
            { gate: 'decision_to_procure', seconds: 600 },
          ]
        : [],
    );
    const m = new MetricsService(ds);
    m.observeHttp('GET', '/tenders/:id/ocds', 200, 0.012);
    m.workflowStarted('eu');
    m.workflowStarted('eu');
    m.workflowStarted('direct');
    const text = await m.scrape();
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.025",method="GET",route="/tenders/:id/ocds",status="200"} 1',
    );
    expect(text).toContain('tenderflow_workflow_starts_total{regime="eu"} 2');
    expect(text).toContain('tenderflow_workflow_starts_total{regime="direct"} 1');
    expect(text).toContain('tenderflow_gate_pending_wait_seconds_count{gate="award_decision"} 2');
    expect(text).toContain('tenderflow_gate_pending_wait_seconds_bucket{le="86400",gate="award_decision"} 1');
    expect(text).toContain('tenderflow_gate_oldest_pending_wait_seconds{gate="award_decision"} 172800');
    expect(text).toContain('tenderflow_gate_oldest_pending_wait_seconds{gate="decision_to_procure"} 600');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('recomputes gate waits at every scrape: a decided gate disappears', async () => {
    let rows = [{ gate: 'cancellation', seconds: 100 }];
    const { ds } = fakeDataSource(() => rows);
    const m = new MetricsService(ds);
    expect(await m.scrape()).toContain('tenderflow_gate_pending_wait_seconds_count{gate="cancellation"} 1');
    rows = [];
    expect(await m.scrape()).not.toContain('gate="cancellation"');
  });

  it('still serves the process metrics when the database is down, and counts the failure', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { ds } = fakeDataSource(() => new Error('connection refused'));
    const m = new MetricsService(ds);
    const text = await m.scrape();
    expect(text).toContain('tenderflow_metrics_scrape_errors_total 1');
    expect(text).toContain('http_request_duration_seconds');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
    warn.mockRestore();
  });

  it('keeps registries apart: two services in one process do not clash', () => {
    const { ds } = fakeDataSource(() => []);
    expect(() => [new MetricsService(ds), new MetricsService(ds)]).not.toThrow();
  });

  describe('leadTimes access', () => {
    it("refuses a category manager a category outside the token's claim (403)", async () => {
      const { ds, calls } = fakeDataSource(() => []);
      const err = await new MetricsService(ds).leadTimes(manager(['lab']), 'it').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProblemException);
      expect((err as ProblemException).getStatus()).toBe(403);
      expect(calls).toHaveLength(0);
    });

    it("limits a category manager to the claim's categories and their own organisation; an admin to neither", async () => {
      const { ds, calls } = fakeDataSource(() => []);
      const m = new MetricsService(ds);
      const own = await m.leadTimes(manager(['lab', 'it']));
      expect(own.categories.map((c) => c.category)).toEqual(['it', 'lab']);
      expect(own.organization).toBe('HSN');
      expect(calls).toHaveLength(3);
      expect(calls.map((c) => c.params)).toEqual(Array(3).fill([['lab', 'it'], 'HSN']));
      for (const c of calls) expect(c.sql).toContain('t.organization = $2');
      calls.length = 0;
      expect((await m.leadTimes(admin)).organization).toBeNull();
      expect(calls.map((c) => c.params)).toEqual(Array(3).fill([null, null]));
      calls.length = 0;
      await m.leadTimes(admin, 'anything');
      expect(calls.map((c) => c.params)).toEqual(Array(3).fill([['anything'], null]));
    });

    it('answers a category manager without categories with an empty report, without querying', async () => {
      const { ds, calls } = fakeDataSource(() => []);
      expect((await new MetricsService(ds).leadTimes(manager([]))).categories).toEqual([]);
      expect(calls).toHaveLength(0);
    });
  });
});
