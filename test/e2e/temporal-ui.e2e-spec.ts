import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { resolveBinary, resolveUiServer } from '../../scripts/lib/binaries';
import { READ_ONLY_UI_SETTINGS, startTemporalDevServerOnFreePorts } from '../../scripts/lib/services';

/**
 * The Temporal Web UI as `npm start` runs it (scripts/start.ts → startTemporalDevServer with the UI):
 * its settings say DisableWriteActions, and the UI server refuses a terminate, cancel, signal or
 * reset sent through its HTTP API, while reading still works. The workflow is left running.
 */
describe('Temporal Web UI of npm start: read-only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenderflow-ui-'));
  let temporal: Awaited<ReturnType<typeof startTemporalDevServerOnFreePorts>>;
  let connection: Connection;
  let client: Client;
  let ui: string;
  const workflowId = `ui-read-only-${process.pid}`;

  beforeAll(async () => {
    // The first run builds the UI server from the Go module proxy (about a minute); later runs use the cache.
    const server = resolveUiServer(undefined, (l) => process.stderr.write(`${l}\n`));
    if (server.path === undefined) throw new Error(server.reason);
    temporal = await startTemporalDevServerOnFreePorts({
      cliPath: resolveBinary('temporal'),
      dataDir: join(dir, 'temporal'),
      namespace: 'default',
      ui: true,
      uiServerPath: server.path,
    });
    ui = temporal.uiUrl!;
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection });
    // No worker polls this queue: the workflow stays running, whatever the UI is asked to do.
    await client.workflow.start('tenderWorkflow', { taskQueue: 'nobody-polls', workflowId, args: [] });
  }, 600_000);

  afterAll(async () => {
    await connection?.close();
    await temporal?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds the UI to 127.0.0.1 and writes the read-only settings into its configuration', () => {
    expect(new URL(ui).hostname).toBe('127.0.0.1');
    const yaml = readFileSync(join(dir, 'temporal', 'ui', 'tenderflow.yaml'), 'utf8');
    expect(yaml).toMatch(/^disableWriteActions: true$/m);
    expect(yaml).toMatch(/^host: "127\.0\.0\.1"$/m);
  });

  it('GET /api/v1/settings shows DisableWriteActions: true and every action disabled', async () => {
    const res = await fetch(`${ui}/api/v1/settings`);
    expect(res.status).toBe(200);
    const settings = (await res.json()) as Record<string, unknown>;
    expect(settings.DisableWriteActions).toBe(true);
    const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
    for (const key of Object.keys(READ_ONLY_UI_SETTINGS))
      expect({ key, value: settings[pascal(key)] }).toEqual({ key, value: true });
    process.stdout.write(
      `Temporal UI ${settings.Version} at ${ui}: DisableWriteActions=${settings.DisableWriteActions}\n`,
    );
  });

  it('still reads: the workflow, through the UI API', async () => {
    const res = await fetch(`${ui}/api/v1/namespaces/default/workflows/${workflowId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { workflowExecutionInfo?: { status?: string } };
    expect(body.workflowExecutionInfo?.status).toBe('WORKFLOW_EXECUTION_STATUS_RUNNING');
  });

  it('refuses terminate, cancel, signal and reset with 405 (with a valid CSRF token); the workflow keeps running', async () => {
    // The UI's own requests carry its CSRF cookie and header; so do these, so that only the
    // read-only rule can refuse them.
    const first = await fetch(`${ui}/api/v1/settings`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^_csrf=\w+/);
    const csrf = cookie.slice('_csrf='.length);
    const base = `${ui}/api/v1/namespaces/default/workflows/${workflowId}`;
    const attempts: Record<string, string> = {
      terminate: `${base}/terminate`,
      cancel: `${base}/cancel`,
      signal: `${base}/signal/anything`,
      reset: `${base}/reset`,
    };
    const answers: Record<string, number> = {};
    for (const [name, url] of Object.entries(attempts)) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-TOKEN': csrf },
        body: JSON.stringify({ reason: 'attempt through the UI' }),
      });
      answers[name] = res.status;
      expect(await res.json()).toEqual({ message: 'Method Not Allowed' });
    }
    expect(answers).toEqual({ terminate: 405, cancel: 405, signal: 405, reset: 405 });
    const described = await client.workflow.getHandle(workflowId).describe();
    expect(described.status.name).toBe('RUNNING');
  });
});
