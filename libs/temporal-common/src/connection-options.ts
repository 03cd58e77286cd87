import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { temporalAddress, type AppConfig } from '@tenderflow/config';

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
            ...(tls.certFile && tls.keyFile ? { clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
          },
        }
      : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}
