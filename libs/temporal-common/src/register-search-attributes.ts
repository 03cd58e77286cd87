import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

/**
 * Registers the custom search attributes unless they already exist. Safe to run on every start
 * and from several processes at once: a concurrent registration of the same name is not an error.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set(Object.keys(existing.customAttributes ?? {}));
  } catch (err) {
    // The time-skipping test server implements add but not list (UNIMPLEMENTED, 12).
    if ((err as { code?: number }).code !== 12) throw err;
  }
  const missing = CUSTOM_SEARCH_ATTRIBUTES.filter((k) => !known.has(k.name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
      ),
    });
  } catch (err) {
    // ALREADY_EXISTS (6) when another process won the race; anything else is real.
    if ((err as { code?: number }).code !== 6) throw err;
  }
  return missing.map((k) => k.name);
}
