import { withOverrides, type ThresholdRow } from '@tenderflow/domain/thresholds';
import type { Queryable } from './policy-store';

/** A row of threshold_overrides as PostgreSQL answers it (a numeric comes back as a string). */
export interface ThresholdOverrideRecord {
  id: string;
  sek: string;
  source: string;
}

/**
 * The threshold rows in force for every reader (the API's reference data, a tender's creation, a
 * re-procurement, a direct award's contract): the statutory rows libs/domain ships, with the official
 * SEK figures an administrator has set (threshold_overrides). libs/domain reads no database; this is
 * its one reader.
 */
export async function thresholdRows(db: Queryable): Promise<ThresholdRow[]> {
  return mergeOverrides(await db.query<ThresholdOverrideRecord[]>(`SELECT id, sek, source FROM threshold_overrides`));
}

/** The statutory rows with the stored overrides merged in (libs/domain withOverrides). Pure. */
export function mergeOverrides(
  records: readonly ThresholdOverrideRecord[],
  rows?: readonly ThresholdRow[],
): ThresholdRow[] {
  return withOverrides(
    records.map((o) => ({ id: o.id, sek: Number(o.sek), source: o.source })),
    rows,
  );
}
