import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidDateError } from '@tenderflow/domain/calendar';
import { classify } from '@tenderflow/domain/classification';
import { computeDeadline, DeadlineKind } from '@tenderflow/domain/deadlines';
import { DomainInputError } from '@tenderflow/domain/errors';
import { rowsInForce, THRESHOLD_ROWS, ThresholdRow } from '@tenderflow/domain/thresholds';
import { thresholdRows } from '@tenderflow/db/thresholds';
import type { Actor } from '@tenderflow/domain/types';
import { badRequest, conflict, notFound, ruleSetGap } from '../common/problem';
import { isAnnex2 } from '@tenderflow/domain/types';
import { ClassificationQuery, DeadlineQuery } from './reference.dto';

/** Reference data: the shipped rule rows with any official figures an administrator has set. */
@Injectable()
export class ReferenceService {
  /** Overrides change rarely; other API replicas see a change within the TTL. */
  private static readonly TTL_MS = 30_000;
  private cache?: { rows: Promise<ThresholdRow[]>; at: number };

  constructor(private readonly dataSource: DataSource) {}

  rows(): Promise<ThresholdRow[]> {
    if (!this.cache || Date.now() - this.cache.at > ReferenceService.TTL_MS) {
      const rows = thresholdRows(this.dataSource);
      this.cache = { rows, at: Date.now() };
      rows.catch(() => (this.cache = undefined));
    }
    return this.cache.rows;
  }

  async thresholds(date: string) {
    return domainCall(async () => ({ date, rows: rowsInForce(date, await this.rows()) }));
  }

  async classification(q: ClassificationQuery, today: string) {
    const rows = await this.rows();
    return domainCall(() => {
      const c = classify({
        contractType: q.contractType,
        valueSek: q.valueSek,
        date: q.date ?? today,
        frameworkCallOff: q.frameworkCallOff,
        rows,
      });
      const { threshold } = c;
      return {
        ...c,
        threshold: {
          id: threshold.id,
          validFrom: threshold.validFrom,
          validTo: threshold.validTo,
          sek: threshold.sek,
          eur: threshold.eur,
          confirmed: threshold.confirmed,
          source: threshold.source,
          basis: threshold.basis,
        },
      };
    });
  }

  deadline(q: DeadlineQuery) {
    const kind: DeadlineKind = q.kind === 'tender_period' ? 'tender_deadline' : q.kind;
    return domainCall(() => {
      const r = computeDeadline(kind, {
        from: q.from,
        notice: q.notice,
        regime: q.regime,
        procedure: q.procedure,
        electronic: q.electronic,
        pin: q.pin,
        urgent: q.urgent,
        agreedWithCandidates: q.agreedWithCandidates,
        annex2: q.contractType ? isAnnex2(q.contractType) : undefined,
        documentsNotElectronic: q.documentsAvailableElectronically === false,
        days: q.days,
        noticeDate: q.noticeDate,
      });
      return { ...r, kind: q.kind };
    }, 'from');
  }

  /** An administrator records the official SEK figure of a row shipped without one. */
  async setOverride(actor: Actor, id: string, sek: number, source: string) {
    const row = THRESHOLD_ROWS.find((r) => r.id === id);
    if (!row) throw notFound(`No threshold row ${id}`);
    if (row.confirmed)
      throw conflict(
        `Row ${id} already has a confirmed SEK figure (${row.sek}); it is part of the rule set and cannot be overridden`,
      );
    await this.dataSource.query(
      `INSERT INTO threshold_overrides (id, sek, source, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET sek = EXCLUDED.sek, source = EXCLUDED.source, set_by = EXCLUDED.set_by, set_at = now()`,
      [id, sek, source, actor.sub],
    );
    this.cache = undefined;
    return (await this.rows()).find((r) => r.id === id)!;
  }
}

/** Domain input errors name the parameter at fault: they become 400 with that field. */
async function domainCall<T>(fn: () => T | Promise<T>, dateField = 'date'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainInputError) {
      throw badRequest(err.message, [{ field: err.field ?? 'query', rule: 'domain', message: err.message }]);
    }
    if (err instanceof InvalidDateError) {
      throw badRequest(err.message, [{ field: dateField, rule: 'calendar_date', message: err.message }]);
    }
    if (err instanceof Error && err.name === 'RuleSetGapError') throw ruleSetGap(err);
    throw err;
  }
}
