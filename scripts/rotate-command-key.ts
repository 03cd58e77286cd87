import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadApiConfig } from '@tenderflow/config';

/**
 * `npm run command-key:rotate`: sends the public key of COMMAND_SIGNING_KEY_NEXT to every running
 * tender, coordination and contract workflow, signed by COMMAND_SIGNING_KEY (README, Security: key
 * rotation). Run it with the API's configuration; it serves no HTTP.
 */
async function main(): Promise<void> {
  if (!loadApiConfig().commands.nextSigningKey) {
    throw new Error('COMMAND_SIGNING_KEY_NEXT is not set: configure the next key (PEM) first, then run the rotation');
  }
  const { AppModule } = await import('../apps/api/src/app.module');
  const { CommandKeyRotation } = await import('../apps/api/src/temporal/command-key-rotation');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const report = await app.get(CommandKeyRotation).rotate();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
