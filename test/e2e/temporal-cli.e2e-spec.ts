import { Client, Connection } from '@temporalio/client';
import { runTemporalCli } from '../../scripts/temporal';

/**
 * `npm run temporal -- <args>` against the real Temporal CLI and the dev server the e2e setup
 * started, found the way a developer's shell finds the one `npm start` runs: from
 * TEMPORAL_DEV_PORT alone, with no TEMPORAL_ADDRESS set.
 */
describe('npm run temporal', () => {
  const address = process.env.TEMPORAL_ADDRESS!;
  const port = address.split(':').pop()!;
  /** The environment of a shell beside `npm start … TEMPORAL_DEV_PORT=<port>`. */
  const shell = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_DEV_PORT: port };
    delete env.TEMPORAL_ADDRESS;
    return env;
  };
  const cli = async (...args: string[]) => {
    let out = '';
    const code = await runTemporalCli(args, { env: shell(), stdio: 'pipe', onOutput: (c) => (out += c) });
    return { code, out };
  };

  let connection: Connection;
  const workflowId = `cli-e2e-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    connection = await Connection.connect({ address });
    // A workflow on a queue no worker polls: it stays running until the CLI terminates it.
    await new Client({ connection, namespace: 'default' }).workflow.start('tenderWorkflow', {
      workflowId,
      taskQueue: `cli-e2e-${process.pid}`,
      args: [],
    });
  });
  afterAll(() => connection?.close());

  it('lists the workflows of the embedded server', async () => {
    const { code, out } = await cli('workflow', 'list', '--query', `WorkflowId='${workflowId}'`, '--output', 'json');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { execution: { workflowId: string }; status: string }[];
    expect(rows.map((r) => [r.execution.workflowId, r.status])).toEqual([
      [workflowId, 'WORKFLOW_EXECUTION_STATUS_RUNNING'],
    ]);
  });

  it("knows the project's search attributes in its namespace", async () => {
    const { code, out } = await cli('operator', 'search-attribute', 'list');
    expect(code).toBe(0);
    for (const name of ['TenderId', 'TenderPhase', 'NextDeadline']) expect(out).toContain(name);
  });

  it('changes the server: a workflow it terminates is terminated', async () => {
    const terminated = await cli(
      'workflow',
      'terminate',
      '--workflow-id',
      workflowId,
      '--reason',
      'npm run temporal e2e',
    );
    expect(terminated.code).toBe(0);
    const handle = new Client({ connection, namespace: 'default' }).workflow.getHandle(workflowId);
    expect((await handle.describe()).status.name).toBe('TERMINATED');
  });

  it("passes the CLI's failure on", async () => {
    const { code, out } = await cli('workflow', 'describe', '--workflow-id', `${workflowId}-none`);
    expect(code).not.toBe(0);
    expect(out).toMatch(/not found/i);
  });
});
