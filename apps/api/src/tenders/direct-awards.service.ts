import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  directAwardTotal,
  lockDirectAwardScope,
  reserveDirectAward,
  type DirectAwardScope,
} from '@tenderflow/db/direct-award-ledger';
import { checkDirectAwardAggregate, type RuleViolation } from '@tenderflow/domain/rules';
import { TenderIdsService } from './tender-ids.service';

export interface DirectAwardRequest extends DirectAwardScope {
  valueSek: number;
  limitSek: number | null;
  allowsEqual: boolean;
  actorSub: string;
  idempotencyKey?: string;
  body: unknown;
}

export type DirectAwardReservation =
  { ok: true; id: string; replay: boolean; reservedBeforeSek: number } | { ok: false; violations: RuleViolation[] };

/**
 * A direct award's creation, serialised per organisation, category and financial year (19 a kap.
 * 1 § LOU; the value that counts is the year's purchases of the same kind): under the scope's lock,
 * the ledger's total — creations in flight included — is checked with the new value, and the
 * tender's id and its reservation are written in the same transaction. Racing creations take
 * turns, so together they never pass the limit. The workflow starts after the commit, outside it.
 */
@Injectable()
export class DirectAwardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ids: TenderIdsService,
  ) {}

  async reserve(req: DirectAwardRequest): Promise<DirectAwardReservation> {
    return this.dataSource.transaction(async (m) => {
      await lockDirectAwardScope(m, req);
      // A repeat of this key may have committed while this request waited for the lock.
      if (req.idempotencyKey) {
        const prior = await this.ids.find(req.actorSub, req.idempotencyKey, req.body, m);
        if (prior)
          return {
            ok: true as const,
            id: prior,
            replay: true,
            reservedBeforeSek: await directAwardTotal(m, req, prior),
          };
      }
      const total = await directAwardTotal(m, req);
      const violations = checkDirectAwardAggregate({
        valueSek: req.valueSek,
        runningTotalSek: total,
        limitSek: req.limitSek,
        allowsEqual: req.allowsEqual,
        category: req.category,
        financialYear: String(req.financialYear),
      });
      if (violations.length > 0) return { ok: false as const, violations };
      const { id, replay } = await this.ids.allocate(
        req.organization,
        req.financialYear,
        req.actorSub,
        req.idempotencyKey,
        req.body,
        m,
      );
      if (!replay) await reserveDirectAward(m, req, id, req.valueSek, req.actorSub);
      return { ok: true as const, id, replay, reservedBeforeSek: total };
    });
  }
}
