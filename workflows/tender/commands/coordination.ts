/**
 * Joint procurement: one coordination child per invited body (coordination.workflow.ts) sends the
 * invitation and the reminder and keeps the response deadline; the tender records each body's
 * outcome and leaves coordination when every body has one.
 */
import { CancellationScope, ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import type { ComputedDeadline } from '@tenderflow/activities/deadline.activities';
import type { Actor } from '@tenderflow/domain/types';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import type { PersonRef } from '@tenderflow/temporal-common/tender-types';
import { invitationOutcomeSignal, type CoordinationInput, type InvitationOutcome } from '../../coordination/coordination.messages';
import type { coordinationWorkflow } from '../../coordination/coordination.workflow';
import type { TenderRun } from '../tender.run';
import { actorRef, isFinal, messageOf, person } from '../tender.state';

/** A coordination child reports its body's outcome (before its answering update returns). */
export function registerCoordinationHandlers(run: TenderRun): void {
  setHandler(invitationOutcomeSignal, (o) => {
    void run.exclusive(() => recordInvitation(run, o));
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
  for (const b of s.participants.filter((x) => x.status === 'invited')) {
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
    // REQUEST_CANCEL: a tender that ends (cancelled) withdraws the invitations still open.
    run.invitations ??= new CancellationScope();
    const child = await run.invitations.run(() =>
      startChild<typeof coordinationWorkflow>('coordinationWorkflow', {
        workflowId,
        args: [input],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      }),
    );
    b.workflowId = workflowId;
    run.event('coordination.invited', actor, { organization: b.organization, workflowId, respondBy: response.lastDay }, undefined);
    // The signal normally comes first; the result settles a child that could not signal.
    const settled = child.result().then(
      (o) => run.exclusive(() => recordInvitation(run, o)),
      (err: unknown) =>
        isFinal(s.phase)
          ? undefined
          : run.exclusive(() =>
              recordInvitation(run, { tenderId: s.id, organization: b.organization, status: 'not_joined', at: run.now(), reason: `invitation workflow ended: ${messageOf(err)}` }),
            ),
    );
    run.watch(settled);
  }
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
    s.commands.push({ command: 'respondToInvitation', actor: actorRef({ ...o.answeredBy, roles: ['partner'] }), at: o.at, ...(o.reason ? { reason: o.reason } : {}) });
  }
  if (o.estimatedVolume !== undefined) b.estimatedVolume = o.estimatedVolume;
  if (o.mandateReference !== undefined) b.mandateReference = o.mandateReference;
  if (o.status === 'declined' && o.reason) b.declineReason = o.reason;
  run.event(`invitation.${o.status}`, o.answeredBy ?? null, o, o.reason);
  if (s.phase === 'coordination' && s.participants.every((x) => x.status !== 'invited')) leaveCoordination(run, o.answeredBy ?? null);
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
