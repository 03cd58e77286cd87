import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TemporalService } from '../../apps/api/src/temporal/temporal.service';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { createReconcilerActivities } from '@tenderflow/activities/reconciler.activities';
import { resolveBinary } from '../../scripts/lib/binaries';
import type { CommandAuth } from '@tenderflow/temporal-common/command-signature';
import { E2eSystem, eventually, startE2eSystem } from '../support/e2e-system';
import { tenderAwaitingDecision } from '../support/e2e-tenders';

const run = promisify(execFile);

/**
 * Issue 11, "forged actors are trusted": an Update sent to Temporal past the API, with a made-up
 * actor, used to be accepted and chained as valid. Against the real API, worker, PostgreSQL and
 * Temporal dev server: the forged Update (by the client and by the Temporal CLI), a replayed
 * signed command and an expired one are refused by the workflow's validator; nothing changes (state
 * version, audit chain); each refusal is in the security log; the API's own commands still work.
 */
describe('signed commands against the real stack', () => {
  let sys: E2eSystem;
  let client: Client;
  let ds: DataSource;
  let signer: CommandSigner;
  const t: Record<string, string> = {};

  const post = (path: string, token: string, body: unknown = {}) =>
    request(sys.http)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token: string) => request(sys.http).get(path).set('Authorization', `Bearer ${token}`);

  const mallory = { sub: 'mallory', name: 'Mallory', org: 'HSN', roles: ['approver'], approvalLimitSek: 1e15 };
  const forgedDecision = { actor: mallory, payload: { gate: 'decision_to_procure', decision: 'approve' } };

  beforeAll(async () => {
    sys = await startE2eSystem();
    client = sys.app.get(TemporalService).client;
    ds = sys.app.get(DataSource);
    signer = sys.app.get(CommandSigner);
    t.anna = await sys.token({ sub: 'anna', name: 'Anna Upphandlare', org: 'HSN', roles: ['procurement_officer'] });
    t.bo = await sys.token({
      sub: 'bo',
      name: 'Bo Beslutsfattare',
      org: 'HSN',
      roles: ['approver'],
      approvalLimitSek: 10_000_000,
    });
  });
  afterAll(async () => {
    await sys?.close();
  });

  /** What must stay as it was: the state version, the pending gate, the chain (length, head, validity). */
  async function evidence(id: string) {
    const state = (await get(`/tenders/${id}`, t.anna).expect(200)).body;
    const verify = (await get(`/tenders/${id}/audit/verify`, t.anna).expect(200)).body;
    return {
      version: state.version,
      phase: state.phase,
      pending: state.pendingGates.map((g: { gate: string }) => g.gate),
      chain: verify,
    };
  }

  async function refusalOf(p: Promise<unknown>): Promise<{ type?: string; rule?: string }> {
    const err = await p.then(
      () => {
        throw new Error('expected the Update to be refused');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    return { type: cause.type ?? undefined, rule: (cause.details?.[0] as { rule?: string })?.rule };
  }

  /** Rows the worker wrote to the security log for Updates to this workflow. */
  async function securityLog(
    workflowId: string,
    rule: string,
  ): Promise<{ actor_sub: string | null; route: string; reason: string }[]> {
    return ds.query(
      `SELECT actor_sub, route, reason FROM security_events WHERE kind = 'bad_signature' AND route LIKE $1 AND reason LIKE $2 ORDER BY id`,
      [`temporal:${workflowId}/%`, `${rule}:%`],
    );
  }

  /** The inputs of the Updates accepted so far, as Temporal stored them (readable by anyone who can read history). */
  async function acceptedInputs(
    workflowId: string,
  ): Promise<{ name: string; input: Record<string, unknown> & { auth: CommandAuth } }[]> {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
      .filter((r): r is NonNullable<typeof r> => Boolean(r))
      .map((r) => ({
        name: r.input!.name!,
        input: defaultPayloadConverter.fromPayload(r.input!.args!.payloads![0] as Payload),
      }));
  }

  it("refuses the issue's forged decideGate sent with the Temporal client; nothing changes and the attempt is logged", async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    const before = await evidence(id);
    expect(before.pending).toEqual(['decision_to_procure']);

    const r = await refusalOf(
      client.workflow.getHandle(`tender-${id}`).executeUpdate('decideGate', { args: [forgedDecision] }),
    );

    expect(r).toEqual({ type: 'Forbidden', rule: 'unsigned_command' });
    expect(await evidence(id)).toEqual(before);
    const [logged] = await eventually(async () =>
      (await securityLog(`tender-${id}`, 'unsigned_command')).length > 0
        ? securityLog(`tender-${id}`, 'unsigned_command')
        : undefined,
    );
    expect(logged).toMatchObject({
      actor_sub: 'mallory',
      route: expect.stringMatching(new RegExp(`^temporal:tender-${id}/decideGate#`)),
    });
  });

  it("refuses the issue's forged decideGate sent with the Temporal CLI; nothing changes", async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    const before = await evidence(id);

    const cli = await run(resolveBinary('temporal'), [
      'workflow',
      'update',
      'execute',
      '--address',
      process.env.TEMPORAL_ADDRESS!,
      '--namespace',
      'default',
      '--workflow-id',
      `tender-${id}`,
      '--name',
      'decideGate',
      '--input',
      JSON.stringify(forgedDecision),
    ]).then(
      (ok) => ({ code: 0, out: `${ok.stdout}${ok.stderr}` }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: e.code ?? -1,
        out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
      }),
    );

    expect(cli.code).not.toBe(0);
    expect(cli.out).toMatch(/not signed by the API/);
    expect(await evidence(id)).toEqual(before);
    await eventually(async () =>
      (await securityLog(`tender-${id}`, 'unsigned_command')).length > 0 ? true : undefined,
    );
  });

  it('refuses a signed command replayed under another Update ID, or to another tender; the same ID changes nothing either', async () => {
    const first = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    const second = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    // The API's own signed completeNeedsAnalysis, as anyone who can read the history sees it.
    const [accepted] = await acceptedInputs(`tender-${first}`);
    expect(accepted.name).toBe('completeNeedsAnalysis');
    expect(accepted.input.auth).toMatchObject({
      keyId: signer.active.id,
      workflowId: `tender-${first}`,
      command: 'completeNeedsAnalysis',
    });
    const before = { first: await evidence(first), second: await evidence(second) };

    const again = client.workflow.getHandle(`tender-${first}`);
    expect(
      await refusalOf(again.executeUpdate('completeNeedsAnalysis', { args: [accepted.input], updateId: randomUUID() })),
    ).toEqual({
      type: 'Forbidden',
      rule: 'replayed_command',
    });
    const elsewhere = client.workflow.getHandle(`tender-${second}`);
    expect(
      await refusalOf(
        elsewhere.executeUpdate('completeNeedsAnalysis', {
          args: [accepted.input],
          updateId: accepted.input.auth.updateId,
        }),
      ),
    ).toEqual({
      type: 'Forbidden',
      rule: 'replayed_command',
    });
    // The very same Update ID on the same tender is the same Update: Temporal answers its first
    // outcome (or, once the workflow has forgotten it, the validator finds the signature expired).
    await again
      .executeUpdate('completeNeedsAnalysis', { args: [accepted.input], updateId: accepted.input.auth.updateId })
      .catch(() => undefined);

    expect({ first: await evidence(first), second: await evidence(second) }).toEqual(before);
    await eventually(async () =>
      (await securityLog(`tender-${first}`, 'replayed_command')).length > 0 ? true : undefined,
    );
  });

  it('refuses a command whose signature has expired', async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    const before = await evidence(id);
    const updateId = randomUUID();
    const input = {
      actor: { sub: 'bo', name: 'Bo Beslutsfattare', org: 'HSN', roles: ['approver'], approvalLimitSek: 10_000_000 },
      payload: { gate: 'decision_to_procure', decision: 'approve' },
    };
    const auth = signer.sign({
      workflowId: `tender-${id}`,
      command: 'decideGate',
      updateId,
      now: Date.now() - 6 * 60_000,
      ...input,
    });

    const r = await refusalOf(
      client.workflow.getHandle(`tender-${id}`).executeUpdate('decideGate', { args: [{ ...input, auth }], updateId }),
    );

    expect(r).toEqual({ type: 'Forbidden', rule: 'expired_command' });
    expect(await evidence(id)).toEqual(before);
  });

  it("still carries the API's own commands, signed, into the chain", async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'Signed commands');
    const decided = await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, {
      decision: 'approve',
    }).expect(200);
    expect(decided.body.phase).toBe('documents');
    const audit = (await get(`/tenders/${id}/audit`, t.anna).expect(200)).body.items as {
      type: string;
      actor: { sub: string } | null;
    }[];
    expect(audit.filter((e) => e.type === 'gate.decided').map((e) => e.actor?.sub)).toEqual(['bo']);
    expect((await get(`/tenders/${id}/audit/verify`, t.anna).expect(200)).body.valid).toBe(true);
    const inputs = await acceptedInputs(`tender-${id}`);
    expect(inputs.map((i) => [i.name, i.input.auth.keyId])).toEqual([
      ['completeNeedsAnalysis', signer.active.id],
      ['decideGate', signer.active.id],
    ]);
  });

  it('a tender started straight in Temporal, with a made-up creator and its own command key, writes nothing and fails', async () => {
    const id = await tenderAwaitingDecision(sys, t.anna, 'The original');
    // The attacker copies a real start input from the history and makes it theirs.
    const history = await client.workflow.getHandle(`tender-${id}`).fetchHistory();
    const original = defaultPayloadConverter.fromPayload<Record<string, unknown>>(
      history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload,
    );
    const forgedId = `HSN-2026-${String(90000 + Math.floor(Math.random() * 9999)).padStart(5, '0')}`;
    const forged = {
      ...original,
      id: forgedId,
      title: 'Forged straight to Temporal',
      createdBy: mallory,
      commandKeys: [{ id: 'ed25519:mallory', publicKey: '01'.repeat(32) }],
    };
    const handle = await client.workflow.start('tenderWorkflow', {
      workflowId: `tender-${forgedId}`,
      taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
      args: [forged],
    });
    const outcome = await handle.result().then(
      () => 'completed',
      (e: unknown) => (e as Error).name,
    );
    expect(outcome).toBe('WorkflowFailedError');
    const written = await ds.query(
      `SELECT (SELECT count(*)::int FROM audit_events WHERE tender_id = $1) AS audit,
              (SELECT count(*)::int FROM tenders WHERE id = $1) AS tenders,
              (SELECT count(*)::int FROM notifications WHERE tender_id = $1) AS notifications`,
      [forgedId],
    );
    expect(written).toEqual([{ audit: 0, tenders: 0, notifications: 0 }]);
    await get(`/tenders/${forgedId}`, t.anna).expect(404);
    // The reconciler, which records runs that ended outside the API, gives it no chain either.
    const report = await createReconcilerActivities({
      dataSource: ds,
      temporal: () => client,
    }).reconcileExternalActions();
    expect(report.recorded.map((r) => r.tenderId)).not.toContain(forgedId);
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE tender_id = $1`, [forgedId])).toEqual([
      { n: 0 },
    ]);
    const logged = await ds.query(`SELECT kind, actor_sub, status FROM security_events WHERE route = $1`, [
      `tender-${forgedId}`,
    ]);
    expect(logged).toEqual([{ kind: 'unrecorded_start', actor_sub: 'mallory', status: 403 }]);
    // The original, started through the API, goes on.
    await post(`/tenders/${id}/gates/decision_to_procure/decision`, t.bo, { decision: 'approve' }).expect(200);
  });
});
