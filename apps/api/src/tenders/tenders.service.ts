import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import { classify, Classification } from '../../../../libs/domain/src/classification';
import { validateTenderStart } from '../../../../libs/domain/src/rules';
import type { Actor } from '../../../../libs/domain/src/types';
import { TenderEntity, type ExternalAction } from '../../../../libs/db/src';
import { tenderWorkflowId } from '../../../../libs/temporal-common/src/ids';
import { tenderStartOptions } from '../../../../libs/temporal-common/src/tender-start';
import { CommandSigner } from '../../../../libs/temporal-common/src/command-signer';
import { badRequest, forbidden, notFound, ruleViolation } from '../common/problem';
import { swedishToday } from '../common/today';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';
import { getStateQuery, TenderStartInput, TenderState } from '../../../../workflows/tender/tender.messages';
import type { tenderWorkflow } from '../../../../workflows/tender/tender.workflow';
import { CreateTenderDto } from './create-tender.dto';
import { ListTendersQuery } from './list-tenders.query';
import { ReferenceService } from '../reference/reference.service';
import { MetricsService } from '../metrics/metrics.service';
import { TenderIdsService } from './tender-ids.service';
import { TENDER_ID } from './commands/params';
import { LIST_CURSOR } from './list-cursor';
import { PolicyService } from '../organizations/policy.service';

export interface CreatedTender {
  id: string;
  workflowId: string;
  phase: string;
  regime: string;
  procedure: string;
  threshold: Classification['threshold'];
  ruleSet: string;
  /** The version of the organisation's policy the tender runs under to its end (DESIGN 5a). */
  policyVersion?: string;
  deadlines: TenderState['deadlines'];
  classification: Pick<Classification, 'thresholdStatus' | 'warnings' | 'basis' | 'procedures'>;
}

@Injectable()
export class TendersService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly ids: TenderIdsService,
    private readonly reference: ReferenceService,
    private readonly dataSource: DataSource,
    private readonly policies: PolicyService,
    @InjectRepository(TenderEntity) private readonly tenders: Repository<TenderEntity>,
    private readonly signer: CommandSigner,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async create(actor: Actor, dto: CreateTenderDto, idempotencyKey?: string): Promise<{ tender: CreatedTender; replay: boolean }> {
    if (dto.organization !== actor.org && !actor.roles.includes('admin')) {
      throw forbidden(`You may start tenders only for your own organisation (${actor.org}), not ${dto.organization}`);
    }
    const today = swedishToday();
    const rows = await this.reference.rows();
    const preliminary = classify({
      rows,
      contractType: dto.contractType,
      valueSek: dto.estimatedValueSek,
      date: today,
      frameworkCallOff: dto.frameworkCallOff ?? false,
    });
    const mayBeDirect = preliminary.regime === 'direct' || dto.procedure === 'direct_award';
    const result = validateTenderStart({
      contractType: dto.contractType,
      estimatedValueSek: dto.estimatedValueSek,
      date: today,
      procedure: dto.procedure,
      frameworkAgreement: dto.frameworkAgreement ?? false,
      frameworkCallOff: dto.frameworkCallOff ?? false,
      contractTermMonths: dto.contractTermMonths,
      extensionOptionMonths: dto.extensionOptionMonths ?? 0,
      frameworkSpecialReasons: dto.frameworkSpecialReasons,
      negotiationGround: dto.negotiationGround,
      directAwardRunningTotalSek: mayBeDirect ? await this.directAwardTotal(dto.organization, dto.category, today.slice(0, 4)) : undefined,
      category: dto.category,
      financialYear: today.slice(0, 4),
      rows,
    });
    if (!result.ok) {
      const [first] = result.violations;
      throw ruleViolation(result.violations.map((v) => v.message).join(' '), first.rule, first.paragraph, {
        errors: result.violations.map((v) => ({ field: v.field ?? 'body', rule: v.rule, message: v.message })),
        violations: result.violations,
      });
    }
    const { classification, procedure } = result;
    const regime = result.regime;

    const { id, replay } = await this.ids.allocate(dto.organization, Number(today.slice(0, 4)), actor.sub, idempotencyKey, dto);
    const workflowId = tenderWorkflowId(id);
    // The policy in force now (the group's rules, the organisation's, the category's), pinned: the
    // tender runs under it to its end, whatever the board decides meanwhile.
    const pin = await this.policies.pin(dto.organization, dto.category);
    const input: TenderStartInput = {
      id,
      title: dto.title,
      organization: dto.organization,
      category: dto.category,
      contractType: dto.contractType,
      estimatedValueSek: dto.estimatedValueSek,
      regime,
      procedure,
      frameworkAgreement: dto.frameworkAgreement ?? false,
      contractTermMonths: dto.contractTermMonths,
      extensionOptionMonths: dto.extensionOptionMonths ?? 0,
      electronicSubmission: dto.electronicSubmission ?? true,
      invitedBodies: dto.invitedBodies ?? [],
      threshold: classification.threshold,
      ruleSet: classification.ruleSet,
      createdBy: actor,
      createdAt: new Date().toISOString(),
      ...pin,
      // The tender, and the children it starts, accept commands signed with these keys only.
      commandKeys: this.signer.pinned(),
    };
    try {
      await this.temporal.client.workflow.start<typeof tenderWorkflow>('tenderWorkflow', tenderStartOptions(input, this.temporal.taskQueue));
    } catch (err) {
      throw toHttpError(err);
    }
    if (!replay) this.metrics?.workflowStarted(regime);
    // A new workflow's first state is known without asking it: the query would wait for a worker to
    // run the first task (most of a start's latency under load, see BENCHMARKS.md). A repeat asks.
    const state: Pick<TenderState, 'phase' | 'regime' | 'procedure' | 'ruleSet' | 'policyVersion' | 'deadlines'> = replay
      ? await this.state(id)
      : { phase: 'needs_analysis', regime, procedure, ruleSet: classification.ruleSet, policyVersion: pin.policyVersion, deadlines: [] };
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

  /**
   * The tender's state from its workflow; visible to its organisation, invited bodies and admins.
   * An operator's action outside the API (terminate, cancel, reset) is not in the workflow's state:
   * the reconciler put it in the read model, and it is shown beside the state.
   */
  async get(actor: Actor, id: string): Promise<TenderState & { externalAction?: ExternalAction }> {
    const state = await this.state(id);
    assertMaySee(actor, state);
    const row = await this.tenders.findOne({ where: { id }, select: { id: true, externalAction: true } });
    return row?.externalAction ? { ...state, externalAction: row.externalAction } : state;
  }

  /**
   * Access check from the read model, for data that outlives the workflow's history (the audit log):
   * the tender's organisation and admins.
   */
  async assertReadAccess(actor: Actor, id: string): Promise<void> {
    const row = await this.tenders.findOne({ where: { id }, select: { id: true, organization: true } });
    if (!row) throw notFound(`Tender ${id} does not exist`);
    if (!actor.roles.includes('admin') && actor.org !== row.organization) {
      throw forbidden(`Tender belongs to ${row.organization}; your organisation ${actor.org} has no access`);
    }
  }

  async state(id: string): Promise<TenderState> {
    if (!TENDER_ID.test(id)) throw badRequest(`"${id}" is not a tender id`, [{ field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN' }]);
    try {
      return await this.temporal.client.workflow.getHandle(tenderWorkflowId(id)).query(getStateQuery);
    } catch (err) {
      throw toHttpError(err, `Tender ${id}`);
    }
  }

  async list(actor: Actor, q: ListTendersQuery) {
    const isAdmin = actor.roles.includes('admin');
    if (q.organization && q.organization !== actor.org && !isAdmin) {
      throw forbidden(`You may list only your own organisation's tenders (${actor.org})`);
    }
    const limit = q.limit ?? 50;
    const qb = this.tenders.createQueryBuilder('t');
    const organization = q.organization ?? (isAdmin ? undefined : actor.org);
    if (organization) qb.andWhere('t.organization = :organization', { organization });
    if (q.phase) qb.andWhere('t.phase = :phase', { phase: q.phase });
    if (q.category) qb.andWhere('t.category = :category', { category: q.category });
    if (q.overdue === true) qb.andWhere('t.next_deadline < now()');
    if (q.overdue === false) qb.andWhere('(t.next_deadline IS NULL OR t.next_deadline >= now())');
    if (q.q) qb.andWhere('t.title ILIKE :q', { q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor);
      qb.andWhere(new Brackets((w) => w.where('(t.created_at, t.id) < (:createdAt, :id)', { createdAt, id })));
    }
    const rows = await qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((t) => ({
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
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /** The organisation's direct awards in the category this financial (calendar) year, 19 a kap. 1 §. */
  private async directAwardTotal(organization: string, category: string, year: string): Promise<number> {
    const [{ total }]: { total: string | null }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(estimated_value_sek), 0) AS total FROM tenders
       WHERE organization = $1 AND category = $2 AND regime = 'direct' AND phase NOT IN ('cancelled', 'unsuccessful')
         AND created_at >= make_date($3::int, 1, 1) AND created_at < make_date($3::int + 1, 1, 1)`,
      [organization, category, Number(year)],
    );
    return Number(total ?? 0);
  }
}

export function assertMaySee(actor: Actor, state: Pick<TenderState, 'organization' | 'participants'>): void {
  if (actor.roles.includes('admin') || actor.org === state.organization) return;
  if (state.participants.some((p) => p.organization === actor.org)) return;
  throw forbidden(`Tender belongs to ${state.organization}; your organisation ${actor.org} has no access`);
}

function encodeCursor(createdAt: Date, id: string): string {
  return `${createdAt.toISOString()}~${id}`;
}

function decodeCursor(cursor: string): [string, string] {
  const m = LIST_CURSOR.exec(cursor);
  if (!m) {
    throw badRequest('cursor is not a cursor this API issued', [{ field: 'cursor', rule: 'format', message: 'use nextCursor from the previous page' }]);
  }
  const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
  return [new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)).toISOString(), m[8]];
}
