import { CallHandler, CanActivate, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { isKnownTender } from '@tenderflow/db/tender-starts';
import type { Actor } from '@tenderflow/domain/types';
import type { Participant, TenderState } from '@tenderflow/temporal-common/tender-types';
import { notFound } from '../common/problem';
import { toHttpError } from '../temporal/temporal-errors';
import { TENDER_ID } from '../common/params';
import { TenderStateReader } from './tender-state.reader';

/**
 * Who may learn that a tender exists (ARCHITECTURE §4): its organisation, administrators, and the bodies
 * invited to it. To everyone else another organisation's tender answers exactly like a missing one,
 * on every route: the same 404, the same body.
 */

/** The one answer for a tender the caller may not see and for one that does not exist. */
export function tenderNotFound(id: string) {
  return notFound(`Tender ${id} does not exist`);
}

/** owner: the tender's organisation or an administrator; participant: an invited body. */
export type TenderAccess = 'owner' | 'participant';

export function accessOf(
  actor: Actor,
  state: Pick<TenderState, 'organization' | 'participants'>,
): TenderAccess | undefined {
  if (actor.roles.includes('admin') || actor.org === state.organization) return 'owner';
  if (state.participants.some((p) => p.organization === actor.org)) return 'participant';
  return undefined;
}

/**
 * What an invited body sees of a tender (ARCHITECTURE §4: partners answer only for their own body): the
 * public fields, its own invitation and its own answer. Not the needs analysis, the documents, the
 * evaluation, the decisions, the audit trail or the other bodies' answers and mandates.
 */
export interface PartnerTenderView {
  view: 'partner';
  id: string;
  title: string;
  organization: string;
  category: string;
  contractType: TenderState['contractType'];
  regime: TenderState['regime'];
  procedure: TenderState['procedure'];
  estimatedValueSek: number;
  phase: TenderState['phase'];
  invitation: Participant & { responseDeadline: string | null };
  publication?: { sentAt: string; advertisingDatabase: string; noticeReference?: string };
}

export function partnerView(state: TenderState, org: string): PartnerTenderView {
  const own = state.participants.find((p) => p.organization === org);
  if (!own) throw new Error(`${org} is not invited to ${state.id}`);
  const deadline = [...state.deadlines, ...state.pastDeadlines].find((d) => d.kind === 'coordination_response');
  return {
    view: 'partner',
    id: state.id,
    title: state.title,
    organization: state.organization,
    category: state.category,
    contractType: state.contractType,
    regime: state.regime,
    procedure: state.procedure,
    estimatedValueSek: state.estimatedValueSek,
    phase: state.phase,
    invitation: { ...own, responseDeadline: deadline?.lastDay ?? null },
    ...(state.publication
      ? {
          publication: {
            sentAt: state.publication.sentAt,
            advertisingDatabase: state.publication.advertisingDatabase,
            ...(state.publication.noticeReference ? { noticeReference: state.publication.noticeReference } : {}),
          },
        }
      : {}),
  };
}

/** The tender as the caller may see it; 404 as for a missing tender when not at all. */
export function viewFor(actor: Actor, state: TenderState): TenderState | PartnerTenderView {
  const access = accessOf(actor, state);
  if (access === 'owner') return state;
  if (access === 'participant') return partnerView(state, actor.org);
  throw tenderNotFound(state.id);
}

@Injectable()
export class TenderAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: TenderStateReader,
  ) {}

  /**
   * The caller's access to a tender, or the 404 a missing tender gets. The read model answers for
   * the tender's own organisation; the workflow, the source of truth, for the rest (a tender just
   * started, or an invited body) — a tender nobody may see costs the caller the same as a missing one.
   * The workflow is asked only for a tender whose start Tenderflow recorded (tender-starts.ts).
   */
  async resolve(actor: Actor, id: string): Promise<TenderAccess> {
    const [row]: { organization: string }[] = await this.dataSource.query(
      `SELECT organization FROM tenders WHERE id = $1`,
      [id],
    );
    if (row && (actor.roles.includes('admin') || row.organization === actor.org)) return 'owner';
    // A workflow Tenderflow did not start (one started straight in Temporal) is no tender of ours.
    if (!row && !(await isKnownTender(this.dataSource.manager, id))) throw tenderNotFound(id);
    let state: TenderState;
    try {
      state = await this.reader.read(id);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw tenderNotFound(id);
      throw toHttpError(err, `Tender ${id}`);
    }
    const access = accessOf(actor, state);
    if (!access) throw tenderNotFound(id);
    return access;
  }
}

type TenderRequest = Request & { actor?: Actor; tenderAccess?: TenderAccess };

/**
 * On routes under /tenders/:id: a caller who may not see the tender is answered 404 before anything
 * else (its body is not even validated), so no answer tells a stranger the tender exists. A
 * malformed id passes on to the route's own 400.
 */
@Injectable()
export class TenderAccessGuard implements CanActivate {
  constructor(private readonly access: TenderAccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenderRequest>();
    const id = req.params?.id;
    if (!req.actor || typeof id !== 'string' || !TENDER_ID.test(id)) return true;
    req.tenderAccess = await this.access.resolve(req.actor, id);
    return true;
  }
}

/** A command's answer (the tender's state) as the caller may see it: an invited body gets its view. */
@Injectable()
export class TenderViewInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<TenderRequest>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (req.tenderAccess !== 'participant' || !req.actor || !isTenderState(body)) return body;
        return partnerView(body, req.actor.org);
      }),
    );
  }
}

function isTenderState(body: unknown): body is TenderState {
  return (
    typeof body === 'object' &&
    body !== null &&
    'participants' in body &&
    'workflowId' in body &&
    'organization' in body
  );
}
