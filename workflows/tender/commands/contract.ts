/**
 * The contract: its registration against the award (libs/domain contract-rules, the direct-award
 * ledger), the statutory duties after signing, and the follow-up child `contract-<id>`, whose end
 * completes the tender.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { ComputedDeadline } from '@tenderflow/activities/deadline.activities';
import type { DirectAwardActivities } from '@tenderflow/activities/direct-award.activities';
import { directAwardDocumentationRequired, directAwardNoticeRequired } from '@tenderflow/domain/accelerated';
import { checkContractRegistration, checkContractTerm } from '@tenderflow/domain/contract-rules';
import { ruleSetAtLeast } from '@tenderflow/domain/thresholds';
import { addDays, isIsoDate, stockholmDate } from '@tenderflow/domain/dates';
import { awardedByDecisionToProcure } from '@tenderflow/domain/procedures';
import type { Actor } from '@tenderflow/domain/types';
import type { ContractControl, ContractOutcome, ContractStartInput } from '@tenderflow/temporal-common/contract-types';
import { contractIdForTender, contractWorkflowId } from '@tenderflow/temporal-common/ids';
import type { CommandPayloads, TenderState } from '@tenderflow/temporal-common/tender-types';
import { DURABLE_WRITE_OPTIONS } from '../../shared/activities';
import type { ContractWorkflow } from '../../shared/children';
import { ALLOWED, firstRefusal, refuse, toFailure, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import { checkContract, contractRefusal } from '../tender.checks';
import { contractPolicyVerdict } from '../tender.policy';
import type { TenderRun } from '../tender.run';
import { CHILDREN_AFTER_COMMIT_PATCH } from './coordination';
import { actorRef, messageOf, person } from '../tender.state';

/** The direct-award ledger (a transaction under a lock): retried until it answers. */
const { registerDirectAwardContract } = proxyActivities<DirectAwardActivities>(DURABLE_WRITE_OPTIONS);

/**
 * The contract registration checks (libs/domain contract-rules, and the direct-award ledger) came
 * after tenders had registered contracts: a handler replaying an older registration skips them.
 */
const CONTRACT_CHECKS_PATCH = 'contract-registration-checks';
/**
 * Rule set LOU-2026.2: a direct award over 700 000 SEK gets a post-award notice milestone
 * (19 a kap. 13–14 §§ LOU), one more activity call when the contract is registered.
 */
const PATCH_DIRECT_AWARD_NOTICE = 'lou-2026-2-direct-award-notice';
/** The contract's term within the declared one and the policy's maximum (contract-rules checkContractTerm): newer than some histories. */
const CONTRACT_TERM_PATCH = 'contract-term-limit';

export function registerContractCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('registerContract', {
    check: (p) =>
      firstRefusal(
        () => checkContract(p, s),
        () => contractPolicyVerdict(p, s, run.policy),
      ),
    validate: (p) =>
      firstRefusal(
        () => contractRules(run, p),
        () => contractTerm(run, p),
      ),
    apply: (p, actor) => registerContract(run, p, actor),
  });
}

/**
 * The signed contract starts its follow-up: the child contract-<id> with the milestone plan. The
 * statutory duties after signing are computed here (working days, an activity) and become
 * milestones of the contract.
 */
export async function registerContract(
  run: TenderRun,
  p: CommandPayloads['registerContract'],
  actor: Actor,
): Promise<void> {
  const s = run.state;
  const checked = patched(CONTRACT_CHECKS_PATCH);
  if (checked) {
    const v = contractRules(run, p);
    if (!v.allowed) throw toFailure(v);
  }
  if (patched(CONTRACT_TERM_PATCH)) {
    const v = contractTerm(run, p);
    if (!v.allowed) throw toFailure(v);
  }
  // Post-award notice: 10 kap. 4 § (EU), 19 kap. (national), 19 a kap. 13–14 §§ (a direct award over 700 000 SEK).
  // The tender's own rule set decides the boundaries (libs/domain accelerated.ts): a tender started under an earlier one keeps them.
  const directNotice =
    s.regime === 'direct' &&
    patched(PATCH_DIRECT_AWARD_NOTICE) &&
    directAwardNoticeRequired(p.valueSek, p.signedAt, s.ruleSet);
  // Documentation: 12 kap. 14–15 §§ (EU), 19 kap. 22 § (national), 19 a kap. 11 § above 100 000 SEK (direct).
  // Both counted from the signing day: computed side by side.
  const [notice, documentation] = await Promise.all([
    s.regime === 'eu' || s.regime === 'national' || directNotice
      ? run.compute({
          kind: 'post_award_notice',
          rule: 'post_award_notice',
          from: p.signedAt,
          params: { regime: s.regime },
        })
      : null,
    s.regime !== 'direct' || directAwardDocumentationRequired(p.valueSek, s.ruleSet)
      ? run.compute({ kind: 'documentation', rule: 'documentation', from: p.signedAt, params: { regime: s.regime } })
      : null,
  ]);
  // The last refusal: the ledger takes the contract's value only if the year's total allows it.
  // A direct award on a ground of 19 a kap. 3–6 §§ is not a purchase within the limit: the year's total is not its rule.
  const onGround =
    s.procedure === 'negotiated_without_notice' &&
    run.input.withoutNoticeGround !== undefined &&
    ruleSetAtLeast(s.ruleSet, 'LOU-2026.3');
  if (checked && s.regime === 'direct' && !onGround) {
    const ledger = await registerDirectAwardContract({
      tenderId: s.id,
      organization: s.organization,
      category: s.category,
      contractType: s.contractType,
      createdAt: s.createdAt,
      valueSek: p.valueSek,
      registeredBy: actor.sub,
      ruleSet: s.ruleSet,
    });
    const [first] = ledger.violations;
    if (first)
      throw toFailure(
        refuse('RuleViolation', first.message, { rule: first.rule, paragraph: first.paragraph, field: 'valueSek' }),
      );
  }
  s.contract = { ...p, registeredBy: person(actor), registeredAt: run.now() };
  const contractId = contractIdForTender(s.id);
  const workflowId = contractWorkflowId(contractId);
  const na = s.needsAnalysis;
  const input: ContractStartInput = {
    contractId,
    tenderId: s.id,
    tenderWorkflowId: s.workflowId,
    title: s.title,
    organization: s.organization,
    category: s.category,
    contractType: s.contractType,
    regime: s.regime,
    procedure: s.procedure,
    frameworkAgreement: s.frameworkAgreement,
    estimatedValueSek: s.estimatedValueSek,
    ...(run.input.contractTermMonths !== undefined ? { contractTermMonths: run.input.contractTermMonths } : {}),
    contract: p,
    buyers: [
      { organization: s.organization, name: s.organization, role: 'lead' },
      ...s.participants
        .filter((b) => b.status === 'joined')
        .map((b) => ({
          organization: b.organization,
          name: b.name,
          role: 'participant' as const,
          ...(b.estimatedVolume ? { estimatedVolume: b.estimatedVolume } : {}),
          ...(b.mandateReference ? { mandateReference: b.mandateReference } : {}),
        })),
    ],
    criticality: na?.supplyPreparedness.criticality ?? 'low',
    labourConditionsRequired: na?.laborConditions?.required === true,
    sustainabilityCriteria: na && 'criteria' in na.sustainability ? na.sustainability.criteria : [],
    obligations: [notice, documentation]
      .filter((d): d is ComputedDeadline => d !== null)
      .map((d) => ({ kind: d.kind as 'post_award_notice' | 'documentation', lastDay: d.lastDay, basis: d.basis })),
    ...(s.regime === 'direct' &&
    ruleSetAtLeast(s.ruleSet, 'LOU-2026.3') &&
    directAwardDocumentationRequired(p.valueSek, s.ruleSet)
      ? { documentationRecord: 'direct_award' as const }
      : {}),
    ...(run.input.policy?.followUp ? { policy: run.input.policy.followUp } : {}),
    ...(s.documents?.followUpPlan?.length ? { followUpPlan: s.documents.followUpPlan } : {}),
    ...controlsOf(s),
    thresholdSek: s.threshold?.confirmed ? s.threshold.sek : null,
    ...(s.delegation?.sanctions?.length
      ? { sanctionDelegation: { version: s.delegation.version, items: s.delegation.sanctions } }
      : {}),
    registeredBy: actorRef(actor),
    registeredAt: run.now(),
    commandKeys: run.keys.all(),
  };
  if (patched(CHILDREN_AFTER_COMMIT_PATCH)) {
    s.followUp = { contractId, workflowId, startedAt: run.now(), status: 'running' };
    run.event('follow_up.started', actor, { contractId, workflowId }, undefined);
    run.enter('follow_up', actor);
    run.afterCommit(() => startFollowUp(run, input, workflowId));
    return;
  }
  const child = await startFollowUpChild(input, workflowId);
  s.followUp = { contractId, workflowId, startedAt: run.now(), status: 'running' };
  run.event('follow_up.started', actor, { contractId, workflowId }, undefined);
  run.enter('follow_up', actor);
  watchFollowUp(run, child);
}

/**
 * Starts the follow-up once the registration is committed. Its id taken by a workflow this tender
 * did not start (someone who reaches Temporal; it writes nothing, activities/provenance.ts) ends the
 * follow-up abnormally, with the reason, rather than undoing a committed registration.
 */
async function startFollowUp(run: TenderRun, input: ContractStartInput, workflowId: string): Promise<void> {
  let child: ChildWorkflowHandle<ContractWorkflow>;
  try {
    child = await startFollowUpChild(input, workflowId);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await endFollowUp(
      run,
      null,
      `the follow-up could not start: the workflow id ${workflowId} is taken by a workflow this tender did not start`,
    );
    return;
  }
  watchFollowUp(run, child);
}

function startFollowUpChild(
  input: ContractStartInput,
  workflowId: string,
): Promise<ChildWorkflowHandle<ContractWorkflow>> {
  // ABANDON: years of follow-up must not die with the tender's run (an administrator's terminate
  // or reset of the tender); the tender waits for it anyway.
  return startChild<ContractWorkflow>('contractWorkflow', {
    workflowId,
    args: [input],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}

function watchFollowUp(run: TenderRun, child: ChildWorkflowHandle<ContractWorkflow>): void {
  // The follow-up's end completes the tender; the run awaits this before it returns.
  run.watch(
    child.result().then(
      (outcome) => run.exclusive(() => endFollowUp(run, outcome, null)),
      (err: unknown) => run.exclusive(() => endFollowUp(run, null, messageOf(err))),
    ),
  );
}

/**
 * The contract against its award (libs/domain contract-rules): dates, signing after the decision
 * and after any standstill, the value within what was approved and within the approver's limit,
 * a framework agreement's length. The decision that awarded it: the last approved award decision,
 * or for a direct award the decision to procure; its approver's limit is the one recorded with
 * the decision, or, for decisions recorded before limits were, the tender's value (the least the
 * gate let them have).
 */
export function contractRules(run: TenderRun, p: CommandPayloads['registerContract']): Verdict {
  const s = run.state;
  const gate = awardedByDecisionToProcure(s.procedure) ? 'decision_to_procure' : 'award_decision';
  const decision = [...s.gateDecisions].reverse().find((d) => d.gate === gate && d.decision === 'approve');
  const standstill = [...s.pastDeadlines]
    .filter((d) => (d.kind === 'standstill' || d.kind === 'review_hold') && d.outcome === 'passed')
    .sort((a, b) => a.lastDay.localeCompare(b.lastDay))
    .pop();
  const violations = checkContractRegistration({
    contract: p,
    today: stockholmDate(Date.now()),
    frameworkAgreement: s.frameworkAgreement,
    ...(decision
      ? {
          award: {
            gate,
            decidedOn: stockholmDate(decision.at),
            decidedBy: decision.decidedBy.name,
            approvedValueSek: s.estimatedValueSek,
            approverLimitSek: decision.approvalLimitSek ?? s.estimatedValueSek,
          },
        }
      : {}),
    valueTolerancePercent: run.policy.contractValueTolerancePercent,
    standstill: standstill ? { lastDay: standstill.lastDay, basis: standstill.basis } : null,
  });
  if (violations.length > 0) return contractRefusal(violations[0]);
  const exAnte = s.exAnteNotice;
  // The notice protects the contract it announced: with another supplier it would not (20 kap. 15 § 4 LOU).
  if (exAnte && p.supplier?.trim().toLowerCase() !== exAnte.supplier.trim().toLowerCase()) {
    return refuse(
      'RuleViolation',
      `The ex-ante notice announced a contract with ${exAnte.supplier}, not ${p.supplier}.`,
      {
        rule: 'ex_ante_notice_supplier',
        paragraph: '20 kap. 15 § 4 LOU',
        field: 'supplier',
      },
    );
  }
  if (exAnte && isIsoDate(p.signedAt) && p.signedAt <= exAnte.waitLastDay) {
    return refuse(
      'RuleViolation',
      `The ex-ante notice was published on ${exAnte.publishedOn}: no contract before 10 days have passed, so not before ${addDays(exAnte.waitLastDay, 1)} (signedAt ${p.signedAt}).`,
      { rule: 'ex_ante_waiting_period', paragraph: '20 kap. 3 § LOU', field: 'signedAt' },
    );
  }
  return ALLOWED;
}

/** The contract's term against the tender's declared term and options, and the policy's maximum. */
export function contractTerm(run: TenderRun, p: CommandPayloads['registerContract']): Verdict {
  const termMonths = run.input.contractTermMonths;
  const violations = checkContractTerm({
    contract: p,
    ...(termMonths !== undefined
      ? { declared: { termMonths, optionMonths: run.input.extensionOptionMonths ?? 0 } }
      : {}),
  });
  return violations.length === 0 ? ALLOWED : contractRefusal(violations[0]);
}

/** The contract's follow-up has ended: the tender is complete. */
export async function endFollowUp(
  run: TenderRun,
  outcome: ContractOutcome | null,
  failure: string | null,
): Promise<void> {
  const s = run.state;
  if (!s.followUp || s.followUp.status !== 'running') return;
  s.followUp.status = outcome ? 'completed' : 'stopped';
  s.followUp.endedAt = run.now();
  if (outcome) {
    s.followUp.outcome = outcome;
    if (outcome.successorTenderId) s.successorTenderId = outcome.successorTenderId;
  }
  if (failure) s.followUp.failure = failure;
  run.event('follow_up.ended', null, { outcome, failure }, failure ?? undefined);
  run.enter(
    'completed',
    null,
    outcome
      ? `contract follow-up completed (contract ended ${outcome.endDate})`
      : `contract follow-up ended abnormally: ${failure}`,
  );
  await run.commit();
}

/**
 * The register's contract conditions and requirements marked for follow-up, as the contract's
 * controls (issue 31): each with its method, frequency and owner side, its lot and its
 * sustainability criterion's id. A requirement taken out of the register is not controlled.
 */
export function controlsOf(s: TenderState): { controls?: ContractControl[] } {
  const controls = (s.requirements ?? [])
    .filter((r) => r.followUp && !r.withdrawn)
    .map((r): ContractControl => ({
      requirementId: r.id,
      kind: r.kind,
      method: r.followUp!.method,
      frequency: r.followUp!.frequency,
      owner: r.followUp!.owner,
      ...(r.lot !== undefined ? { lot: r.lot } : {}),
      ...(r.sustainabilityCriterionId ? { criterionId: r.sustainabilityCriterionId } : {}),
    }));
  return controls.length > 0 ? { controls } : {};
}
