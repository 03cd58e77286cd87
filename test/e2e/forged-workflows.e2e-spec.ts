import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { promisify } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createContractActivities, type ReprocurementRequest } from '@tenderflow/activities/contract.activities';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { TemporalService } from '../../apps/api/src/temporal/temporal.service';
import { resolveBinary } from '../../scripts/lib/binaries';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';
import { tenderAwaitingDecision } from '../support/e2e-tenders';

const run = promisify(execFile);

/**
 * Issue 24, "every write has a proven origin": someone who reaches Temporal's frontend starts
 * workflows under a real tender's id patterns, signals a tender, and an operator resets one. Against
 * the real API, worker, PostgreSQL and Temporal dev server. Before (commit 959295e) the forged
 * contract wrote `contract.registered` into the real tender's chain and re-procured it in another
 * organisation; the forged coordination wrote `invitation.sent` and e-mailed the attacker's address;
 * a hand-made `invitationOutcome` signal set a body to "joined" with a back-dated answer, or made its
 * status an audit event type; after a reset the new run's decision was missing from the chain.
 * Now: nothing is written, no message is queued, the security log has each attempt, the chain
 * verifies and holds exactly the accepted steps.
 */
describe('forged workflows, forged signals and resets against the real stack', () => {
  let sys: E2eSystem;
  let client: Client;
  let ds: DataSource;
  const t: Record<string, string> = {};
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const mallory = { sub: 'mallory', name: 'Mallory', org: 'EVIL' };
  /** The attacker's own command key: the workflows they start pin it, and they sign with it. */
  const attackerKey = new CommandSigner(generateKeyPairSync('ed25519').privateKey);

  const post = (path: string, token: string, body: object = {}) =>
    request(sys.http).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);
  const temporal = (...args: string[]) =>
    run(resolveBinary('temporal'), [...args, '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', 'default']);
  const queue = () => process.env.TEMPORAL_TASK_QUEUE!;

  beforeAll(async () => {
    sys = await startE2eSystem();
    client = sys.app.get(TemporalService).client;
    ds = sys.app.get(DataSource);
    t.anna = await sys.token({ sub: 'anna-f', name: 'Anna Upphandlare', org: 'HSN', roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo-f',
      name: 'Bo Beslutsfattare',
      org: 'HSN',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
    t.pia = await sys.token({ sub: 'pia-f', name: 'Pia Partner', org: 'KOMMF1', roles: ['partner'] });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  /** A direct award approved: it waits in contract. */
  async function directAward(title: string): Promise<string> {
    const id = (
      await post('/tenders', t.anna, {
        title,
        organization: 'HSN',
        category: `forged-${Date.now().toString(36)}`,
        contractType: 'supplies',
        estimatedValueSek: 90_000,
      }).expect(201)
    ).body.id;
    await post(`/tenders/${id}/needs-analysis`, t.anna, {
      sustainability: { notApplicableReason: 'Consumables' },
      supplyPreparedness: { criticality: 'low' },
    }).expect(200);
    expect(
      (await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200)).body
        .phase,
    ).toBe('contract');
    return id;
  }
  const contractBody = { supplier: 'Toner AB', valueSek: 90_000, startDate: today, endDate: nextYear, signedAt: today };

  /** What the tender's chain holds, and whether it verifies. */
  const chain = async (id: string) =>
    (await ds.query(`SELECT type, event_key FROM audit_events WHERE tender_id = $1 ORDER BY chain_index`, [id])) as {
      type: string;
      event_key: string;
    }[];
  const verify = async (id: string) =>
    (await get(`/tenders/${id}/audit/verify`, t.anna).expect(200)).body as { valid: boolean };
  const securityLog = (route: string) =>
    ds.query(`SELECT kind, status, reason FROM security_events WHERE route LIKE $1 ORDER BY id`, [route]) as Promise<
      { kind: string; status: number; reason: string }[]
    >;
  const startInput = async (workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return defaultPayloadConverter.fromPayload<Record<string, unknown>>(
      history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload,
    );
  };
  const closed = (workflowId: string) =>
    eventually(async () => {
      const d = await client.workflow.getHandle(workflowId).describe();
      return d.status.name === 'RUNNING' ? undefined : d.status.name;
    }, 60_000);

  it('a contract workflow started straight in Temporal under a real tender, with its own key and organisation, writes nothing and re-procures nothing', async () => {
    // A real contract, whose start input the attacker copies from Temporal.
    const real = await directAward('A real contract');
    await post(`/tenders/${real}/contract`, t.anna, contractBody).expect(200);
    const realInput = await startInput(`contract-${real}-K1`);
    // The target: a real tender waiting for its contract.
    const target = await directAward('The target');
    const before = await chain(target);
    const forgedId = `contract-${target}-K1`;
    const forged = {
      ...realInput,
      contractId: `${target}-K1`,
      tenderId: target,
      tenderWorkflowId: `tender-${target}`,
      organization: 'EVIL',
      registeredBy: mallory,
      commandKeys: [attackerKey.active],
    };
    await client.workflow.start('contractWorkflow', { workflowId: forgedId, taskQueue: queue(), args: [forged] });
    expect(await closed(forgedId)).toBe('FAILED');

    expect(await chain(target)).toEqual(before);
    expect(await verify(target)).toMatchObject({ valid: true });
    expect(await ds.query(`SELECT count(*)::int AS n FROM contracts WHERE id = $1`, [`${target}-K1`])).toEqual([
      { n: 0 },
    ]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE key LIKE $1`, [`${forgedId}:%`])).toEqual(
      [{ n: 0 }],
    );
    await get(`/contracts/${target}-K1`, t.anna).expect(404);
    expect(await securityLog(forgedId)).toEqual([
      expect.objectContaining({
        kind: 'unrecorded_start',
        status: 403,
        reason: expect.stringMatching(/not started by tender .* \(it has no parent\)/),
      }),
    ]);

    // Its re-procurement, asked as that workflow's activity: refused before anything is allocated.
    const forgedRun = (await client.workflow.getHandle(forgedId).describe()).runId;
    const activities = createContractActivities({ dataSource: ds, temporal: () => client });
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: forgedId, runId: forgedRun },
      workflowType: 'contractWorkflow',
    });
    const forgedAsk: ReprocurementRequest = {
      workflowId: forgedId,
      milestoneId: 'reprocurement_start-1',
      previousTenderId: target,
      title: 'Forged re-procurement',
      organization: 'EVIL',
      category: 'evil',
      contractType: 'supplies',
      estimatedValueSek: 1,
      frameworkAgreement: false,
      extensionOptionMonths: 0,
      createdBy: { sub: 'mallory', name: 'Mallory', org: 'EVIL', roles: ['contract_manager'] },
      createdAt: new Date().toISOString(),
      commandKeys: [attackerKey.active],
    };
    const asked = env.run(activities.prepareReprocurement, forgedAsk);
    await expect(asked).rejects.toThrow(/it writes nothing/);
    expect(await ds.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE actor_sub = $1`, [forgedId])).toEqual([
      { n: 0 },
    ]);
    // No re-procurement start for a tender of the forged workflow's (other suites' re-procurements may run meanwhile).
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM tender_starts s WHERE s.origin = 'reprocurement'
           AND (s.workflow_id IN (SELECT 'tender-' || tender_id FROM idempotency_keys WHERE actor_sub = $1) OR s.created_at > now() - interval '5 minutes' AND s.tender_id LIKE $2)`,
        [forgedId, `${target.split('-')[0]}-%`],
      ),
    ).toEqual([{ n: 0 }]);
    expect((await securityLog(forgedId)).map((r) => r.reason)).toEqual([
      expect.any(String),
      expect.stringMatching(/^prepareReprocurement: /),
    ]);

    // The real contract of the target, registered through the API after the forged run closed, writes.
    await post(`/tenders/${target}/contract`, t.anna, contractBody).expect(200);
    await eventually(async () =>
      (await chain(target)).some((e) => e.type === 'contract.registered' && e.event_key.startsWith(`${forgedId}#`))
        ? true
        : undefined,
    );
    expect(await verify(target)).toMatchObject({ valid: true });
    // The real contract's own writes come from a run its tender started: bound to that run.
    expect(await ds.query(`SELECT kind, tender_id FROM child_runs WHERE workflow_id = $1`, [forgedId])).toEqual([
      { kind: 'contract', tender_id: target },
    ]);
  });

  it('a coordination workflow started straight in Temporal under a real tender writes no invitation and sends no e-mail', async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Coordination target');
    const before = await chain(id);
    const forgedId = `coordination-${id}-EVIL`;
    const at = new Date(Date.now() + 14 * 86_400_000).toISOString();
    await client.workflow.start('coordinationWorkflow', {
      workflowId: forgedId,
      taskQueue: queue(),
      args: [
        {
          tenderId: id,
          tenderWorkflowId: `tender-${id}`,
          title: 'Click here',
          invitingOrganization: 'HSN',
          body: { organization: 'EVIL', name: 'Evil Corp', contactEmail: 'victim@example.org' },
          response: { at, lastDay: at.slice(0, 10), basis: 'made up' },
          invitedBy: mallory,
          invitedAt: new Date().toISOString(),
          commandKeys: [attackerKey.active],
        },
      ],
    });
    expect(await closed(forgedId)).toBe('FAILED');
    expect(await chain(id)).toEqual(before);
    expect(await verify(id)).toMatchObject({ valid: true });
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM notifications WHERE key LIKE $1 OR 'email:victim@example.org' = ANY(recipients)`,
        [`${forgedId}:%`],
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE address = 'victim@example.org'`),
    ).toEqual([{ n: 0 }]);
    expect(await securityLog(forgedId)).toEqual([expect.objectContaining({ kind: 'unrecorded_start', status: 403 })]);
  });

  it("a hand-made invitationOutcome signal changes nothing and is logged; the body's real answer is recorded", async () => {
    const created = await post('/tenders', t.anna, {
      title: 'Joint laboratory supplies',
      organization: 'HSN',
      category: 'lab-joint',
      contractType: 'supplies',
      estimatedValueSek: 4_000_000,
      contractTermMonths: 24,
      invitedBodies: [{ organization: 'KOMMF1', name: 'Kommun F1', contactEmail: 'upphandling@kommunf1.se' }],
    }).expect(201);
    const id = created.body.id as string;
    await post(`/tenders/${id}/needs-analysis`, t.anna, {
      sustainability: { notApplicableReason: 'Laboratory reagents with no relevant criteria' },
      laborConditions: { required: false, justification: 'Goods from EU wholesalers' },
      supplyPreparedness: { criticality: 'low' },
      lotJustification: 'One supplier chain',
    }).expect(200);
    expect(
      (await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200)).body
        .phase,
    ).toBe('coordination');
    const tender = client.workflow.getHandle(`tender-${id}`);
    const types = async () => (await chain(id)).map((e) => e.type);
    // The invitation is out (the body's coordination wrote it) before the attacker signals.
    const before = await eventually(async () => {
      const x = await types();
      return x.includes('invitation.sent') && x.includes('notification.queued') ? x : undefined;
    });

    // A forged join with a made-up mandate and a back-dated answer, a status that is no status, a time that is no time.
    await tender.signal('invitationOutcome', {
      tenderId: id,
      organization: 'KOMMF1',
      status: 'joined',
      at: '2020-01-01T00:00:00Z',
      answeredBy: mallory,
      mandateReference: 'forged',
    });
    await tender.signal('invitationOutcome', {
      tenderId: id,
      organization: 'KOMMF1',
      status: 'pwned<script>',
      at: 'not-a-date',
    });
    await eventually(
      async () => ((await securityLog(`tender-${id}#invitationOutcome`)).length === 2 ? true : undefined),
      30_000,
    );
    expect(await securityLog(`tender-${id}#invitationOutcome`)).toEqual([
      expect.objectContaining({
        kind: 'forged_message',
        status: 403,
        reason: expect.stringMatching(/holds no answer or lapse/),
      }),
      expect.objectContaining({ kind: 'forged_message', status: 403 }),
    ]);
    const s = (await get(`/tenders/${id}`, t.anna).expect(200)).body;
    expect(s).toMatchObject({
      phase: 'coordination',
      participants: [expect.objectContaining({ organization: 'KOMMF1', status: 'invited' })],
    });
    expect(await types()).toEqual(before);
    expect((await types()).some((x) => x.includes('pwned'))).toBe(false);

    // The real partner declines: answered 200, recorded, and the tender leaves coordination.
    await post(`/tenders/${id}/coordination/KOMMF1/response`, t.pia, {
      answer: 'decline',
      reason: 'Our own agreement runs until 2029',
    }).expect(200);
    const after = await eventually(async () => {
      const x = (await get(`/tenders/${id}`, t.anna).expect(200)).body;
      return x.phase === 'documents' ? x : undefined;
    });
    expect(after.participants[0]).toMatchObject({
      organization: 'KOMMF1',
      status: 'declined',
      declineReason: 'Our own agreement runs until 2029',
      answeredBy: { sub: 'pia-f' },
    });
    expect((await types()).filter((x) => x.startsWith('invitation.'))).toEqual([
      'invitation.sent',
      'invitation.answered',
      'invitation.declined',
    ]);
    expect(await verify(id)).toMatchObject({ valid: true });
  });

  it("an operator's reset to before a decision, then another decision: the chain holds both, the new one after the old; the read model follows the new run", async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Reset between decisions');
    const workflowId = `tender-${id}`;
    // The last workflow task completed before the decision's Update: the reset point.
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const resetPoint = [...history.events!]
      .reverse()
      .find((e) => e.workflowTaskCompletedEventAttributes)!
      .eventId!.toString();
    expect(
      (await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200)).body
        .phase,
    ).toBe('documents');

    // The operator resets there and keeps Temporal from re-applying the Update: the decision is undone.
    await temporal(
      'workflow',
      'reset',
      '--workflow-id',
      workflowId,
      '--event-id',
      resetPoint,
      '--reapply-exclude',
      'Update',
      '--reason',
      'operator: decision taken in error',
    );
    await eventually(async () => {
      const x = (await get(`/tenders/${id}`, t.anna).expect(200)).body;
      return x.phase === 'needs_analysis' && x.pendingGates.length === 1 ? true : undefined;
    }, 60_000).catch(async (err: unknown) => {
      const x = (await get(`/tenders/${id}`, t.anna).expect(200)).body;
      throw new Error(`after the reset the tender reads ${x.phase}, version ${x.version}: ${String(err)}`);
    });
    const rejected = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
      decision: 'reject',
      comment: 'Not needed after all',
    }).expect(200);
    expect(rejected.body.phase).not.toBe('documents');

    const decisions = (await get(`/tenders/${id}/audit`, t.anna).expect(200)).body.items.filter(
      (e: { type: string }) => e.type === 'gate.decided',
    ) as {
      payload: { payload: { decision: string } };
    }[];
    expect(decisions.map((e) => e.payload.payload.decision)).toEqual(['approve', 'reject']);
    expect(await verify(id)).toMatchObject({ valid: true });
    // The read model, list included, shows the new run's phase.
    const phase = rejected.body.phase as string;
    await eventually(async () =>
      (await get(`/tenders/${id}`, t.anna).expect(200)).body.phase === phase ? true : undefined,
    );
    const listed = await eventually(async () => {
      const items = (await get('/tenders?limit=100', t.anna).expect(200)).body.items as { id: string; phase: string }[];
      return items.find((x) => x.id === id && x.phase === phase);
    }, 20_000);
    expect(listed).toMatchObject({ id, phase });
  }, 180_000);
});
