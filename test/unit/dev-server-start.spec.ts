import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitedBeforeReady, startTemporalDevServerOnFreePorts } from '../../scripts/lib/services';

/**
 * A dev server that exits before it is ready (CI: "Temporal dev server exited with 2", a port taken
 * between freePort and the bind) is started again on fresh ports, and the error that finally says
 * it failed carries what the server printed. The "server" here is a script that counts its starts,
 * prints the port it was given and exits with 2 – a unit test of the retry, not of Temporal.
 */
describe('startTemporalDevServerOnFreePorts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenderflow-devserver-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tries three times on different ports and reports the last output', async () => {
    const starts = join(dir, 'starts');
    const cli = join(dir, 'temporal');
    writeFileSync(
      cli,
      `#!/bin/sh\nwhile [ "$1" != "--port" ]; do shift; done\necho "$2" >> "${starts}"\n` +
        `echo "listen tcp 127.0.0.1:$2: bind: address already in use" >&2\nexit 2\n`,
    );
    chmodSync(cli, 0o755);
    const lines: string[] = [];
    const failure = await startTemporalDevServerOnFreePorts({
      cliPath: cli,
      dataDir: join(dir, 'data'),
      namespace: 'default',
      ui: false,
      log: (l) => lines.push(l),
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ExitedBeforeReady);
    const ports = readFileSync(starts, 'utf8').trim().split('\n');
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect((failure as Error).message).toContain(`exited with 2`);
    expect((failure as Error).message).toContain(`127.0.0.1:${ports[2]}: bind: address already in use`);
    expect(lines.filter((l) => l.includes('starting again on fresh ports'))).toHaveLength(2);
  });

  it('does not retry an error that is not an early exit', async () => {
    await expect(
      startTemporalDevServerOnFreePorts({ cliPath: join(dir, 'temporal'), dataDir: dir, namespace: 'x', ui: true }),
    ).rejects.toThrow('needs the ui-server binary');
  });
});
