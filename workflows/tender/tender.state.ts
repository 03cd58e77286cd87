/**
 * The tender's state: how a new tender starts, and the small pure helpers the run and its command
 * modules share. Deterministic: no activities, no clock but the one passed in.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { PolicyRules } from '@tenderflow/domain/policy';
import { INITIAL_PHASE } from '@tenderflow/domain/phases';
import { FINAL_PHASES, type Actor, type Phase } from '@tenderflow/domain/types';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import type { TenderRow } from '@tenderflow/activities/activity-types';
import type {
  CommandAnswer,
  CommandInput,
  Deadline,
  PersonRef,
  TenderStartInput,
  TenderState,
} from '@tenderflow/temporal-common/tender-types';

/** A new tender in needs_analysis, as its start input describes it. */
export function initialState(input: TenderStartInput, workflowId: string, policy: PolicyRules): TenderState {
  return {
    id: input.id,
    workflowId,
    title: input.title,
    organization: input.organization,
    category: input.category,
    contractType: input.contractType,
    estimatedValueSek: input.estimatedValueSek,
    regime: input.regime,
    procedure: input.procedure,
    frameworkAgreement: input.frameworkAgreement,
    ruleSet: input.ruleSet,
    threshold: input.threshold,
    ...(input.procedureDescription ? { procedureDescription: input.procedureDescription } : {}),
    ...(input.withoutNoticeGround ? { withoutNoticeGround: input.withoutNoticeGround } : {}),
    ...(input.renewedCompetition ? { renewedCompetition: true } : {}),
    ...(input.policyVersion !== undefined ? { policyVersion: input.policyVersion } : {}),
    policy,
    ...(input.categoryInfo ? { categoryInfo: input.categoryInfo } : {}),
    ...(input.delegation ? { delegation: input.delegation } : {}),
    phase: INITIAL_PHASE,
    deadlines: [],
    pastDeadlines: [],
    pendingGates: [],
    participants: input.invitedBodies.map((b) => ({
      organization: b.organization,
      name: b.name,
      contactEmail: b.contactEmail,
      status: 'invited' as const,
    })),
    ...(input.previousTenderId ? { previousTenderId: input.previousTenderId } : {}),
    lots: [],
    candidates: [],
    questions: [],
    tendersReceived: [],
    evaluators: [],
    reviews: [],
    obligations: [],
    gateDecisions: [],
    commands: [],
    timeline: [{ phase: INITIAL_PHASE, enteredAt: input.createdAt }],
    createdBy: person(input.createdBy),
    createdAt: input.createdAt,
    version: 1,
  };
}

export function isFinal(phase: Phase): boolean {
  return FINAL_PHASES.includes(phase);
}

/** The running deadline that falls first. */
export function earliest(deadlines: Deadline[]): Deadline | undefined {
  return [...deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
}

export function person(a: { sub: string; name: string }): PersonRef {
  return { sub: a.sub, name: a.name };
}

export function actorRef(a: Actor): { sub: string; name: string; org: string } {
  return { sub: a.sub, name: a.name, org: a.org };
}

export function deadlineRef(d: { kind: string; lastDay: string; at?: string; basis: string }) {
  return { kind: d.kind, lastDay: d.lastDay, ...(d.at ? { at: d.at } : {}), basis: d.basis };
}

export function bodyAddress(b: { organization: string; contactEmail?: string }): string {
  return b.contactEmail ? `email:${b.contactEmail}` : `org:${b.organization}`;
}

export function messageOf(err: unknown): string {
  const e = err as { cause?: { message?: string; name?: string }; message?: string };
  return e?.cause?.message || e?.message || e?.cause?.name || String(err);
}

export function isPermanentWriteError(err: unknown): boolean {
  return (
    err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === PERMANENT_DB_ERROR
  );
}

export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function reasonOf(input: CommandInput<unknown>): string | undefined {
  const p = input.payload as { reason?: unknown; comment?: unknown; note?: unknown } | undefined;
  const r = input.reason ?? p?.reason ?? p?.comment ?? p?.note;
  return typeof r === 'string' && r.length > 0 ? r : undefined;
}

/** How much of a command's why the state's command log keeps; the chain's event keeps all of it. */
export const COMMAND_REASON_CHARS = 200;

/** A why for the command log: bounded (a gate's comment, a ruling's, may be thousands of characters of content). */
export function briefReason(reason: string): string {
  return reason.length <= COMMAND_REASON_CHARS ? reason : `${reason.slice(0, COMMAND_REASON_CHARS - 1)}…`;
}

/** The read-model row of a step (activity-types.ts TenderRow): bounded, the next deadline first. */
export function tenderRow(s: TenderState): TenderRow {
  const next = earliest(s.deadlines);
  return {
    id: s.id,
    workflowId: s.workflowId,
    title: s.title,
    organization: s.organization,
    category: s.category,
    contractType: s.contractType,
    regime: s.regime,
    procedure: s.procedure,
    estimatedValueSek: s.estimatedValueSek,
    phase: s.phase,
    ruleSet: s.ruleSet,
    threshold: s.threshold,
    deadlines: next ? [next] : [],
    createdBy: s.createdBy,
    version: s.version,
    createdAt: s.createdAt,
    timeline: s.timeline,
    gateDecisions: s.gateDecisions.map(({ comment: _comment, ...d }) => d),
    pendingGates: s.pendingGates,
    ...(s.previousTenderId ? { previousTenderId: s.previousTenderId } : {}),
    ...(s.policyVersion !== undefined ? { policyVersion: s.policyVersion } : {}),
  };
}

/** A command's answer: the version and phase it left (the API reads the rest from the read model). */
export function answerOf(s: TenderState): CommandAnswer {
  return { id: s.id, version: s.version, phase: s.phase };
}
