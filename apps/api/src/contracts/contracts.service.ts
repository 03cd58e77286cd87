import { HttpException, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/types';
import { contractWorkflowId, tenderIdOfContract } from '../../../../libs/temporal-common/src/ids';
import {
  completeMilestoneUpdate,
  getContractStateQuery,
  type CompleteMilestonePayload,
  type ContractState,
} from '../../../../workflows/contract/contract.messages';
import { AuditService } from '../audit/audit.service';
import { badRequest, notFound, ProblemDetails } from '../common/problem';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';

/** `<tender id>-K<n>`, as the tender names its contract (libs/temporal-common ids.ts). */
export const CONTRACT_ID = /^[A-Z0-9_-]{2,32}-\d{4}-\d{5,}-K\d+$/;
const REFUSALS = new Set([403, 409, 422]);

/**
 * A contract's follow-up (DESIGN 3, 6): its state from the workflow `contract-<id>` by query, or,
 * once that workflow is gone (closed and past retention, or unreachable), from the read model;
 * milestone completions as the workflow's validated Update.
 */
@Injectable()
export class ContractsService {
  private readonly logger = new Logger(ContractsService.name);

  constructor(
    private readonly temporal: TemporalService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(actor: Actor, id: string): Promise<ContractState> {
    const state = await this.state(id);
    assertMaySee(actor, state);
    return state;
  }

  async state(id: string): Promise<ContractState> {
    if (!CONTRACT_ID.test(id)) throw badRequest(`"${id}" is not a contract id`, [{ field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN-K1' }]);
    try {
      return await this.temporal.client.workflow.getHandle(contractWorkflowId(id)).query(getContractStateQuery);
    } catch (err) {
      const stored = await this.fromReadModel(id);
      if (stored) return stored;
      if (err instanceof WorkflowNotFoundError) throw notFound(`Contract ${id} does not exist`);
      throw toHttpError(err, `Contract ${id}`);
    }
  }

  /** The state the follow-up last recorded, or undefined. */
  async fromReadModel(id: string): Promise<ContractState | undefined> {
    const [row]: { state: ContractState }[] = await this.dataSource.query(`SELECT state FROM contracts WHERE id = $1`, [id]);
    return row?.state;
  }

  async complete(actor: Actor, id: string, milestoneId: string, payload: Omit<CompleteMilestonePayload, 'milestoneId'>): Promise<ContractState> {
    if (!CONTRACT_ID.test(id)) throw badRequest(`"${id}" is not a contract id`, [{ field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN-K1' }]);
    const full: CompleteMilestonePayload = { ...payload, milestoneId };
    // A stranger learns nothing from the workflow's refusal: another organisation's contract is missing to them.
    assertMaySee(actor, await this.state(id));
    try {
      return await this.temporal.client.workflow.getHandle(contractWorkflowId(id)).executeUpdate(completeMilestoneUpdate, { args: [{ actor, payload: full }] });
    } catch (err) {
      const mapped = toHttpError(err, `Contract ${id}`);
      if (REFUSALS.has(mapped.getStatus())) await this.recordRefusal(id, actor, mapped, full);
      throw mapped;
    }
  }

  /** A refused Update leaves no trace in the workflow's history: the tender's audit chain keeps it. */
  private async recordRefusal(id: string, actor: Actor, refusal: HttpException, payload: unknown): Promise<void> {
    const body = refusal.getResponse() as Partial<ProblemDetails>;
    const detail = typeof body === 'object' && body?.detail ? body.detail : refusal.message;
    try {
      await this.audit.recordRefusal(tenderIdOfContract(id), actor, 'completeMilestone', refusal.getStatus(), detail, { contractId: id, ...(payload as object) });
    } catch (err) {
      this.logger.error({ err, contractId: id, actor: actor.sub }, 'Could not record a refused milestone completion in the audit log');
    }
  }
}

/** The contract's organisation, the bodies it covers, and administrators; to anyone else it does not exist. */
export function assertMaySee(actor: Actor, c: Pick<ContractState, 'id' | 'organization' | 'buyers'>): void {
  if (actor.roles.includes('admin') || actor.org === c.organization) return;
  if (c.buyers.some((b) => b.organization === actor.org)) return;
  throw notFound(`Contract ${c.id} does not exist`);
}
