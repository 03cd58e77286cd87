import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { storable } from '@tenderflow/domain/text';
import { auditHash, AuditEventInput, GENESIS_HASH } from './audit-chain';
import { canonicalJson } from './canonical-json';

/**
 * Appends audit events to the tender's hash chain. Idempotent: an event's key is its workflow ID
 * and sequence number, so a retried activity finds its rows already there and writes nothing.
 * Appends to one tender are serialised with a transaction-scoped advisory lock. Given an entity
 * manager inside a transaction, the append is part of it (a savepoint).
 *
 * Given the run that writes (a workflow's step), a key another run of the workflow already took is
 * not this event: an operator's reset replays the workflow and numbers the new run's steps from the
 * reset point on, so the new run's events are appended under a key of their own run
 * (`<workflow>#<seq>@<run>`) after the old run's, and the chain keeps both (ARCHITECTURE §5, resets). A
 * retry of the same run finds its own rows and writes nothing. Continue-as-new carries the
 * numbering on, so its runs never meet a taken key.
 *
 * Each row is hashed over exactly what PostgreSQL stores (`storable`: lone surrogates and NUL as
 * U+FFFD), so no content, whatever reached this far, can make `verify` fail or the insert loop.
 */
export async function appendAuditEvents(
  dataSource: DataSource | EntityManager,
  events: AuditEventInput[],
  keyOf = (e: AuditEventInput) => `${e.workflowId}#${e.seq}`,
  runId?: string,
): Promise<number> {
  let written = 0;
  const byTender = new Map<string, AuditEventInput[]>();
  for (const e of events) byTender.set(e.tenderId, [...(byTender.get(e.tenderId) ?? []), e]);
  for (const [tenderId, list] of byTender) {
    await dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`audit:${tenderId}`]);
      const keys = list.map(keyOf);
      const ownKey = (key: string) => `${key}@${runId}`;
      const asked = runId ? [...keys, ...keys.map(ownKey)] : keys;
      const present: { event_key: string; run_id: string | null }[] = await m.query(
        `SELECT event_key, run_id FROM audit_events WHERE event_key = ANY($1)`,
        [asked],
      );
      const takenBy = new Map(present.map((r) => [r.event_key, r.run_id]));
      // A row of another run under this key: this run's event goes under its own key.
      const keyFor = (key: string) => {
        if (!runId || !takenBy.has(key)) return key;
        const by = takenBy.get(key);
        return by === null || by === runId ? key : ownKey(key);
      };
      const done = new Set(present.map((r) => r.event_key));
      const [head]: { chain_index: number; hash: string }[] = await m.query(
        `SELECT chain_index, hash FROM audit_events WHERE tender_id = $1 ORDER BY chain_index DESC LIMIT 1`,
        [tenderId],
      );
      let index = head?.chain_index ?? 0;
      let prev = head?.hash ?? GENESIS_HASH;
      for (const e of list) {
        const eventKey = keyFor(keyOf(e));
        if (done.has(eventKey)) continue;
        done.add(eventKey);
        index += 1;
        const content = storable({
          tenderId,
          chainIndex: index,
          eventKey,
          type: e.type,
          actor: e.actor ? { sub: e.actor.sub, name: e.actor.name, org: e.actor.org } : null,
          at: new Date(e.at).toISOString(),
          reason: e.reason ?? null,
          payload: e.payload ?? null,
        });
        const hash = auditHash(prev, content);
        await m.query(
          `INSERT INTO audit_events (tender_id, chain_index, event_key, type, actor_sub, actor_name, actor_org, at, reason, payload, prev_hash, hash, run_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
          [
            tenderId,
            index,
            eventKey,
            content.type,
            content.actor?.sub ?? null,
            content.actor?.name ?? null,
            content.actor?.org ?? null,
            content.at,
            content.reason,
            JSON.stringify(content.payload),
            prev,
            hash,
            runId ?? null,
          ],
        );
        prev = hash;
        written += 1;
      }
    });
  }
  return written;
}

export const REFUSED_PAYLOAD_MAX_BYTES = 2048;

/**
 * A caller's refused payload as it is kept: whole when small, otherwise its first 2 KB (as text)
 * with its size and SHA-256, so an outsider cannot bloat a log with 100 KB per attempt.
 */
export function cappedPayload(payload: unknown, maxBytes = REFUSED_PAYLOAD_MAX_BYTES): unknown {
  const text = canonicalJson(storable(payload ?? null));
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return storable(payload ?? null);
  return {
    truncated: true,
    bytes,
    sha256: createHash('sha256').update(text).digest('hex'),
    excerpt: storable(Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8')),
  };
}

export function payloadDigest(payload: unknown): { sha256: string; bytes: number } {
  const text = canonicalJson(storable(payload ?? null));
  return { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text, 'utf8') };
}
