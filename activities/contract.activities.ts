import { ApplicationFailure } from '@temporalio/common';
import { DataSource, EntityManager } from 'typeorm';
import { allocateDirectAward } from '@tenderflow/db/direct-award-ledger';
import { policyPin } from '@tenderflow/db/policy-store';
import { currentDelegationOrder } from '@tenderflow/db/delegation-store';
import type { RuleViolation, TenderStartResult } from '@tenderflow/domain/rules';
import type { Actor, ContractType, Procedure } from '@tenderflow/domain/types';
import type { ContractState } from '@tenderflow/temporal-common/contract-types';
import type { CommandKey } from '@tenderflow/temporal-common/command-types';
import type { TenderStartInput } from '@tenderflow/temporal-common/tender-types';
import { thresholdRows } from '@tenderflow/db/thresholds';
import { claimTenderNumber, keyedTender } from '@tenderflow/db/tender-numbers';
import { recordedCommandKeys, recordTenderStart } from '@tenderflow/db/tender-starts';
import { toStockholmDate } from './deadline.activities';
import { prepareTenderStart, reprocurementRequest } from './tender-start';
import {
  assertCallerWrites,
  callingWorkflow,
  describeWith,
  refuseCaller,
  type DescribeRun,
  type WriterDeps,
} from './provenance';

/** The error type a contract workflow lists as non-retryable: the rules refuse the new tender. */
export const REPROCUREMENT_REFUSED = 'ReprocurementRefused';

export interface ReprocurementRequest {
  /** The contract workflow and its milestone: together the idempotency key of the allocation. */
  workflowId: string;
  milestoneId: string;
  previousTenderId: string;
  title: string;
  organization: string;
  category: string;
  contractType: ContractType;
  estimatedValueSek: number;
  frameworkAgreement: boolean;
  contractTermMonths?: number;
  extensionOptionMonths: number;
  procedure?: Procedure;
  createdBy: Actor;
  createdAt: string;
  /** The keys the contract workflow pins on the new tender: part of the start input recorded here. */
  commandKeys: CommandKey[];
}

/**
 * Activities of the contract follow-up: its read model, and what a re-procurement needs from the
 * database (a tender id from the sequence, the threshold rows in force). Idempotent.
 */
export function createContractActivities({ dataSource, temporal }: WriterDeps) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    /** Contract and milestones; an older snapshot never overwrites a newer one. */
    async recordContractSnapshot(state: ContractState): Promise<void> {
      await assertCallerWrites(dataSource, [state.tenderId], describe, 'recordContractSnapshot', 'contract');
      await dataSource.transaction((m) => writeContractSnapshot(m, state));
    },

    /**
     * The start input of the tender that re-procures a contract: a new id from the tenders'
     * sequence (ORG-YYYY-NNNNN, as the API allocates them), allocated once per contract milestone
     * however often this is retried, the classification under the rules in force today, and the
     * organisation's policy in force today (pinned, as at any tender's creation). Asked only by the
     * contract's own workflow (provenance.ts); its organisation, category, title, contract type and
     * value come from the recorded tender, its command keys from the tender's recorded start and
     * rotations, never from the asking workflow's input (fromRecords).
     */
    async prepareReprocurement(asked: ReprocurementRequest): Promise<TenderStartInput> {
      const req = await fromRecords(dataSource, asked, describe);
      const today = toStockholmDate(new Date().toISOString());
      const year = today.slice(0, 4);
      const refused = (violations: RuleViolation[]) =>
        ApplicationFailure.create({
          type: REPROCUREMENT_REFUSED,
          nonRetryable: true,
          message: violations.map((v) => v.message).join(' '),
        });
      // Born as any tender (tender-start.ts): classified under the rules in force today, a number from
      // the tenders' sequence, the policy in force now; linked to the tender it replaces.
      const { input: start } = await prepareTenderStart(reprocurementRequest(req), {
        today,
        rows: await thresholdRows(dataSource),
        refuse: refused,
        allocate: async (valid) => ({ id: await reprocurementId(dataSource, req, valid, year, refused) }),
        pin: () => policyPin(dataSource, req.organization, req.category),
        delegationOrder: () => currentDelegationOrder(dataSource, req.organization),
        createdBy: req.createdBy,
        createdAt: req.createdAt,
        commandKeys: req.commandKeys,
        previousTenderId: req.previousTenderId,
        withoutProcedureDescription: true,
        // Recorded as the API records its starts: the worker writes only for recorded starts (tender-starts.ts).
        record: async (recorded) => {
          await recordTenderStart(dataSource.manager, { ...recorded, origin: 'reprocurement' });
          return recorded.input;
        },
      });
      return start;
    },
  };
}

/** Contract and milestones, in the caller's transaction; an older snapshot never overwrites a newer one. */
export async function writeContractSnapshot(m: EntityManager, state: ContractState): Promise<void> {
  const written: unknown[] = await m.query(
    `INSERT INTO contracts (id, workflow_id, tender_id, organization, category, title, supplier, value_sek, start_date, end_date,
       latest_end_date, status, criticality, successor_tender_id, state, state_version, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, now())
     ON CONFLICT (id) DO UPDATE SET
       end_date = EXCLUDED.end_date, latest_end_date = EXCLUDED.latest_end_date, status = EXCLUDED.status,
       successor_tender_id = EXCLUDED.successor_tender_id, state = EXCLUDED.state, state_version = EXCLUDED.state_version, updated_at = now()
     WHERE contracts.state_version < EXCLUDED.state_version
     RETURNING id`,
    [
      state.id,
      state.workflowId,
      state.tenderId,
      state.organization,
      state.category,
      state.title,
      state.supplier,
      state.valueSek,
      state.startDate,
      state.endDate,
      state.latestEndDate,
      state.status,
      state.criticality,
      state.successorTenderId ?? null,
      JSON.stringify(state),
      state.version,
    ],
  );
  if (written.length === 0) return;
  await m.query(`DELETE FROM milestones WHERE contract_id = $1`, [state.id]);
  for (const x of state.milestones) {
    await m.query(
      `INSERT INTO milestones (contract_id, id, tender_id, organization, category, kind, title, owner, due_date, due_at, status,
         escalations, outcome, note, completed_by, completed_at, corrective_for)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [
        state.id,
        x.id,
        state.tenderId,
        state.organization,
        state.category,
        x.kind,
        x.title,
        x.owner,
        x.dueDate,
        new Date(x.dueAt),
        x.status,
        x.escalations,
        x.completion?.outcome ?? null,
        x.completion?.note ?? null,
        x.completion?.by.sub ?? null,
        x.completion ? new Date(x.completion.at) : null,
        x.correctiveFor ?? null,
      ],
    );
  }
}

/**
 * A re-procurement request as the records have it. The asking workflow must be the contract of the
 * tender it names, from a run of that contract's chain (provenance.ts); the tender's organisation,
 * category, title, contract type and estimate come from its read model, and the keys from its
 * recorded start and rotations (a tender from before keys were recorded keeps the contract's, which
 * its verified workflow carries from its tender). The person completing the milestone must act for
 * the tender's organisation.
 */
async function fromRecords(
  dataSource: DataSource,
  asked: ReprocurementRequest,
  describe: DescribeRun | undefined,
): Promise<ReprocurementRequest> {
  const refused = (reason: string) =>
    ApplicationFailure.create({ type: REPROCUREMENT_REFUSED, nonRetryable: true, message: reason });
  await assertCallerWrites(dataSource, [asked.previousTenderId], describe, 'prepareReprocurement', 'contract');
  const caller = callingWorkflow();
  if (caller && caller.workflowId !== asked.workflowId) {
    await refuseCaller(
      dataSource,
      caller,
      `prepareReprocurement: only the contract of tender ${asked.previousTenderId} re-procures it`,
    );
  }
  const [tender]: {
    organization: string;
    category: string;
    title: string;
    contract_type: ContractType;
    estimated_value_sek: string;
  }[] = await dataSource.query(
    `SELECT organization, category, title, contract_type, estimated_value_sek FROM tenders WHERE id = $1`,
    [asked.previousTenderId],
  );
  if (!tender) throw refused(`Tender ${asked.previousTenderId} is not in the read model`);
  if (asked.createdBy.org !== undefined && asked.createdBy.org !== tender.organization) {
    throw refused(
      `${asked.createdBy.name} acts for ${asked.createdBy.org}, not for ${tender.organization}, whose tender this re-procures`,
    );
  }
  const keys = await recordedCommandKeys(dataSource, asked.previousTenderId);
  return {
    ...asked,
    organization: tender.organization,
    category: tender.category,
    title: tender.title,
    contractType: tender.contract_type,
    estimatedValueSek: Number(tender.estimated_value_sek),
    commandKeys: keys.length > 0 ? keys : asked.commandKeys,
  };
}

/**
 * The new tender's id, once per contract milestone. A direct award counts against the year's direct
 * awards of its kind, like one created through the API: decided under the ledger's lock, reserved
 * with its id (19 a kap. 2 § LOU).
 */
async function reprocurementId(
  dataSource: DataSource,
  req: ReprocurementRequest,
  valid: TenderStartResult,
  year: string,
  refused: (violations: RuleViolation[]) => Error,
): Promise<string> {
  if (valid.procedure !== 'direct_award') return allocateOnce(dataSource.manager, req, year);
  const reserved = await allocateDirectAward(
    dataSource,
    {
      organization: req.organization,
      category: req.category,
      financialYear: Number(year),
      valueSek: req.estimatedValueSek,
      limitSek: valid.classification.directAwardLimitSekUsed,
      allowsEqual: valid.classification.directAwardLimit.allowsEqual ?? false,
      reservedBy: req.workflowId,
    },
    {
      prior: (m) => allocated(m, req),
      claim: async (m) => ({ id: await allocateOnce(m, req, year), replay: false }),
    },
  );
  if (!reserved.ok) throw refused(reserved.violations);
  return reserved.id;
}

/** The idempotency_keys table serves here too: (the contract workflow, its milestone) → the tender id. */
function reprocurementKey(req: ReprocurementRequest) {
  return { actorSub: req.workflowId, key: `reprocurement:${req.milestoneId}`, requestHash: 'reprocurement' };
}

async function allocated(m: EntityManager, req: ReprocurementRequest): Promise<string | undefined> {
  const { actorSub, key } = reprocurementKey(req);
  return (await keyedTender(m, actorSub, key))?.tenderId;
}

/** A number from the tenders' sequence, as the API allocates them (libs/db tender-numbers.ts), once per milestone. */
async function allocateOnce(m: EntityManager, req: ReprocurementRequest, year: string): Promise<string> {
  const existing = await allocated(m, req);
  if (existing) return existing;
  return (await claimTenderNumber(m, req.organization, year, reprocurementKey(req))) ?? (await allocated(m, req))!;
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
