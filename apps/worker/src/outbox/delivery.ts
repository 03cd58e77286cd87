import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';

export interface OutgoingNotification {
  id: string;
  key: string;
  tenderId: string;
  kind: string;
  recipients: string[];
  subject: string;
  body: string;
}

/** Where notifications go. Chosen by configuration; the outbox dispatcher retries failures. */
export abstract class NotificationDelivery {
  abstract deliver(n: OutgoingNotification): Promise<void>;
}

/** The embedded default: the notification is logged and counts as delivered. */
export class LogDelivery extends NotificationDelivery {
  private readonly logger = new Logger('Notifications');

  async deliver(n: OutgoingNotification): Promise<void> {
    this.logger.log({ notification: n.key, kind: n.kind, to: n.recipients, subject: n.subject }, 'notification delivered to the log');
  }
}

/** SMTP through nodemailer, enabled by SMTP_URL. */
export class SmtpDelivery extends NotificationDelivery {
  private readonly transport: Transporter;

  constructor(url: string, private readonly from: string) {
    super();
    this.transport = createTransport(url);
  }

  async deliver(n: OutgoingNotification): Promise<void> {
    const recipients = n.recipients.filter((r) => r.includes('@'));
    if (recipients.length === 0) throw new Error(`no e-mail address among the recipients (${n.recipients.join(', ')})`);
    await this.transport.sendMail({
      from: this.from,
      to: recipients,
      subject: n.subject,
      text: n.body,
      headers: { 'X-Tenderflow-Notification': n.key, 'X-Tenderflow-Tender': n.tenderId },
    });
  }
}
