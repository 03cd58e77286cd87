/**
 * Shared set-up of the tender workflow specs: a worker with the REAL deadline activities (pure)
 * and capturing fakes of the writing ones, start inputs, actors and small drivers. Not bundled
 * into the workflow code (only workflows/index.ts is).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowHandle, type WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import type { CommandAuthSinks, RefusedCommandNotice } from '@tenderflow/workflows/shared/command-auth.messages';
import type { AuditEventInput, NotificationInput, StepCommit, StepText } from '@tenderflow/activities/activity-types';
import { assembleParts, type PartsDelta } from '@tenderflow/temporal-common/state-parts';
import { withTexts } from '@tenderflow/temporal-common/tender-texts';
import type { ReprocurementRequest } from '@tenderflow/activities/contract.activities';
import type { GateDeciders, GateDecidersRequest, TenderTextRequest } from '@tenderflow/activities/tender.activities';
import { decidersOn, type AuthorityDirectory } from '@tenderflow/domain/delegation-authority';
import type { GroupActivityRequest } from '@tenderflow/activities/policy.activities';
import type { GroupActivity } from '@tenderflow/domain/policy';
import { createDeadlineActivities } from '@tenderflow/activities/deadline.activities';
import { contractWorkflowId, coordinationWorkflowId, tenderWorkflowId } from '@tenderflow/temporal-common/ids';
import {
  outcomeFromChain,
  type ChainedOutcome,
  type InvitationOutcomeRequest,
} from '@tenderflow/activities/invitation.activities';
import { CommandSigner, developmentSigningKey } from '@tenderflow/temporal-common/command-signer';
import { getContractStateQuery } from '@tenderflow/workflows/contract/contract.messages';
import { type ContractState } from '@tenderflow/temporal-common/contract-types';
import { ruleSetAtLeast } from '@tenderflow/domain/thresholds';
import { isAnnex2, type Actor } from '@tenderflow/domain/types';
import { stockholmDate } from '@tenderflow/domain/dates';
import { checkDirectAwardAggregate } from '@tenderflow/domain/rules';
import type {
  DirectAwardContractAnswer,
  DirectAwardContractRequest,
} from '@tenderflow/activities/direct-award.activities';
import { workflowCodeForTests } from './shared-workflow-bundle';
import { COMMAND_UPDATES, getStateQuery } from '@tenderflow/workflows/tender/tender.messages';
import {
  type CommandName,
  type CommandPayloads,
  type TenderStartInput,
  type TenderState,
} from '@tenderflow/temporal-common/tender-types';
import { tenderWorkflow } from '@tenderflow/workflows/tender/tender.workflow';

export const actors = {
  anna: { sub: 'anna', name: 'Anna Upphandlare', org: 'HSN', roles: ['procurement_officer'] },
  olof: { sub: 'olof', name: 'Olof Upphandlare', org: 'HSN', roles: ['procurement_officer'] },
  bo: { sub: 'bo', name: 'Bo Beslutsfattare', org: 'HSN', roles: ['approver'], approvalLimitSek: 50_000_000 },
  cia: { sub: 'cia', name: 'Cia Beslutsfattare', org: 'HSN', roles: ['approver'], approvalLimitSek: 50_000_000 },
  eva: { sub: 'eva', name: 'Eva Utvärderare', org: 'HSN', roles: ['contract_manager'] },
  erik: { sub: 'erik', name: 'Erik Utvärderare', org: 'HSN', roles: ['category_manager'] },
  ella: { sub: 'ella', name: 'Ella Ersättare', org: 'HSN', roles: ['contract_manager'] },
  pia: { sub: 'pia', name: 'Pia Partner', org: 'KOMM', roles: ['partner'] },
  carl: { sub: 'carl', name: 'Carl Avtal', org: 'HSN', roles: ['contract_manager'] },
} satisfies Record<string, Actor>;

/** Signs the specs' commands as the API does, with the development key every start input pins. */
export const signer = new CommandSigner(developmentSigningKey());
/** The test server's clock once a harness runs: signatures are dated in workflow time. */
let clock: () => Promise<number> = async () => Date.now();

let counter = 0;

export function startInput(overrides: Partial<TenderStartInput> = {}): TenderStartInput {
  counter += 1;
  return {
    id: `HSN-2026-${String(counter).padStart(5, '0')}-${Math.random().toString(36).slice(2, 7)}`,
    title: 'Laboratory reagents 2027–2030',
    organization: 'HSN',
    category: 'lab',
    contractType: 'supplies',
    estimatedValueSek: 4_000_000,
    regime: 'eu',
    procedure: 'open',
    frameworkAgreement: true,
    contractTermMonths: 24,
    extensionOptionMonths: 24,
    electronicSubmission: true,
    invitedBodies: [],
    threshold: {
      id: 'sub_central-supplies_services-2026',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      sek: null,
      eur: 216000,
      confirmed: false,
      source: 'test',
    },
    ruleSet: 'test',
    createdBy: actors.anna,
    createdAt: '2026-11-25T10:00:00.000Z',
    commandKeys: signer.pinned(),
    ...overrides,
  };
}

export const needsAnalysis: CommandPayloads['completeNeedsAnalysis'] = {
  need: 'Reagents for the clinical laboratories',
  sustainability: { criteria: ['Chemical content (Upphandlingsmyndigheten)'], level: 'bas' },
  laborConditions: { required: false, justification: 'Goods from EU wholesalers; low risk' },
  supplyPreparedness: { criticality: 'high', measures: 'Safety stock of 8 weeks' },
  lots: [
    { title: 'Chemistry', estimatedValueSek: 2_500_000 },
    { title: 'Haematology', estimatedValueSek: 1_500_000 },
  ],
};

/** A needs analysis for a small purchase: one contract, no lots. */
export const smallNeedsAnalysis: CommandPayloads['completeNeedsAnalysis'] = {
  ...needsAnalysis,
  supplyPreparedness: { criticality: 'low' },
  lots: undefined,
  lotJustification: 'One small delivery; dividing it would only add cost',
};

export const tenders = [
  { supplier: 'Acme Lab AB', orgNumber: '556000-0001', receivedAt: '2026-11-26T09:00:00.000Z', lots: ['Chemistry'] },
  { supplier: 'Nordic Reagents AB', orgNumber: '556000-0002', receivedAt: '2026-11-27T09:00:00.000Z' },
];

/** What the fakes of the writing activities saw, per workflow ID. */
export class Records {
  audit = new Map<string, AuditEventInput[]>();
  notes = new Map<string, NotificationInput[]>();
  snapshots = new Map<string, TenderState[]>();
  contracts = new Map<string, ContractState[]>();
  reprocurements: ReprocurementRequest[] = [];
  /** Outcome signals the chain did not bear out (the real activity logs them in the security log). */
  forgedSignals: InvitationOutcomeRequest[] = [];
  /** The group-wide read of the policy's coordination check: what each request saw, and what a test lets it find. */
  groupRequests: GroupActivityRequest[] = [];
  groupActivity: (req: GroupActivityRequest) => GroupActivity = (req) => ({
    organizations: [req.organization],
    tenders: [],
    contracts: [],
  });
  /** A test's fault for the snapshot write of a workflow (given its row): return an error to throw, or nothing. */
  snapshotFault?: (state: Pick<TenderState, 'workflowId' | 'phase' | 'version'>) => Error | undefined;
  /** Every step as the commit activity got it (its size is what history holds). */
  steps: StepCommit[] = [];
  /** What the validators reported through the commandAuth sink, per workflow ID. */
  refusedCommands = new Map<string, RefusedCommandNotice[]>();
  /** The direct-award ledger in memory: what each tender holds, per organisation and category. */
  directAwards = new Map<string, { scope: string; amountSek: number }>();
  /** The limit the in-memory ledger decides with (700 000 SEK, which a direct award must stay below: 19 a kap. 2 §). */
  directAwardLimitSek = 700_000;
  /**
   * For social and other special services (bilaga 2, welfare services among them) the direct-award
   * limit is their threshold (19 a kap. 2 §; ARCHITECTURE §3; 8 109 450 SEK in 2024–2025), as the real
   * ledger finds it by classification.
   */
  annex2DirectAwardLimitSek = 8_109_450;
  private allocated = new Map<string, string>();
  /** A test's fault for the deadline computation (an activity failing for good inside a command): return an error to throw, or nothing. */
  deadlineFault?: () => Error | undefined;
  /**
   * The organisations' directories as authority under the delegation order goes (functions held,
   * absences), in memory: the real gateDeciders reads the same from PostgreSQL (libs/db delegation-store.ts).
   */
  directories = new Map<string, AuthorityDirectory & { people: { sub: string; name: string }[] }>();
  /** Every gateDeciders request, as the workflow asked it. */
  decidersAsked: GateDecidersRequest[] = [];

  private faultyDeadlines() {
    const real = createDeadlineActivities();
    const guard =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        const fault = this.deadlineFault?.();
        if (fault) throw fault;
        return f(...a);
      };
    return {
      ...real,
      computeDeadline: guard(real.computeDeadline),
      computeOptionalDeadline: guard(real.computeOptionalDeadline),
    };
  }

  activities() {
    const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
    return {
      ...this.faultyDeadlines(),
      appendAudit: async (events: AuditEventInput[]) => {
        for (const e of events) push(this.audit, e.workflowId, e);
      },
      notify: async (n: NotificationInput) => {
        push(this.notes, n.key.split(':')[0], n);
      },
      recordTenderSnapshot: async (state: TenderState) => {
        const fault = this.snapshotFault?.(state);
        if (fault) throw fault;
        push(this.snapshots, state.workflowId, state);
      },
      recordContractSnapshot: async (state: ContractState) => {
        push(this.contracts, state.workflowId, state);
      },
      /** Like the real one: all of a step or nothing (a snapshot fault leaves no audit event and no message). */
      commitStep: async (step: StepCommit) => {
        const tender =
          step.snapshot?.kind === 'tender-parts'
            ? step.snapshot.row
            : step.snapshot?.kind === 'tender'
              ? step.snapshot.state
              : undefined;
        if (tender) {
          const fault = this.snapshotFault?.(tender);
          if (fault) throw fault;
        }
        this.steps.push(step);
        for (const e of step.events) push(this.audit, e.workflowId, e);
        for (const n of step.notifications) push(this.notes, n.key.split(':')[0], n);
        for (const t of step.texts ?? []) readModel.text(step.workflowId, t);
        if (step.snapshot?.kind === 'tender') push(this.snapshots, step.snapshot.state.workflowId, step.snapshot.state);
        if (step.snapshot?.kind === 'contract')
          push(this.contracts, step.snapshot.state.workflowId, step.snapshot.state);
        if (step.snapshot?.kind === 'tender-parts') {
          const applied = readModel.apply(
            step.workflowId,
            step.snapshot.row.version,
            step.snapshot.parts,
            step.snapshot.base,
          );
          push(this.snapshots, step.workflowId, applied.state);
          return { resync: applied.resync };
        }
        return {};
      },
      /** Like the real one: a content text the tender's steps wrote, or null. */
      gateDeciders: async (req: GateDecidersRequest): Promise<GateDeciders> => {
        this.decidersAsked.push(req);
        const dir = this.directories.get(req.organization) ?? {
          functions: [],
          personFunctions: [],
          absences: [],
          people: [],
        };
        const name = (sub: string) => dir.people.find((p) => p.sub === sub)?.name ?? sub;
        return req.levels.map((item) => ({
          item: item.id,
          deciders: decidersOn(
            item,
            req.date,
            dir,
            dir.people.map((p) => p.sub),
            req.excluded,
          ).map((d) => ({ sub: d.sub, name: name(d.sub), authority: d.authority })),
        }));
      },
      tenderText: async (req: TenderTextRequest): Promise<Record<string, unknown> | null> =>
        readModel.tenders.get(tenderWorkflowId(req.tenderId))?.texts.get(req.ref) ?? null,
      /** Like the real one: the outcome the body's coordination wrote into the chain, or none (the signal is then logged as forged). */
      invitationOutcome: async (req: InvitationOutcomeRequest): Promise<ChainedOutcome | null> => {
        const events = (this.audit.get(coordinationWorkflowId(req.tenderId, req.organization)) ?? []).map((e) => ({
          ...e,
          reason: e.reason ?? null,
        }));
        const outcome = outcomeFromChain(req.tenderId, req.organization, events);
        if (!outcome) this.forgedSignals.push(req);
        return outcome ?? null;
      },
      findGroupActivity: async (req: GroupActivityRequest): Promise<GroupActivity> => {
        this.groupRequests.push(req);
        return this.groupActivity(req);
      },
      /** Like the real one, with the same rule: the contract's value replaces the tender's share if the scope's total allows it. */
      registerDirectAwardContract: async (req: DirectAwardContractRequest): Promise<DirectAwardContractAnswer> => {
        const scope = `${req.organization}/${req.category}`;
        const otherAwardsSek = [...this.directAwards]
          .filter(([id, r]) => id !== req.tenderId && r.scope === scope)
          .reduce((sum, [, r]) => sum + r.amountSek, 0);
        const limitSek = isAnnex2(req.contractType) ? this.annex2DirectAwardLimitSek : this.directAwardLimitSek;
        const violations = checkDirectAwardAggregate({
          valueSek: req.valueSek,
          runningTotalSek: otherAwardsSek,
          limitSek,
          allowsEqual: !ruleSetAtLeast(req.ruleSet, 'LOU-2026.3'),
          category: req.category,
        });
        if (violations.length === 0) this.directAwards.set(req.tenderId, { scope, amountSek: req.valueSek });
        return { violations, limitSek, otherAwardsSek };
      },
      /** Like the real one: one id per (contract workflow, milestone), however often retried. */
      prepareReprocurement: async (req: ReprocurementRequest): Promise<TenderStartInput> => {
        this.reprocurements.push(req);
        const key = `${req.workflowId}#${req.milestoneId}`;
        const id =
          this.allocated.get(key) ??
          `${req.organization}-2029-${String(90000 + this.allocated.size + 1)}-${Math.random().toString(36).slice(2, 7)}`;
        this.allocated.set(key, id);
        const base = startInput();
        return {
          ...base,
          id,
          title: `${req.title} (re-procurement)`,
          organization: req.organization,
          category: req.category,
          contractType: req.contractType,
          estimatedValueSek: req.estimatedValueSek,
          frameworkAgreement: req.frameworkAgreement,
          extensionOptionMonths: req.extensionOptionMonths,
          createdBy: req.createdBy,
          createdAt: req.createdAt,
          previousTenderId: req.previousTenderId,
        };
      },
    };
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  records: Records;
  taskQueue: string;
  stop(): Promise<void>;
  /** The worker killed (shut down mid-flight) and a new one started on the same queue and records: workflows go on from their history. */
  restart(): Promise<void>;
}

/** One worker per spec file, on its own task queue, running until the file's afterAll. */
export async function startHarness(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  opts: { restartable?: boolean } = {},
): Promise<Harness> {
  const records = new Records();
  // A worker that is killed and replaced keeps no workflow cached: the test server does not move a
  // sticky task queue of a dead worker to the shared one, so a cached workflow would wait for ever.
  const cache = opts.restartable ? { maxCachedWorkflows: 0 } : {};
  let current = await startWorker(env, taskQueue, records, cache);
  clock = () => env.currentTimeMs();
  return {
    env,
    records,
    taskQueue,
    async stop() {
      await current.stop();
    },
    async restart() {
      await current.stop();
      current = await startWorker(env, taskQueue, records, cache);
    },
  };
}

async function startWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  records: Records,
  cache: { maxCachedWorkflows?: number },
): Promise<{ stop(): Promise<void> }> {
  const worker = await Worker.create({
    ...cache,
    connection: env.nativeConnection,
    taskQueue,
    // The run's one bundle (global setup); a restarted worker takes the same.
    ...workflowCodeForTests(),
    activities: records.activities(),
    sinks: {
      commandAuth: {
        refused: {
          fn: (info, notice) => {
            records.refusedCommands.set(info.workflowId, [
              ...(records.refusedCommands.get(info.workflowId) ?? []),
              notice,
            ]);
          },
        },
      },
    } satisfies InjectedSinks<CommandAuthSinks>,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

export type TenderHandle = WorkflowHandle<typeof tenderWorkflow>;

export async function startTender(h: Harness, overrides: Partial<TenderStartInput> = {}): Promise<TenderHandle> {
  const input = startInput(overrides);
  return h.env.client.workflow.start(tenderWorkflow, {
    taskQueue: h.taskQueue,
    workflowId: `tender-${input.id}`,
    args: [input],
  });
}

/** A command as the API sends it; answered, like the API, with the tender read back from the (in-memory) read model. */
export async function cmd<N extends CommandName>(
  handle: TenderHandle,
  name: N,
  actor: Actor,
  payload: CommandPayloads[N],
  reason?: string,
): Promise<TenderState> {
  await signed(handle, COMMAND_UPDATES[name], { actor, payload, ...(reason ? { reason } : {}) });
  return readModel.read(handle.workflowId) ?? state(handle);
}

/**
 * The read model's tender state as the commit activity and the API's reader keep it (parts and
 * texts, applied by version), in memory, for every harness of the process (workflow IDs are unique).
 */
export const readModel = {
  tenders: new Map<
    string,
    { version: number; parts: Map<string, unknown>; texts: Map<string, Record<string, unknown>> }
  >(),
  entry(workflowId: string) {
    let e = this.tenders.get(workflowId);
    if (!e) this.tenders.set(workflowId, (e = { version: 0, parts: new Map(), texts: new Map() }));
    return e;
  },
  /** As commit.activities.ts: parts over the version they differ from; else nothing, and the workflow is asked for a full write. */
  apply(
    workflowId: string,
    version: number,
    delta: PartsDelta,
    base?: number,
  ): { state: TenderState; resync: boolean } {
    const e = this.entry(workflowId);
    const resync = version <= e.version || (!delta.full && e.version !== base);
    if (!resync) {
      if (delta.full) e.parts.clear();
      for (const name of delta.removed) e.parts.delete(name);
      for (const [name, value] of delta.upserts) e.parts.set(name, value);
      e.version = version;
    }
    return { state: withTexts(assembleParts<TenderState>(e.parts), e.texts), resync };
  },
  text(workflowId: string, t: StepText) {
    this.entry(workflowId).texts.set(t.ref, t.body);
  },
  read(workflowId: string): TenderState | undefined {
    const e = this.tenders.get(workflowId);
    return e && e.version > 0 ? withTexts(assembleParts<TenderState>(e.parts), e.texts) : undefined;
  },
};

/** An Update with a command input, signed for this workflow, Update name and a fresh Update ID, as the API sends it. */
export async function signed<R, I extends { actor: unknown; payload: unknown; reason?: string }>(
  handle: WorkflowHandle,
  update: UpdateDefinition<R, [I], string> | string,
  input: I,
): Promise<R> {
  const updateId = randomUUID();
  const wire = JSON.parse(JSON.stringify(input)) as I;
  const command = typeof update === 'string' ? update : update.name;
  const auth = signer.sign({ workflowId: handle.workflowId, command, updateId, now: await clock(), ...wire });
  return handle.executeUpdate<R, [I]>(update, { args: [{ ...wire, auth }], updateId });
}

export function state(handle: TenderHandle): Promise<TenderState> {
  return handle.query(getStateQuery);
}

/**
 * Moves the test server's clock to just after a running deadline, then waits (in real time, a few
 * milliseconds) until the workflow has acted on it.
 */
export async function passDeadline(h: Harness, handle: TenderHandle, kind: string): Promise<TenderState> {
  const before = await state(handle);
  const d = before.deadlines.find((x) => x.kind === kind);
  if (!d) throw new Error(`no running ${kind}; running: ${before.deadlines.map((x) => x.kind).join(', ')}`);
  const now = await h.env.currentTimeMs();
  await h.env.sleep(Math.max(1, Date.parse(d.at) - now + 1000));
  return waitFor(handle, (s) => !s.deadlines.some((x) => x.kind === kind && x.at === d.at), `${kind} to fire`);
}

export async function waitFor(
  handle: TenderHandle,
  ok: (s: TenderState) => boolean,
  what: string,
): Promise<TenderState> {
  for (let i = 0; i < 200; i++) {
    const s = await state(handle);
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Drives a tender from start to the given point of the main path. */
export async function driveTo(
  h: Harness,
  handle: TenderHandle,
  target:
    'documents' | 'approved' | 'published' | 'opening' | 'evaluation' | 'award_decision' | 'standstill' | 'contract',
  documents: CommandPayloads['registerDocuments'] = { documents: [{ title: 'Tender documents', reference: 'DOC-1' }] },
  needs: CommandPayloads['completeNeedsAnalysis'] = needsAnalysis,
  /** What the documents phase adds before the documents are registered (the requirements register, say). */
  inDocuments?: () => Promise<unknown>,
): Promise<TenderState> {
  const order = [
    'documents',
    'approved',
    'published',
    'opening',
    'evaluation',
    'award_decision',
    'standstill',
    'contract',
  ];
  const upTo = (t: string) => order.indexOf(t) <= order.indexOf(target);
  await cmd(handle, 'completeNeedsAnalysis', actors.anna, needs);
  let s = await cmd(handle, 'decideGate', actors.bo, { gate: 'decision_to_procure', decision: 'approve' });
  if (!upTo('approved')) return s;
  await inDocuments?.();
  await cmd(handle, 'registerDocuments', actors.anna, documents);
  s = await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
  if (!upTo('published')) return s;
  await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
  s = await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
  if (!upTo('opening')) return s;
  s = await passDeadline(h, handle, 'tender_deadline');
  if (!upTo('evaluation')) return s;
  s = await cmd(handle, 'recordOpening', actors.anna, { openers: ['anna', 'olof'], tenders: openingTenders(s) });
  if (!upTo('award_decision')) return s;
  await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties to any tenderer' });
  await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties to any tenderer' });
  s = await cmd(handle, 'submitEvaluation', actors.anna, { proposals: [proposal] });
  if (!upTo('standstill')) return s;
  s = await cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
  if (!upTo('contract')) return s;
  return passDeadline(h, handle, 'standstill');
}

export const proposal = { supplier: 'Acme Lab AB', score: 87, reasons: 'Best price–quality ratio on every criterion' };

/** Tenders received before the deadline that has just passed. */
export function openingTenders(s: TenderState) {
  const deadline = [...s.pastDeadlines].reverse().find((d) => d.kind === 'tender_deadline')!;
  const before = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
  return tenders.map((t) => ({ ...t, receivedAt: before }));
}

/** The test server's date in Sweden (its clock has skipped ahead of the wall clock), the date the law counts in. */
export async function today(h: Harness): Promise<string> {
  return stockholmDate(await h.env.currentTimeMs());
}

/** A contract for the tender, signed today, within its approved (estimated) value. */
export async function contract(h: Harness, s: TenderState): Promise<CommandPayloads['registerContract']> {
  return {
    supplier: s.award?.winners[0].supplier ?? 'Direct Supplier AB',
    valueSek: Math.min(3_900_000, s.estimatedValueSek),
    startDate: '2027-03-01',
    endDate: '2029-02-28',
    options: [{ description: '1 + 1 years', months: 24 }],
    signedAt: await today(h),
  };
}

/** The contract follow-up child of a tender in follow_up. */
export function contractOf(h: Harness, s: TenderState) {
  if (!s.followUp) throw new Error(`${s.id} has no follow-up (phase ${s.phase})`);
  return h.env.client.workflow.getHandle(s.followUp.workflowId);
}

export function contractState(h: Harness, s: TenderState): Promise<ContractState> {
  return contractOf(h, s).query(getContractStateQuery);
}

/**
 * Ends a follow-up that a test does not run to its end (years of reminders and weekly escalations
 * would otherwise keep the shared test server busy); the tender then completes, noting it.
 */
export async function stopFollowUp(h: Harness, handle: TenderHandle): Promise<TenderState> {
  const s = await state(handle);
  // Cancel, not terminate: the time-skipping test server does not report a terminated child to its parent.
  await h.env.client.workflow.getHandle(contractWorkflowId(s.followUp!.contractId)).cancel();
  // Polled, not result(): the time-skipping client's result() lets the server skip far ahead while
  // other workflows idle without timers.
  return waitFor(handle, (x) => x.phase === 'completed' && x.followUp?.status === 'stopped', 'the tender to complete');
}

/** The failure of an Update the workflow refused; a test fails if it was accepted. */
export function refusal(p: Promise<unknown>): Promise<WorkflowUpdateFailedError> {
  return p.then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e as WorkflowUpdateFailedError,
  );
}

/** The rule a refused Update names (the refusal's details), if any. */
export function ruleOf(e: WorkflowUpdateFailedError): string | undefined {
  return (e.cause as { details?: [{ rule?: string }] }).details?.[0]?.rule;
}
