import { spawn } from 'node:child_process';
import { AppConfig, ConfigError, loadConfig, temporalAddress } from '@tenderflow/config';
import { TemporalCredentials, tokenSourceOf } from '@tenderflow/temporal-common/temporal-credentials';
import { resolveBinary } from './lib/binaries';

/**
 * `npm run temporal -- <args>`: the Temporal CLI that `npm start` runs (TEMPORAL_CLI_PATH, PATH,
 * or the project's .tools/ install), pointed at the same server and namespace: TEMPORAL_ADDRESS,
 * else the embedded dev server on 127.0.0.1:TEMPORAL_DEV_PORT, and TEMPORAL_NAMESPACE. They are
 * passed as the CLI's own environment variables, so an explicit --address or -n still wins.
 */

/**
 * The environment the CLI runs with: the address and namespace, and for a secured frontend the
 * CLI's own TLS variables and a token of this configuration's identity (TEMPORAL_API_KEY, which the
 * CLI reads as its --api-key; obtained from the key file or the OpenID provider when one is named).
 */
export function temporalCliEnv(
  config: AppConfig,
  env: NodeJS.ProcessEnv = process.env,
  token?: string,
): NodeJS.ProcessEnv {
  const tls = config.temporal.tls;
  return {
    ...env,
    TEMPORAL_ADDRESS: temporalAddress(config),
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    ...(tls?.caFile ? { TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls.caFile } : {}),
    ...(tls?.certFile && tls.keyFile
      ? { TEMPORAL_TLS_CLIENT_CERT_PATH: tls.certFile, TEMPORAL_TLS_CLIENT_KEY_PATH: tls.keyFile }
      : {}),
    ...(tls?.serverName ? { TEMPORAL_TLS_SERVER_NAME: tls.serverName } : {}),
    ...(tls ? { TEMPORAL_TLS: 'true' } : {}),
    ...(token ? { TEMPORAL_API_KEY: token } : {}),
  };
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the CLI's output goes: the terminal by default, a pipe for tests. */
  stdio?: 'inherit' | 'pipe';
  onOutput?: (chunk: string) => void;
  /** For the command line: Ctrl-C reaches the CLI from the terminal, SIGTERM is passed on to it. */
  forwardSignals?: boolean;
}

/** Runs the CLI with args; resolves to its exit code (128 + n when a signal n ended it). */
export async function runTemporalCli(args: string[], opts: RunOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const config = loadConfig(env);
  const cli = resolveBinary('temporal', config.temporal.cliPath);
  const source = tokenSourceOf(config.temporal);
  const credentials = source ? new TemporalCredentials(source) : undefined;
  const token = await credentials?.start();
  credentials?.stop();
  const child = spawn(cli, args, {
    env: temporalCliEnv(config, env, token),
    stdio: ['inherit', opts.stdio ?? 'inherit', opts.stdio ?? 'inherit'],
  });
  child.stdout?.on('data', (d: Buffer) => opts.onOutput?.(d.toString()));
  child.stderr?.on('data', (d: Buffer) => opts.onOutput?.(d.toString()));
  if (opts.forwardSignals) {
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
  }
  return new Promise((resolveCode, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveCode(code ?? 128 + (signal ? signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}

if (require.main === module) {
  runTemporalCli(process.argv.slice(2), { forwardSignals: true }).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(
        `${err instanceof ConfigError ? err.message : `[tenderflow] temporal: ${err instanceof Error ? err.message : err}`}\n`,
      );
      process.exit(err instanceof ConfigError ? 78 : 1);
    },
  );
}
