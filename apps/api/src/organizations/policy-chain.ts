import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import { canonicalJson } from '@tenderflow/domain/canonical-json';
import type { Actor } from '@tenderflow/domain/types';
import { AuditService } from '../audit/audit.service';
import { conflict } from '../common/problem';

/** The hash chain of an organisation's governing decisions in audit_events (ARCHITECTURE §5a: the change is audited). */
export const policyChain = (organization: string): string => `policy:${organization}`;

/** The tables of versioned decisions that keep the Idempotency-Key of the request that adopted a version. */
type VersionTable = 'policy_versions' | 'delegation_orders';

/**
 * The organisation's policy chain: what its policy versions, delegation orders, categories and
 * reference data record, in the transaction that changes them. One writer, so that every kind of
 * decision lands in the same chain in the same way and `GET …/policy/audit/verify` covers them all.
 */
@Injectable()
export class PolicyChain {
  constructor(private readonly audit: AuditService) {}

  /** Adoptions in the organisation's chain one at a time, until the transaction ends (version n+1 is n+1 once). */
  async lock(m: EntityManager, organization: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [policyChain(organization)]);
  }

  /**
   * A retry of an adoption whose answer was lost: true when the key already adopted a version with
   * the same body (the caller answers that version), false when the key is new; 409
   * `idempotency_key_reuse` when the key adopted a version with another body. `stored` reads a row
   * into the shape of `body`. Call it under `lock`.
   */
  async adoptedBefore<Row>(
    m: EntityManager,
    table: VersionTable,
    organization: string,
    idempotencyKey: string | undefined,
    body: unknown,
    stored: (row: Row) => unknown,
  ): Promise<boolean> {
    if (!idempotencyKey) return false;
    const [earlier]: (Row & { version: number })[] = await m.query(
      `SELECT * FROM ${table} WHERE organization = $1 AND idempotency_key = $2`,
      [organization, idempotencyKey],
    );
    if (!earlier) return false;
    if (canonicalJson(stored(earlier)) !== canonicalJson(body)) {
      throw conflict(
        `Idempotency-Key ${idempotencyKey} adopted version ${earlier.version} with another body; a new version needs a new key`,
        { rule: 'idempotency_key_reuse' },
      );
    }
    return true;
  }

  /** One event in the chain; `key` makes it idempotent (the same key is the same event). */
  async record(
    m: EntityManager,
    organization: string,
    type: string,
    actor: Actor,
    at: Date,
    reason: string | undefined,
    payload: unknown,
    key: string,
  ): Promise<void> {
    await appendAuditEvents(
      m,
      [
        {
          tenderId: policyChain(organization),
          workflowId: policyChain(organization),
          seq: 0,
          type,
          actor: { sub: actor.sub, name: actor.name, org: actor.org },
          at: at.toISOString(),
          ...(reason ? { reason } : {}),
          payload,
        },
      ],
      () => `${policyChain(organization)}#${key}`,
    );
  }

  list(organization: string, after: number) {
    return this.audit.list(policyChain(organization), after);
  }

  verify(organization: string) {
    return this.audit.verify(policyChain(organization));
  }
}
