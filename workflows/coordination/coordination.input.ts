/**
 * What a coordination workflow must be started with, checked before anything else: a start that
 * does not come from a tender (an operator's or an attacker's, straight in Temporal) with an input
 * of the wrong shape fails the workflow at once with a named problem, instead of failing its first
 * workflow task over and over on a missing field. Pure.
 */
import { ORGANIZATION_CODE, coordinationWorkflowId, tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import type { CoordinationInput } from './coordination.messages';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 2000;
const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isDay = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isDeadline = (v: unknown) => isObject(v) && isInstant(v.at) && isDay(v.lastDay) && isText(v.basis);

/** The first thing wrong with the input, naming its field; undefined when it has the shape a tender gives. */
export function coordinationInputProblem(input: unknown, workflowId: string): string | undefined {
  if (!isObject(input)) return 'input: not an object';
  if (!isText(input.tenderId)) return 'tenderId: missing';
  if (input.tenderWorkflowId !== tenderWorkflowId(input.tenderId)) return "tenderWorkflowId: not the tender's workflow";
  if (typeof input.title !== 'string') return 'title: missing';
  if (typeof input.invitingOrganization !== 'string' || !ORGANIZATION_CODE.test(input.invitingOrganization))
    return 'invitingOrganization: not an organisation code';
  const body = input.body;
  if (!isObject(body) || typeof body.organization !== 'string' || !ORGANIZATION_CODE.test(body.organization))
    return 'body.organization: not an organisation code';
  if (!isText(body.name)) return 'body.name: missing';
  if (workflowId !== coordinationWorkflowId(input.tenderId, body.organization))
    return "workflow id: not this tender's invitation of this body";
  if (!isDeadline(input.response)) return 'response: not a deadline';
  if (input.reminder !== undefined && !isDeadline(input.reminder)) return 'reminder: not a deadline';
  const by = input.invitedBy;
  if (!isObject(by) || !isText(by.sub) || !isText(by.name)) return 'invitedBy: not a person';
  if (!isInstant(input.invitedAt)) return 'invitedAt: not an instant';
  const keys = input.commandKeys;
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    !keys.every((k) => isObject(k) && isText(k.id) && isText(k.publicKey))
  )
    return 'commandKeys: not a list of keys';
  return undefined;
}

/** The input, once it has the shape (for the type). */
export function isCoordinationInput(input: unknown, workflowId: string): input is CoordinationInput {
  return coordinationInputProblem(input, workflowId) === undefined;
}
