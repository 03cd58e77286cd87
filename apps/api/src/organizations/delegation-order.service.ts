import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { currentDelegationOrder, delegationOrderVersions } from '@tenderflow/db/delegation-store';
import { delegationOrderProblems, type DelegationOrder } from '@tenderflow/domain/delegation';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, ProblemDetails, ruleViolation } from '../common/problem';
import { PolicyChain } from './policy-chain';
import { delegationOrderUpdateProblems, isDelegationOrderUpdate } from './policy-schema';
import { PolicyService } from './policy.service';

/**
 * The organisation's delegation order (delegationsordning, issue 29) as versioned data, adopted as
 * its policy is (ARCHITECTURE §4 and 5a): who may read and change it is the policy's rule, a
 * version is a row that is never updated (delegation_orders), and each adoption is an event in the
 * organisation's policy chain in the same transaction. Who may decide a gate does not read it yet.
 */
@Injectable()
export class DelegationOrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: PolicyChain,
    private readonly policies: PolicyService,
  ) {}

  /** The version in force; version 0 with no items before the board has adopted one. */
  async get(actor: Actor, organization: string) {
    await this.policies.assertMayRead(actor, organization);
    return this.current(organization);
  }

  private async current(organization: string, db: DataSource | EntityManager = this.dataSource) {
    const v = await currentDelegationOrder(db, organization);
    return {
      organization,
      version: v?.version ?? 0,
      validFrom: v?.validFrom ?? null,
      decidedBy: v?.decidedBy ?? null,
      reference: v?.reference ?? null,
      items: v?.items ?? [],
    };
  }

  async versions(actor: Actor, organization: string) {
    await this.policies.assertMayRead(actor, organization);
    return { organization, items: await delegationOrderVersions(this.dataSource, organization) };
  }

  /**
   * Version n+1 of the organisation's delegation order. Refused with 400 naming the field when the
   * body breaks the published schema, 422 when its items do not hold together (delegationOrderProblems).
   */
  async put(actor: Actor, organization: string, body: unknown, idempotencyKey?: string) {
    this.policies.assertMayChange(actor, organization);
    const shape = delegationOrderUpdateProblems(body);
    if (shape.length > 0 || !isDelegationOrderUpdate(body)) throw invalidOrder(shape);
    const order: DelegationOrder = { items: body.items };
    // Well-formed, but its items do not hold together (two items with one id, targets where further
    // delegation is not allowed, …): a rule the schema cannot say, so 422 naming each field.
    const problems = delegationOrderProblems(order);
    if (problems.length > 0) throw inconsistentOrder(problems);
    const reference = body.reference;
    return this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, organization);
      const retried = await this.chain.adoptedBefore(
        m,
        'delegation_orders',
        organization,
        idempotencyKey,
        { reference, order },
        (r: { reference: string; order: unknown }) => ({ reference: r.reference, order: r.order }),
      );
      if (retried) return this.current(organization, m);
      const [{ version }]: { version: number }[] = await m.query(
        `SELECT COALESCE(MAX(version), 0) + 1 AS version FROM delegation_orders WHERE organization = $1`,
        [organization],
      );
      const [{ valid_from }]: { valid_from: Date }[] = await m.query(
        `INSERT INTO delegation_orders (organization, version, decided_by_sub, decided_by_name, reference, "order", idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING valid_from`,
        [organization, version, actor.sub, actor.name, reference, JSON.stringify(order), idempotencyKey ?? null],
      );
      await this.chain.record(
        m,
        organization,
        'delegation_order.version_created',
        actor,
        valid_from,
        reference,
        { version, items: order.items },
        `delegation-order:v${version}`,
      );
      return this.current(organization, m);
    });
  }
}

function inconsistentOrder(errors: NonNullable<ProblemDetails['errors']>) {
  return ruleViolation(
    `The delegation order does not hold together: ${errors.map((e) => `${e.field} (${e.rule}): ${e.message}`).join('; ')}`,
    errors[0].rule,
    undefined,
    { errors },
  );
}

function invalidOrder(errors: NonNullable<ProblemDetails['errors']>) {
  return badRequest(
    `Invalid delegation order: ${errors.map((e) => `${e.field} (${e.rule}): ${e.message}`).join('; ')}`,
    errors,
  );
}
