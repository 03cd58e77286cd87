/** What administrators see of a contract's follow-up in Temporal: search attributes and a readable summary. */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  SA_CATEGORY,
  SA_NEXT_DEADLINE,
  SA_ORGANIZATION,
  SA_TENDER_ID,
} from '@tenderflow/temporal-common/search-attributes';
import type { ContractState, Milestone } from '@tenderflow/temporal-common/contract-types';

/** What the summary needs of the run (contract.run.ts), so that the run imports this file and not the other way round. */
export interface ContractView {
  readonly state: ContractState;
  open(): Milestone[];
  lastNextDeadline: string | null | undefined;
}

/** Search attributes (only when they change: each upsert is a history event) and the readable summary. */
export function publishContract(run: ContractView, first: boolean): void {
  const s = run.state;
  const next = run.open().sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  const nextAt = next ? next.dueAt : null;
  if (first || nextAt !== run.lastNextDeadline) {
    upsertSearchAttributes([
      ...(first
        ? [
            { key: SA_TENDER_ID, value: s.tenderId },
            { key: SA_ORGANIZATION, value: s.organization },
            { key: SA_CATEGORY, value: s.category },
          ]
        : []),
      { key: SA_NEXT_DEADLINE, value: nextAt ? new Date(nextAt) : null },
    ]);
    run.lastNextDeadline = nextAt;
  }
  const overdue = s.milestones.filter((m) => m.status === 'overdue');
  setCurrentDetails(
    [
      `**${s.title}** — contract ${s.id} with ${s.supplier}`,
      `${s.startDate} – ${s.endDate}${s.optionMonthsRemaining > 0 ? ` (+${s.optionMonthsRemaining} option months)` : ''} · ${s.status} · year ${s.cycle + 1}, run ${s.runs}`,
      next ? `Next: ${next.id} ${next.title}, due ${next.dueDate}` : 'No open milestone',
      overdue.length > 0 ? `Overdue: ${overdue.map((m) => m.id).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
