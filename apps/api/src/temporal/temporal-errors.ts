import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpException } from '@nestjs/common';
import { badRequest, conflict, forbidden, notFound, ProblemException, ruleViolation } from '../common/problem';
import type { RefusalDetails } from '@tenderflow/temporal-common/tender-types';

/**
 * The one place where Temporal's errors become HTTP answers. An Update refused by its validator
 * carries an ApplicationFailure whose `type` says which answer fits and whose details name the rule.
 */
export function toHttpError(err: unknown, what = 'The tender'): HttpException {
  if (err instanceof HttpException) return err;
  // An Update sent to a workflow that has ended comes back as NOT_FOUND "workflow execution
  // already completed": the tender exists, it just takes no more commands.
  if (err instanceof WorkflowNotFoundError && ENDED.test(err.message)) return ended(what);
  if (err instanceof WorkflowNotFoundError) return notFound(`${what} does not exist`);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return conflict(`${what} has already been started`);
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (failure instanceof ApplicationFailure) {
    const detail = failure.message;
    const info = (failure.details?.[0] ?? {}) as RefusalDetails;
    const named = {
      ...(info.rule ? { rule: info.rule } : {}),
      ...(info.paragraph ? { paragraph: info.paragraph } : {}),
    };
    const errors = info.field ? { errors: [{ field: info.field, rule: info.rule ?? 'invalid', message: detail }] } : {};
    switch (failure.type) {
      case 'Forbidden':
        return forbidden(detail, { ...named, ...errors });
      case 'NotFound':
        return notFound(detail);
      case 'InvalidPhase':
      case 'Conflict':
        return conflict(detail, { ...named, ...errors });
      case 'RuleViolation':
        return ruleViolation(detail, info.rule ?? 'procurement_rule', info.paragraph, errors);
      case 'BadRequest':
        return badRequest(detail, errors.errors);
      case 'AcceptedUpdateCompletedWorkflow':
        return ended(what);
      default:
        break; // any other failure type is mapped below, as an unexpected error
    }
  }
  // Workflow completed / closed: updates can no longer be delivered.
  const message = (err as Error)?.message ?? '';
  if (ENDED.test(message)) return ended(what);
  return new ProblemException(503, `The workflow service could not handle the request: ${message || 'unknown error'}`, {
    type: 'temporal-unavailable',
  });
}

const ENDED = /workflow execution already completed|already completed/i;

function ended(what: string): HttpException {
  return conflict(`${what} has ended; no further commands are accepted`, { rule: 'tender_ended' });
}
