import { ensureCardinal } from '../../scripts/lib/cardinal';
import { ensureOcdsSchema, OcdsSchemaError } from './ocds-schema';

/**
 * The unit project's setup: the official OCDS 1.1.5 schema that the export's tests validate
 * against, from OCDS_SCHEMA_DIR, `../shared/ocds`, the cache, or downloaded and verified into the
 * cache. When it cannot be had, the run stops with one line that says what to set. Then Cardinal,
 * the red flags' reference implementation, built once from its pinned source into the tool cache
 * (scripts/lib/cardinal.ts) for the parity test.
 */
export default async function unitGlobalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const { dir, source } = await ensureOcdsSchema({ log });
    if (source === 'download') log(`[ocds] verified and cached in ${dir}`);
    await ensureCardinal(log);
  } catch (err) {
    if (err instanceof OcdsSchemaError) {
      // Jest prints a setup error's stack: make it the one line.
      err.stack = err.message;
    }
    throw err;
  }
}
