import { ConfigError, databaseUrl, loadConfig } from '@tenderflow/config';
import { runMigrations } from '@tenderflow/db/data-source-options';

/** The deploy step: applies pending migrations to DATABASE_URL (or the embedded default) and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(databaseUrl(config));
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err}\n`);
  process.exit(1);
});
