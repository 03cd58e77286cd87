/**
 * One invited body of a joint procurement (DESIGN 3 coordination), as a child of the tender:
 * the invitation goes out, a reminder before the response deadline, and the deadline itself.
 *
 * - The body's partner answers with the `respondToInvitation` Update. The validator refuses
 *   another role or body (Forbidden), a second answer (Conflict) and a late one (RuleViolation).
 * - The outcome reaches the tender by signal before the answering Update returns (so the tender's
 *   state read right after shows it), and again as this workflow's result.
 * - The workflow stays open until the response deadline, so that a second answer within it is
 *   refused here with its reason; after the deadline the API answers from the tender's record.
 * - Audit events go to the tender's chain under this workflow's ID; notifications to the outbox.
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, log, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { DURABLE_WRITE_OPTIONS, type CommitActivities, type RecordActivities } from '../shared/activities';
import { CommandKeys, handleKeyRotation } from '../shared/command-auth';
import type { NotificationAbout, NotificationInput } from '@tenderflow/activities/activity-types';
import { StepRecorder } from '../shared/recorder';
import { ALLOWED, commandInputVerdict, firstRefusal, hasRole, nonEmpty, refuse, toFailure, type Verdict } from '../shared/refusals';
import type { CommandInput, RespondToInvitationPayload } from '@tenderflow/temporal-common/tender-types';
import { getInvitationStateQuery, invitationOutcomeSignal, respondToInvitationUpdate, type CoordinationInput, type CoordinationState, type InvitationOutcome } from './coordination.messages';

const { commitStep, appendAudit } = proxyActivities<CommitActivities & Pick<RecordActivities, 'appendAudit'>>(DURABLE_WRITE_OPTIONS);

export async function coordinationWorkflow(input: CoordinationInput): Promise<InvitationOutcome> {
  const { workflowId } = workflowInfo();
  const state: CoordinationState = {
    tenderId: input.tenderId,
    workflowId,
    organization: input.body.organization,
    name: input.body.name,
    contactEmail: input.body.contactEmail,
    status: 'invited',
    response: input.response,
    ...(input.reminder ? { reminder: input.reminder } : {}),
    invitedAt: input.invitedAt,
  };
  const now = () => new Date(Date.now()).toISOString();
  const address = `email:${input.body.contactEmail}`;
  const recorder = new StepRecorder<never>(() => ({ tenderId: input.tenderId, workflowId, organization: input.invitingOrganization }), { commitStep, appendAudit });

  const event = (type: string, actor: { sub: string; name: string; org?: string } | null, payload: unknown, reason?: string) => recorder.event(type, actor, payload, reason);
  const message = (kind: NotificationInput['kind'], subject: string, body: string) => {
    const about: NotificationAbout = {
      topic: 'joint_invitation',
      body: { organization: input.body.organization, name: input.body.name },
      invitingOrganization: input.invitingOrganization,
      deadline: { kind: 'coordination_response', lastDay: input.response.lastDay, at: input.response.at, basis: input.response.basis },
      reminder: kind === 'reminder',
    };
    recorder.message(kind, [address], subject, body, about);
  };
  /** The step's audit events and notifications (shared/recorder.ts); the body keeps no read model of its own. */
  const persist = async () => {
    await recorder.record();
    describe(state);
  };
  const keys = new CommandKeys(input.commandKeys);
  const tender = getExternalWorkflowHandle(input.tenderWorkflowId);
  /** The tender hears of the outcome before anyone else can read it. */
  const decide = async (outcome: InvitationOutcome) => {
    state.status = outcome.status;
    state.outcome = outcome;
    await persist();
    try {
      await tender.signal(invitationOutcomeSignal, outcome);
    } catch (err) {
      // The tender has ended (e.g. cancelled): nobody waits for this outcome any more.
      log.warn('could not signal the tender', { tenderWorkflowId: input.tenderWorkflowId, error: String(err) });
    }
  };

  const verdict = (i: CommandInput<RespondToInvitationPayload>): Verdict => {
    if (!i || typeof i !== 'object' || !i.actor || !i.payload || typeof i.payload !== 'object') {
      return refuse('BadRequest', 'An answer needs { actor, payload }.');
    }
    const { actor, payload: p } = i;
    return firstRefusal(
      () => (hasRole(actor, 'partner') ? ALLOWED : refuse('Forbidden', 'Only a partner body answers an invitation.', { rule: 'role' })),
      () => (actor.org === state.organization ? ALLOWED : refuse('Forbidden', `You act for ${actor.org} and may not answer for ${state.organization}.`, { rule: 'own_body_only' })),
      () =>
        p.organization === undefined || p.organization === state.organization
          ? ALLOWED
          : refuse('BadRequest', `This invitation is ${state.organization}'s, not ${p.organization}'s.`, { field: 'organization' }),
      () => (state.status === 'invited' ? ALLOWED : alreadyAnswered(state)),
      () =>
        Date.now() <= Date.parse(state.response.at)
          ? ALLOWED
          : refuse('RuleViolation', `The response deadline ${state.response.lastDay} has passed; ${state.organization} is recorded as not joined.`, {
              rule: 'response_deadline_passed',
            }),
      () => (p.answer === 'join' || p.answer === 'decline' ? ALLOWED : refuse('BadRequest', "answer must be 'join' or 'decline'.", { field: 'answer' })),
      () =>
        p.answer !== 'join' || nonEmpty(p.mandateReference)
          ? ALLOWED
          : refuse('RuleViolation', 'A body joins with a mandate (fullmakt): mandateReference is required.', { rule: 'mandate_required', field: 'mandateReference' }),
      () =>
        p.answer !== 'join' || nonEmpty(p.estimatedVolume)
          ? ALLOWED
          : refuse('BadRequest', 'A body joins with its estimated volume: estimatedVolume is required.', { field: 'estimatedVolume' }),
      () => (p.answer !== 'decline' || nonEmpty(p.reason) ? ALLOWED : refuse('BadRequest', 'A body declines with a reason: reason is required.', { field: 'reason' })),
    );
  };

  setHandler(getInvitationStateQuery, () => state);
  setHandler(
    respondToInvitationUpdate,
    async (i) => {
      // The validator ran before the update was accepted; nothing can have changed in between
      // except the deadline passing, which the workflow's own timer settles first.
      const v = verdict(i);
      if (!v.allowed) throw toFailure(v);
      const { actor, payload: p } = i;
      const by = { sub: actor.sub, name: actor.name, org: actor.org };
      event('invitation.answered', by, { answer: p.answer, estimatedVolume: p.estimatedVolume, mandateReference: p.mandateReference }, p.reason ?? p.comment);
      await decide({
        tenderId: input.tenderId,
        organization: state.organization,
        status: p.answer === 'join' ? 'joined' : 'declined',
        at: now(),
        answeredBy: by,
        ...(p.estimatedVolume !== undefined ? { estimatedVolume: p.estimatedVolume } : {}),
        ...(p.mandateReference !== undefined ? { mandateReference: p.mandateReference } : {}),
        ...(p.reason !== undefined ? { reason: p.reason } : {}),
        ...(p.comment !== undefined ? { comment: p.comment } : {}),
      });
      return state;
    },
    {
      validator: (i) => {
        keys.assertSigned(i);
        const envelope = commandInputVerdict(i);
        if (!envelope.allowed) throw toFailure(envelope);
        const v = verdict(i);
        if (!v.allowed) throw toFailure(v);
      },
    },
  );

  handleKeyRotation(keys, async (key, actor) => {
    event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey });
    await persist();
  });

  event('invitation.sent', input.invitedBy, { organization: state.organization, response: input.response, reminder: input.reminder ?? null });
  message(
    'invitation',
    `${input.tenderId}: invitation to a joint procurement`,
    `${input.invitingOrganization} invites ${input.body.name} to join "${input.title}". Answer join (with your estimated volume and ` +
      `mandate, fullmakt) or decline (with a reason) by ${input.response.lastDay}.`,
  );
  await persist();

  const answered = () => state.status !== 'invited';
  const until = (at: string) => Math.max(0, Date.parse(at) - Date.now());
  if (input.reminder && !answered() && until(input.reminder.at) > 0) {
    if (!(await condition(answered, until(input.reminder.at)))) {
      state.remindedAt = now();
      event('invitation.reminded', null, { lastDay: input.response.lastDay });
      message('reminder', `${input.tenderId}: please answer the invitation`, `Answer join or decline for "${input.title}" by ${input.response.lastDay}.`);
      await persist();
    }
  }
  if (!answered() && until(input.response.at) > 0) await condition(answered, until(input.response.at));
  if (!answered()) {
    event('invitation.expired', null, { lastDay: input.response.lastDay }, 'no answer by the response deadline');
    await decide({ tenderId: input.tenderId, organization: state.organization, status: 'not_joined', at: now() });
  }
  // Open until the deadline: a second answer is refused here, with its reason.
  if (until(input.response.at) > 0) await condition(() => false, until(input.response.at) + 1);
  await condition(allHandlersFinished);
  return state.outcome!;
}

function alreadyAnswered(s: CoordinationState) {
  const o = s.outcome;
  return refuse('Conflict', `${s.organization} has already answered: ${o?.status ?? s.status}${o?.answeredBy ? ` by ${o.answeredBy.name}` : ''}${o ? ` on ${o.at.slice(0, 10)}` : ''}.`, {
    rule: 'already_answered',
  });
}

function describe(s: CoordinationState): void {
  setCurrentDetails(`**${s.name}** (${s.organization}) invited to ${s.tenderId}\nStatus: ${s.status}\nRespond by: ${s.response.lastDay}`);
}
