import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '@tenderflow/domain/types';
import { conflict, forbidden, ruleViolation } from '../common/problem';
import { PolicyChain, policyChain } from '../organizations/policy-chain';
import {
  registerEntries,
  type DelegationEventRow,
  type RegisterEntry,
  type ReportedBatch,
} from './delegation-register';

/** At most this many decisions in one answer: a narrower period lists the rest. */
export const REGISTER_LIMIT = 5000;

/**
 * The register of delegation decisions of an organisation (issue 29 part 4): read from the tenders'
 * chains (`delegation.decided`), reported in batches to the board (`delegation.reported` in the
 * organisation's policy chain). Read by its approvers, policy administrators and administrators.
 */
@Injectable()
export class DelegationRegisterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: PolicyChain,
  ) {}

  async list(actor: Actor, organization: string, from: string, to: string) {
    assertMayRead(actor, organization);
    if (to < from) throw conflictingPeriod();
    const [events, batches] = await Promise.all([this.events(organization, from, to), this.batches(organization)]);
    const items = registerEntries(events.slice(0, REGISTER_LIMIT), batches);
    return { organization, from, to, truncated: events.length > REGISTER_LIMIT, items };
  }

  /**
   * Marks the period's decisions that the order reports to the board, and that no batch has reported
   * yet, as reported at `meeting`: one event in the organisation's policy chain naming each decision's
   * audit event. The same batch again records nothing new (its key is the batch's digest).
   */
  async report(actor: Actor, organization: string, body: { from: string; to: string; meeting: string }) {
    assertMayReport(actor, organization);
    const { items } = await this.list(actor, organization, body.from, body.to);
    const due = items.filter((e) => e.reportToBoard && !e.reported);
    if (due.length === 0) {
      throw conflict(`No decision of ${body.from}–${body.to} is waiting to be reported to the board`, {
        rule: 'nothing_to_report',
      });
    }
    const decisions = due.map((e) => e.ref);
    const digest = createHash('sha256').update(decisions.join('\n')).digest('hex');
    const at = new Date();
    await this.dataSource.transaction(async (m) => {
      await this.chain.lock(m, organization);
      await this.chain.record(
        m,
        organization,
        'delegation.reported',
        actor,
        at,
        `Anmälda till ${body.meeting}`,
        { meeting: body.meeting, from: body.from, to: body.to, count: decisions.length, digest, decisions },
        `delegation.reported:${digest}`,
      );
    });
    return { organization, meeting: body.meeting, reported: decisions.length, decisions, digest };
  }

  private events(organization: string, from: string, to: string): Promise<DelegationEventRow[]> {
    return this.dataSource.query(
      `SELECT e.tender_id, e.chain_index, e.hash, e.at, e.actor_sub, e.actor_name, e.reason, e.payload, t.title
       FROM audit_events e JOIN tenders t ON t.id = e.tender_id
       WHERE t.organization = $1 AND e.type = 'delegation.decided'
         AND (e.at AT TIME ZONE 'Europe/Stockholm')::date BETWEEN $2::date AND $3::date
       ORDER BY e.at, e.tender_id, e.chain_index
       LIMIT ${REGISTER_LIMIT + 1}`,
      [organization, from, to],
    );
  }

  private batches(organization: string): Promise<ReportedBatch[]> {
    return this.dataSource.query(
      `SELECT at, payload FROM audit_events WHERE tender_id = $1 AND type = 'delegation.reported' ORDER BY chain_index`,
      [policyChain(organization)],
    );
  }
}

export type { RegisterEntry };

const READERS = ['admin', 'policy_admin', 'approver'];

function assertMayRead(actor: Actor, organization: string): void {
  if (actor.org !== organization) {
    throw forbidden(`The register of ${organization} is its own; you act for ${actor.org}`, { rule: 'organization' });
  }
  if (!actor.roles.some((r) => READERS.includes(r))) {
    throw forbidden('The register of delegation decisions is read by approvers and administrators', { rule: 'role' });
  }
}

function assertMayReport(actor: Actor, organization: string): void {
  assertMayRead(actor, organization);
  if (!actor.roles.includes('admin') && !actor.roles.includes('policy_admin')) {
    throw forbidden('Only an administrator or policy_admin reports delegation decisions to the board', {
      rule: 'role',
    });
  }
}

function conflictingPeriod() {
  // Each date is well-formed; their order is a rule between two fields the schema cannot say: 422.
  return ruleViolation('to must be on or after from', 'period', undefined, {
    errors: [{ field: 'to', rule: 'period', message: 'to must be on or after from' }],
  });
}
