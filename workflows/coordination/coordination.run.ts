/**
 * One invited body's coordination (coordination.workflow.ts is its entry): its state, the answer's
 * checks, the steps it records and the signal that tells the tender. The body keeps no read model
 * of its own: its audit events and notifications go to the tender's chain and the outbox.
 */
import { getExternalWorkflowHandle, log, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { NotificationAbout, NotificationInput } from '@tenderflow/activities/activity-types';
import type { Actor } from '@tenderflow/domain/types';
import type { CommandInput, RespondToInvitationPayload } from '@tenderflow/temporal-common/tender-types';
import { DURABLE_WRITE_OPTIONS, type CommitActivities, type RecordActivities } from '../shared/activities';
import { CommandKeys } from '../shared/command-auth';
import type { CommandKey } from '@tenderflow/temporal-common/command-signature';
import { StepRecorder } from '../shared/recorder';
import { ALLOWED, firstRefusal, nonEmpty, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import { mayAnswerForBody } from '../shared/authority';
import {
  invitationOutcomeSignal,
  type CoordinationInput,
  type CoordinationState,
  type InvitationOutcome,
} from './coordination.messages';

const { commitStep, appendAudit } = proxyActivities<CommitActivities & Pick<RecordActivities, 'appendAudit'>>(
  DURABLE_WRITE_OPTIONS,
);

type By = { sub: string; name: string; org?: string };

export class CoordinationRun {
  readonly state: CoordinationState;
  readonly keys: CommandKeys;
  private readonly recorder: StepRecorder<never>;
  private readonly address: string;
  private readonly tender: ReturnType<typeof getExternalWorkflowHandle>;

  constructor(readonly input: CoordinationInput) {
    const { workflowId } = workflowInfo();
    this.state = {
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
    this.address = `email:${input.body.contactEmail}`;
    this.recorder = new StepRecorder<never>(
      () => ({ tenderId: input.tenderId, workflowId, organization: input.invitingOrganization }),
      { commitStep, appendAudit },
    );
    this.keys = new CommandKeys(input.commandKeys);
    this.tender = getExternalWorkflowHandle(input.tenderWorkflowId);
  }

  now(): string {
    return new Date(Date.now()).toISOString();
  }

  answered(): boolean {
    return this.state.status !== 'invited';
  }

  /** Milliseconds until `at`, never negative. */
  until(at: string): number {
    return Math.max(0, Date.parse(at) - Date.now());
  }

  /** What follows the envelope (shared/commands.ts asks it first): who answers, when, and with what. */
  verdict(i: CommandInput<RespondToInvitationPayload>): Verdict {
    if (!i || typeof i !== 'object' || !i.actor || !i.payload || typeof i.payload !== 'object')
      return refuse('BadRequest', 'An answer needs { actor, payload }.');
    const s = this.state;
    const { actor, payload: p } = i;
    return firstRefusal(
      () => mayAnswerForBody(actor, s.organization),
      () =>
        p.organization === undefined || p.organization === s.organization
          ? ALLOWED
          : refuse('BadRequest', `This invitation is ${s.organization}'s, not ${p.organization}'s.`, {
              field: 'organization',
            }),
      () => (s.status === 'invited' ? ALLOWED : alreadyAnswered(s)),
      () =>
        Date.now() <= Date.parse(s.response.at)
          ? ALLOWED
          : refuse(
              'RuleViolation',
              `The response deadline ${s.response.lastDay} has passed; ${s.organization} is recorded as not joined.`,
              {
                rule: 'response_deadline_passed',
              },
            ),
      () =>
        p.answer === 'join' || p.answer === 'decline'
          ? ALLOWED
          : refuse('BadRequest', "answer must be 'join' or 'decline'.", { field: 'answer' }),
      () =>
        p.answer !== 'join' || nonEmpty(p.mandateReference)
          ? ALLOWED
          : refuse('RuleViolation', 'A body joins with a mandate (fullmakt): mandateReference is required.', {
              rule: 'mandate_required',
              field: 'mandateReference',
            }),
      () =>
        p.answer !== 'join' || nonEmpty(p.estimatedVolume)
          ? ALLOWED
          : refuse('BadRequest', 'A body joins with its estimated volume: estimatedVolume is required.', {
              field: 'estimatedVolume',
            }),
      () =>
        p.answer !== 'decline' || nonEmpty(p.reason)
          ? ALLOWED
          : refuse('BadRequest', 'A body declines with a reason: reason is required.', { field: 'reason' }),
    );
  }

  /**
   * The answer, once the registrar has asked the envelope and `verdict`. No turn is taken: the
   * status changes before the first await, so a second answer finds it answered.
   */
  async answer(i: CommandInput<RespondToInvitationPayload>): Promise<CoordinationState> {
    const { actor, payload: p } = i;
    const by = { sub: actor.sub, name: actor.name, org: actor.org };
    this.event(
      'invitation.answered',
      by,
      { answer: p.answer, estimatedVolume: p.estimatedVolume, mandateReference: p.mandateReference },
      p.reason ?? p.comment,
    );
    await this.decide({
      tenderId: this.input.tenderId,
      organization: this.state.organization,
      status: p.answer === 'join' ? 'joined' : 'declined',
      at: this.now(),
      answeredBy: by,
      ...(p.estimatedVolume !== undefined ? { estimatedVolume: p.estimatedVolume } : {}),
      ...(p.mandateReference !== undefined ? { mandateReference: p.mandateReference } : {}),
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      ...(p.comment !== undefined ? { comment: p.comment } : {}),
    });
    return this.state;
  }

  async keyAdded(key: CommandKey, actor: Actor): Promise<void> {
    this.event('command_key.added', actor, { keyId: key.id, publicKey: key.publicKey });
    await this.persist();
  }

  /** The invitation goes out: the chain's event and the body's e-mail. */
  async invite(): Promise<void> {
    const { input } = this;
    this.event('invitation.sent', input.invitedBy, {
      organization: this.state.organization,
      response: input.response,
      reminder: input.reminder ?? null,
    });
    this.message(
      'invitation',
      `${input.tenderId}: invitation to a joint procurement`,
      `${input.invitingOrganization} invites ${input.body.name} to join "${input.title}". Answer join (with your estimated volume and ` +
        `mandate, fullmakt) or decline (with a reason) by ${input.response.lastDay}.`,
    );
    await this.persist();
  }

  async remind(): Promise<void> {
    const { input } = this;
    this.state.remindedAt = this.now();
    this.event('invitation.reminded', null, { lastDay: input.response.lastDay });
    this.message(
      'reminder',
      `${input.tenderId}: please answer the invitation`,
      `Answer join or decline for "${input.title}" by ${input.response.lastDay}.`,
    );
    await this.persist();
  }

  /** Silent at the deadline: not joined. */
  async expire(): Promise<void> {
    this.event(
      'invitation.expired',
      null,
      { lastDay: this.input.response.lastDay },
      'no answer by the response deadline',
    );
    await this.decide({
      tenderId: this.input.tenderId,
      organization: this.state.organization,
      status: 'not_joined',
      at: this.now(),
    });
  }

  private event(type: string, actor: By | null, payload: unknown, reason?: string): void {
    this.recorder.event(type, actor, payload, reason);
  }

  private message(kind: NotificationInput['kind'], subject: string, body: string): void {
    const { input } = this;
    const about: NotificationAbout = {
      topic: 'joint_invitation',
      body: { organization: input.body.organization, name: input.body.name },
      invitingOrganization: input.invitingOrganization,
      deadline: {
        kind: 'coordination_response',
        lastDay: input.response.lastDay,
        at: input.response.at,
        basis: input.response.basis,
      },
      reminder: kind === 'reminder',
    };
    this.recorder.message(kind, [this.address], subject, body, about);
  }

  /** The step's audit events and notifications (shared/recorder.ts). */
  private async persist(): Promise<void> {
    await this.recorder.record();
    describe(this.state);
  }

  /** The tender hears of the outcome before anyone else can read it. */
  private async decide(outcome: InvitationOutcome): Promise<void> {
    this.state.status = outcome.status;
    this.state.outcome = outcome;
    await this.persist();
    try {
      await this.tender.signal(invitationOutcomeSignal, outcome);
    } catch (err) {
      // The tender has ended (e.g. cancelled): nobody waits for this outcome any more.
      log.warn('could not signal the tender', { tenderWorkflowId: this.input.tenderWorkflowId, error: String(err) });
    }
  }
}

function alreadyAnswered(s: CoordinationState) {
  const o = s.outcome;
  return refuse(
    'Conflict',
    `${s.organization} has already answered: ${o?.status ?? s.status}${o?.answeredBy ? ` by ${o.answeredBy.name}` : ''}${o ? ` on ${o.at.slice(0, 10)}` : ''}.`,
    {
      rule: 'already_answered',
    },
  );
}

function describe(s: CoordinationState): void {
  setCurrentDetails(
    `**${s.name}** (${s.organization}) invited to ${s.tenderId}\nStatus: ${s.status}\nRespond by: ${s.response.lastDay}`,
  );
}
