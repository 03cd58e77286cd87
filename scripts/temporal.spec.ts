import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tenderflow/config';
import { runTemporalCli, temporalCliEnv } from './temporal';

/**
 * `npm run temporal`: which server and namespace the CLI is pointed at. Against the real CLI and a
 * real dev server it runs in test/e2e/temporal-cli.e2e-spec.ts.
 */

describe('temporalCliEnv', () => {
  it('points the CLI at the embedded dev server and the default namespace by default', () => {
    const env = temporalCliEnv(loadConfig({}), { PATH: '/bin' });
    expect(env).toEqual({ PATH: '/bin', TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'default' });
  });

  it('follows TEMPORAL_DEV_PORT, as npm start does', () => {
    const env = temporalCliEnv(loadConfig({ TEMPORAL_DEV_PORT: '7300' }), {});
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7300');
  });

  it('uses TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE when they name another server', () => {
    const given = {
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'procurement',
      TEMPORAL_DEV_PORT: '7300',
    };
    const env = temporalCliEnv(loadConfig(given), given);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal.internal:7233');
    expect(env.TEMPORAL_NAMESPACE).toBe('procurement');
  });

  it("hands a secured frontend's TLS files and this identity's token to the CLI in its own variables", () => {
    const given = {
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CA_FILE: '/pki/ca.pem',
      TEMPORAL_TLS_CERT_FILE: '/pki/operator.pem',
      TEMPORAL_TLS_KEY_FILE: '/pki/operator.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    };
    const env = temporalCliEnv(loadConfig(given), {}, 'eyJ.token');
    expect(env).toMatchObject({
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/pki/ca.pem',
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/pki/operator.pem',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/pki/operator.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
      TEMPORAL_API_KEY: 'eyJ.token',
    });
    expect(temporalCliEnv(loadConfig({}), {})).not.toHaveProperty('TEMPORAL_TLS');
  });
});

describe('runTemporalCli', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'temporal-cli-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in CLI at TEMPORAL_CLI_PATH that writes what it was given and exits with a chosen code. */
  function fakeCli(exitCode: number): string {
    const path = join(dir, 'temporal');
    writeFileSync(
      path,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\necho "$TEMPORAL_ADDRESS $TEMPORAL_NAMESPACE" > "${dir}/env"\necho listed\nexit ${exitCode}\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }

  it('runs the binary of TEMPORAL_CLI_PATH with the arguments untouched and the server in its environment', async () => {
    const out: string[] = [];
    const code = await runTemporalCli(['workflow', 'list', '--query', "TenderPhase='needs_analysis'"], {
      env: {
        PATH: process.env.PATH,
        TEMPORAL_CLI_PATH: fakeCli(0),
        TEMPORAL_DEV_PORT: '7300',
        TEMPORAL_NAMESPACE: 'procurement',
      },
      stdio: 'pipe',
      onOutput: (c) => out.push(c),
    });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'args'), 'utf8').split('\n')).toEqual([
      'workflow',
      'list',
      '--query',
      "TenderPhase='needs_analysis'",
      '',
    ]);
    expect(readFileSync(join(dir, 'env'), 'utf8')).toBe('127.0.0.1:7300 procurement\n');
    expect(out.join('')).toBe('listed\n');
  });

  it("passes the CLI's exit code on", async () => {
    const code = await runTemporalCli(['workflow', 'describe', '-w', 'nope'], {
      env: { PATH: process.env.PATH, TEMPORAL_CLI_PATH: fakeCli(3) },
      stdio: 'pipe',
    });
    expect(code).toBe(3);
  });

  it('names a TEMPORAL_CLI_PATH that is not an executable', async () => {
    await expect(
      runTemporalCli(['--version'], { env: { TEMPORAL_CLI_PATH: join(dir, 'missing') }, stdio: 'pipe' }),
    ).rejects.toThrow(`TEMPORAL_CLI_PATH=${join(dir, 'missing')} is not an executable file`);
  });
});
