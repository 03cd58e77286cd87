import { ensureOcdsSchema, OcdsSchemaError } from './ocds-schema';

/**
 * The unit project's setup: the official OCDS 1.1.5 schema that the export's tests validate
 * against, from OCDS_SCHEMA_DIR, `../shared/ocds`, the cache, or downloaded and verified into the
 * cache. When it cannot be had, the run stops with one line that says what to set.
 */
export default async function unitGlobalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const { dir, source } = await ensureOcdsSchema({ log });
    if (source === 'download') log(`[ocds] verified and cached in ${dir}`);
  } catch (err) {
    if (err instanceof OcdsSchemaError) {
      // Jest prints a setup error's stack: make it the one line.
      err.stack = err.message;
    }
    throw err;
  }
}
