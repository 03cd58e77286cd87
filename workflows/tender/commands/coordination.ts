/**
 * Joint procurement: one coordination child per invited body (coordination.workflow.ts) sends the
 * invitation and the reminder and keeps the response deadline; the tender records each body's
 * outcome and leaves coordination when every body has one.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CancellationScope,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { ComputedDeadline } from '@tenderflow/activities/deadline.activities';
import type { createInvitationActivities } from '@tenderflow/activities/invitation.activities';
import type { Actor } from '@tenderflow/domain/types';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import type { PersonRef } from '@tenderflow/temporal-common/tender-types';
import {
  invitationOutcomeSignal,
  type CoordinationInput,
  type InvitationOutcome,
} from '../../coordination/coordination.messages';
import type { coordinationWorkflow } from '../../coordination/coordination.workflow';
import { DURABLE_WRITE_OPTIONS } from '../../shared/activities';
import { refuse, toFailure } from '@tenderflow/temporal-common/refusals';
import type { TenderRun } from '../tender.run';
import { actorRef, briefReason, isFinal, messageOf, person } from '../tender.state';

const { invitationOutcome } = proxyActivities<ReturnType<typeof createInvitationActivities>>(DURABLE_WRITE_OPTIONS);

/** Since this patch the tender records what the chain holds of a signalled outcome, not the signal's content. */
export const OUTCOME_FROM_CHAIN_PATCH = 'invitation-outcome-from-chain';

/** Since this patch the invitations start once the decision that sends them is committed (TenderRun.afterCommit). */
export const CHILDREN_AFTER_COMMIT_PATCH = 'children-after-commit';

/**
 * A coordination child reports its body's outcome (before its answering update returns). A signal
 * proves nothing of its sender (anyone who reaches Temporal can send one), so it only names the
 * body: the outcome recorded is the one the chain holds, written by the commits of the coordination
 * this tender started (activities/invitation.activities.ts). A signal the chain does not bear out
 * is logged as forged and changes nothing; neither does one for a body that has its outcome.
 */
export function registerCoordinationHandlers(run: TenderRun): void {
  setHandler(invitationOutcomeSignal, (o) => {
    if (!patched(OUTCOME_FROM_CHAIN_PATCH)) {
      void run.exclusive(() => recordInvitation(run, o));
      return;
    }
    const organization = typeof o?.organization === 'string' ? o.organization : undefined;
    const body = run.state.participants.find((b) => b.organization === organization);
    if (!organization || body?.status !== 'invited') {
      log.warn('invitation outcome signal for no open invitation: ignored', { organization: String(organization) });
      return;
    }
    void run.exclusive(async () => {
      if (body.status !== 'invited') return;
      const proven = await invitationOutcome({
        tenderId: run.state.id,
        organization,
        signalled: { status: o.status, at: o.at, answeredBy: o.answeredBy },
      });
      if (proven) await recordInvitation(run, proven);
    });
  });
}

/**
 * One child per invited body: it sends the invitation, the reminder and keeps the deadline. The
 * tender shows the response deadline and waits for every child's outcome.
 */
export async function enterCoordination(run: TenderRun, actor: Actor): Promise<void> {
  const s = run.state;
  const days = run.policy.coordinationResponseDays;
  const reminderDays = Math.max(0, days - run.policy.coordinationReminderDays);
  const [response, reminder] = await Promise.all([
    run.compute({
      kind: 'coordination_response',
      rule: 'period',
      from: run.now(),
      params: { days },
      basis: `policy: invited bodies answer within ${days} days`,
    }),
    run.compute({
      kind: 'coordination_reminder',
      rule: 'period',
      from: run.now(),
      params: { days: reminderDays },
      basis: `policy: reminder ${run.policy.coordinationReminderDays} days before the response deadline`,
    }),
  ]);
  run.enter('coordination', actor);
  run.setDeadline(response);
  const deadline = (d: ComputedDeadline) => ({ at: d.at, lastDay: d.lastDay, basis: d.basis });
  const invited = s.participants.filter((x) => x.status === 'invited');
  const afterCommit = patched(CHILDREN_AFTER_COMMIT_PATCH);
  if (afterCommit) {
    // Two invitations to one body would start one workflow twice (the API refuses such a start).
    const ids = invited.map((b) => coordinationWorkflowId(s.id, b.organization));
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice)
      throw toFailure(
        refuse(
          'Conflict',
          `Two invitations of this tender would start the same workflow ${twice}: a body is invited twice.`,
          { rule: 'child_exists' },
        ),
      );
  }
  for (const b of invited) {
    const workflowId = coordinationWorkflowId(s.id, b.organization);
    const input: CoordinationInput = {
      tenderId: s.id,
      tenderWorkflowId: s.workflowId,
      title: s.title,
      invitingOrganization: s.organization,
      body: { organization: b.organization, name: b.name, contactEmail: b.contactEmail ?? '' },
      response: deadline(response),
      ...(reminder.lastDay < response.lastDay ? { reminder: deadline(reminder) } : {}),
      invitedBy: person(actor),
      invitedAt: run.now(),
      commandKeys: run.keys.all(),
    };
    if (afterCommit) {
      b.workflowId = workflowId;
      run.event(
        'coordination.invited',
        actor,
        { organization: b.organization, workflowId, respondBy: response.lastDay },
        undefined,
      );
      run.afterCommit(() => startInvitation(run, input, workflowId));
    } else {
      const child = await startInvitationChild(run, input, workflowId);
      b.workflowId = workflowId;
      run.event(
        'coordination.invited',
        actor,
        { organization: b.organization, workflowId, respondBy: response.lastDay },
        undefined,
      );
      watchInvitation(run, child, b.organization);
    }
  }
}

/**
 * Starts a body's invitation once the decision is committed. Its id taken by a workflow this tender
 * did not start (only someone who reaches Temporal can do that: it writes nothing, see
 * activities/provenance.ts) is no reason to undo a committed decision: the body is recorded as not
 * joined, with the reason, and the tender goes on.
 */
async function startInvitation(run: TenderRun, input: CoordinationInput, workflowId: string): Promise<void> {
  let child: ChildWorkflowHandle<typeof coordinationWorkflow>;
  try {
    child = await startInvitationChild(run, input, workflowId);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    log.warn('invitation workflow id taken by a workflow the tender did not start', { workflowId });
    await recordInvitation(run, {
      tenderId: input.tenderId,
      organization: input.body.organization,
      status: 'not_joined',
      at: run.now(),
      reason: `the invitation could not be sent: the workflow id ${workflowId} is taken by a workflow this tender did not start`,
    });
    return;
  }
  watchInvitation(run, child, input.body.organization);
}

function startInvitationChild(
  run: TenderRun,
  input: CoordinationInput,
  workflowId: string,
): Promise<ChildWorkflowHandle<typeof coordinationWorkflow>> {
  // REQUEST_CANCEL: a tender that ends (cancelled) withdraws the invitations still open.
  run.invitations ??= new CancellationScope();
  return run.invitations.run(() =>
    startChild<typeof coordinationWorkflow>('coordinationWorkflow', {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    }),
  );
}

function watchInvitation(
  run: TenderRun,
  child: ChildWorkflowHandle<typeof coordinationWorkflow>,
  organization: string,
): void {
  const s = run.state;
  // The signal normally comes first; the result settles a child that could not signal.
  const settled = child.result().then(
    (o) => run.exclusive(() => recordInvitation(run, o)),
    (err: unknown) =>
      isFinal(s.phase)
        ? undefined
        : run.exclusive(() =>
            recordInvitation(run, {
              tenderId: s.id,
              organization,
              status: 'not_joined',
              at: run.now(),
              reason: `invitation workflow ended: ${messageOf(err)}`,
            }),
          ),
  );
  run.watch(settled);
}

/** A body's outcome, from its child: recorded once; the last one ends coordination. */
export async function recordInvitation(run: TenderRun, o: InvitationOutcome): Promise<void> {
  const s = run.state;
  const b = s.participants.find((x) => x.organization === o.organization);
  if (!b || b.status !== 'invited') return;
  b.status = o.status;
  if (o.answeredBy) {
    b.answeredAt = o.at;
    b.answeredBy = person(o.answeredBy);
    s.commands.push({
      command: 'respondToInvitation',
      actor: actorRef({ ...o.answeredBy, roles: ['partner'] }),
      at: o.at,
      ...(o.reason ? { reason: briefReason(o.reason) } : {}),
    });
  }
  if (o.estimatedVolume !== undefined) b.estimatedVolume = o.estimatedVolume;
  if (o.mandateReference !== undefined) b.mandateReference = o.mandateReference;
  if (o.status === 'declined' && o.reason) {
    const textRef = run.content(`decline:${b.organization}`, { declineReason: o.reason });
    if (textRef) b.textRef = textRef;
    else b.declineReason = o.reason;
  }
  run.event(`invitation.${o.status}`, o.answeredBy ?? null, o, o.reason);
  if (s.phase === 'coordination' && s.participants.every((x) => x.status !== 'invited'))
    leaveCoordination(run, o.answeredBy ?? null);
  await run.commit();
}

export function leaveCoordination(run: TenderRun, actor: (PersonRef & { org: string }) | null): void {
  const s = run.state;
  const answered = s.participants.filter((b) => b.status === 'joined' || b.status === 'declined').length;
  run.closeDeadline('coordination_response', 'met');
  const reason = `every invited body has answered or its deadline has passed (${answered} of ${s.participants.length} answered; joined: ${
    s.participants
      .filter((b) => b.status === 'joined')
      .map((b) => b.organization)
      .join(', ') || 'none'
  })`;
  run.enter('documents', actor ? { ...actor, roles: ['partner'] } : null, reason);
}
