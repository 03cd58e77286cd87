/** What administrators see of a tender in Temporal: search attributes to filter by, and a readable summary. */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import {
  SA_CATEGORY,
  SA_ESTIMATED_VALUE_SEK,
  SA_NEXT_DEADLINE,
  SA_ORGANIZATION,
  SA_PROCEDURE_TYPE,
  SA_TENDER_ID,
  SA_TENDER_PHASE,
  SA_TENDER_STALLED,
} from '@tenderflow/temporal-common/search-attributes';
import { earliest } from './tender.state';

/** Search attributes and the readable summary follow the state so administrators can filter. */
export function publishState(state: TenderState): void {
  const next = earliest(state.deadlines);
  upsertSearchAttributes([
    { key: SA_TENDER_ID, value: state.id },
    { key: SA_TENDER_PHASE, value: state.phase },
    { key: SA_ORGANIZATION, value: state.organization },
    { key: SA_CATEGORY, value: state.category },
    { key: SA_PROCEDURE_TYPE, value: state.procedure },
    { key: SA_ESTIMATED_VALUE_SEK, value: state.estimatedValueSek },
    { key: SA_NEXT_DEADLINE, value: next ? new Date(next.at) : null },
    { key: SA_TENDER_STALLED, value: state.stalled ? true : null },
  ]);
  setCurrentDetails(
    [
      state.stalled
        ? `⚠ STALLED since ${state.stalled.since}: ${state.stalled.activity} keeps failing (${state.stalled.error.slice(0, 120)})`
        : '',
      `**${state.title}** (${state.id})`,
      `Phase: ${state.phase}${state.stage ? ` (${state.stage})` : ''}`,
      `${state.organization} · ${state.category} · ${state.regime}/${state.procedure} · ${state.estimatedValueSek.toLocaleString('sv-SE')} SEK`,
      next ? `Next deadline: ${next.kind} ${next.lastDay}` : 'No running deadline',
      state.pendingGates.length > 0 ? `Awaiting: ${state.pendingGates.map((g) => g.gate).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
