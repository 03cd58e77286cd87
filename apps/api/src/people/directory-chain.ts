import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import type { Actor } from '@tenderflow/domain/types';

/** The audit chain of an organisation's directory (audit_events rows under this id, hash-chained like a tender's). */
export const directoryChain = (org: string) => `people:${org}`;

/**
 * The one writer of the directory's chain: imports, the functions people hold, the function
 * registry and absences are events of the organisation's directory, written in the transaction of
 * the change they record.
 */
@Injectable()
export class DirectoryChain {
  /** Serialises the organisation's directory changes (imports, functions, absences) for the transaction. */
  async lock(m: EntityManager, org: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [directoryChain(org)]);
  }

  async record(m: EntityManager, org: string, type: string, actor: Actor, payload: unknown): Promise<void> {
    await appendAuditEvents(
      m,
      [
        {
          tenderId: directoryChain(org),
          workflowId: directoryChain(org),
          seq: 0,
          type,
          actor: { sub: actor.sub, name: actor.name, org: actor.org },
          at: new Date().toISOString(),
          payload,
        },
      ],
      () => `api:${randomUUID()}`,
    );
  }
}
