import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { resolvePendingNotifications, type OutboxOptions } from '@tenderflow/activities/notification-outbox';
import { classifySendError, NotificationDelivery, OutgoingEmail } from './delivery';

export interface DispatcherOptions extends OutboxOptions {
  pollMs: number;
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, up to an hour. */
  retryBaseSeconds: number;
}

export const RETRY_CAP_SECONDS = 3600;

/** Seconds to wait after the n-th failed attempt: base, 2 × base, 4 × base … capped at an hour. */
export function retryDelaySeconds(attempts: number, baseSeconds = 60): number {
  return Math.min(RETRY_CAP_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

/** How long a claimed delivery is someone's: longer than a batch of sends with nodemailer's timeouts. */
const LEASE_SECONDS = 900;

export interface DrainResult {
  sent: number;
  failed: number;
  retrying: number;
}

/**
 * Sends the outbox's deliveries apart from the workflows, so that a mail server that is down never
 * blocks a tender. No database transaction is open while SMTP is talked to: a batch is claimed
 * (FOR UPDATE SKIP LOCKED, marked `sending` with a lease) and committed, each e-mail is sent, then
 * its row is marked sent, failed, or queued again with back-off. A worker that dies mid-batch
 * leaves rows `sending`; when their lease ends another worker sends them again with the same
 * Message-ID (at least once; receivers can recognise the repeat).
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private draining?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: NotificationDelivery,
    private readonly options: DispatcherOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.draining) return;
      this.draining = this.drainOnce()
        .catch((err) => this.logger.error(err, 'outbox drain failed'))
        .finally(() => (this.draining = undefined));
    }, this.options.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Resolves what is unresolved, then sends the due deliveries once. */
  async drainOnce(batch = 20): Promise<DrainResult> {
    await resolvePendingNotifications(this.dataSource, this.options);
    const result: DrainResult = { sent: 0, failed: 0, retrying: 0 };
    const claimed = await this.claim(batch);
    for (const e of claimed) {
      try {
        const answer = await this.delivery.send(e);
        await this.dataSource.query(
          `UPDATE notification_deliveries SET status = 'sent', sent_at = now(), smtp_response = $2, last_error = NULL, claimed_until = NULL
           WHERE id = $1 AND status = 'sending'`,
          [e.id, answer.slice(0, 1000)],
        );
        result.sent += 1;
      } catch (err) {
        const { permanent, answer } = classifySendError(err);
        const final = permanent || e.attempts >= this.options.maxAttempts;
        const error = permanent ? answer : final ? `gave up after ${e.attempts} attempts: ${answer}` : answer;
        await this.dataSource.query(
          `UPDATE notification_deliveries SET status = $2, last_error = $3, smtp_response = $4, claimed_until = NULL,
             failed_at = CASE WHEN $2 = 'failed' THEN now() END, next_attempt_at = now() + make_interval(secs => $5)
           WHERE id = $1 AND status = 'sending'`,
          [
            e.id,
            final ? 'failed' : 'queued',
            error,
            (err as { response?: string }).response ?? null,
            retryDelaySeconds(e.attempts, this.options.retryBaseSeconds),
          ],
        );
        if (final) result.failed += 1;
        else result.retrying += 1;
        this.logger.warn(
          { notification: e.notificationKey, delivery: e.id, attempts: e.attempts, error: answer },
          final ? 'e-mail failed for good' : 'e-mail not delivered; will retry',
        );
      }
    }
    return result;
  }

  /** One statement, committed before anything is sent: due rows, and rows whose sender's lease ran out. */
  private async claim(batch: number): Promise<OutgoingEmail[]> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's query().
    const [rows]: [OutgoingEmail[], number] = await this.dataSource.query(
      `UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1, claimed_until = now() + make_interval(secs => $2)
        FROM notifications n
       WHERE n.id = d.notification_id AND d.id IN (
             SELECT id FROM notification_deliveries
              WHERE (status = 'queued' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
              ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING d.id, n.key AS "notificationKey", n.tender_id AS "tenderId", n.kind, d.address AS "to", d.subject, d.body AS text,
                 d.calendar, d.message_id AS "messageId", d.attempts`,
      [batch, LEASE_SECONDS],
    );
    return rows;
  }
}
