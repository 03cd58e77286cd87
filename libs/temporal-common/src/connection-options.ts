import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { temporalAddress, type AppConfig } from '@tenderflow/config';
import { TemporalCredentials, tokenSourceOf } from './temporal-credentials';

/**
 * How the API, the worker and the start script connect to Temporal: the address, and in production
 * TLS to the frontend with this process's client certificate (mTLS) and a bearer token that the
 * server's claim mapper turns into this identity's roles (README, "Temporal in production"). Both
 * the client's Connection and the worker's NativeConnection take these options.
 */
export function temporalConnectionOptions(config: AppConfig): { address: string; tls?: TLSConfig; apiKey?: string } {
  const { tls, apiKey } = config.temporal;
  return {
    address: temporalAddress(config),
    ...(tls
      ? {
          tls: {
            ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
            ...(tls.caFile ? { serverRootCACertificate: readFileSync(tls.caFile) } : {}),
            ...(tls.certFile && tls.keyFile
              ? { clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } }
              : {}),
          },
        }
      : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

/** The connection's options and this process's credentials (a token kept current), for a secured frontend. */
export interface TemporalAccess {
  options: { address: string; tls?: TLSConfig };
  credentials?: TemporalCredentials;
}

/**
 * The connection options and, when the configuration names a token source (a key, a key file, the
 * OpenID provider's client credentials), the first token obtained and its renewal running. A client
 * Connection reads the current token at each call (`clientOptions`); a worker's NativeConnection
 * is given each new one (`credentials.onRenew(t => connection.setApiKey(t))`).
 */
export async function temporalAccess(config: AppConfig, log?: (line: string) => void): Promise<TemporalAccess> {
  const { apiKey: _static, ...options } = temporalConnectionOptions(config);
  const source = tokenSourceOf(config.temporal);
  const credentials = source ? new TemporalCredentials(source, { log }) : undefined;
  await credentials?.start();
  return { options, ...(credentials ? { credentials } : {}) };
}

/** A client Connection's options: the current token on every call. */
export function clientOptions(access: TemporalAccess): { address: string; tls?: TLSConfig; apiKey?: () => string } {
  const credentials = access.credentials;
  return { ...access.options, ...(credentials ? { apiKey: () => credentials.current() } : {}) };
}
