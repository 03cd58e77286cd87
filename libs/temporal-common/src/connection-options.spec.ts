import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tenderflow/config';
import { temporalConnectionOptions } from './connection-options';

describe('temporalConnectionOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenderflow-tls-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ca = file('ca.pem', 'CA');
  const crt = file('api.pem', 'CERT');
  const key = file('api.key', 'KEY');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a plain connection to the address by default (the embedded dev server)', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it("connects with mTLS (the private CA, this process's certificate and key) and the bearer token for the authorizer", () => {
    const options = temporalConnectionOptions(
      loadConfig({
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_TLS_CA_FILE: ca,
        TEMPORAL_TLS_CERT_FILE: crt,
        TEMPORAL_TLS_KEY_FILE: key,
        TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend',
        TEMPORAL_API_KEY: 'eyJ.api-token',
      }),
    );
    expect(options).toEqual({
      address: 'temporal.internal:7233',
      tls: {
        serverNameOverride: 'temporal-frontend',
        serverRootCACertificate: Buffer.from('CA'),
        clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      },
      apiKey: 'eyJ.api-token',
    });
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: crt })).toThrow(ConfigError);
    expect(() => loadConfig({ TEMPORAL_TLS_KEY_FILE: key })).toThrow(/TEMPORAL_TLS_CERT_FILE/);
  });
});
