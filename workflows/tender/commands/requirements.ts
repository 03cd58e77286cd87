/**
 * The requirements register (issue 30, part 1): requirements are registered one per command in the
 * documents phase, while the documents are neither awaiting approval nor approved (the approval
 * covers them: a register that changed after it would not be what was approved). A requirement is
 * withdrawn, never edited or deleted: the chain keeps what was registered and why it went.
 *
 * The state keeps what the rules and the contract's follow-up read (kind, lot, criterion id, how it
 * is followed up, how it is scored); the text, the reference and the evidence asked for are written
 * to the read model with the step (one requirement: a bounded step whatever the register's size).
 */
import { REQUIREMENT_LIMITS, requirementProblems, scoringConflict } from '@tenderflow/domain/requirements';
import { requirementTextRef, requirementWithdrawalRef } from '@tenderflow/temporal-common/tender-texts';
import { ALLOWED, firstRefusal, nonEmpty, refuse } from '@tenderflow/temporal-common/refusals';
import type { Register } from '../tender.commands';
import type { TenderRun } from '../tender.run';
import { person } from '../tender.state';
import { registerOpen } from '../tender.checks';

export function registerRequirementCommands(run: TenderRun, register: Register): void {
  const s = run.state;
  register('registerRequirement', {
    check: (p) =>
      firstRefusal(
        () => registerOpen(s),
        () => {
          const problem = requirementProblems(
            p,
            s.lots.map((l) => l.title),
          );
          return problem ? refuse('BadRequest', problem.message, { field: problem.field }) : ALLOWED;
        },
        () => {
          const conflict = scoringConflict(s.requirements ?? [], p);
          return conflict
            ? refuse('RuleViolation', conflict.message, { field: conflict.field, rule: conflict.rule })
            : ALLOWED;
        },
        () =>
          (s.requirements?.length ?? 0) < REQUIREMENT_LIMITS.perTender
            ? ALLOWED
            : refuse('RuleViolation', `A register holds at most ${REQUIREMENT_LIMITS.perTender} requirements.`, {
                rule: 'requirements_limit',
              }),
        // Each followed-up requirement becomes a control of the contract: a bounded plan (issue 31).
        () =>
          !p.followUp ||
          (s.requirements ?? []).filter((r) => r.followUp && !r.withdrawn).length < REQUIREMENT_LIMITS.followedUp
            ? ALLOWED
            : refuse(
                'RuleViolation',
                `At most ${REQUIREMENT_LIMITS.followedUp} requirements are followed up as controls of the contract.`,
                { rule: 'follow_up_limit', field: 'followUp' },
              ),
      ),
    apply: (p, actor) => {
      const requirements = (s.requirements ??= []);
      const id = `K${requirements.length + 1}`;
      requirements.push({
        id,
        kind: p.kind,
        ...(p.lot !== undefined ? { lot: p.lot } : {}),
        ...(p.sustainabilityCriterionId !== undefined
          ? { sustainabilityCriterionId: p.sustainabilityCriterionId }
          : {}),
        ...(p.followUp
          ? { followUp: { method: p.followUp.method, frequency: p.followUp.frequency, owner: p.followUp.owner } }
          : {}),
        ...(p.scoring
          ? {
              scoring: {
                maxScore: p.scoring.maxScore,
                ...(p.scoring.weight !== undefined ? { weight: p.scoring.weight } : {}),
                ...(p.scoring.maxDeductionSek !== undefined ? { maxDeductionSek: p.scoring.maxDeductionSek } : {}),
              },
            }
          : {}),
        registeredBy: person(actor),
        registeredAt: run.now(),
      });
      run.text(requirementTextRef(id), {
        text: p.text,
        reference: p.reference,
        ...(p.followUp ? { evidence: p.followUp.evidence } : {}),
      });
    },
    eventType: 'requirement.registered',
  });
  register('withdrawRequirement', {
    check: (p) =>
      firstRefusal(
        () => registerOpen(s),
        () => {
          const r = s.requirements?.find((x) => x.id === p.requirementId);
          if (!r) return refuse('NotFound', `No requirement ${String(p.requirementId)}.`, { field: 'requirementId' });
          if (r.withdrawn) return refuse('Conflict', `${r.id} is already withdrawn.`, { rule: 'already_withdrawn' });
          return ALLOWED;
        },
        () =>
          nonEmpty(p.reason) && p.reason.length <= 1000
            ? ALLOWED
            : refuse('BadRequest', 'reason: why the requirement goes, 1–1000 characters.', { field: 'reason' }),
      ),
    apply: (p, actor) => {
      const r = s.requirements!.find((x) => x.id === p.requirementId)!;
      r.withdrawn = { by: person(actor), at: run.now() };
      run.text(requirementWithdrawalRef(r.id), { reason: p.reason });
    },
    eventType: 'requirement.withdrawn',
  });
}
