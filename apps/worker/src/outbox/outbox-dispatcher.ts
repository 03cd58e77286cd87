import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationDelivery, OutgoingNotification } from './delivery';

export const MAX_ATTEMPTS = 10;

/** Minutes to wait after the n-th failed attempt: 1, 2, 4 … capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 60 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the outbox apart from the workflows, so that a mail server that is down never blocks a
 * tender. Rows are claimed with SKIP LOCKED, so several workers can run side by side.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private draining?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: NotificationDelivery,
    private readonly pollMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.draining) return;
      this.draining = this.drainOnce()
        .catch((err) => {
          this.logger.error(err, 'outbox drain failed');
          return 0;
        })
        .finally(() => (this.draining = undefined));
    }, this.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Delivers the due notifications once; returns how many were delivered. */
  async drainOnce(batch = 20): Promise<number> {
    let delivered = 0;
    await this.dataSource.transaction(async (m) => {
      const due: (OutgoingNotification & { attempts: number })[] = await m.query(
        `SELECT id, key, tender_id AS "tenderId", kind, recipients, subject, body, attempts FROM notifications
         WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      for (const n of due) {
        try {
          await this.delivery.deliver(n);
          await m.query(`UPDATE notifications SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE id = $1`, [n.id]);
          delivered += 1;
        } catch (err) {
          const attempts = n.attempts + 1;
          const failed = attempts >= MAX_ATTEMPTS;
          await m.query(
            `UPDATE notifications SET attempts = $2, last_error = $3, status = $4, next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1`,
            [n.id, attempts, String((err as Error).message ?? err).slice(0, 1000), failed ? 'failed' : 'pending', retryDelaySeconds(attempts)],
          );
          this.logger.warn({ notification: n.key, attempts, error: (err as Error).message }, failed ? 'notification failed for good' : 'notification delivery failed; will retry');
        }
      }
    });
    return delivered;
  }
}
