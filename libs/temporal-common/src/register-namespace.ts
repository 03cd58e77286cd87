import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from './register-search-attributes';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

/**
 * Registers the namespace unless it exists, through the frontend's API (what `temporal operator
 * namespace create` does). Safe on every start and from several processes at once. The retention
 * of an existing namespace is left as it is: changing it is an operator's decision
 * (`temporal operator namespace update --retention`), not a side effect of a restart.
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    // NOT_FOUND (5): register it; anything else is real.
    if ((err as { code?: number }).code !== 5) throw err;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'Tenderflow: public procurements as durable workflows',
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
  } catch (err) {
    // ALREADY_EXISTS (6) when another process won the race.
    if ((err as { code?: number }).code !== 6) throw err;
    return false;
  }
  return true;
}

/**
 * What a Temporal server needs before Tenderflow's workers and APIs start: the namespace, then the
 * custom search attributes (SQL visibility maps them per namespace), and both visible to the
 * frontend. Used by `npm run cluster` and by the temporal-setup step of docker-compose.yml.
 */
export async function prepareNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  if (await retrying(() => ensureNamespace(connection, namespace, retentionDays), 60_000)) {
    log(`registered namespace ${namespace} (retention ${retentionDays} days)`);
  }
  // The frontend's namespace registry sees a new namespace within a few seconds.
  const added = await retrying(() => ensureSearchAttributes(connection, namespace), 60_000);
  if (added.length) log(`registered search attributes ${added.join(', ')}`);
  await retrying(async () => {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    const known = Object.keys(res.customAttributes ?? {});
    const absent = CUSTOM_SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => !known.includes(n));
    if (absent.length)
      throw new Error(`search attributes not visible in ${namespace} after 60 s: ${absent.join(', ')}`);
  }, 60_000);
}

async function retrying<T>(fn: () => Promise<T>, forMs: number): Promise<T> {
  const until = Date.now() + forMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
