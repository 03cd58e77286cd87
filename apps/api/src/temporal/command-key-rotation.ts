import { HttpException, Injectable, Logger } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '@tenderflow/domain/types';
import { CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { chainTenderOf } from '@tenderflow/temporal-common/ids';
import {
  rotateCommandKeyUpdate,
  type RotateCommandKeyPayload,
  type RotateCommandKeyResult,
} from '@tenderflow/workflows/shared/command-auth.messages';
import { CommandGateway } from './command-gateway';
import { TemporalService } from './temporal.service';

/** Every workflow type that takes signed commands. */
const COMMAND_WORKFLOWS = ['tenderWorkflow', 'coordinationWorkflow', 'contractWorkflow'];

/** How long one workflow may take to answer the rotation (a running worker answers in well under a second). */
const DEFAULT_ANSWER_WITHIN_MS = 30_000;

/** Who asks for a rotation, as the chains record it. */
const ROTATION_ACTOR: Actor = {
  sub: 'system:command-key-rotation',
  name: 'Command key rotation',
  org: 'tenderflow',
  roles: ['admin'],
};

export interface RotationReport {
  keyId: string;
  /** Running workflows that were sent the key. */
  workflows: number;
  /** Those that did not know it yet. */
  added: number;
  /** Workflow IDs that refused or could not be reached, with why. */
  failed: { workflowId: string; reason: string }[];
}

/**
 * Step 2 of a key rotation (README, Security): with COMMAND_SIGNING_KEY_NEXT configured, every
 * running workflow that takes commands is sent `rotateCommandKey` with the next public key, signed
 * by the active key, through the command gateway like any command. Idempotent: a workflow that
 * knows the key answers `added: false`. New tenders pin both keys already (CommandSigner.pinned).
 */
@Injectable()
export class CommandKeyRotation {
  private readonly logger = new Logger(CommandKeyRotation.name);

  constructor(
    private readonly temporal: TemporalService,
    private readonly gateway: CommandGateway,
    private readonly signer: CommandSigner,
  ) {}

  /**
   * @param answerWithinMs how long one workflow may take to answer. A workflow whose task queue no
   *   worker polls (or whose worker is down) would otherwise keep the rotation waiting for ever; it
   *   is reported in `failed` instead, and a later run reaches it.
   */
  async rotate({
    answerWithinMs = DEFAULT_ANSWER_WITHIN_MS,
  }: { answerWithinMs?: number } = {}): Promise<RotationReport> {
    const key = this.signer.next;
    if (!key) throw new Error('COMMAND_SIGNING_KEY_NEXT is not set: there is no next key to add');
    const report: RotationReport = { keyId: key.id, workflows: 0, added: 0, failed: [] };
    const query = `ExecutionStatus = 'Running' AND WorkflowType IN (${COMMAND_WORKFLOWS.map((t) => `'${t}'`).join(', ')})`;
    // Eight Updates at a time: a region has thousands of running workflows, one by one is slow.
    const inFlight = new Set<Promise<void>>();
    for await (const w of this.temporal.client.workflow.list({ query })) {
      report.workflows += 1;
      const deadline = AbortSignal.timeout(answerWithinMs);
      const one = this.temporal.client
        .withAbortSignal(deadline, () =>
          this.gateway.send<RotateCommandKeyPayload, RotateCommandKeyResult>({
            actor: ROTATION_ACTOR,
            tenderId: tenderIdOf(w.workflowId),
            command: 'rotateCommandKey',
            handle: this.temporal.client.workflow.getHandle(w.workflowId),
            update: rotateCommandKeyUpdate as unknown as UpdateDefinition<unknown, [never], string>,
            payload: { key },
            what: `Workflow ${w.workflowId}`,
            route: { method: 'ROTATE', path: `command-keys/${key.id}` },
            mayAct: () => false,
          }),
        )
        .then(
          (result) => {
            if (result.added) report.added += 1;
          },
          (err: unknown) => {
            // A refusal that arrives after the deadline is still that refusal; only the cut-off call is a timeout.
            const cutOff = deadline.aborted && err instanceof HttpException && err.getStatus() === 503;
            const reason = cutOff
              ? `no answer within ${answerWithinMs} ms (is a worker polling task queue ${w.taskQueue}?)`
              : (err as Error).message;
            report.failed.push({ workflowId: w.workflowId, reason });
          },
        )
        .finally(() => inFlight.delete(one));
      inFlight.add(one);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    this.logger.log(report, 'command key rotation');
    return report;
  }
}

/** tender-X, coordination-X-ORG, contract-X-K1 → X (the chain a refusal would belong to; ids.ts chainTenderOf). */
function tenderIdOf(workflowId: string): string {
  return chainTenderOf(workflowId) ?? workflowId;
}
