import type { ChildProcess } from 'node:child_process';
import { stopChild, Stoppable } from './services';

export interface SupervisorOptions {
  name: string;
  /** Starts a fresh process; called again after each crash. */
  spawn(): ChildProcess;
  log(line: string): void;
  /** First pause before a restart; doubles per quick crash up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process that ran this long before it crashed starts the back-off from the beginning again. */
  healthyAfterMs?: number;
  /** Called with each new process (e.g. to report its pid). */
  onStart?(proc: ChildProcess): void;
  /**
   * Asked before each restart: false once the whole stack is stopping. Ctrl-C reaches every child at
   * once, and the stack stops them one by one: a child that died of it before its own stop() must not
   * be started again, or it outlives the stack (a development provider left holding its port).
   */
  keepRunning?(): boolean;
}

/**
 * Keeps a child process running: a crashed worker or API (SIGKILL, out of memory, an uncaught
 * error) is restarted with back-off and logged, instead of taking the whole stack down. `stop()`
 * (Ctrl-C) stops it for good.
 */
export function supervise(
  opts: SupervisorOptions,
): Stoppable & { readonly current: ChildProcess; readonly restarts: number } {
  const initial = opts.initialBackoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 30_000;
  const healthyAfter = opts.healthyAfterMs ?? 60_000;
  let stopping = false;
  let backoff = initial;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: ChildProcess;

  const start = () => {
    const startedAt = Date.now();
    current = opts.spawn();
    opts.onStart?.(current);
    current.once('exit', (code, signal) => {
      if (stopping || opts.keepRunning?.() === false) return;
      if (Date.now() - startedAt >= healthyAfter) backoff = initial;
      opts.log(`${opts.name} exited (${signal ?? `code ${code}`}); restarting in ${(backoff / 1000).toFixed(1)} s`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping || opts.keepRunning?.() === false) return;
        restarts += 1;
        start();
      }, backoff);
      backoff = Math.min(backoff * 2, max);
    });
  };
  start();

  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await stopChild(current, 15_000);
    },
  };
}
