import {
  directAwardReservation,
  directAwardTotal,
  lockDirectAwardScope,
  reserveDirectAward,
  reviseDirectAward,
  type DirectAwardScope,
} from '@tenderflow/db/direct-award-ledger';
import { classify } from '@tenderflow/domain/classification';
import { checkDirectAwardAggregate, type RuleViolation } from '@tenderflow/domain/rules';
import { ruleSetAtLeast } from '@tenderflow/domain/thresholds';
import { thresholdRows } from '@tenderflow/db/thresholds';
import type { ContractType } from '@tenderflow/domain/types';
import { toStockholmDate } from './deadline.activities';
import { assertCallerWrites, describeWith, type WriterDeps } from './provenance';

export interface DirectAwardContractRequest {
  tenderId: string;
  organization: string;
  category: string;
  contractType: ContractType;
  /** When the tender started: its financial year and the rule set it keeps. */
  createdAt: string;
  valueSek: number;
  registeredBy: string;
  /** The tender's rule set: before LOU-2026.3 a direct award could reach the limit itself ("uppgår till högst"). */
  ruleSet?: string;
}

export interface DirectAwardContractAnswer {
  /** Empty when the contract fits; then the ledger holds the contract's value for the tender. */
  violations: RuleViolation[];
  limitSek: number | null;
  otherAwardsSek: number;
}

/**
 * The direct-award ledger at contract registration: the signed contract's value replaces the
 * tender's estimate in the year's total, if the total with it stays within the direct-award limit
 * (19 a kap. 2 § LOU, the same rule as at creation), decided under the scope's lock. Idempotent:
 * a retry writes the same value, and the others' total excludes this tender.
 */
export function createDirectAwardActivities({ dataSource, temporal }: WriterDeps) {
  const describe = temporal ? describeWith(temporal) : undefined;
  return {
    async registerDirectAwardContract(req: DirectAwardContractRequest): Promise<DirectAwardContractAnswer> {
      // The ledger holds a value for a tender only at its own workflow's word.
      await assertCallerWrites(dataSource, [req.tenderId], describe, 'registerDirectAwardContract');
      const startedOn = toStockholmDate(req.createdAt);
      const classification = classify({
        contractType: req.contractType,
        valueSek: req.valueSek,
        date: startedOn,
        rows: await thresholdRows(dataSource),
      });
      const limitSek = classification.directAwardLimitSekUsed;
      return dataSource.transaction(async (m) => {
        const reserved = await directAwardReservation(m, req.tenderId);
        const scope: DirectAwardScope = reserved ?? {
          organization: req.organization,
          category: req.category,
          financialYear: Number(startedOn.slice(0, 4)),
        };
        await lockDirectAwardScope(m, scope);
        const otherAwardsSek = await directAwardTotal(m, scope, req.tenderId);
        const violations = checkDirectAwardAggregate({
          valueSek: req.valueSek,
          runningTotalSek: otherAwardsSek,
          limitSek,
          // A tender keeps its rule set: one started before LOU-2026.3 may still reach the limit itself.
          allowsEqual:
            (classification.directAwardLimit.allowsEqual ?? false) || !ruleSetAtLeast(req.ruleSet, 'LOU-2026.3'),
          category: scope.category,
          financialYear: String(scope.financialYear),
        });
        if (violations.length === 0) {
          if (reserved) await reviseDirectAward(m, req.tenderId, req.valueSek);
          else await reserveDirectAward(m, scope, req.tenderId, req.valueSek, req.registeredBy);
        }
        return { violations, limitSek, otherAwardsSek };
      });
    },
  };
}

export type DirectAwardActivities = ReturnType<typeof createDirectAwardActivities>;
