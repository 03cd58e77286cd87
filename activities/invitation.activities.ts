import { insertSecurityEvent } from '@tenderflow/db/security-log';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { assertCallerWrites, callingWorkflow, describeWith, type WriterDeps } from './provenance';

/** A body's outcome as its coordination workflow wrote it into the tender's chain. */
export interface ChainedOutcome {
  tenderId: string;
  organization: string;
  status: 'joined' | 'declined' | 'not_joined';
  at: string;
  answeredBy?: { sub: string; name: string; org: string };
  estimatedVolume?: string;
  mandateReference?: string;
  reason?: string;
  comment?: string;
}

/** One audit event of the body's coordination workflow, as the chain holds it. */
export interface ChainedEvent {
  type: string;
  actor: { sub: string; name: string; org: string } | null;
  at: string;
  reason: string | null;
  payload: unknown;
}

export interface InvitationOutcomeRequest {
  tenderId: string;
  organization: string;
  /** What the signal said, only to log it when the chain says otherwise. */
  signalled?: unknown;
}

/**
 * The outcome of a body's invitation from the chain, never from a message: the invitation the body's
 * coordination workflow sent (`invitation.sent`) and its answer (`invitation.answered`) or lapse
 * (`invitation.expired`), written by that workflow's commits, which only a coordination the tender
 * itself started may make (provenance.ts). An answer dated before its invitation, or none at all,
 * is no outcome. Pure.
 */
export function outcomeFromChain(
  tenderId: string,
  organization: string,
  events: ChainedEvent[],
): ChainedOutcome | undefined {
  const sent = events.find((e) => e.type === 'invitation.sent');
  const closing = events.find((e) => e.type === 'invitation.answered' || e.type === 'invitation.expired');
  if (!sent || !closing || !(Date.parse(closing.at) >= Date.parse(sent.at))) return undefined;
  const at = new Date(closing.at).toISOString();
  if (closing.type === 'invitation.expired') return { tenderId, organization, status: 'not_joined', at };
  const p = (closing.payload ?? {}) as { answer?: unknown; estimatedVolume?: unknown; mandateReference?: unknown };
  if ((p.answer !== 'join' && p.answer !== 'decline') || !closing.actor) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const estimatedVolume = text(p.estimatedVolume);
  const mandateReference = text(p.mandateReference);
  const note = closing.reason ?? undefined;
  return {
    tenderId,
    organization,
    status: p.answer === 'join' ? 'joined' : 'declined',
    at,
    answeredBy: closing.actor,
    ...(estimatedVolume !== undefined ? { estimatedVolume } : {}),
    ...(mandateReference !== undefined ? { mandateReference } : {}),
    ...(note !== undefined ? (p.answer === 'decline' ? { reason: note } : { comment: note }) : {}),
  };
}

/**
 * What the tender asks when a coordination signals an outcome (ARCHITECTURE §5: signals between workflows
 * prove nothing of their origin, so the tender records what the chain holds). A signal the chain
 * does not bear out is logged in the security log as a forged message and changes nothing.
 */
export function createInvitationActivities({ dataSource, temporal }: WriterDeps) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    async invitationOutcome(req: InvitationOutcomeRequest): Promise<ChainedOutcome | null> {
      await assertCallerWrites(dataSource, [req.tenderId], describe, 'invitationOutcome', 'tender');
      const caller = callingWorkflow();
      const prefix = `${coordinationWorkflowId(req.tenderId, req.organization)}#`;
      const rows: {
        type: string;
        actor_sub: string | null;
        actor_name: string | null;
        actor_org: string | null;
        at: Date;
        reason: string | null;
        payload: unknown;
      }[] = await dataSource.query(
        `SELECT type, actor_sub, actor_name, actor_org, at, reason, payload FROM audit_events
         WHERE tender_id = $1 AND left(event_key, length($2)) = $2 AND type IN ('invitation.sent', 'invitation.answered', 'invitation.expired')
         ORDER BY chain_index`,
        [req.tenderId, prefix],
      );
      const events: ChainedEvent[] = rows.map((r) => ({
        type: r.type,
        actor: r.actor_sub ? { sub: r.actor_sub, name: r.actor_name ?? '', org: r.actor_org ?? '' } : null,
        at: new Date(r.at).toISOString(),
        reason: r.reason,
        payload: r.payload,
      }));
      const outcome = outcomeFromChain(req.tenderId, req.organization, events);
      if (!outcome) {
        await insertSecurityEvent(dataSource, {
          kind: 'forged_message',
          method: 'TEMPORAL',
          route: `${caller?.workflowId ?? req.tenderId}#invitationOutcome`,
          status: 403,
          reason: `An invitation outcome for ${req.organization} was signalled to tender ${req.tenderId}, and its chain holds no answer or lapse of that body's invitation: nothing recorded`,
          payload: req.signalled,
        });
      }
      return outcome ?? null;
    },
  };
}
