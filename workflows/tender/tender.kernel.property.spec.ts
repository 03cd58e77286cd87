import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor } from '@tenderflow/domain/types';
import { PERMANENT_DB_ERROR } from '@tenderflow/temporal-common/errors';
import { REFUSAL_STATUS, type CommandName, type CommandPayloads } from '@tenderflow/temporal-common/tender-payloads';
import { withContent } from '@tenderflow/temporal-common/tender-texts';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { mulberry32 } from '../../test/support/seeded-random';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  Harness,
  needsAnalysis,
  readModel,
  signed,
  startHarness,
  startTender,
  state,
  TenderHandle,
} from '../../test/support/tender-harness';
import { COMMAND_UPDATES } from './tender.messages';

/**
 * Issue 24, all or nothing, as a property of the run kernel: random sequences of commands (valid
 * and invalid) with injected failures — a refusal, an activity that throws inside a command, a
 * child that cannot start, a commit PostgreSQL refuses for good, a worker killed while a command
 * runs — never leave a committed state that differs from replaying only the accepted commands on a
 * tender that had no failure. After every step the state the workflow holds is the state it
 * committed (nothing half-done waits for the next command).
 */

type Fault = 'none' | 'throw' | 'commit' | 'kill';
interface Step {
  name: CommandName;
  actor: Actor;
  payload: CommandPayloads[CommandName];
}
type Outcome = 'accepted' | 'refused' | 'thrown' | 'child_exists' | 'unstorable' | 'ended';

const SEEDS = [3, 7, 11, 19, 23, 31, 42, 57];
const STEPS = 24;
const body = { organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' };

/** The next command: mostly the one the main path expects in this phase, else any (often refused). */
function nextStep(s: TenderState, rnd: () => number, n: number): Step {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const gate = s.pendingGates[0]?.gate ?? pick(['decision_to_procure', 'documents_approval'] as const);
  const tenderDeadline = s.deadlines.find((d) => d.kind === 'tender_deadline');
  const any: Step[] = [
    { name: 'completeNeedsAnalysis', actor: actors.anna, payload: needsAnalysis },
    // Refused by the needs analysis' own rules (17 kap. 2 § LOU: sustainability considered).
    {
      name: 'completeNeedsAnalysis',
      actor: actors.anna,
      payload: { ...needsAnalysis, sustainability: undefined } as never,
    },
    { name: 'decideGate', actor: actors.bo, payload: { gate, decision: 'approve' } },
    {
      name: 'decideGate',
      actor: actors.bo,
      payload: { gate, decision: 'request_changes', comment: `Ändra punkt ${n}` },
    },
    // An officer has no authority to decide.
    { name: 'decideGate', actor: actors.anna, payload: { gate, decision: 'approve' } },
    {
      name: 'registerDocuments',
      actor: actors.anna,
      payload: { documents: [{ title: `Förfrågningsunderlag ${n}`, reference: `DOC-${n}` }] },
    },
    { name: 'registerDocuments', actor: actors.anna, payload: { documents: [] } },
    { name: 'appointEvaluators', actor: actors.anna, payload: { evaluators: [actors.eva, actors.erik] } },
    { name: 'publish', actor: actors.anna, payload: { advertisingDatabase: 'e-Avrop' } },
    {
      name: 'askQuestion',
      actor: actors.anna,
      payload: { question: `Fråga ${n}: hur tolkas krav ${n}?`, askedBy: `Leverantör ${n} AB` },
    },
    {
      name: 'answerQuestion',
      actor: actors.anna,
      payload: { questionId: `Q${1 + Math.floor(rnd() * (s.questions.length + 1))}`, answer: `Svar ${n}` },
    },
    {
      name: 'extendDeadline',
      actor: actors.anna,
      payload: {
        deadline: tenderDeadline
          ? `${Number(tenderDeadline.lastDay.slice(0, 4)) + 1}${tenderDeadline.lastDay.slice(4)}`
          : '2027-06-30',
        reason: `Ändrat underlag ${n}`,
      },
    },
    {
      name: 'fileReview',
      actor: actors.anna,
      payload: { applicant: `Sökande ${n} AB`, court: 'Förvaltningsrätten i Stockholm' },
    },
  ];
  const main = mainStep(s, n, rnd);
  if (main && rnd() < 0.7) return main;
  // Rarely the end of it all: a cancellation asks for its gate.
  if (rnd() < 0.04)
    return { name: 'requestCancellation', actor: actors.anna, payload: { reason: `Behovet har ändrats (${n})` } };
  return pick(any);
}

/** The command the main path expects next (needs analysis, decision, documents, approval, publication, questions). */
function mainStep(s: TenderState, n: number, rnd: () => number): Step | undefined {
  const decide = (gate: TenderState['pendingGates'][number]['gate']): Step => ({
    name: 'decideGate',
    actor: actors.bo,
    payload: { gate, decision: 'approve' },
  });
  if (s.pendingGates.length > 0) return decide(s.pendingGates[0].gate);
  if (s.phase === 'needs_analysis')
    return { name: 'completeNeedsAnalysis', actor: actors.anna, payload: needsAnalysis };
  if (s.phase === 'documents') {
    if (!s.documents)
      return {
        name: 'registerDocuments',
        actor: actors.anna,
        payload: { documents: [{ title: 'Förfrågningsunderlag', reference: `DOC-${n}` }] },
      };
    if (s.evaluators.length === 0)
      return { name: 'appointEvaluators', actor: actors.anna, payload: { evaluators: [actors.eva, actors.erik] } };
    return { name: 'publish', actor: actors.anna, payload: { advertisingDatabase: 'e-Avrop' } };
  }
  if (s.phase === 'published') {
    const open = s.questions.find((q) => !q.answeredAt);
    const r = rnd();
    if (open && r < 0.35)
      return { name: 'answerQuestion', actor: actors.anna, payload: { questionId: open.id, answer: `Svar ${n}` } };
    const due = s.deadlines.find((d) => d.kind === 'tender_deadline');
    // A later tender deadline (computed by the deadline activity, which a fault can make throw).
    if (due && r > 0.65)
      return {
        name: 'extendDeadline',
        actor: actors.anna,
        payload: { deadline: laterDay(due.lastDay, 7 + (n % 5)), reason: `Ändrat underlag ${n}` },
      };
    return {
      name: 'askQuestion',
      actor: actors.anna,
      payload: { question: `Fråga ${n}: hur tolkas krav ${n}?`, askedBy: `Leverantör ${n} AB` },
    };
  }
  return undefined;
}

/** The calendar day `days` after `day` (YYYY-MM-DD). */
function laterDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function classify(err: unknown): Outcome {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && cause.type in REFUSAL_STATUS) {
    const rule = (cause.details?.[0] as { rule?: string } | undefined)?.rule;
    return rule === 'child_exists' ? 'child_exists' : rule === 'unstorable' ? 'unstorable' : 'refused';
  }
  if (cause instanceof ActivityFailure) return 'thrown';
  throw err;
}

async function send(handle: TenderHandle, step: Step): Promise<Outcome> {
  return signed(handle, COMMAND_UPDATES[step.name].name, { actor: step.actor, payload: step.payload }).then(
    () => 'accepted' as const,
    async (err: unknown) => {
      // A tender that ended (cancelled) takes no command: the API answers 409 tender_ended.
      if (err instanceof WorkflowNotFoundError && (await handle.describe()).status.name !== 'RUNNING') return 'ended';
      return classify(err);
    },
  );
}

/** The state without the texts the read model adds back (the workflow keeps none). */
function withoutTexts(s: TenderState): TenderState {
  return JSON.parse(
    JSON.stringify({ ...s, questions: s.questions.map(({ question: _q, answer: _a, askedBy: _b, ...q }) => q) }),
  ) as TenderState;
}

/** What two tenders run from the same commands share: everything but their ids and instants. */
function comparable(s: TenderState): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'id' && k !== 'workflowId' && k !== 'title') out[k] = strip(x);
      return out;
    }
    return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? '<date>' : v;
  };
  return strip(withoutTexts(s));
}

/** The tender's chain as what each event is: its type and the command or gate it carries. */
function chainOf(h: Harness, workflowId: string): string[] {
  return (h.records.audit.get(workflowId) ?? []).map((e) => {
    const p = (e.payload ?? {}) as { command?: string; gate?: string };
    return [e.type, p.command ?? p.gate ?? ''].join(':');
  });
}

describe('tender run kernel: all or nothing under random commands and injected failures (property)', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  const seen: Record<Outcome | Fault, number> = {
    accepted: 0,
    refused: 0,
    thrown: 0,
    child_exists: 0,
    unstorable: 0,
    ended: 0,
    none: 0,
    throw: 0,
    commit: 0,
    kill: 0,
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-kernel-property', { restartable: true });
  });
  afterAll(async () => {
    h.records.deadlineFault = undefined;
    h.records.snapshotFault = undefined;
    await h?.stop();
    await env?.teardown();
  });

  it.each(SEEDS)(
    'seed %i: the committed tender is the tender of its accepted commands alone',
    async (seed) => {
      const rnd = mulberry32(seed);
      // Half the seeds invite one body twice: the decision to procure then fails to start its second child.
      const shape = seed % 2 === 0 ? { invitedBodies: [body, body] } : {};
      const handle = await startTender(h, shape);
      const accepted: Step[] = [];
      const trace: string[] = [];

      for (let n = 1; n <= STEPS; n++) {
        const committed = readModel.read(handle.workflowId) ?? (await state(handle));
        const step = nextStep(committed, rnd, n);
        const r = rnd();
        const fault: Fault = r < 0.15 ? 'throw' : r < 0.3 ? 'commit' : r < 0.42 ? 'kill' : 'none';
        seen[fault] += 1;
        h.records.deadlineFault =
          fault === 'throw'
            ? () =>
                ApplicationFailure.create({
                  type: 'InjectedFault',
                  message: 'injected: the deadline service failed',
                  nonRetryable: true,
                })
            : undefined;
        h.records.snapshotFault =
          fault === 'commit'
            ? (row) =>
                row.workflowId === handle.workflowId
                  ? ApplicationFailure.create({
                      type: PERMANENT_DB_ERROR,
                      message: 'injected: PostgreSQL refused the row',
                      nonRetryable: true,
                    })
                  : undefined
            : undefined;
        let outcome: Outcome;
        try {
          if (fault === 'kill') {
            const sent = send(handle, step);
            await new Promise((res) => setTimeout(res, Math.floor(rnd() * 40)));
            await h.restart();
            outcome = await sent;
          } else {
            outcome = await send(handle, step);
          }
        } catch (err) {
          throw new Error(
            `after\n${trace.join('\n')}\nstep ${n} ${step.name}/${step.actor.sub} fault=${fault}: ${String(err)}`,
            { cause: err },
          );
        } finally {
          h.records.deadlineFault = undefined;
          h.records.snapshotFault = undefined;
        }
        seen[outcome] += 1;
        trace.push(`${n} ${step.name}/${step.actor.sub} fault=${fault} -> ${outcome}`);
        if (outcome === 'accepted') accepted.push(step);
        if (outcome === 'ended') break;

        // Nothing half-done: what the workflow holds now is what it last committed.
        const live = await state(handle);
        const stored = readModel.read(handle.workflowId) ?? live;
        // The workflow keeps its content by ref: with the texts its steps wrote, it is the read model's tender.
        const texts = readModel.entry(handle.workflowId).texts;
        expect({ trace, state: withoutTexts(withContent(live, texts)) }).toEqual({
          trace,
          state: withoutTexts(stored),
        });
      }

      // The same accepted commands, in order, on a tender that meets no failure.
      const twin = await startTender(h, shape);
      for (const step of accepted) expect([step.name, await send(twin, step)]).toEqual([step.name, 'accepted']);
      const mine = readModel.read(handle.workflowId) ?? (await state(handle));
      const theirs = readModel.read(twin.workflowId) ?? (await state(twin));
      expect({ trace, state: comparable(mine) }).toEqual({ trace, state: comparable(theirs) });
      expect(chainOf(h, handle.workflowId)).toEqual(chainOf(h, twin.workflowId));
      // The chain has one event per number, in order: a refused or undone step left no number behind.
      const seqs = (h.records.audit.get(handle.workflowId) ?? []).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
      expect(mine.commands).toHaveLength(accepted.length);
    },
    300_000,
  );

  it('the sequences met every kind of failure', () => {
    // The seeds are fixed, so this checks that the property above was tried against each kind.
    for (const kind of ['accepted', 'refused', 'thrown', 'child_exists', 'unstorable', 'kill'] as const)
      expect([kind, seen[kind] > 0]).toEqual([kind, true]);
  });
});
