import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '@tenderflow/domain/types';
import { refuse, type Refusal } from '@tenderflow/temporal-common/refusals';
import type {
  CommandInput,
  InvitedBody,
  PersonRef,
  RespondToInvitationPayload,
} from '@tenderflow/temporal-common/tender-types';
import type { CommandKey } from '@tenderflow/temporal-common/command-signature';

/**
 * The messages of one invited body's coordination workflow (`coordination-<tenderId>-<org>`, ARCHITECTURE §3
 * coordination), and the signal it sends its tender. Imported by the API, the tender workflow and
 * the workflow. Wire names never change once released.
 */

export interface CoordinationDeadline {
  /** The instant the period ends (end of the last day, Swedish time), UTC ISO. */
  at: string;
  lastDay: IsoDate;
  basis: string;
}

export interface CoordinationInput {
  tenderId: string;
  /** The tender workflow, which hears of the outcome by signal (and as this workflow's result). */
  tenderWorkflowId: string;
  title: string;
  /** The organisation that invites (the tender's). */
  invitingOrganization: string;
  body: InvitedBody;
  response: CoordinationDeadline;
  /** Absent when the reminder day would not come before the response deadline. */
  reminder?: CoordinationDeadline;
  invitedBy: PersonRef;
  invitedAt: string;
  /** The tender's command keys when it invited (tender.messages TenderStartInput.commandKeys). */
  commandKeys: CommandKey[];
}

/** invited → joined | declined (an answer) | not_joined (silent at the deadline). */
export type InvitationStatus = 'invited' | 'joined' | 'declined' | 'not_joined';

export interface InvitationOutcome {
  tenderId: string;
  organization: string;
  status: Exclude<InvitationStatus, 'invited'>;
  at: string;
  answeredBy?: PersonRef & { org: string };
  estimatedVolume?: string;
  mandateReference?: string;
  /** Why the body declined. */
  reason?: string;
  comment?: string;
}

export interface CoordinationState {
  tenderId: string;
  workflowId: string;
  organization: string;
  name: string;
  contactEmail: string;
  status: InvitationStatus;
  response: CoordinationDeadline;
  reminder?: CoordinationDeadline;
  invitedAt: string;
  remindedAt?: string;
  outcome?: InvitationOutcome;
}

export const getInvitationStateQuery = defineQuery<CoordinationState>('getState');

/** A partner's answer for its own body. The same wire name the tender used before this moved here. */
export const respondToInvitationUpdate = defineUpdate<
  CoordinationState,
  [CommandInput<RespondToInvitationPayload>],
  'respondToInvitation'
>('respondToInvitation');

/** Child → tender: the body's outcome, sent before the answering update returns. */
export const invitationOutcomeSignal = defineSignal<[InvitationOutcome]>('invitationOutcome');

/**
 * Why an answer is refused once the body's workflow has closed (it stays open until the response
 * deadline, so this is an answer after it): what the tender recorded decides. Pure; used by the API.
 */
export function answerAfterClose(
  p: { organization: string; status: string; answeredAt?: string; answeredBy?: PersonRef },
  responseLastDay: string | undefined,
): Refusal {
  if (p.status === 'joined' || p.status === 'declined') {
    return refuse(
      'Conflict',
      `${p.organization} has already answered: ${p.status}${p.answeredBy ? ` by ${p.answeredBy.name}` : ''}${p.answeredAt ? ` on ${p.answeredAt.slice(0, 10)}` : ''}.`,
      {
        rule: 'already_answered',
      },
    );
  }
  return refuse(
    'RuleViolation',
    `The response deadline${responseLastDay ? ` ${responseLastDay}` : ''} has passed; ${p.organization} is recorded as not joined.`,
    {
      rule: 'response_deadline_passed',
    },
  );
}
