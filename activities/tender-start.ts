import { validateTenderStart, type RuleViolation, type TenderStartResult } from '@tenderflow/domain/rules';
import { awardedByDecisionToProcure, type WithoutNoticeGround } from '@tenderflow/domain/procedures';
import { INITIAL_PHASE } from '@tenderflow/domain/phases';
import type { ThresholdRow } from '@tenderflow/domain/thresholds';
import type { DelegationOrder } from '@tenderflow/domain/delegation';
import { delegationPin, type DelegationPin } from '@tenderflow/domain/delegation-authority';
import type { Actor, ContractType, Procedure } from '@tenderflow/domain/types';
import type { CommandKey } from '@tenderflow/temporal-common/command-types';
import { tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import type { InvitedBody, TenderStartInput, TenderState } from '@tenderflow/temporal-common/tender-types';

/**
 * How a tender is born, whoever asks for it: the API (POST /tenders, TendersService.create) and a
 * contract's re-procurement (contract.activities.ts prepareReprocurement) both go through
 * prepareTenderStart. In order:
 *
 * 1. the rules that do not depend on other tenders, under the threshold rows in force today
 *    (libs/db thresholds.ts): a refusal stops here, before any number is used up;
 * 2. the id: a number from the tenders' sequence (libs/db tender-numbers.ts), idempotent per key, and
 *    for a direct award reserved under the direct-award ledger's lock (the caller's step);
 * 3. the organisation's policy in force now, pinned for the tender's life, and the items of its
 *    delegation order in force that could take the tender's gates (libs/domain delegation-authority.ts);
 * 4. the start input of tenderWorkflow (tenderStartInput, pure);
 * 5. the start recorded before Temporal gets it: the worker writes only for recorded starts
 *    (libs/db tender-starts.ts).
 *
 * The caller then starts the workflow with the input answered (the API itself, a contract as its child).
 */

/** What is asked of the new tender: the API's request body, or the re-procured contract's facts. */
export interface TenderRequest {
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  /** Absent: the classification's default procedure. */
  procedure?: Procedure;
  frameworkAgreement?: boolean;
  frameworkCallOff?: boolean;
  contractTermMonths?: number;
  extensionOptionMonths?: number;
  frameworkSpecialReasons?: string;
  negotiationGround?: string;
  withoutNoticeGround?: WithoutNoticeGround;
  procedureDescription?: string;
  electronicSubmission?: boolean;
  invitedBodies?: InvitedBody[];
  renewedCompetition?: boolean;
}

/**
 * What a re-procurement asks of its new tender (contract.activities.ts): the contract's facts as the
 * records have them, under the old tender's title; no call-off, no invited bodies, electronic submission.
 */
export function reprocurementRequest(
  req: Pick<
    TenderRequest,
    'title' | 'organization' | 'category' | 'contractType' | 'estimatedValueSek' | 'procedure' | 'contractTermMonths'
  > & {
    frameworkAgreement: boolean;
    extensionOptionMonths: number;
  },
): TenderRequest {
  return {
    title: `${req.title} (re-procurement)`,
    organization: req.organization,
    category: req.category,
    contractType: req.contractType,
    estimatedValueSek: req.estimatedValueSek,
    ...(req.procedure !== undefined ? { procedure: req.procedure } : {}),
    frameworkAgreement: req.frameworkAgreement,
    frameworkCallOff: false,
    ...(req.contractTermMonths !== undefined ? { contractTermMonths: req.contractTermMonths } : {}),
    extensionOptionMonths: req.extensionOptionMonths,
    electronicSubmission: true,
    invitedBodies: [],
  };
}

/** The policy in force at creation, pinned on the tender (libs/db policy-store.ts policyPin). */
export type PolicyPin = Pick<TenderStartInput, 'policy' | 'policyVersion' | 'categoryInfo'>;

/** Who and what a new tender is born with, besides the request and its classification. */
export interface TenderBirth {
  id: string;
  createdBy: Actor;
  createdAt: string;
  pin: PolicyPin;
  /** The delegation order's items for the tender's gates, when the organisation has adopted an order. */
  delegation?: DelegationPin;
  /** The tender, and the children it starts, accept commands signed with these keys only. */
  commandKeys: CommandKey[];
  /** A re-procurement: the tender whose contract the new one replaces. */
  previousTenderId?: string;
  /**
   * A re-procurement has always started without the description of its procedure that the rules give
   * a tender below the threshold (19 kap. 9 § LOU); an API start records it.
   */
  withoutProcedureDescription?: boolean;
}

/**
 * The rules at a tender's start that do not depend on other tenders (the direct-award total is
 * checked under the ledger's lock, at allocation). Pure; throws only as validateTenderStart does.
 */
export function validateStart(request: TenderRequest, today: string, rows: readonly ThresholdRow[]): TenderStartResult {
  return validateTenderStart({
    contractType: request.contractType,
    estimatedValueSek: request.estimatedValueSek,
    date: today,
    procedure: request.procedure,
    frameworkAgreement: request.frameworkAgreement ?? false,
    frameworkCallOff: request.frameworkCallOff ?? false,
    contractTermMonths: request.contractTermMonths,
    extensionOptionMonths: request.extensionOptionMonths ?? 0,
    frameworkSpecialReasons: request.frameworkSpecialReasons,
    negotiationGround: request.negotiationGround,
    withoutNoticeGround: request.withoutNoticeGround,
    procedureDescription: request.procedureDescription,
    category: request.category,
    financialYear: today.slice(0, 4),
    rows,
  });
}

/** The start input of tenderWorkflow for a request the rules accepted (`valid`). Pure. */
export function tenderStartInput(
  request: TenderRequest,
  valid: TenderStartResult,
  birth: TenderBirth,
): TenderStartInput {
  const { classification, procedure, regime } = valid;
  return {
    id: birth.id,
    title: request.title,
    organization: request.organization,
    category: request.category,
    contractType: request.contractType,
    estimatedValueSek: request.estimatedValueSek,
    regime,
    procedure,
    frameworkAgreement: request.frameworkAgreement ?? false,
    ...(request.contractTermMonths !== undefined ? { contractTermMonths: request.contractTermMonths } : {}),
    extensionOptionMonths: request.extensionOptionMonths ?? 0,
    electronicSubmission: request.electronicSubmission ?? true,
    invitedBodies: request.invitedBodies ?? [],
    threshold: classification.threshold,
    ruleSet: classification.ruleSet,
    ...(valid.procedureDescription && !birth.withoutProcedureDescription
      ? { procedureDescription: valid.procedureDescription }
      : {}),
    ...(request.negotiationGround ? { negotiationGround: request.negotiationGround } : {}),
    // The ground of an award without notice above the direct-award limit; within it, a direct award needs none.
    ...(request.withoutNoticeGround && procedure === 'negotiated_without_notice' && classification.regime !== 'direct'
      ? { withoutNoticeGround: request.withoutNoticeGround }
      : {}),
    ...(request.renewedCompetition ? { renewedCompetition: true } : {}),
    createdBy: birth.createdBy,
    createdAt: birth.createdAt,
    ...(birth.previousTenderId ? { previousTenderId: birth.previousTenderId } : {}),
    ...birth.pin,
    ...(birth.delegation ? { delegation: birth.delegation } : {}),
    commandKeys: birth.commandKeys,
  };
}

/**
 * A new tender's first state, known without asking its workflow (every tender starts in
 * INITIAL_PHASE, libs/domain phases.ts, as workflows/tender/tender.state.ts initialState says).
 */
export function firstState(
  input: TenderStartInput,
): Pick<TenderState, 'phase' | 'regime' | 'procedure' | 'ruleSet' | 'policyVersion' | 'deadlines'> {
  return {
    phase: INITIAL_PHASE,
    regime: input.regime,
    procedure: input.procedure,
    ruleSet: input.ruleSet,
    policyVersion: input.policyVersion,
    deadlines: [],
  };
}

/** The steps of a birth that read or write the database, and how the caller answers a refusal. */
export interface TenderStartSteps<A extends { id: string }> {
  /** The date the rules apply on (Swedish), and the threshold rows in force (libs/db thresholds.ts). */
  today: string;
  rows: readonly ThresholdRow[];
  /** Runs the rules: the API turns a gap in the rule set into its own answer there. */
  classifying?: <T>(classify: () => T) => T;
  /** The rules' refusal as the caller answers it (the API's 422, a non-retryable activity failure). */
  refuse(violations: RuleViolation[]): Error;
  /** The id (libs/db tender-numbers.ts), with whatever the caller learns of the allocation (a replay). */
  allocate(valid: TenderStartResult): Promise<A>;
  /** The organisation's policy in force now. */
  pin(): Promise<PolicyPin>;
  /** The organisation's delegation order in force now (libs/db delegation-store.ts), when it has adopted one. */
  delegationOrder?(): Promise<({ version: number } & DelegationOrder) | undefined>;
  createdBy: Actor;
  /** When the tender is created: now, unless the asking workflow dates it. */
  createdAt?: string;
  commandKeys: CommandKey[];
  previousTenderId?: string;
  withoutProcedureDescription?: boolean;
  /** Records the start (libs/db tender-starts.ts) and answers the input to start with: a repeated API start gets its first. */
  record(start: { tenderId: string; workflowId: string; input: TenderStartInput }): Promise<TenderStartInput>;
}

export interface PreparedTenderStart<A> {
  /** The input to start tenderWorkflow with, as recorded. */
  input: TenderStartInput;
  /** The input this request made (the recorded one differs only for a repeat of an earlier start). */
  fresh: TenderStartInput;
  workflowId: string;
  valid: TenderStartResult;
  allocated: A;
}

/** A tender's birth up to its workflow's start: the rules, the id, the policy, the start input, its record. */
export async function prepareTenderStart<A extends { id: string }>(
  request: TenderRequest,
  steps: TenderStartSteps<A>,
): Promise<PreparedTenderStart<A>> {
  const classify = () => validateStart(request, steps.today, steps.rows);
  const valid = steps.classifying ? steps.classifying(classify) : classify();
  if (!valid.ok) throw steps.refuse(valid.violations);
  const allocated = await steps.allocate(valid);
  const workflowId = tenderWorkflowId(allocated.id);
  // The policy in force now (the group's rules, the organisation's, the category's), pinned: the
  // tender runs under it to its end, whatever the board decides meanwhile.
  const pin = await steps.pin();
  const order = steps.delegationOrder ? await steps.delegationOrder() : undefined;
  const fresh = tenderStartInput(request, valid, {
    id: allocated.id,
    createdBy: steps.createdBy,
    createdAt: steps.createdAt ?? new Date().toISOString(),
    pin,
    ...(order
      ? {
          delegation: delegationPin(order.version, order, {
            category: request.category,
            regime: valid.regime,
            procedure: valid.procedure,
            directAward: awardedByDecisionToProcure(valid.procedure),
          }),
        }
      : {}),
    commandKeys: steps.commandKeys,
    ...(steps.previousTenderId ? { previousTenderId: steps.previousTenderId } : {}),
    ...(steps.withoutProcedureDescription ? { withoutProcedureDescription: true } : {}),
  });
  const input = await steps.record({ tenderId: allocated.id, workflowId, input: fresh });
  return { input, fresh, workflowId, valid, allocated };
}
