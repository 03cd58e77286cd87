import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { threadRoot } from '@tenderflow/activities/notification-outbox';

/** One person's e-mail, as the outbox resolved and rendered it (notification_deliveries). */
export interface OutgoingEmail {
  id: string;
  notificationKey: string;
  tenderId: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  /** An iCalendar object, attached as text/calendar. */
  calendar: string | null;
  messageId: string;
  attempts: number;
}

/** Where e-mail goes. Chosen by configuration; the outbox dispatcher retries what fails for now. */
export abstract class NotificationDelivery {
  /** Sends one e-mail; resolves with the server's answer, rejects with its error. */
  abstract send(e: OutgoingEmail): Promise<string>;
}

/** The embedded default (no SMTP_URL): the e-mail is logged and counts as sent. */
export class LogDelivery extends NotificationDelivery {
  private readonly logger = new Logger('Notifications');

  async send(e: OutgoingEmail): Promise<string> {
    this.logger.log(
      { notification: e.notificationKey, kind: e.kind, to: e.to, subject: e.subject, calendar: !!e.calendar },
      'notification written to the log (SMTP_URL is not set)',
    );
    return 'logged: SMTP_URL is not set';
  }
}

/**
 * SMTP through nodemailer (SMTP_URL). Every message of a tender refers to one thread root
 * (References, In-Reply-To) under the tender's stable subject; its Message-ID is the delivery's
 * own, the same on every retry. Timeouts are short enough that a hanging server cannot hold a
 * claimed batch past its lease.
 */
export class SmtpDelivery extends NotificationDelivery {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(
      new SMTPTransport({ url, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 }),
    );
  }

  async send(e: OutgoingEmail): Promise<string> {
    const root = threadRoot(e.tenderId, this.from);
    const info = await this.transport.sendMail({
      from: this.from,
      to: e.to,
      subject: e.subject,
      text: e.text,
      messageId: e.messageId,
      inReplyTo: root,
      references: [root],
      headers: {
        'Auto-Submitted': 'auto-generated',
        'X-Tenderflow-Notification': e.notificationKey,
        'X-Tenderflow-Tender': e.tenderId,
        'X-Tenderflow-Kind': e.kind,
      },
      attachments: e.calendar
        ? [
            {
              filename: 'tidsfrist.ics',
              content: e.calendar,
              contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            },
          ]
        : [],
    });
    return String(info.response ?? 'accepted');
  }
}

/**
 * Whether a failed send is worth retrying. A 5xx answer to the envelope or the message is final
 * (RFC 5321 4.2.1: permanent negative completion); 4xx answers, refused or broken connections and
 * timeouts are transient. A 5xx to AUTH is the sender's configuration, not the recipient: retried,
 * so that mail queued while the credentials were wrong goes out once they are fixed.
 */
export function classifySendError(err: unknown): { permanent: boolean; answer: string } {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const answer = (e.response ?? (e.code ? `${e.code}: ${e.message ?? ''}` : e.message) ?? String(err)).slice(0, 1000);
  const permanent =
    typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.code !== 'EAUTH';
  return { permanent, answer };
}
