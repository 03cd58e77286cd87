import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpException } from '@nestjs/common';
import { badRequest, conflict, forbidden, notFound, ProblemException, ruleViolation } from '../common/problem';

/**
 * The one place where Temporal's errors become HTTP answers. An Update refused by its validator
 * carries an ApplicationFailure whose `type` says which answer fits and whose details name the rule.
 */
export function toHttpError(err: unknown, what = 'The tender'): HttpException {
  if (err instanceof HttpException) return err;
  if (err instanceof WorkflowNotFoundError) return notFound(`${what} does not exist`);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return conflict(`${what} has already been started`);
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (failure instanceof ApplicationFailure) {
    const detail = failure.message;
    const info = (failure.details?.[0] ?? {}) as { rule?: string; paragraph?: string; field?: string };
    switch (failure.type) {
      case 'Forbidden':
        return forbidden(detail);
      case 'NotFound':
        return notFound(detail);
      case 'InvalidPhase':
      case 'Conflict':
        return conflict(detail, info.rule ? { rule: info.rule } : {});
      case 'RuleViolation':
        return ruleViolation(detail, info.rule ?? 'procurement_rule', info.paragraph ?? '', info.field ? { errors: [{ field: info.field, rule: info.rule ?? 'procurement_rule', message: detail }] } : {});
      case 'BadRequest':
        return badRequest(detail, info.field ? [{ field: info.field, rule: info.rule ?? 'invalid', message: detail }] : undefined);
    }
  }
  // Workflow completed / closed: updates can no longer be delivered.
  const message = (err as Error)?.message ?? '';
  if (/workflow execution already completed|already completed/i.test(message)) {
    return conflict(`${what} has ended; no further commands are accepted`);
  }
  return new ProblemException(503, `The workflow service could not handle the request: ${message || 'unknown error'}`, { type: 'temporal-unavailable' });
}
