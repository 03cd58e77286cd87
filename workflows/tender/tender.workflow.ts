import {
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TenderActivities } from '../../activities/tender.activities';
import type { Phase } from '../../libs/domain/src/types';
import {
  SA_CATEGORY,
  SA_ESTIMATED_VALUE_SEK,
  SA_NEXT_DEADLINE,
  SA_ORGANIZATION,
  SA_PROCEDURE_TYPE,
  SA_TENDER_ID,
  SA_TENDER_PHASE,
} from '../../libs/temporal-common/src/search-attributes';
import { getStateQuery, TenderStartInput, TenderState } from './tender.messages';

const { recordTenderSnapshot } = proxyActivities<TenderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function tenderWorkflow(input: TenderStartInput): Promise<TenderState> {
  const state: TenderState = {
    id: input.id,
    workflowId: workflowInfo().workflowId,
    title: input.title,
    organization: input.organization,
    category: input.category,
    contractType: input.contractType,
    estimatedValueSek: input.estimatedValueSek,
    regime: input.regime,
    procedure: input.procedure,
    ruleSet: input.ruleSet,
    threshold: input.threshold,
    phase: 'needs_analysis',
    deadlines: [],
    pendingGates: [],
    participants: input.invitedBodies.map((b) => ({ organization: b.organization, name: b.name, status: 'invited' })),
    lots: [],
    timeline: [{ phase: 'needs_analysis', enteredAt: input.createdAt }],
    createdBy: { sub: input.createdBy.sub, name: input.createdBy.name },
    createdAt: input.createdAt,
    version: 1,
  };

  setHandler(getStateQuery, () => state);

  publishState(state);
  await recordTenderSnapshot(state);

  // The lifecycle beyond needs_analysis arrives with the lifecycle issue; until then the tender
  // waits here, durable, for as long as it takes.
  await condition(() => isFinal(state.phase));
  return state;
}

function isFinal(phase: Phase): boolean {
  return phase === 'completed' || phase === 'cancelled' || phase === 'unsuccessful';
}

/** Search attributes and the readable summary follow the state so administrators can filter. */
function publishState(state: TenderState): void {
  const next = [...state.deadlines].sort((a, b) => a.at.localeCompare(b.at))[0];
  upsertSearchAttributes([
    { key: SA_TENDER_ID, value: state.id },
    { key: SA_TENDER_PHASE, value: state.phase },
    { key: SA_ORGANIZATION, value: state.organization },
    { key: SA_CATEGORY, value: state.category },
    { key: SA_PROCEDURE_TYPE, value: state.procedure },
    { key: SA_ESTIMATED_VALUE_SEK, value: state.estimatedValueSek },
    { key: SA_NEXT_DEADLINE, value: next ? new Date(next.at) : null },
  ]);
  setCurrentDetails(
    [
      `**${state.title}** (${state.id})`,
      `Phase: ${state.phase}`,
      `${state.organization} · ${state.category} · ${state.regime}/${state.procedure} · ${state.estimatedValueSek.toLocaleString('sv-SE')} SEK`,
      next ? `Next deadline: ${next.kind} ${next.lastDay}` : 'No running deadline',
    ].join('\n'),
  );
}
