import { HttpException, Injectable, Logger } from '@nestjs/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { canonicalJson } from '@tenderflow/db/canonical-json';
import type { Actor } from '@tenderflow/domain/types';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { SIGNATURE_RULES, type CommandAuth } from '@tenderflow/temporal-common/command-signature';
import { organizationOfTender } from '@tenderflow/temporal-common/ids';
import { AuditService } from '../audit/audit.service';
import { SecurityLogService } from '../audit/security-log.service';
import { conflict, ProblemDetails, RECORDED } from '../common/problem';
import { toHttpError } from './temporal-errors';

/** Answers that refuse a well-formed command: not allowed, not found, not now, not by the rules. */
const REFUSALS = new Set([400, 403, 404, 409, 422]);
const SIGNATURE_REFUSALS = new Set<string>(SIGNATURE_RULES);

export interface CommandRequest<P> {
  actor: Actor;
  /** The tender whose chain a refusal belongs to. */
  tenderId: string;
  /** Command name as the audit chain and the update id know it. */
  command: string;
  handle: WorkflowHandle;
  update: UpdateDefinition<unknown, [never], string>;
  payload: P;
  reason?: string;
  idempotencyKey?: string;
  /** `what` in error texts, e.g. "Tender HSN-2026-00001". */
  what: string;
  /** METHOD and path, for the security log. */
  route: { method: string; path: string };
  /** Whether this caller may act on the tender, so that its refusals belong in the tender's chain. */
  mayAct(actor: Actor): boolean;
  /** Turns a raw error into a better-explained one before it is mapped to HTTP (optional). */
  explain?(err: unknown): Promise<unknown>;
}

type SignedInput<P> = { actor: Actor; payload: P; reason?: string; auth?: CommandAuth };

export type RefusalContext<P> = Pick<
  CommandRequest<P>,
  'actor' | 'tenderId' | 'command' | 'payload' | 'route' | 'mayAct'
>;

/**
 * The one path from the API to a workflow Update (STYLE: one path from the API to Temporal).
 * - `Idempotency-Key` becomes the Update ID, so a retry, even after a worker crash between the
 *   write and the answer, is the same Update and returns its first outcome; a key reused with
 *   another body is a 409. Without a key the Update gets a random ID.
 * - Every command is signed for its workflow, Update name and ID (CommandSigner): the workflow's
 *   validator refuses anything else, so an Update sent to Temporal past the API changes nothing.
 * - Temporal errors become HTTP answers in one place (temporal-errors.ts).
 * - A refusal is recorded once: in the tender's chain when the caller may act on that tender,
 *   otherwise in the bounded security log (ARCHITECTURE §4).
 */
@Injectable()
export class CommandGateway {
  private readonly logger = new Logger(CommandGateway.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly securityLog: SecurityLogService,
    private readonly signer: CommandSigner,
  ) {}

  async send<P, R>(req: CommandRequest<P>): Promise<R> {
    try {
      const updateId = req.idempotencyKey ? await this.updateIdFor(req) : `${req.command}-${randomUUID()}`;
      // Signed as the workflow will receive it: JSON (undefined fields gone, dates as strings).
      const input = JSON.parse(
        JSON.stringify({ actor: req.actor, payload: req.payload, reason: req.reason }),
      ) as SignedInput<P>;
      const auth = this.signer.sign({
        workflowId: req.handle.workflowId,
        command: req.update.name,
        updateId,
        ...input,
      });
      return (await req.handle.executeUpdate(req.update as unknown as UpdateDefinition<R, [SignedInput<P>], string>, {
        args: [{ ...input, auth }],
        updateId,
      })) as R;
    } catch (err) {
      const mapped = toHttpError(req.explain ? await req.explain(err) : err, req.what);
      await this.recordRefusalOnce(req, mapped);
      throw mapped;
    }
  }

  /** Records a refusal unless it is not one (5xx) or was recorded already. */
  async recordRefusalOnce<P>(req: RefusalContext<P>, refusal: HttpException): Promise<void> {
    if (!REFUSALS.has(refusal.getStatus()) || RECORDED.has(refusal)) return;
    await this.recordRefusal(req, refusal);
  }

  /**
   * The Update ID for (caller, tender, command, key). The first use of a key records its body's
   * digest; a later use with another body is refused rather than silently answered with the first
   * outcome of a different request.
   */
  private async updateIdFor<P>(req: CommandRequest<P>): Promise<string> {
    const scope = `cmd:${req.tenderId}:${req.command}:${req.idempotencyKey}`;
    const requestHash = createHash('sha256')
      .update(canonicalJson({ payload: req.payload, reason: req.reason ?? null }))
      .digest('hex');
    const updateId = `${req.command}-${createHash('sha256').update(`${req.actor.sub}\n${scope}`).digest('hex').slice(0, 32)}`;
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (actor_sub, key, request_hash, tender_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor_sub, key) DO NOTHING RETURNING tender_id`,
      [req.actor.sub, scope, requestHash, req.tenderId],
    );
    if (inserted.length === 0) {
      const [existing]: { request_hash: string }[] = await this.dataSource.query(
        `SELECT request_hash FROM idempotency_keys WHERE actor_sub = $1 AND key = $2`,
        [req.actor.sub, scope],
      );
      if (existing && existing.request_hash !== requestHash) {
        throw conflict(`Idempotency-Key "${req.idempotencyKey}" was already used with a different request body`, {
          rule: 'idempotency_key_reuse',
        });
      }
    }
    return updateId;
  }

  private async recordRefusal<P>(req: RefusalContext<P>, refusal: HttpException): Promise<void> {
    RECORDED.add(refusal);
    const body = refusal.getResponse() as Partial<ProblemDetails>;
    const detail = typeof body === 'object' && body?.detail ? body.detail : refusal.message;
    const status = refusal.getStatus();
    // 400: malformed (the workflow's validator saw what the DTO let through); 404: no such tender,
    // or one the caller may not see. Neither belongs in a chain, and nor does an outsider's attempt.
    // A refused signature is the API's own fault (a key the workflow does not know, a clock far
    // off): the caller did nothing the tender's chain should hold.
    const badSignature = status === 403 && typeof body === 'object' && SIGNATURE_REFUSALS.has(String(body?.rule));
    if (status === 400 || status === 404 || badSignature || !req.mayAct(req.actor)) {
      const kind = badSignature
        ? 'bad_signature'
        : status === 400
          ? 'malformed'
          : status === 404
            ? 'nonexistent_tender'
            : 'cross_organisation';
      await this.securityLog.record({
        kind,
        actor: req.actor,
        method: req.route.method,
        route: req.route.path,
        status,
        reason: detail,
        payload: req.payload,
      });
      return;
    }
    try {
      const rule = typeof body === 'object' && typeof body?.rule === 'string' ? body.rule : undefined;
      await this.audit.recordRefusal(req.tenderId, req.actor, req.command, status, detail, req.payload, rule);
    } catch (err) {
      // The refusal itself is the answer: an audit store that is down must not turn it into a 500.
      this.logger.error(
        { err, tenderId: req.tenderId, command: req.command, actor: req.actor.sub },
        'Could not record a refused command in the audit log',
      );
    }
  }
}

/** The organisation that owns a tender (libs/temporal-common ids.ts, where the id's form is defined). */
export { organizationOfTender };
