/**
 * Where a gate goes under the delegation order the tender pinned (issue 29; ARCHITECTURE §5b): the
 * first level whose limit covers the value on the day and that has somebody eligible present, asked
 * of the directory through an activity. The pure rules are libs/domain delegation-authority.ts; who
 * may decide a pending gate is tender.gates.ts.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { createTenderActivities } from '@tenderflow/activities/tender.activities';
import { stockholmDateOf } from '@tenderflow/domain/dates';
import { limitInSek } from '@tenderflow/domain/delegation';
import { levelsFor, levelWithDeciders } from '@tenderflow/domain/delegation-authority';
import type { Gate } from '@tenderflow/domain/types';
import type { PendingDelegation, TenderState } from '@tenderflow/temporal-common/tender-types';
import { TENDER_READ_OPTIONS } from '../shared/activities';

/** Since this patch a gate of a tender that pinned a delegation order goes by the order. */
export const DELEGATION_GATES_PATCH = 'delegation-order-gates';

/** A read of the directory: retried while PostgreSQL is away, never for a caller that is not the tender. */
const { gateDeciders } =
  proxyActivities<Pick<ReturnType<typeof createTenderActivities>, 'gateDeciders'>>(TENDER_READ_OPTIONS);

/** The level a gate goes to and the people (subs) it names; undefined when the tender pinned no order for it. */
export async function delegatedLevel(
  s: Pick<TenderState, 'id' | 'organization' | 'estimatedValueSek' | 'delegation'>,
  gate: Gate,
  excluded: string[],
  since: string,
): Promise<{ pending: PendingDelegation; deciders: string[] } | undefined> {
  const pin = s.delegation;
  const ladder = pin?.ladders[gate];
  if (!pin || !ladder || !patched(DELEGATION_GATES_PATCH)) return undefined;
  const date = stockholmDateOf(Date.parse(since));
  const levels = levelsFor(ladder, s.estimatedValueSek, date);
  const asked =
    levels.length > 0
      ? await gateDeciders({ tenderId: s.id, organization: s.organization, date, levels, excluded })
      : [];
  const chosen = levelWithDeciders(levels, (item) => asked.find((a) => a.item === item.id)?.deciders ?? []);
  if (!chosen) {
    // No item covers the value: the board decides; the gate names the highest item for its wording.
    return { pending: { version: pin.version, item: ladder[ladder.length - 1], board: true }, deciders: [] };
  }
  const limit = limitInSek(chosen.level, date);
  return {
    pending: {
      version: pin.version,
      item: chosen.level,
      ...(Number.isFinite(limit) ? { limitSek: limit } : {}),
      ...(chosen.passedOver.length > 0 ? { passedOver: chosen.passedOver.map((i) => i.id) } : {}),
    },
    deciders: chosen.deciders.map((d) => d.sub),
  };
}

/** The escalation past levels with nobody present, as the chain records it (undefined when none was passed over). */
export function escalationOf(
  gate: Gate,
  d: PendingDelegation,
  since: string,
): { payload: Record<string, unknown>; reason: string } | undefined {
  if (!d.passedOver) return undefined;
  return {
    payload: { gate, version: d.version, from: d.passedOver[0], to: d.item.id, passedOver: d.passedOver },
    reason: `nobody eligible under item ${d.passedOver.join(', ')} of the delegation order was present on ${stockholmDateOf(Date.parse(since))}`,
  };
}
