import { spawn } from 'node:child_process';
import { supervise } from './supervisor';

/** Real child processes: a "worker" that is killed is started again; stop() ends it for good. */
describe('supervise', () => {
  const longRunning = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

  it('restarts a SIGKILLed child with back-off and logs it; stop() stops it without a restart', async () => {
    const lines: string[] = [];
    const pids: number[] = [];
    const s = supervise({
      name: 'worker',
      spawn: longRunning,
      log: (l) => lines.push(l),
      initialBackoffMs: 50,
      onStart: (p) => pids.push(p.pid!),
    });
    await until(() => pids.length === 1);
    process.kill(pids[0], 'SIGKILL');
    await until(() => pids.length === 2);
    process.kill(pids[1], 'SIGKILL');
    await until(() => pids.length === 3);
    expect(s.restarts).toBe(2);
    expect(lines[0]).toMatch(/^worker exited \(SIGKILL\); restarting in 0\.1 s$/);
    expect(lines[1]).toMatch(/restarting in 0\.1 s$/); // 50 ms, then 100 ms
    const last = s.current;
    await s.stop();
    expect(last.signalCode ?? last.exitCode).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(pids).toHaveLength(3);
  });

  it('doubles the pause for a child that keeps crashing at once, up to the maximum', async () => {
    const lines: string[] = [];
    const s = supervise({
      name: 'api',
      spawn: () => spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' }),
      log: (l) => lines.push(l),
      initialBackoffMs: 20,
      maxBackoffMs: 80,
    });
    await until(() => lines.length >= 4);
    await s.stop();
    expect(lines.slice(0, 4).map((l) => l.replace(/.*restarting in /, ''))).toEqual([
      '0.0 s',
      '0.0 s',
      '0.1 s',
      '0.1 s',
    ]);
    expect(lines[0]).toMatch(/^api exited \(code 3\)/);
  });

  it('starts no child again once the stack is stopping, though its own stop() has not come yet', async () => {
    const pids: number[] = [];
    let stackStopping = false;
    const s = supervise({
      name: 'oidc',
      spawn: longRunning,
      log: () => undefined,
      initialBackoffMs: 20,
      onStart: (p) => pids.push(p.pid!),
      keepRunning: () => !stackStopping,
    });
    try {
      await until(() => pids.length === 1);
      const first = s.current;
      // Ctrl-C: the stack begins to stop, and the signal reaches this child before its stop() does.
      stackStopping = true;
      process.kill(pids[0], 'SIGTERM');
      await until(() => first.signalCode !== null);
      await new Promise((r) => setTimeout(r, 200));
      expect(pids).toHaveLength(1);
      expect(s.restarts).toBe(0);
    } finally {
      await s.stop();
    }
  });
});

async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
