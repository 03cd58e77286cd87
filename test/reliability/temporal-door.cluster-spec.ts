import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { mintToken } from '../../scripts/lib/tokens';
import { buildDist } from '../support/build-dist';
import { signInAtTemporalUi } from '../support/oidc-flow';
import { DEMO_PASSWORD } from '../../scripts/lib/dev-oidc-provider';
import { Cluster } from './cluster';
import type { ClusterBackendAccess } from './temporal-backends';

const say = (line: string) => process.stdout.write(`[door] ${line}\n`);
const ORG = 'DOOR';

/** gRPC status codes the attempts end with. */
const PERMISSION_DENIED = 7;

/**
 * Temporal's own door (README, "Temporal in production"), on the production topology with TLS and
 * authorization on: the frontend, history, matching, the internal frontend and the system worker of
 * the real server on PostgreSQL, the API and the worker as their own processes, each with its client
 * certificate and its token from the OpenID provider. A tender is made through the API; then
 * someone who reaches port 7233 tries to drive it around the API: without a certificate (refused at
 * the handshake), with a certificate but no token, and with the operator's read-only token (every
 * start, signal, update, reset and terminate refused: permission denied). The tender, its chain and
 * the read model are as before; the API's and the worker's identities may write.
 */
describe('Temporal with mTLS and authorization: who may drive a tender', () => {
  const cluster = new Cluster({ workers: 1, apis: 1, log: say, temporal: 'cluster' });
  let door: ClusterBackendAccess;
  let officer: string;
  let tenderId: string;
  const opened: Connection[] = [];

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${cluster.apiUrl(0)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const as = async (certificate: Parameters<ClusterBackendAccess['connectAs']>[0], identity: string | undefined) => {
    const c = await door.connectAs(certificate, identity);
    opened.push(c);
    return new Client({ connection: c, namespace: cluster.namespace });
  };
  /** The gRPC status an attempt ends with (0: it went through). */
  const statusOf = async (attempt: () => Promise<unknown>): Promise<number> => {
    try {
      await attempt();
      return 0;
    } catch (err) {
      const e = err as { code?: number; cause?: { code?: number } };
      return e.code ?? e.cause?.code ?? -1;
    }
  };

  beforeAll(async () => {
    buildDist();
    await cluster.start();
    door = cluster.temporal as unknown as ClusterBackendAccess;
    officer = await mintToken(cluster.secret, {
      sub: 'door-officer',
      name: 'Dora Officer',
      org: ORG,
      roles: ['procurement_officer'],
    });
    const created = await api('/tenders', {
      method: 'POST',
      headers: { 'idempotency-key': 'door-1' },
      body: JSON.stringify({
        title: 'Reagents behind a locked door',
        organization: ORG,
        category: 'lab',
        contractType: 'supplies',
        estimatedValueSek: 1_500_000,
      }),
    });
    expect(created.status).toBe(201);
    tenderId = ((await created.json()) as { id: string }).id;
  }, 600_000);

  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => undefined);
    await cluster.stop();
  }, 120_000);

  it('refuses a client without a certificate at the TLS handshake', async () => {
    // At the TLS level: the server asks for a certificate of its clients' CA and ends the handshake without one.
    const [host, port] = cluster.temporalAddress.split(':');
    const alert = await new Promise<string>((resolve) => {
      const socket = tlsConnect(
        { host, port: Number(port), servername: 'localhost', ca: readFileSync(door.caFile), ALPNProtocols: ['h2'] },
        () => socket.write('PRI * HTTP/2.0\r\n\r\n'),
      );
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      socket.on('close', () => resolve('closed'));
    });
    expect(alert).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    // And the SDK's client gets no connection at all.
    await expect(door.connectAs(undefined, undefined)).rejects.toThrow();
  });

  it('refuses every write to a tender without a token and with the read-only token; the tender is unchanged; the API and the worker may write', async () => {
    const before = await api(`/tenders/${tenderId}`).then(
      (r) => r.json() as Promise<{ version: number; phase: string }>,
    );
    const admin = await as('operator', 'temporal-setup');
    const historyLength = async () =>
      (await admin.workflow.getHandle(tenderWorkflowId(tenderId)).describe()).historyLength;
    const eventsBefore = await historyLength();

    const attempts = (client: Client) => {
      const handle = client.workflow.getHandle(tenderWorkflowId(tenderId));
      return {
        start: () =>
          client.workflow.start('tenderWorkflow', {
            taskQueue: cluster.taskQueue,
            workflowId: `tender-${tenderId}-forged`,
            args: [{ id: tenderId }],
          }),
        signal: () => handle.signal('invitationOutcome', { organization: 'X', status: 'joined' }),
        update: () =>
          handle.executeUpdate('decideGate', {
            args: [{ actor: { sub: 'mallory' }, payload: { gate: 'decision_to_procure', decision: 'approve' } }],
          }),
        reset: () =>
          client.workflowService.resetWorkflowExecution({
            namespace: cluster.namespace,
            workflowExecution: { workflowId: tenderWorkflowId(tenderId) },
            // An int64 on the wire; protobufjs takes a number for it.
            workflowTaskFinishEventId: 3 as unknown as NonNullable<
              temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId']
            >,
            requestId: `door-${Date.now()}`,
            reason: 'forged',
          }),
        terminate: () => handle.terminate('forged'),
      };
    };
    for (const [who, certificate, identity] of [
      ['a certificate without a token', 'operator', undefined],
      ["the operator's read-only token", 'operator', 'temporal-operator'],
    ] as const) {
      const client = await as(certificate, identity);
      const codes: Record<string, number> = {};
      for (const [name, attempt] of Object.entries(attempts(client))) codes[name] = await statusOf(attempt);
      say(`${who}: ${JSON.stringify(codes)}`);
      expect({ who, codes }).toEqual({
        who,
        codes: {
          start: PERMISSION_DENIED,
          signal: PERMISSION_DENIED,
          update: PERMISSION_DENIED,
          reset: PERMISSION_DENIED,
          terminate: PERMISSION_DENIED,
        },
      });
    }
    // The operator may read what it may not change.
    const reader = await as('operator', 'temporal-operator');
    expect((await reader.workflow.getHandle(tenderWorkflowId(tenderId)).describe()).status.name).toBe('RUNNING');

    // Nothing moved: the same history, the same tender in the read model, the chain whole.
    expect(await historyLength()).toBe(eventsBefore);
    const after = await api(`/tenders/${tenderId}`).then(
      (r) => r.json() as Promise<{ version: number; phase: string }>,
    );
    expect({ version: after.version, phase: after.phase }).toEqual({ version: before.version, phase: before.phase });
    const verify = await api(`/tenders/${tenderId}/audit/verify`).then((r) => r.json() as Promise<{ valid: boolean }>);
    expect(verify.valid).toBe(true);

    // The API's identity (its certificate and token) may write: the tender takes its next command through the API,
    // and a workflow it starts straight in Temporal is started (and ended again here).
    const needs = await api(`/tenders/${tenderId}/needs-analysis`, {
      method: 'POST',
      body: JSON.stringify({
        need: 'Reagents',
        sustainability: { notApplicableReason: 'Standard goods' },
        laborConditions: { required: false, justification: 'EU wholesalers' },
        supplyPreparedness: { criticality: 'low' },
      }),
    });
    expect(needs.status).toBe(200);
    const apiClient = await as('tenderflow-api', 'tenderflow-api');
    const probe = await apiClient.workflow.start('doorProbe', {
      taskQueue: `door-probe-${process.pid}`,
      workflowId: `door-probe-${process.pid}`,
    });
    await probe.terminate('probe');
    const workerClient = await as('tenderflow-worker', 'tenderflow-worker');
    expect(await statusOf(() => workerClient.workflow.getHandle(tenderWorkflowId(tenderId)).describe())).toBe(0);
  }, 300_000);

  it("signs the Web UI's users in at the provider: an administrator's own token reads the workflows, another user's reads nothing, no token nothing", async () => {
    const ui = await door.startUi();
    const workflows = `${ui}/api/v1/namespaces/${cluster.namespace}/workflows`;
    const as = (t: { accessToken: string; idToken: string; cookies: string }) => ({
      headers: { cookie: t.cookies, authorization: `Bearer ${t.accessToken}`, 'authorization-extras': t.idToken },
    });
    const admin = await signInAtTemporalUi(ui, 'ada', DEMO_PASSWORD);
    // Ada's token is hers (not the UI's, not anonymous): her name, her role's read permission, for Temporal.
    const claims = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()) as {
      sub: string;
      aud: string;
      permissions: string[];
    };
    expect(claims).toMatchObject({ sub: 'ada', aud: 'temporal', permissions: [`${cluster.namespace}:read`] });
    const listed = await fetch(workflows, as(admin));
    expect(listed.status).toBe(200);
    const ids = ((await listed.json()) as { executions: { execution: { workflowId: string } }[] }).executions.map(
      (e) => e.execution.workflowId,
    );
    expect(ids).toContain(tenderWorkflowId(tenderId));

    const officer = await signInAtTemporalUi(ui, 'anna', DEMO_PASSWORD);
    const refused = await fetch(workflows, as(officer));
    say(`the UI for anna (no Temporal role): ${refused.status}`);
    expect(refused.status).toBe(403);
    expect((await fetch(workflows)).status).toBe(401);
  }, 180_000);
});
