import type { DataSource, EntityManager } from 'typeorm';
import { checkDirectAwardAggregate, type RuleViolation } from '@tenderflow/domain/rules';

/**
 * The direct-award ledger (migration DirectAwardReservations): what the API's creation and the
 * worker's contract registration share. Every read that decides runs inside the caller's
 * transaction after `lockDirectAwardScope`, so two deciders for one scope take turns.
 */

export interface DirectAwardScope {
  organization: string;
  category: string;
  financialYear: number;
}

/**
 * Serialises every decision on one organisation's direct awards of one category and financial
 * year, until the transaction ends. A transaction-level advisory lock: nothing to release, and a
 * crashed holder's lock goes with its connection.
 */
export async function lockDirectAwardScope(m: EntityManager, scope: DirectAwardScope): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `direct-award:${scope.organization}:${scope.category}:${scope.financialYear}`,
  ]);
}

/**
 * The scope's reserved total: every direct award, in flight or running, except those whose tender
 * has ended cancelled or unsuccessful (per the read model), and except `excludeTenderId`.
 */
export async function directAwardTotal(
  m: EntityManager,
  scope: DirectAwardScope,
  excludeTenderId?: string,
): Promise<number> {
  const [{ total }]: { total: string }[] = await m.query(
    `SELECT COALESCE(SUM(r.amount_sek), 0) AS total
       FROM direct_award_reservations r LEFT JOIN tenders t ON t.id = r.tender_id
      WHERE r.organization = $1 AND r.category = $2 AND r.financial_year = $3
        AND (t.phase IS NULL OR t.phase NOT IN ('cancelled', 'unsuccessful'))
        AND r.tender_id IS DISTINCT FROM $4`,
    [scope.organization, scope.category, scope.financialYear, excludeTenderId ?? null],
  );
  return Number(total);
}

export async function reserveDirectAward(
  m: EntityManager,
  scope: DirectAwardScope,
  tenderId: string,
  amountSek: number,
  reservedBy: string,
): Promise<void> {
  await m.query(
    `INSERT INTO direct_award_reservations (tender_id, organization, category, financial_year, amount_sek, reserved_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tender_id) DO NOTHING`,
    [tenderId, scope.organization, scope.category, scope.financialYear, amountSek, reservedBy],
  );
}

/** The reservation of one tender, or undefined (a tender that is not a direct award). */
export async function directAwardReservation(
  m: EntityManager,
  tenderId: string,
): Promise<(DirectAwardScope & { amountSek: number }) | undefined> {
  const [row]: { organization: string; category: string; financial_year: number; amount_sek: string }[] = await m.query(
    `SELECT organization, category, financial_year, amount_sek FROM direct_award_reservations WHERE tender_id = $1`,
    [tenderId],
  );
  return row
    ? {
        organization: row.organization,
        category: row.category,
        financialYear: row.financial_year,
        amountSek: Number(row.amount_sek),
      }
    : undefined;
}

/** The signed contract's value replaces the estimate. */
export async function reviseDirectAward(m: EntityManager, tenderId: string, amountSek: number): Promise<void> {
  await m.query(`UPDATE direct_award_reservations SET amount_sek = $2, revised_at = now() WHERE tender_id = $1`, [
    tenderId,
    amountSek,
  ]);
}

/** A direct award asked for at a tender's birth: its scope, its value and the limit it is held to. */
export interface DirectAwardBirth extends DirectAwardScope {
  valueSek: number;
  limitSek: number | null;
  allowsEqual: boolean;
  /** Who reserves: the caller's subject, or the re-procuring contract workflow. */
  reservedBy: string;
}

export type DirectAwardAllocation =
  { ok: true; id: string; replay: boolean; reservedBeforeSek: number } | { ok: false; violations: RuleViolation[] };

/**
 * A direct award's id, for the API and a re-procurement alike (19 a kap. 2 § LOU: the value that
 * counts is the year's purchases of the same kind). Under the scope's lock: a repeat finds the id its
 * first request got (`prior`: it may have committed while this one waited); otherwise the ledger's
 * total, creations in flight included, is checked with the new value, and the id (`claim`, from
 * tender-numbers.ts) and its reservation are written in one transaction. Racing births take turns,
 * so together they never pass the limit.
 */
export async function allocateDirectAward(
  db: DataSource,
  req: DirectAwardBirth,
  ids: {
    prior(m: EntityManager): Promise<string | undefined>;
    claim(m: EntityManager): Promise<{ id: string; replay: boolean }>;
  },
): Promise<DirectAwardAllocation> {
  return db.transaction(async (m) => {
    await lockDirectAwardScope(m, req);
    const prior = await ids.prior(m);
    if (prior)
      return { ok: true as const, id: prior, replay: true, reservedBeforeSek: await directAwardTotal(m, req, prior) };
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
    const { id, replay } = await ids.claim(m);
    if (!replay) await reserveDirectAward(m, req, id, req.valueSek, req.reservedBy);
    return { ok: true as const, id, replay, reservedBeforeSek: total };
  });
}
