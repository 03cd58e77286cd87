import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig, temporalAddress } from '@tenderflow/config';
import { clientOptions, temporalAccess } from '@tenderflow/temporal-common/connection-options';
import { prepareNamespace } from '@tenderflow/temporal-common/register-namespace';

/**
 * `node dist/scripts/temporal-setup.js`: registers TEMPORAL_NAMESPACE (retention
 * TEMPORAL_NAMESPACE_RETENTION_DAYS) and the custom search attributes on the server at
 * TEMPORAL_ADDRESS, through the operator API, the same code `npm run cluster` runs. It is the
 * temporal-setup step of docker-compose.yml; safe to run again (existing ones are left alone).
 * Behind an authorizer its identity needs the namespace's (or the cluster's) admin role: TLS and
 * the token come from the same variables as the API's (README, "Temporal in production").
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const address = temporalAddress(config);
  const access = await temporalAccess(config);
  const until = Date.now() + 120_000;
  let connection: Connection | undefined;
  while (!connection) {
    try {
      connection = await Connection.connect({ ...clientOptions(access), connectTimeout: 5_000 });
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`Temporal at ${address} did not answer within 120 s: ${(err as Error).message}`, {
          cause: err,
        });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    await prepareNamespace(connection, config.temporal.namespace, config.temporal.retentionDays, (line) =>
      process.stdout.write(`[temporal-setup] ${line}\n`),
    );
    process.stdout.write(
      `[temporal-setup] namespace ${config.temporal.namespace} and search attributes ready on ${address}\n`,
    );
  } finally {
    access.credentials?.stop();
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : `[temporal-setup] ${err instanceof Error ? err.message : err}`}\n`,
  );
  process.exit(err instanceof ConfigError ? 78 : 1);
});
