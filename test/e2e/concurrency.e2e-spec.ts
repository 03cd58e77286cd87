import request from 'supertest';
import { DataSource } from 'typeorm';
import { E2eSystem, startE2eSystem } from '../support/e2e-system';

/** Races over HTTP against the real services: a start and a gate decision must each happen once. */
describe('concurrent requests', () => {
  let sys: E2eSystem;
  let officer: string;
  const body = {
    title: 'Concurrent starts of one tender',
    organization: 'KONK',
    category: 'it-services',
    contractType: 'services',
    estimatedValueSek: 1_500_000,
  };

  beforeAll(async () => {
    sys = await startE2eSystem();
    officer = await sys.token({ sub: 'karin', name: 'Karin', org: 'KONK', roles: ['procurement_officer'] });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('100 concurrent POST /tenders with one Idempotency-Key start exactly one workflow', async () => {
    const key = `race-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        request(sys.http)
          .post('/tenders')
          .set('Authorization', `Bearer ${officer}`)
          .set('Idempotency-Key', key)
          .send(body),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(responses.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    // Temporal agrees: one execution of tender-<id>, and no other tender of this organisation started.
    const { TemporalService } = await import('../../apps/api/src/temporal/temporal.service');
    const client = sys.app.get(TemporalService).client;
    const executions: string[] = [];
    for await (const wf of client.workflow.list({ query: `TenderId = "${id}"` })) executions.push(wf.runId);
    expect(executions).toHaveLength(1);
    const forOrg: string[] = [];
    for await (const wf of client.workflow.list({ query: `Organization = "KONK"` })) forOrg.push(wf.workflowId);
    expect(forOrg).toEqual([`tender-${id}`]);
    // And the system recorded one start of it, with the input Temporal has (every repeat found it, none added its own).
    const ds = sys.app.get(DataSource);
    const starts: { origin: string; input: { id: string } }[] = await ds.query(
      `SELECT origin, input FROM tender_starts WHERE tender_id = $1`,
      [id],
    );
    expect(starts).toEqual([{ origin: 'api', input: expect.objectContaining({ id, title: body.title }) }]);
    // The workflow's first step wrote the read model, which it does only for a recorded input (tender-starts.ts).
    let written: unknown[] = [];
    for (let i = 0; i < 100 && written.length === 0; i++) {
      written = await ds.query(`SELECT 1 FROM tenders WHERE id = $1 AND state_version >= 1`, [id]);
      if (written.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(written).toHaveLength(1);
  });

  it('10 concurrent decisions on one gate: exactly one is accepted, the others refused with the reason', async () => {
    const created = await request(sys.http)
      .post('/tenders')
      .set('Authorization', `Bearer ${officer}`)
      .send({ ...body, title: 'Gate race' })
      .expect(201);
    const id = created.body.id as string;
    await request(sys.http)
      .post(`/tenders/${id}/needs-analysis`)
      .set('Authorization', `Bearer ${officer}`)
      .send({
        sustainability: { notApplicableReason: 'Consultancy hours; no material sustainability impact' },
        supplyPreparedness: { criticality: 'low' },
      })
      .expect(200);
    const approvers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sys.token({
          sub: `approver-${i}`,
          name: `Approver ${i}`,
          org: 'KONK',
          roles: ['approver'],
          approvalLimitSek: 5_000_000,
        }),
      ),
    );
    const results = await Promise.all(
      approvers.map((token) =>
        request(sys.http)
          .post(`/tenders/${id}/gates/decision_to_procure/decision`)
          .set('Authorization', `Bearer ${token}`)
          .send({ decision: 'approve', comment: 'Go' }),
      ),
    );
    const accepted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(accepted).toHaveLength(1);
    expect(refused.map((r) => r.status)).toEqual(Array(9).fill(409));
    for (const r of refused) expect(r.body.detail).toEqual(expect.stringMatching(/decision_to_procure|pending|phase/i));
    const state = await request(sys.http).get(`/tenders/${id}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(state.body.gateDecisions.filter((d: { gate: string }) => d.gate === 'decision_to_procure')).toHaveLength(1);
    expect(state.body.phase).toBe('documents');
  });
});
