import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  allocateDirectAward,
  type DirectAwardAllocation,
  type DirectAwardScope,
} from '@tenderflow/db/direct-award-ledger';
import { TenderIdsService } from './tender-ids.service';

export interface DirectAwardRequest extends DirectAwardScope {
  valueSek: number;
  limitSek: number | null;
  allowsEqual: boolean;
  actorSub: string;
  idempotencyKey?: string;
  body: unknown;
}

/**
 * A direct award's creation through the API, serialised per organisation, category and financial
 * year (libs/db direct-award-ledger.ts allocateDirectAward, which a re-procurement uses too): the
 * caller's Idempotency-Key finds a repeat, and the id comes from TenderIdsService. The workflow
 * starts after the commit, outside it.
 */
@Injectable()
export class DirectAwardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ids: TenderIdsService,
  ) {}

  async reserve(req: DirectAwardRequest): Promise<DirectAwardAllocation> {
    const { actorSub, idempotencyKey, body } = req;
    return allocateDirectAward(
      this.dataSource,
      { ...req, reservedBy: actorSub },
      {
        prior: async (m) => (idempotencyKey ? this.ids.find(actorSub, idempotencyKey, body, m) : undefined),
        claim: (m) => this.ids.allocate(req.organization, req.financialYear, actorSub, idempotencyKey, body, m),
      },
    );
  }
}
