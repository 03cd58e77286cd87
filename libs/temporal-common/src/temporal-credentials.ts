import { readFileSync } from 'node:fs';
import type { AppConfig } from '@tenderflow/config';

/** Where this process's bearer token towards Temporal comes from (README, "Temporal in production"). */
export type TokenSource =
  | { kind: 'static'; key: string }
  | { kind: 'file'; path: string }
  | { kind: 'oidc'; tokenUrl: string; clientId: string; clientSecretFile: string; resource?: string };

/** The token source the configuration names, if any. */
export function tokenSourceOf(temporal: AppConfig['temporal']): TokenSource | undefined {
  if (temporal.apiKey) return { kind: 'static', key: temporal.apiKey };
  if (temporal.apiKeyFile) return { kind: 'file', path: temporal.apiKeyFile };
  if (temporal.oidc) return { kind: 'oidc', ...temporal.oidc };
  return undefined;
}

export interface TemporalCredentialsOptions {
  /** How often a key file is read again (ms). */
  filePollMs?: number;
  /** A token is renewed when this share of its lifetime has passed. */
  renewAt?: number;
  /** After a failed renewal, the next try (ms); the current token is kept meanwhile. */
  retryMs?: number;
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

/**
 * This process's bearer token towards Temporal's frontend, kept current: a key from the
 * environment as it is, a key file read again when it changes (a rotated secret), or a token of
 * the process's own identity from the OpenID provider (OAuth client credentials) renewed before it
 * expires. `current()` is what the client's Connection sends (its `apiKey` callback); listeners
 * (the worker's NativeConnection.setApiKey) hear of every new token.
 */
export class TemporalCredentials {
  private token?: string;
  /** The token the listeners last took (a listener that failed hears of it again at the next renewal). */
  private notified?: string;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((token: string) => Promise<void> | void)[] = [];
  private stopped = false;

  constructor(
    private readonly source: TokenSource,
    private readonly opts: TemporalCredentialsOptions = {},
  ) {}

  /** The first token; then renewal runs in the background until `stop()`. */
  async start(): Promise<string> {
    const { token, renewInMs } = await this.obtain();
    this.token = token;
    this.notified = token;
    this.schedule(renewInMs);
    return token;
  }

  current(): string {
    if (this.token === undefined) throw new Error('Temporal credentials are not started');
    return this.token;
  }

  onRenew(listener: (token: string) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Obtains a token now and tells the listeners when it differs (also what the timer runs). */
  async renew(): Promise<void> {
    const { token, renewInMs } = await this.obtain();
    this.token = token;
    if (token !== this.notified) {
      for (const l of this.listeners) await l(token);
      this.notified = token;
    }
    this.schedule(renewInMs);
  }

  private schedule(ms: number | undefined): void {
    // One renewal pending at a time, whoever asked for it.
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped || ms === undefined) return;
    this.timer = setTimeout(() => {
      this.renew().catch((err: unknown) => {
        this.opts.log?.(
          `Temporal token not renewed (${(err as Error).message}); the current one is kept, trying again`,
        );
        this.schedule(this.opts.retryMs ?? 10_000);
      });
    }, ms);
    this.timer.unref();
  }

  private async obtain(): Promise<{ token: string; renewInMs?: number }> {
    const s = this.source;
    if (s.kind === 'static') return { token: s.key };
    if (s.kind === 'file') {
      const token = readFileSync(s.path, 'utf8').trim();
      if (!token) throw new Error(`${s.path} holds no key`);
      return { token, renewInMs: this.opts.filePollMs ?? 60_000 };
    }
    const secret = readFileSync(s.clientSecretFile, 'utf8').trim();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      ...(s.resource ? { resource: s.resource } : {}),
    });
    const res = await (this.opts.fetch ?? fetch)(s.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof answer.access_token !== 'string') {
      throw new Error(
        `the token endpoint ${s.tokenUrl} answered ${res.status} ${typeof answer.error === 'string' ? answer.error : ''}`.trim(),
      );
    }
    const lifetimeS = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 300;
    return { token: answer.access_token, renewInMs: Math.max(1_000, lifetimeS * 1000 * (this.opts.renewAt ?? 0.8)) };
  }
}
