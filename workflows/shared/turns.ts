/**
 * Commands, timers and children's reports interleave at every await of a workflow; a run object
 * extends this so that changes take turns, one at a time. Deterministic: plain promise chaining.
 */
export class TakesTurns {
  private lock: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every change queued before it; a failure does not block the next one. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  /** Waits until no turn is running or queued (children's reports are not update handlers). */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.lock;
      await seen;
    } while (seen !== this.lock);
  }

  now(): string {
    return new Date(Date.now()).toISOString();
  }
}
