import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { gateEscalations } from '@tenderflow/db/escalations';

interface Row {
  id: string;
  key: string;
  kind: string;
  recipients: string[];
  subject: string;
  about: { topic?: string } | null;
  created_at: Date;
  resolved_at: Date | null;
  deliveries: {
    id: number;
    recipient: string;
    person_sub: string | null;
    person_name: string | null;
    address: string | null;
    channel: string;
    locale: string | null;
    subject: string | null;
    message_id: string | null;
    status: string;
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
    smtp_response: string | null;
    sent_at: string | null;
    failed_at: string | null;
  }[];
}

/** The outbox of one tender, per message and per recipient, and the gates it escalated. */
@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  async ofTender(tenderId: string) {
    const rows: Row[] = await this.dataSource.query(
      `SELECT n.id, n.key, n.kind, n.recipients, n.subject, n.about, n.created_at, n.resolved_at,
              coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.id) FILTER (WHERE d.id IS NOT NULL), '[]'::jsonb) AS deliveries
         FROM notifications n LEFT JOIN notification_deliveries d ON d.notification_id = n.id
        WHERE n.tender_id = $1
        GROUP BY n.id ORDER BY n.id LIMIT 1000`,
      [tenderId],
    );
    return {
      items: rows.map((n) => {
        const count = (s: string) => n.deliveries.filter((d) => d.status === s).length;
        return {
          key: n.key,
          kind: n.kind,
          topic: n.about?.topic ?? null,
          subject: n.subject,
          recipients: n.recipients,
          createdAt: n.created_at.toISOString(),
          status: !n.resolved_at
            ? 'unresolved'
            : count('failed') > 0
              ? 'failed'
              : count('queued') + count('sending') > 0
                ? 'queued'
                : 'sent',
          summary: { queued: count('queued') + count('sending'), sent: count('sent'), failed: count('failed') },
          deliveries: n.deliveries.map((d) => ({
            recipient: d.recipient,
            person: d.person_sub ? { sub: d.person_sub, name: d.person_name } : null,
            address: d.address,
            channel: d.channel,
            locale: d.locale,
            subject: d.subject,
            messageId: d.message_id,
            // `sending` is a claimed attempt in flight: to a reader it is still queued.
            status: d.status === 'sending' ? 'queued' : d.status,
            attempts: d.attempts,
            ...(d.status === 'queued' ? { nextAttemptAt: new Date(d.next_attempt_at).toISOString() } : {}),
            error: d.last_error,
            smtpResponse: d.smtp_response,
            sentAt: d.sent_at ? new Date(d.sent_at).toISOString() : null,
            failedAt: d.failed_at ? new Date(d.failed_at).toISOString() : null,
          })),
        };
      }),
      escalations: (await gateEscalations(this.dataSource, [tenderId])).map(({ tenderId: _, ...e }) => e),
    };
  }
}
