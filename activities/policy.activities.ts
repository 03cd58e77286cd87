import { DataSource } from 'typeorm';
import { groupOrganisations } from '@tenderflow/db/policy-store';
import type { GroupActivity } from '@tenderflow/domain/policy';

export interface GroupActivityRequest {
  /** The tender asking: left out of what it finds. */
  tenderId: string;
  organization: string;
  category: string;
}

/** At most this many of each are listed; the check needs one to ask for a reason. */
const LIMIT = 20;

/**
 * The read of the read model the policy's group-wide coordination check makes (policy
 * groupCoordinationCheck): running tenders and active contracts in the category across the group
 * the organisation belongs to (organisations reference data). Read-only, so retrying is safe.
 */
export function createPolicyActivities({ dataSource }: { dataSource: DataSource }) {
  return {
    async findGroupActivity(req: GroupActivityRequest): Promise<GroupActivity> {
      const organizations = await groupOrganisations(dataSource, req.organization);
      const tenders: { id: string; title: string; organization: string; phase: string; estimated_value_sek: string }[] =
        await dataSource.query(
          `SELECT id, title, organization, phase, estimated_value_sek FROM tenders
         WHERE category = $1 AND organization = ANY($2) AND id <> $3
           AND phase NOT IN ('completed', 'cancelled', 'unsuccessful', 'follow_up')
         ORDER BY created_at, id LIMIT $4`,
          [req.category, organizations, req.tenderId, LIMIT],
        );
      const contracts: {
        id: string;
        title: string;
        organization: string;
        supplier: string;
        end_date: Date | string;
      }[] = await dataSource.query(
        `SELECT id, title, organization, supplier, end_date::text AS end_date FROM contracts
         WHERE category = $1 AND organization = ANY($2) AND status = 'active' AND tender_id <> $3
         ORDER BY end_date, id LIMIT $4`,
        [req.category, organizations, req.tenderId, LIMIT],
      );
      return {
        organizations,
        tenders: tenders.map((t) => ({
          id: t.id,
          title: t.title,
          organization: t.organization,
          phase: t.phase,
          estimatedValueSek: Number(t.estimated_value_sek),
        })),
        contracts: contracts.map((c) => ({
          id: c.id,
          title: c.title,
          organization: c.organization,
          supplier: c.supplier,
          endDate: String(c.end_date),
        })),
      };
    },
  };
}

export type PolicyActivities = ReturnType<typeof createPolicyActivities>;
