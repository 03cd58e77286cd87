import { SMTPServer, SMTPServerAddress } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  raw: string;
  from: string;
  to: string[];
}

/**
 * A real SMTP server on 127.0.0.1 for the tests (the `smtp-server` package): it keeps what it
 * receives, answers 550 to the addresses in `reject`, answers 421 to the next `busy` transactions,
 * and can be stopped and started again on the same port to play an outage.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  readonly reject = new Set<string>();
  busy = 0;
  /** How long the server takes to answer a message's data (a slow server). */
  dataDelayMs = 0;
  /** Messages whose data is being received and not yet answered. */
  inFlight = 0;
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onMailFrom: (_address: SMTPServerAddress, _session, callback) => {
        if (this.busy > 0) {
          this.busy -= 1;
          return callback(Object.assign(new Error('Service busy, try again later'), { responseCode: 421 }));
        }
        callback();
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.reject.has(address.address.toLowerCase())) {
          return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        this.inFlight += 1;
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          setTimeout(() => {
            this.inFlight -= 1;
            this.received.push({
              raw: Buffer.concat(chunks).toString('utf8'),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            callback(null, `Queued as T${this.received.length}`);
          }, this.dataDelayMs);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** The mails received of one kind for one tender (the outbox's x-tenderflow-* headers), to and text. */
export async function mailsOf(
  smtp: TestSmtpServer,
  tenderId: string,
  kind: string,
): Promise<{ to: string; text: string }[]> {
  const mails: { to: string; text: string }[] = [];
  for (const r of smtp.received) {
    const parsed = await simpleParser(r.raw);
    if (parsed.headers.get('x-tenderflow-tender') === tenderId && parsed.headers.get('x-tenderflow-kind') === kind)
      mails.push({ to: r.to.join(','), text: parsed.text ?? '' });
  }
  return mails;
}
