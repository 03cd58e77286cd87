import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { approverMayDecideSql } from '@tenderflow/db/directory';
import { escalationOf, gateEscalations, type GateEscalation } from '@tenderflow/db/escalations';
import type { Actor } from '@tenderflow/domain/types';
import type { ApprovalStatus } from './approvals.query';
import { directoryOn, gateAuthorityIn } from '@tenderflow/db/delegation-store';
import type { GateAuthority, PendingDelegation, RaisedFlag } from '@tenderflow/temporal-common/tender-types';
import { swedishToday } from '../common/today';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';

const INBOX_GATE = {
  organization: 'g.organization',
  minApprovalLimitSek: 'g.min_approval_limit_sek',
  excluded: 'g.excluded',
  requestedBy: 'g.requested_by_sub',
};
const CALLER = { organization: '$1', approvalLimitSek: '$2::bigint', sub: '$3', roles: '$4::text[]' };

type PendingRow = {
  tender_id: string;
  delegation: PendingDelegation | null;
  /** The caller's authority under the delegation order (set here, not a column). */
  authority?: GateAuthority;
  gate: string;
  since: Date;
  requested_by_sub: string;
  requested_by_name: string;
  may_decide: string;
  reason: string | null;
  title: string;
  category: string;
  estimated_value_sek: string;
  phase: string;
};

type DecidedRow = { id: string; title: string; d: { gate: string; decision: string; at: string } };

/**
 * The approver's inbox: only the gates the caller may decide (their organisation, their approval
 * limit, not requested by them, not a tender they evaluate): the same SQL rule by which the outbox
 * finds whom to e-mail (libs/db/src/directory.ts). The workflow checks the same again. A gate that
 * reached no one is marked escalated; its category manager and the administrators list those.
 */
@Injectable()
export class ApprovalsService {
  constructor(private readonly dataSource: DataSource) {}

  async inbox(actor: Actor, status: ApprovalStatus) {
    if (status === 'decided') return { items: await this.decidedBy(actor) };
    const rows = status === 'escalated' ? await this.escalated(actor) : await this.pendingFor(actor);
    const escalations = await gateEscalations(this.dataSource, [...new Set(rows.map((r) => r.tender_id))]);
    const flags = await this.redFlagsOf(rows.filter((r) => r.gate === 'award_decision').map((r) => r.tender_id));
    return {
      items: rows.map((r) => ({
        tenderId: r.tender_id,
        title: r.title,
        category: r.category,
        phase: r.phase,
        estimatedValueSek: Number(r.estimated_value_sek),
        gate: r.gate,
        requestedBy: { sub: r.requested_by_sub, name: r.requested_by_name },
        since: r.since.toISOString(),
        mayDecide: r.may_decide,
        ...(r.delegation ? { delegation: delegationView(r.delegation) } : {}),
        ...(r.authority ? { authority: r.authority } : {}),
        // An award with red flags raised (issue 30): the approver sees them; approving takes a justification.
        ...(r.gate === 'award_decision' && flags.get(r.tender_id)?.length ? { redFlags: flags.get(r.tender_id) } : {}),
        reason: r.reason,
        decide: `/tenders/${r.tender_id}/gates/${r.gate}/decision`,
        escalation: escalationView(escalationOf(escalations, r.tender_id, r.gate, r.since)),
      })),
      ...(status === 'pending' ? { sanctionDecisions: await this.sanctionDecisionsFor(actor) } : {}),
    };
  }

  /**
   * Sanction decisions waiting on the organisation's contracts (issue 31), for an approver: each with
   * the deviation it follows and the sanctions the contract declares; not one whose deviation the
   * caller recorded (four eyes). Whether the caller's authority covers the decision depends on what
   * is decided (its amount): the contract's workflow asks that when it is taken.
   */
  private async sanctionDecisionsFor(actor: Actor) {
    if (!actor.roles.includes('approver')) return [];
    const rows: { contract_id: string; id: string; due_date: string; status: string; state: ContractState }[] =
      await this.dataSource.query(
        `SELECT m.contract_id, m.id, m.due_date::text AS due_date, m.status, c.state
         FROM milestones m JOIN contracts c ON c.id = m.contract_id
         WHERE m.organization = $1 AND m.kind = 'sanction_decision' AND m.status IN ('scheduled', 'overdue')
         ORDER BY m.due_date, m.contract_id, m.id LIMIT 200`,
        [actor.org],
      );
    return rows.flatMap((r) => {
      const m = r.state.milestones.find((x) => x.id === r.id);
      if (!m?.sanctionFor || m.sanctionFor.recordedBy.sub === actor.sub) return [];
      const deviation = r.state.milestones.find((x) => x.id === m.sanctionFor!.milestoneId);
      return [
        {
          contractId: r.contract_id,
          milestoneId: r.id,
          title: r.state.title,
          supplier: r.state.supplier,
          dueDate: r.due_date,
          overdue: r.status === 'overdue',
          deviation: {
            milestoneId: m.sanctionFor.milestoneId,
            title: deviation?.title ?? m.sanctionFor.milestoneId,
            severity: m.sanctionFor.severity,
            recordedBy: m.sanctionFor.recordedBy,
            note: deviation?.completion?.note ?? '',
          },
          declared: r.state.sanctions?.declared ?? [],
          ...(r.state.sanctions?.delegation ? { delegationOrderVersion: r.state.sanctions.delegation.version } : {}),
          decide: `/contracts/${r.contract_id}/milestones/${r.id}/completion`,
        },
      ];
    });
  }

  /** The red flags each tender's evaluation raised, from its state's evaluation part (one statement). */
  private async redFlagsOf(tenderIds: string[]): Promise<Map<string, RaisedFlag[]>> {
    if (tenderIds.length === 0) return new Map();
    const rows: { tender_id: string; flags: RaisedFlag[] | null }[] = await this.dataSource.query(
      `SELECT tender_id, value->'redFlags' AS flags FROM tender_state_parts WHERE tender_id = ANY($1::text[]) AND part = 'evaluation'`,
      [tenderIds],
    );
    return new Map(rows.filter((r) => Array.isArray(r.flags)).map((r) => [r.tender_id, r.flags!]));
  }

  /** The gate decisions the caller made, newest first. */
  private async decidedBy(actor: Actor) {
    const rows: DecidedRow[] = await this.dataSource.query(
      `SELECT t.id, t.title, d AS d FROM tenders t, jsonb_array_elements(t.gate_decisions) d
       WHERE t.organization = $1 AND d->>'decidedBy' = $2 ORDER BY d->>'at' DESC LIMIT 200`,
      [actor.org, actor.sub],
    );
    return rows.map((r) => ({
      tenderId: r.id,
      title: r.title,
      gate: r.d.gate,
      decision: r.d.decision,
      decidedAt: r.d.at,
    }));
  }

  /** Pending gates that reached no one: all of the organisation's for an administrator, a category manager's own categories. */
  private escalated(actor: Actor): Promise<PendingRow[]> {
    return this.dataSource.query(
      `SELECT g.*, t.title, t.category, t.estimated_value_sek, t.phase
       FROM pending_gates g JOIN tenders t ON t.id = g.tender_id
       JOIN gate_escalations e ON e.tender_id = g.tender_id AND e.gate = g.gate AND e.requested_at = g.since
       WHERE g.organization = $1 AND ($2 OR t.category = ANY($3::text[]))
       ORDER BY g.since, g.tender_id LIMIT 500`,
      [
        actor.org,
        actor.roles.includes('admin'),
        actor.roles.includes('category_manager') ? (actor.categories ?? []) : [],
      ],
    );
  }

  /**
   * Pending approver gates the caller may decide, oldest first: by the token's limit for a gate that
   * does not go by the delegation order, and for one that does (issue 29), by the authority the
   * directory gives the caller today under its item (their function, a further delegation, or standing
   * in for an absent holder), a token's limit only lowering it.
   */
  private async pendingFor(actor: Actor): Promise<PendingRow[]> {
    const byLimit: PendingRow[] = await this.dataSource.query(
      `SELECT g.*, t.title, t.category, t.estimated_value_sek, t.phase
       FROM pending_gates g JOIN tenders t ON t.id = g.tender_id
       WHERE g.role = 'approver' AND g.delegation IS NULL AND ${approverMayDecideSql(INBOX_GATE, CALLER)}
       ORDER BY g.since, g.tender_id LIMIT 500`,
      [actor.org, actor.approvalLimitSek ?? 0, actor.sub, actor.roles],
    );
    if (!actor.roles.includes('approver')) return byLimit;
    const delegated: PendingRow[] = await this.dataSource.query(
      `SELECT g.*, t.title, t.category, t.estimated_value_sek, t.phase
       FROM pending_gates g JOIN tenders t ON t.id = g.tender_id
       WHERE g.role = 'approver' AND g.delegation IS NOT NULL AND g.organization = $1
         AND NOT ($2 = ANY(g.excluded)) AND g.requested_by_sub <> $2
         AND ($3::bigint IS NULL OR t.estimated_value_sek <= $3::bigint)
       ORDER BY g.since, g.tender_id LIMIT 500`,
      [actor.org, actor.sub, actor.approvalLimitSek ?? null],
    );
    const today = swedishToday();
    const dir = delegated.length > 0 ? await directoryOn(this.dataSource, actor.org, today) : undefined;
    const mine: PendingRow[] = [];
    for (const row of delegated) {
      if (!dir || !row.delegation || row.delegation.board) continue;
      const authority = gateAuthorityIn(dir, actor.sub, row.delegation.item, today);
      if (authority) mine.push({ ...row, authority });
    }
    return [...byLimit, ...mine]
      .sort((a, b) => a.since.getTime() - b.since.getTime() || (a.tender_id < b.tender_id ? -1 : 1))
      .slice(0, 500);
  }
}

/** What the inbox shows of a gate's item: its id, the order's version, the function and any levels passed over. */
function delegationView(d: PendingDelegation) {
  return {
    version: d.version,
    item: d.item.id,
    function: d.item.delegate,
    ...(d.limitSek !== undefined ? { limitSek: d.limitSek } : {}),
    ...(d.passedOver ? { passedOver: d.passedOver } : {}),
    ...(d.board ? { board: true } : {}),
  };
}

/** Null unless no one could be reached to decide the gate. */
function escalationView(e: GateEscalation | undefined) {
  return e ? { escalatedAt: e.escalatedAt, reason: e.reason, escalatedTo: e.escalatedTo } : null;
}
