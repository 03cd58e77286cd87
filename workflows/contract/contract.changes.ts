/**
 * `registerChange` (Update, validated): a change to the contract registered against what 17 kap.
 * LOU allows without a new procurement (libs/domain contract-changes.ts). A change outside it is
 * refused with the rule and the paragraph, and nothing is recorded; an allowed one moves the
 * contract's value (or its supplier, for a succession), goes into the chain (`contract.changed`)
 * and, under 17 kap. 11 or 12 § above the threshold, plans the notice that 17 kap. 16 § makes due.
 */
import { checkContractChange, CHANGE_GROUNDS, type ChangeContract } from '@tenderflow/domain/contract-changes';
import {
  MAX_CONTRACT_CHANGES,
  type ContractChange,
  type ContractState,
  type RegisterChangePayload,
} from '@tenderflow/temporal-common/contract-types';
import { isFilledText, isOptionalText } from '@tenderflow/domain/text';
import { ALLOWED, firstRefusal, refuse, type Verdict } from '@tenderflow/temporal-common/refusals';
import type { CommandInput } from '@tenderflow/temporal-common/tender-types';
import { mayRegisterChange } from '../shared/authority';
import type { ContractRun } from './contract.run';
import { modificationNotice } from './milestone-plan';

/** The contract as 17 kap. reads it: its type, value, threshold and the changes before. */
function changeContract(run: ContractRun, indexedValueSek: number | undefined): ChangeContract {
  const s = run.state;
  return {
    contractType: run.input.contractType,
    frameworkAgreement: run.input.frameworkAgreement,
    valueSek: run.input.contract.valueSek,
    ...(indexedValueSek !== undefined ? { indexedValueSek } : {}),
    thresholdSek: run.input.thresholdSek ?? null,
    aboveThreshold: run.input.regime === 'eu',
    earlier: (s.changes ?? []).map((c) => ({ ground: c.ground, valueChangeSek: c.valueChangeSek })),
  };
}

export function changeVerdict(run: ContractRun, i: CommandInput<RegisterChangePayload>): Verdict {
  if (!i || typeof i !== 'object' || !i.payload || typeof i.payload !== 'object')
    return refuse('BadRequest', 'A command needs { actor, payload }.');
  const { actor, payload: p } = i;
  const s = run.state;
  return firstRefusal(
    () => mayRegisterChange(actor, s),
    () =>
      s.status === 'active'
        ? ALLOWED
        : refuse('Conflict', `The contract ended on ${s.endDate}; it is no longer changed.`, {
            rule: 'contract_ended',
          }),
    () =>
      (s.changes?.length ?? 0) < MAX_CONTRACT_CHANGES
        ? ALLOWED
        : refuse('RuleViolation', `A contract records at most ${MAX_CONTRACT_CHANGES} changes.`, {
            rule: 'changes_limit',
          }),
    () =>
      (CHANGE_GROUNDS as readonly unknown[]).includes(p.ground)
        ? ALLOWED
        : refuse('BadRequest', `ground: one of ${CHANGE_GROUNDS.join(', ')}.`, { field: 'ground' }),
    () =>
      Number.isSafeInteger(p.valueChangeSek)
        ? ALLOWED
        : refuse('BadRequest', 'valueChangeSek: whole SEK.', { field: 'valueChangeSek' }),
    () =>
      s.valueSek + p.valueChangeSek >= 0
        ? ALLOWED
        : refuse('BadRequest', `The value cannot fall below 0 (it is ${s.valueSek} SEK).`, {
            field: 'valueChangeSek',
          }),
    () =>
      typeof p.overallNatureChanged === 'boolean'
        ? ALLOWED
        : refuse('BadRequest', 'overallNatureChanged: true or false.', { field: 'overallNatureChanged' }),
    () =>
      isFilledText(p.description, 2000)
        ? ALLOWED
        : refuse('BadRequest', 'description: what changes, and why (at most 2 000 characters).', {
            field: 'description',
          }),
    () =>
      isOptionalText(p.clauseReference, 300) && isOptionalText(p.newSupplier, 300)
        ? ALLOWED
        : refuse('BadRequest', 'clauseReference and newSupplier: at most 300 characters each.', {
            field: isOptionalText(p.clauseReference, 300) ? 'newSupplier' : 'clauseReference',
          }),
    () =>
      p.indexedValueSek === undefined || (Number.isSafeInteger(p.indexedValueSek) && p.indexedValueSek > 0)
        ? ALLOWED
        : refuse('BadRequest', 'indexedValueSek: whole SEK above 0.', { field: 'indexedValueSek' }),
    () => {
      const v = checkContractChange(changeContract(run, p.indexedValueSek), p);
      return v.allowed
        ? ALLOWED
        : refuse('RuleViolation', v.message, { rule: v.rule, field: v.field, paragraph: v.paragraph });
    },
  );
}

/** Registers the change; the registrar (contract.workflow.ts) has asked the envelope and the verdict in this turn. */
export async function registerChange(run: ContractRun, i: CommandInput<RegisterChangePayload>): Promise<ContractState> {
  const s = run.state;
  const { actor, payload: p } = i;
  const v = checkContractChange(changeContract(run, p.indexedValueSek), p);
  if (!v.allowed) throw new Error(`registerChange: the verdict allowed what the rule refuses (${v.rule})`);
  const at = run.now();
  const change: ContractChange = {
    id: `C${(s.changes?.length ?? 0) + 1}`,
    ground: p.ground,
    paragraph: v.paragraph,
    valueChangeSek: p.valueChangeSek,
    valueAfterSek: s.valueSek + p.valueChangeSek,
    description: p.description,
    ...(p.clauseReference ? { clauseReference: p.clauseReference } : {}),
    ...(p.newSupplier ? { newSupplier: p.newSupplier } : {}),
    by: { sub: actor.sub, name: actor.name },
    at,
  };
  s.valueSek = change.valueAfterSek;
  if (p.newSupplier) s.supplier = p.newSupplier;
  if (v.noticeDue)
    change.noticeMilestoneId = run.add(modificationNotice(change.id, v.paragraph, run.today(), s.policy)).id;
  s.changes = [...(s.changes ?? []), change];
  s.commands.push({
    command: 'registerChange',
    actor: { sub: actor.sub, name: actor.name, org: actor.org },
    at,
    reason: p.description,
    payload: p,
  });
  run.event(
    'contract.changed',
    actor,
    {
      id: change.id,
      ground: change.ground,
      paragraph: change.paragraph,
      valueChangeSek: change.valueChangeSek,
      valueAfterSek: change.valueAfterSek,
      ...(change.newSupplier ? { newSupplier: change.newSupplier } : {}),
      ...(change.noticeMilestoneId ? { noticeMilestoneId: change.noticeMilestoneId } : {}),
    },
    p.description,
  );
  await run.commit();
  return run.committed;
}
