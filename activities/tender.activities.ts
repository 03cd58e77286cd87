import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import { CONTENT_REF_PREFIX } from '@tenderflow/temporal-common/tender-texts';
import { EntityManager } from 'typeorm';
import { partsOf, type PartsDelta } from '@tenderflow/temporal-common/state-parts';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import type { DelegationItem } from '@tenderflow/domain/delegation';
import { decidersOn, type DelegatedAuthority } from '@tenderflow/domain/delegation-authority';
import { directoryOn } from '@tenderflow/db/delegation-store';
import type { CommitResult, StepText, TenderRow } from './activity-types';
import { assertCallerWrites, describeWith, type WriterDeps } from './provenance';

/** Who may decide a gate at each level of the delegation order, asked for by the tender's workflow. */
export interface GateDecidersRequest {
  tenderId: string;
  organization: string;
  /** The day (Swedish calendar date) the gate is asked for. */
  date: string;
  /** The levels that may take the decision, lowest first (libs/domain delegation-authority.ts levelsFor). */
  levels: DelegationItem[];
  /** The requester and the tender's evaluators. */
  excluded: string[];
}

/** Per level, the people present who may decide it (at most DECIDERS_PER_LEVEL), with why. */
export type GateDeciders = { item: string; deciders: { sub: string; name: string; authority: DelegatedAuthority }[] }[];

/** A level's deciders as the workflow keeps them for its messages: enough to reach everyone a real order names. */
export const DECIDERS_PER_LEVEL = 50;

/** A content text of a tender, asked for by its workflow. */
export interface TenderTextRequest {
  tenderId: string;
  ref: string;
}

/**
 * Activities of the tender workflow that keep the read model. Idempotent: retried or replayed, they
 * leave the same rows behind, and an older snapshot never overwrites a newer one.
 */
export function createTenderActivities({ dataSource, temporal }: WriterDeps) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    /**
     * A text of the tender's content (libs/temporal-common tender-texts.ts), for its own workflow
     * (the award notice quotes the evaluation's reasons); null when no such text is stored.
     */
    async tenderText(req: TenderTextRequest): Promise<Record<string, unknown> | null> {
      const caller = Context.current().info.workflowExecution?.workflowId;
      if (caller !== tenderWorkflowId(req.tenderId) || !req.ref.startsWith(CONTENT_REF_PREFIX)) {
        throw ApplicationFailure.nonRetryable(
          `${caller} may not read ${req.ref} of tender ${req.tenderId}`,
          'TextNotReadable',
        );
      }
      const [row]: { body: Record<string, unknown> }[] = await dataSource.query(
        `SELECT body FROM tender_texts WHERE tender_id = $1 AND ref = $2`,
        [req.tenderId, req.ref],
      );
      return row?.body ?? null;
    },
    /**
     * Who may decide a gate under the delegation order on the day (issue 29): the organisation's
     * directory (functions held, absences, substitutes) read now, each level's present deciders.
     */
    async gateDeciders(req: GateDecidersRequest): Promise<GateDeciders> {
      const caller = Context.current().info.workflowExecution?.workflowId;
      if (caller !== tenderWorkflowId(req.tenderId)) {
        throw ApplicationFailure.nonRetryable(
          `${caller} may not ask who decides the gates of tender ${req.tenderId}`,
          'TextNotReadable',
        );
      }
      const dir = await directoryOn(dataSource, req.organization, req.date);
      const names = new Map(dir.people.map((p) => [p.sub, p.name]));
      const approvers = dir.people.filter((p) => p.approver).map((p) => p.sub);
      return req.levels.map((item) => ({
        item: item.id,
        deciders: decidersOn(item, req.date, dir, approvers, req.excluded)
          .slice(0, DECIDERS_PER_LEVEL)
          .map((d) => ({ sub: d.sub, name: names.get(d.sub) ?? d.sub, authority: d.authority })),
      }));
    },
    async recordTenderSnapshot(state: TenderState): Promise<void> {
      await assertCallerWrites(dataSource, [state.id], describe, 'recordTenderSnapshot', 'tender');
      await dataSource.transaction((m) => writeTenderState(m, state));
    },
  };
}

/**
 * A step's snapshot of a tender: its row, then the parts of its state that the step changed. The
 * parts are applied only over the version they differ from (`base`) and only when the row was
 * written (a newer version): a retried step changes nothing. Parts that cannot be applied (the read
 * model lacks their base: after a reset, or behind a newer row of an older run) are not: the state is
 * marked incomplete (readers ask the workflow) and the answer asks the workflow for a full write.
 */
export async function writeTenderParts(
  m: EntityManager,
  row: TenderRow,
  parts: PartsDelta,
  base?: number,
): Promise<CommitResult> {
  const [held]: { state_version: number; state_complete: boolean }[] = parts.full
    ? []
    : await m.query(`SELECT state_version, state_complete FROM tenders WHERE id = $1 FOR UPDATE`, [row.id]);
  const written = await writeTenderSnapshot(m, row);
  if (!written) return { resync: true };
  if (!parts.full && !(held && held.state_complete && held.state_version === base)) {
    await m.query(`UPDATE tenders SET state_complete = false WHERE id = $1`, [row.id]);
    return { resync: true };
  }
  await applyParts(m, row.id, parts);
  return {};
}

/** A step scheduled before steps carried parts: the whole state, written as all its parts. */
export async function writeTenderState(m: EntityManager, state: TenderState): Promise<void> {
  if (!(await writeTenderSnapshot(m, state))) return;
  await applyParts(m, state.id, {
    full: true,
    upserts: [...partsOf(state)].map(([name, text]) => [name, JSON.parse(text) as unknown]),
    removed: [],
  });
}

async function applyParts(m: EntityManager, tenderId: string, parts: PartsDelta): Promise<void> {
  const names = parts.upserts.map(([name]) => name);
  if (parts.full) {
    await m.query(`DELETE FROM tender_state_parts WHERE tender_id = $1 AND NOT (part = ANY($2::text[]))`, [
      tenderId,
      names,
    ]);
  } else if (parts.removed.length > 0) {
    await m.query(`DELETE FROM tender_state_parts WHERE tender_id = $1 AND part = ANY($2::text[])`, [
      tenderId,
      parts.removed,
    ]);
  }
  if (names.length > 0) {
    await m.query(
      `INSERT INTO tender_state_parts (tender_id, part, value)
       SELECT $1, p.part, p.value FROM unnest($2::text[], $3::jsonb[]) AS p(part, value)
       ON CONFLICT (tender_id, part) DO UPDATE SET value = EXCLUDED.value`,
      [tenderId, names, parts.upserts.map(([, value]) => JSON.stringify(value))],
    );
  }
  if (parts.full) await m.query(`UPDATE tenders SET state_complete = true WHERE id = $1`, [tenderId]);
}

/** Content a step wrote beside the state (a question's text): upserted by (tender, ref), so a retry is harmless. */
export async function writeTexts(m: EntityManager, texts: StepText[]): Promise<void> {
  if (texts.length === 0) return;
  await m.query(
    `INSERT INTO tender_texts (tender_id, ref, body)
     SELECT t.tender_id, t.ref, t.body FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(tender_id, ref, body)
     ON CONFLICT (tender_id, ref) DO UPDATE SET body = EXCLUDED.body`,
    [texts.map((t) => t.tenderId), texts.map((t) => t.ref), texts.map((t) => JSON.stringify(t.body))],
  );
}

/**
 * The tender's row and its pending gates (the approvers' inbox), in the caller's transaction. An
 * older snapshot than the row's changes nothing, so a retried or late write is harmless: false then.
 */
export async function writeTenderSnapshot(m: EntityManager, state: TenderRow): Promise<boolean> {
  const next = [...state.deadlines].sort((a, b) => a.at.localeCompare(b.at))[0];
  const written: unknown[] = await m.query(
    `INSERT INTO tenders (id, workflow_id, title, organization, category, contract_type, regime, procedure,
       estimated_value_sek, phase, rule_set, threshold_id, next_deadline, next_deadline_kind, created_by,
       state_version, created_at, updated_at, timeline, gate_decisions, previous_tender_id, policy_version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, now(), $18, $19, $20, $21)
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title, phase = EXCLUDED.phase, procedure = EXCLUDED.procedure,
       next_deadline = EXCLUDED.next_deadline, next_deadline_kind = EXCLUDED.next_deadline_kind,
       estimated_value_sek = EXCLUDED.estimated_value_sek, timeline = EXCLUDED.timeline,
       gate_decisions = EXCLUDED.gate_decisions, state_version = EXCLUDED.state_version, updated_at = now()
     WHERE tenders.state_version < EXCLUDED.state_version
     RETURNING id`,
    [
      state.id,
      state.workflowId,
      state.title,
      state.organization,
      state.category,
      state.contractType,
      state.regime,
      state.procedure,
      state.estimatedValueSek,
      state.phase,
      state.ruleSet,
      state.threshold.id,
      next ? new Date(next.at) : null,
      next ? next.kind : null,
      state.createdBy.sub,
      state.version,
      new Date(state.createdAt),
      JSON.stringify(state.timeline),
      JSON.stringify(
        (state.gateDecisions ?? []).map((d) => ({
          gate: d.gate,
          decision: d.decision,
          at: d.at,
          requestedBy: d.requestedBy.sub,
          decidedBy: d.decidedBy.sub,
        })),
      ),
      state.previousTenderId ?? null,
      state.policyVersion ?? null,
    ],
  );
  // An older snapshot changed nothing: leave the inbox as the newer one left it.
  if (written.length === 0) return false;
  await m.query(`DELETE FROM pending_gates WHERE tender_id = $1`, [state.id]);
  for (const g of state.pendingGates ?? []) {
    await m.query(
      `INSERT INTO pending_gates (tender_id, gate, organization, role, min_approval_limit_sek, excluded,
         requested_by_sub, requested_by_name, since, may_decide, reason, delegation)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [
        state.id,
        g.gate,
        g.eligibility.organization,
        g.eligibility.role,
        g.eligibility.minApprovalLimitSek,
        g.eligibility.excluded,
        g.requestedBy.sub,
        g.requestedBy.name,
        new Date(g.since),
        g.mayDecide,
        g.reason ?? null,
        g.delegation ? JSON.stringify(g.delegation) : null,
      ],
    );
  }
  return true;
}

export type TenderActivities = ReturnType<typeof createTenderActivities>;
