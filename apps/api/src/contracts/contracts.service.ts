import { HttpException, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { Actor } from '@tenderflow/domain/types';
import { CONTRACT_ID, contractWorkflowId, tenderIdOfContract } from '@tenderflow/temporal-common/ids';
import {
  completeMilestoneUpdate,
  getContractStateQuery,
  registerChangeUpdate,
} from '@tenderflow/workflows/contract/contract.messages';
import {
  type CompleteMilestonePayload,
  type ContractState,
  type RegisterChangePayload,
} from '@tenderflow/temporal-common/contract-types';
import { badRequest, notFound, ruleViolation } from '../common/problem';
import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';
import { PolicyService } from '../organizations/policy.service';
import type { CommandContext } from '../common/idempotency';
import { CommandGateway, organizationOfTender } from '../temporal/command-gateway';
import { TemporalService } from '../temporal/temporal.service';
import { toHttpError } from '../temporal/temporal-errors';
import { sanctionDecisionValue } from '@tenderflow/domain/contract-sanctions';
import { levelsFor } from '@tenderflow/domain/delegation-authority';
import { directoryOn, gateAuthorityIn } from '@tenderflow/db/delegation-store';
import { swedishToday } from '../common/today';

/**
 * A contract's follow-up (ARCHITECTURE §3, 6): its state from the read model, which each step of the
 * workflow `contract-<id>` writes (a workflow the tender did not start writes nothing there, so it
 * is not found here either); between the tender's registration and the contract's first step, from
 * the workflow by query, and only when the tender's own record says it is in follow-up. Milestone
 * completions as the workflow's validated Update.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly dataSource: DataSource,
    private readonly gateway: CommandGateway,
    private readonly organisations: PolicyService,
  ) {}

  async get(actor: Actor, id: string): Promise<ContractState> {
    const state = await this.state(id);
    assertMaySee(actor, state);
    return state;
  }

  async state(id: string): Promise<ContractState> {
    if (!CONTRACT_ID.test(id))
      throw badRequest(`"${id}" is not a contract id`, [
        { field: 'id', rule: 'format', message: 'expected ORG-YYYY-NNNNN-K1' },
      ]);
    const stored = await this.fromReadModel(id);
    if (stored) return stored;
    const [tender]: { phase: string }[] = await this.dataSource.query(`SELECT phase FROM tenders WHERE id = $1`, [
      tenderIdOfContract(id),
    ]);
    if (tender?.phase !== 'follow_up') throw notFound(`Contract ${id} does not exist`);
    try {
      return await this.temporal.client.workflow.getHandle(contractWorkflowId(id)).query(getContractStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`Contract ${id} does not exist`);
      throw toHttpError(err, `Contract ${id}`);
    }
  }

  /** The state the follow-up last recorded, or undefined. */
  async fromReadModel(id: string): Promise<ContractState | undefined> {
    const [row]: { state: ContractState }[] = await this.dataSource.query(`SELECT state FROM contracts WHERE id = $1`, [
      id,
    ]);
    return row?.state;
  }

  /** A command to the contract's workflow as the gateway sends it: signed, idempotent, who may act. */
  private request<P>(actor: Actor, id: string, command: string, update: unknown, payload: P, ctx: CommandContext) {
    const tenderId = tenderIdOfContract(id);
    return {
      actor,
      tenderId,
      command,
      handle: this.temporal.client.workflow.getHandle(contractWorkflowId(id)),
      update: update as UpdateDefinition<unknown, [never], string>,
      payload,
      idempotencyKey: ctx.idempotencyKey,
      what: `Contract ${id}`,
      route: ctx.route,
      // The contract's own organisation acts on it; the bodies it covers complete their own
      // milestones, and the workflow decides which; others' attempts go to the security log.
      mayAct: (a: Actor) => a.roles.includes('admin') || a.org === organizationOfTender(tenderId),
    };
  }

  /**
   * Sends the request once the caller may see the contract: a stranger learns nothing from the
   * workflow's refusal (another organisation's contract is missing to them), and the refusal is logged.
   * `prepare` runs for those who may see it, before the send, with the state just read.
   */
  private async send<P>(
    actor: Actor,
    id: string,
    request: ReturnType<ContractsService['request']> & { payload: P },
    prepare?: (state: ContractState) => Promise<void>,
  ): Promise<ContractState> {
    try {
      const state = await this.state(id);
      assertMaySee(actor, state);
      await prepare?.(state);
    } catch (err) {
      if (err instanceof HttpException) await this.gateway.recordRefusalOnce(request, err);
      throw err;
    }
    return this.gateway.send<P, ContractState>(request);
  }

  async complete(
    actor: Actor,
    id: string,
    milestoneId: string,
    payload: Omit<CompleteMilestonePayload, 'milestoneId'>,
    ctx: CommandContext,
  ): Promise<ContractState> {
    // The authority under the delegation order is the API's to find, never the caller's to claim.
    const { authority: _claimed, ...given } = payload;
    const full: CompleteMilestonePayload = { ...given, milestoneId };
    const request = this.request(actor, id, 'completeMilestone', completeMilestoneUpdate, full, ctx);
    return this.send(actor, id, request, async (state) => {
      if (full.sanction && request.mayAct(actor)) {
        const authority = await this.sanctionAuthority(actor, state, full);
        if (authority) request.payload = { ...request.payload, authority };
      }
      // Only for those who may act on the contract: others are refused (and logged) by the gateway, learning nothing of the register.
      if (full.directAwardDocumentation && request.mayAct(actor)) {
        request.payload = {
          ...full,
          directAwardDocumentation: await this.withAuthority(
            full.directAwardDocumentation,
            organizationOfTender(request.tenderId),
          ),
        };
      }
    });
  }

  /**
   * A sanction decision on a contract whose tender pinned the delegation order's `contract_sanction`
   * items: the decider's authority today under the first item covering the decision's value that the
   * directory gives them (their function, a further delegation, standing in for an absent holder).
   * The workflow checks it against the pinned items again; without them it applies the policy's rule.
   */
  private async sanctionAuthority(actor: Actor, state: ContractState, p: CompleteMilestonePayload) {
    const delegation = state.sanctions?.delegation;
    const m = state.milestones.find((x) => x.id === p.milestoneId);
    if (!delegation || m?.kind !== 'sanction_decision' || !p.sanction) return undefined;
    const today = swedishToday();
    const value = sanctionDecisionValue(p.sanction, state.sanctions?.declared ?? [], state.valueSek);
    const levels = levelsFor(delegation.items, value, today);
    if (levels.length === 0) return undefined;
    const dir = await directoryOn(this.dataSource, state.organization, today);
    for (const item of levels) {
      const a = gateAuthorityIn(dir, actor.sub, item, today);
      if (a) return a;
    }
    return undefined;
  }

  /** A change to the contract under 17 kap. LOU, as the workflow's validated Update. */
  async change(actor: Actor, id: string, payload: RegisterChangePayload, ctx: CommandContext): Promise<ContractState> {
    return this.send(actor, id, this.request(actor, id, 'registerChange', registerChangeUpdate, payload, ctx));
  }

  /**
   * A direct award's documentation names the authority and its organisation number (19 a kap. 11 §
   * LOU): taken from the organisation register, never from the caller. Without a number there the
   * record cannot be complete: 422 naming where to register it.
   */
  private async withAuthority(
    record: DirectAwardDocumentation,
    organization: string,
  ): Promise<DirectAwardDocumentation> {
    const identity = await this.organisations.identity(organization);
    if (!identity?.orgNumber) {
      throw ruleViolation(
        `The documentation of a direct award names the authority's organisation number; ${organization} has none in the organisation register (PUT /organizations/${organization})`,
        'authority_org_number_missing',
        '19 a kap. 11 § LOU',
        {
          errors: [
            {
              field: 'directAwardDocumentation',
              rule: 'authority_org_number_missing',
              message: `register the organisation number of ${organization} first`,
            },
          ],
        },
      );
    }
    return { ...record, authority: { name: identity.name, orgNumber: identity.orgNumber } };
  }
}

/** The contract's organisation, the bodies it covers, and administrators; to anyone else it does not exist. */
export function assertMaySee(actor: Actor, c: Pick<ContractState, 'id' | 'organization' | 'buyers'>): void {
  if (actor.roles.includes('admin') || actor.org === c.organization) return;
  if (c.buyers.some((b) => b.organization === actor.org)) return;
  throw notFound(`Contract ${c.id} does not exist`);
}
