import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { Classification } from '@tenderflow/domain/classification';
import type { RuleViolation } from '@tenderflow/domain/rules';
import { FINAL_PHASES, type Actor } from '@tenderflow/domain/types';
import { escalationOf, gateEscalations, TenderEntity, type ExternalAction } from '@tenderflow/db';
import { isKnownTender, recordApiStart } from '@tenderflow/db/tender-starts';
import { currentDelegationOrder, gateAuthoritiesOf } from '@tenderflow/db/delegation-store';
import { tenderStartOptions } from '@tenderflow/temporal-common/tender-start';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { badRequest, forbidden, ruleSetCall, ruleViolation } from '../common/problem';
import { swedishToday } from '../common/today';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';
import { firstState, prepareTenderStart } from '@tenderflow/activities/tender-start';
import type { Question, Requirement, TenderState } from '@tenderflow/temporal-common/tender-types';
import type { tenderWorkflow } from '@tenderflow/workflows/tender/tender.workflow';
import { actionsFor, waitsFor, type TenderActions } from '@tenderflow/workflows/tender/tender.actions';
import { CreateTenderDto } from './create-tender.dto';
import { ListTendersQuery } from './list-tenders.query';
import { ReferenceService } from '../reference/reference.service';
import { MetricsService } from '../metrics/metrics.service';
import { TenderIdsService } from './tender-ids.service';
import { DirectAwardsService } from './direct-awards.service';
import { TENDER_ID } from '../common/params';
import { LIST_CURSOR } from './list-cursor';
import { accessOf, TenderAccessService, tenderNotFound, viewFor, type PartnerTenderView } from './tender-access';
import { TenderStateReader } from './tender-state.reader';
import { ListQuestionsQuery } from './list-questions.query';
import { PolicyService } from '../organizations/policy.service';
import { rankingView, scoresView, scoreTextRefs } from './scores.view';

export interface CreatedTender {
  id: string;
  workflowId: string;
  phase: string;
  regime: string;
  procedure: string;
  threshold: Classification['threshold'];
  ruleSet: string;
  /** The version of the organisation's policy the tender runs under to its end (ARCHITECTURE §5a). */
  policyVersion?: string;
  deadlines: TenderState['deadlines'];
  classification: Pick<Classification, 'thresholdStatus' | 'warnings' | 'basis' | 'procedures'>;
}

@Injectable()
export class TendersService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly ids: TenderIdsService,
    private readonly directAwards: DirectAwardsService,
    private readonly reference: ReferenceService,
    private readonly access: TenderAccessService,
    private readonly dataSource: DataSource,
    private readonly policies: PolicyService,
    @InjectRepository(TenderEntity) private readonly tenders: Repository<TenderEntity>,
    private readonly signer: CommandSigner,
    private readonly reader: TenderStateReader,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async create(
    actor: Actor,
    dto: CreateTenderDto,
    idempotencyKey?: string,
  ): Promise<{ tender: CreatedTender; replay: boolean }> {
    if (dto.organization !== actor.org && !actor.roles.includes('admin')) {
      throw forbidden(`You may start tenders only for your own organisation (${actor.org}), not ${dto.organization}`);
    }
    assertDistinctInvitees(dto);
    if (dto.renewedCompetition !== undefined && !dto.frameworkCallOff) {
      throw badRequest(
        'renewedCompetition applies only to a call-off from a framework agreement (frameworkCallOff: true)',
        [{ field: 'renewedCompetition', rule: 'call_off_only', message: 'only with frameworkCallOff: true' }],
      );
    }
    // A repeated Idempotency-Key is matched first: a retried creation must not count itself against
    // the direct-award total it is part of.
    const prior = idempotencyKey ? await this.ids.find(actor.sub, idempotencyKey, dto) : undefined;
    const today = swedishToday();
    const financialYear = Number(today.slice(0, 4));
    // How a tender is born (activities/tender-start.ts): the rules that do not depend on other tenders
    // (a date no rule set covers is a 422 naming what is missing), the id, the pinned policy, the
    // start input, recorded before Temporal gets it. A repeated key gets the input its first request recorded.
    const { input, fresh, workflowId, valid, allocated } = await prepareTenderStart(dto, {
      today,
      rows: await this.reference.rows(),
      classifying: ruleSetCall,
      refuse: refusal,
      allocate: ({ classification }) => this.allocate(actor, dto, classification, financialYear, idempotencyKey, prior),
      pin: () => this.policies.pin(dto.organization, dto.category),
      delegationOrder: () => currentDelegationOrder(this.dataSource, dto.organization),
      createdBy: actor,
      commandKeys: this.signer.pinned(),
      record: (start) => recordApiStart(this.dataSource.manager, start),
    });
    const { classification, regime } = valid;
    const { id, replay } = allocated;
    try {
      await this.temporal.client.workflow.start<typeof tenderWorkflow>(
        'tenderWorkflow',
        tenderStartOptions(input, this.temporal.taskQueue),
      );
    } catch (err) {
      throw toHttpError(err);
    }
    if (!replay) this.metrics?.workflowStarted(regime);
    // A new workflow's first state is known without asking it: the query would wait for a worker to
    // run the first task (most of a start's latency under load, see BENCHMARKS.md). A repeat asks.
    const state = replay ? await this.state(id) : firstState(fresh);
    return {
      replay,
      tender: {
        id,
        workflowId,
        phase: state.phase,
        regime: state.regime,
        procedure: state.procedure,
        threshold: classification.threshold,
        ruleSet: state.ruleSet,
        ...(state.policyVersion !== undefined ? { policyVersion: state.policyVersion } : {}),
        deadlines: state.deadlines,
        classification: {
          thresholdStatus: classification.thresholdStatus,
          warnings: classification.warnings,
          basis: classification.basis,
          procedures: classification.procedures,
        },
      },
    };
  }

  /** The new tender's id: a repeat's, a direct award's under the ledger's lock, or the next of the sequence. */
  private async allocate(
    actor: Actor,
    dto: CreateTenderDto,
    classification: Classification,
    financialYear: number,
    idempotencyKey: string | undefined,
    prior: string | undefined,
  ): Promise<{ id: string; replay: boolean }> {
    if (prior) return { id: prior, replay: true };
    if (classification.regime !== 'direct')
      return this.ids.allocate(dto.organization, financialYear, actor.sub, idempotencyKey, dto);
    // Within the limit, advertised or not, it is a direct award of that value: it counts against the
    // year's total of the kind (5 kap. LOU applies to direct awards, 19 a kap. 1 §).
    const reserved = await this.directAwards.reserve({
      organization: dto.organization,
      category: dto.category,
      financialYear,
      valueSek: dto.estimatedValueSek,
      limitSek: classification.directAwardLimitSekUsed,
      allowsEqual: classification.directAwardLimit.allowsEqual ?? false,
      actorSub: actor.sub,
      idempotencyKey,
      body: dto,
    });
    if (!reserved.ok) throw refusal(reserved.violations);
    return reserved;
  }

  /**
   * The tender's state from its workflow, for its organisation and admins; an invited body's view
   * for an invited body; to anyone else the 404 of a missing tender. An operator's action outside
   * the API (terminate, cancel, reset) is not in the workflow's state: the reconciler put it in the
   * read model, and it is shown beside the state.
   */
  async get(
    actor: Actor,
    id: string,
  ): Promise<(TenderState & { externalAction?: ExternalAction }) | PartnerTenderView> {
    const state = await this.state(id);
    const view = viewFor(actor, state);
    if (view !== state) return view;
    const row = await this.tenders.findOne({ where: { id }, select: { id: true, externalAction: true } });
    const shown = await this.withEscalations(state);
    return row?.externalAction ? { ...shown, externalAction: row.externalAction } : shown;
  }

  /** The caller's authority today under the delegation order for the tender's pending gates that go by it (issue 29). */
  private authoritiesOf(actor: Actor, state: TenderState) {
    if (actor.org !== state.organization) return Promise.resolve(new Map());
    return gateAuthoritiesOf(this.dataSource, actor.sub, state.organization, state.pendingGates, swedishToday());
  }

  /**
   * What the caller may do now and by when (tender.actions.ts, from the rules the workflow's
   * validators ask). Whoever may see the tender may ask; a stranger gets the missing tender's 404.
   */
  async actions(actor: Actor, id: string): Promise<TenderActions> {
    const state = await this.state(id);
    const access = accessOf(actor, state);
    if (!access) throw tenderNotFound(id);
    const answer = actionsFor(actor, state, await this.authoritiesOf(actor, state));
    if (access === 'owner') return answer;
    // An invited body sees no more of the tender than its own invitation (partnerView): its own deadline, not the tender's.
    const own = state.deadlines.find((d) => d.kind === 'coordination_response');
    return {
      actions: answer.actions,
      nextDeadline: own ? { kind: own.kind, lastDay: own.lastDay, at: own.at, basis: own.basis } : null,
    };
  }

  /** A pending gate that reached no one who may decide it says so, and to whom it was escalated. */
  private async withEscalations(state: TenderState): Promise<TenderState> {
    if (state.pendingGates.length === 0) return state;
    const all = await gateEscalations(this.dataSource, [state.id]);
    if (all.length === 0) return state;
    return {
      ...state,
      pendingGates: state.pendingGates.map((g) => {
        const e = escalationOf(all, state.id, g.gate, g.since);
        return e
          ? { ...g, escalation: { escalatedAt: e.escalatedAt, reason: e.reason, escalatedTo: e.escalatedTo } }
          : g;
      }),
    };
  }

  /**
   * Data that outlives the workflow's history (the audit log) and the Q&A log's texts are the
   * tender's organisation's and the admins' (an invited body's view of the tender shows neither). An
   * invited body knows the tender and is told no; anyone else gets the missing tender's 404.
   */
  async assertReadAccess(actor: Actor, id: string, what = 'The audit log'): Promise<void> {
    if (!TENDER_ID.test(id))
      throw badRequest(`"${id}" is not a tender id`, [
        { field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN' },
      ]);
    if ((await this.access.resolve(actor, id)) !== 'owner') {
      throw forbidden(
        `${what} of ${id} is read by its organisation and administrators; ${actor.org} is an invited body`,
      );
    }
  }

  /** The state without the questions' texts (TenderStateReader): those are read a page at a time (`questions`). */
  async state(id: string): Promise<TenderState> {
    if (!TENDER_ID.test(id))
      throw badRequest(`"${id}" is not a tender id`, [
        { field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN' },
      ]);
    // A workflow Tenderflow did not start (one started straight in Temporal) is no tender of ours.
    if (!(await isKnownTender(this.dataSource.manager, id))) throw tenderNotFound(id);
    try {
      return await this.reader.read(id);
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  /** A page of the Q&A log with its texts, in registration order. */
  async questions(
    actor: Actor,
    id: string,
    q: ListQuestionsQuery,
  ): Promise<{ items: Question[]; nextCursor: string | null }> {
    await this.assertReadAccess(actor, id, 'The Q&A log');
    try {
      const page = await this.reader.questions(id, q.cursor === undefined ? 0 : Number(q.cursor), q.limit ?? 50);
      return { items: page.items, nextCursor: page.next === null ? null : String(page.next) };
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  /** The requirements register with its texts, in registration order (withdrawn ones included). */
  async requirements(actor: Actor, id: string): Promise<{ items: Requirement[] }> {
    await this.assertReadAccess(actor, id, 'The requirements register');
    try {
      return { items: await this.reader.requirements(id) };
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  /** The score sheets `actor` may read and the consensus, with their scores, notes and reasons (scores.view.ts). */
  async scores(actor: Actor, id: string) {
    await this.assertReadAccess(actor, id, 'The scores');
    try {
      const state = await this.reader.read(id);
      return scoresView(actor, state, await this.reader.textsOf(id, scoreTextRefs(state)));
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  /** Each lot's ranking as the evaluation will compute it, and what would change the winner. */
  async ranking(actor: Actor, id: string) {
    await this.assertReadAccess(actor, id, 'The ranking');
    try {
      return rankingView(await this.reader.read(id));
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  /** The register with its texts, without an access check: for the public export of a published tender. */
  requirementsOf(id: string): Promise<Requirement[]> {
    return this.reader.requirements(id);
  }

  async list(actor: Actor, q: ListTendersQuery) {
    const isAdmin = actor.roles.includes('admin');
    if (q.organization && q.organization !== actor.org && !isAdmin) {
      throw forbidden(`You may list only your own organisation's tenders (${actor.org})`);
    }
    const limit = q.limit ?? 50;
    if (q.waitingForMe === true) return this.waitingFor(actor, q, limit);
    const rows = await this.listed(actor, q, q.cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(listItem),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /** Rows of the list's filters, newest first, after `cursor`. */
  private listed(actor: Actor, q: ListTendersQuery, cursor: string | undefined, take: number, running = false) {
    const qb = this.tenders.createQueryBuilder('t');
    const organization = listedOrganization(actor, q.organization);
    // An invited body's tenders are other organisations': a partner waits for its own invitations too.
    if (organization && running && actor.roles.includes('partner') && !q.organization) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('t.organization = :organization', { organization }).orWhere(
            `EXISTS (SELECT 1 FROM tender_state_parts p WHERE p.tender_id = t.id AND starts_with(p.part, 'participants/')
                 AND p.value->>'organization' = :organization AND p.value->>'status' = 'invited')`,
            { organization },
          ),
        ),
      );
    } else if (organization) qb.andWhere('t.organization = :organization', { organization });
    if (running) qb.andWhere('t.phase NOT IN (:...final)', { final: FINAL_PHASES });
    if (q.phase) qb.andWhere('t.phase = :phase', { phase: q.phase });
    if (q.category) qb.andWhere('t.category = :category', { category: q.category });
    if (q.overdue === true) qb.andWhere('t.next_deadline < now()');
    if (q.overdue === false) qb.andWhere('(t.next_deadline IS NULL OR t.next_deadline >= now())');
    if (q.q) qb.andWhere('t.title ILIKE :q', { q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      qb.andWhere(new Brackets((w) => w.where('(t.created_at, t.id) < (:createdAt, :id)', { createdAt, id })));
    }
    return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(take).getMany();
  }

  /**
   * The running tenders that wait for the caller (tender.actions.ts `waitsFor`): each candidate's
   * state is read from the read model, in batches, newest first. A page scans at most
   * WAITING_SCAN tenders; when it stops there, `nextCursor` continues after the last one scanned.
   */
  private async waitingFor(actor: Actor, q: ListTendersQuery, limit: number) {
    const found: TenderEntity[] = [];
    let cursor = q.cursor;
    let scanned = 0;
    for (;;) {
      const batch = await this.listed(actor, q, cursor, WAITING_BATCH, true);
      for (const row of batch) {
        scanned++;
        const state = await this.reader.stored(row.id);
        if (state && accessOf(actor, state) && waitsFor(actor, state, await this.authoritiesOf(actor, state)))
          found.push(row);
        cursor = encodeCursor(row.createdAt, row.id);
        if (found.length > limit) {
          const page = found.slice(0, limit);
          const last = page[page.length - 1];
          return { items: page.map(listItem), nextCursor: encodeCursor(last.createdAt, last.id) };
        }
      }
      if (batch.length < WAITING_BATCH) return { items: found.map(listItem), nextCursor: null };
      if (scanned >= WAITING_SCAN) return { items: found.map(listItem), nextCursor: cursor ?? null };
    }
  }
}

/** How many running tenders "waiting for me" reads a batch at a time, and at most per page. */
const WAITING_BATCH = 100;
const WAITING_SCAN = 1_000;

function listItem(t: TenderEntity) {
  return {
    id: t.id,
    workflowId: t.workflowId,
    title: t.title,
    organization: t.organization,
    category: t.category,
    contractType: t.contractType,
    regime: t.regime,
    procedure: t.procedure,
    estimatedValueSek: t.estimatedValueSek,
    phase: t.phase,
    policyVersion: t.policyVersion,
    nextDeadline: t.nextDeadline ? { kind: t.nextDeadlineKind, at: t.nextDeadline.toISOString() } : null,
    externalAction: t.externalAction,
    createdAt: t.createdAt.toISOString(),
  };
}

/**
 * Whose tenders a caller lists (GET /tenders, and the calendar feed of the same tenders): the
 * caller's own organisation's, or for an administrator every organisation's (undefined) unless one
 * is asked for.
 */
export function listedOrganization(actor: Actor, requested?: string): string | undefined {
  return requested ?? (actor.roles.includes('admin') ? undefined : actor.org);
}

/** Refused by procurement rules: 422 naming the first rule, every violation listed. */
function refusal(violations: RuleViolation[]) {
  const [first] = violations;
  return ruleViolation(violations.map((v) => v.message).join(' '), first.rule, first.paragraph, {
    errors: violations.map((v) => ({ field: v.field ?? 'body', rule: v.rule, message: v.message })),
    violations,
  });
}

function encodeCursor(createdAt: Date, id: string): string {
  return `${createdAt.toISOString()}~${id}`;
}

function decodeCursor(cursor: string): [string, string] {
  const m = LIST_CURSOR.exec(cursor);
  if (!m) {
    throw badRequest('cursor is not a cursor this API issued', [
      { field: 'cursor', rule: 'format', message: 'use nextCursor from the previous page' },
    ]);
  }
  const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
  return [new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)).toISOString(), m[8]];
}

/**
 * Each invited body once, and never the tender's own organisation (a body's invitation is a child
 * workflow named by the body: a second one could not start). The needs analysis refuses the same.
 */
export function assertDistinctInvitees(dto: Pick<CreateTenderDto, 'organization' | 'invitedBodies'>): void {
  const seen = new Set<string>();
  for (const [i, b] of (dto.invitedBodies ?? []).entries()) {
    if (b.organization === dto.organization) {
      throw badRequest(`invitedBodies[${i}]: ${b.organization} is the tender's own organisation`, [
        {
          field: `invitedBodies[${i}].organization`,
          rule: 'own_organization',
          message: "invite other public bodies, not the tender's own organisation",
        },
      ]);
    }
    if (seen.has(b.organization)) {
      throw badRequest(`invitedBodies[${i}]: ${b.organization} is invited twice`, [
        { field: `invitedBodies[${i}].organization`, rule: 'duplicate', message: 'each body is invited once' },
      ]);
    }
    seen.add(b.organization);
  }
}
