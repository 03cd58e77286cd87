import { Mutex } from 'async-mutex';

/**
 * Commands, timers and children's reports interleave at every await of a workflow; a run object
 * extends this so that changes take turns, one at a time: a maintained mutex (async-mutex, as in
 * Temporal's safe-message-handlers sample), deterministic because it is plain promises.
 */
export class TakesTurns {
  private readonly turns = new Mutex();

  /** Runs `fn` after every change queued before it; a failure does not block the next one. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.turns.runExclusive(fn);
  }

  /** Waits until no turn is running or queued (children's reports are not update handlers). */
  async settled(): Promise<void> {
    while (this.turns.isLocked()) await this.turns.waitForUnlock();
  }

  now(): string {
    return new Date(Date.now()).toISOString();
  }
}
