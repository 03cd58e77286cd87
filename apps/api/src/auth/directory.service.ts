import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { PersonRow } from '@tenderflow/db/directory';
import type { Actor } from '@tenderflow/domain/types';

/** A person as the directory's endpoints show it. */
export interface PersonView {
  sub: string;
  organization: string;
  name: string;
  email: string | null;
  roles: string[];
  approvalLimitSek: number | null;
  categories: string[];
  locale: string;
  active: boolean;
  source: 'token' | 'import';
  externalId: string | null;
  lastSignedInAt: string | null;
  updatedAt: string;
}

export function personView(r: PersonRow): PersonView {
  return {
    sub: r.sub,
    organization: r.organization,
    name: r.name,
    email: r.email,
    roles: r.roles,
    approvalLimitSek: r.approval_limit_sek === null ? null : Number(r.approval_limit_sek),
    categories: r.categories,
    locale: r.locale,
    active: r.active,
    source: r.source,
    externalId: r.external_id,
    lastSignedInAt: r.last_signed_in_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Claims written again at least this often, so `last_signed_in_at` says roughly when someone was last seen. */
const REFRESH_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * The directory learns people from the claims of their signed-in tokens: sub, name, organisation,
 * roles, approval limit, categories, and the `email` claim when there is one (an absent claim
 * keeps the address an import gave). The token is the identity provider's word and the one the
 * workflows trust, so it overwrites what an import said — except whether the person is active: one
 * an import deactivated stays so until an import says otherwise. A sign-in for another organisation
 * than the row's takes the person out of that organisation's import (its address and ownership go).
 * Written when the claims change (and every ten minutes), not on every request.
 */
@Injectable()
export class DirectoryService {
  private readonly logger = new Logger(DirectoryService.name);
  private readonly recent = new Map<string, { fingerprint: string; at: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async recordSignIn(actor: Actor, email?: string): Promise<void> {
    const claims = {
      organization: actor.org,
      name: actor.name,
      email: email ?? null,
      roles: [...actor.roles].sort(),
      approvalLimitSek: actor.approvalLimitSek ?? null,
      categories: [...(actor.categories ?? [])].sort(),
    };
    const fingerprint = createHash('sha256').update(JSON.stringify(claims)).digest('hex');
    const seen = this.recent.get(actor.sub);
    if (seen && seen.fingerprint === fingerprint && Date.now() - seen.at < REFRESH_MS) return;
    try {
      await this.dataSource.query(
        `INSERT INTO people (sub, organization, name, email, roles, approval_limit_sek, categories, source, last_signed_in_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'token', now())
         ON CONFLICT (sub) DO UPDATE SET organization = EXCLUDED.organization, name = EXCLUDED.name,
           -- A person signed in for another organisation than the row's keeps nothing the other
           -- organisation's import gave: not its address, not its hold on the person.
           email = CASE WHEN people.organization = EXCLUDED.organization THEN coalesce(EXCLUDED.email, people.email) ELSE EXCLUDED.email END,
           roles = EXCLUDED.roles, approval_limit_sek = EXCLUDED.approval_limit_sek,
           categories = EXCLUDED.categories, last_signed_in_at = now(), updated_at = now(),
           -- An imported person stays the import's to deactivate when they leave: a sign-in with a
           -- still-valid token does not bring back one the import deactivated.
           active = CASE WHEN people.source = 'import' AND people.organization = EXCLUDED.organization THEN people.active ELSE true END,
           source = CASE WHEN people.source = 'import' AND people.organization = EXCLUDED.organization THEN 'import' ELSE 'token' END`,
        [
          actor.sub,
          claims.organization,
          claims.name,
          claims.email,
          claims.roles,
          claims.approvalLimitSek,
          claims.categories,
        ],
      );
      if (this.recent.size >= MAX_REMEMBERED) this.recent.clear();
      this.recent.set(actor.sub, { fingerprint, at: Date.now() });
    } catch (err) {
      // The request goes on: the directory catches up at the next sign-in.
      this.logger.warn(`the directory could not record ${actor.sub}: ${(err as Error).message}`);
    }
  }

  async list(organization: string): Promise<PersonView[]> {
    const rows: PersonRow[] = await this.dataSource.query(
      `SELECT * FROM people WHERE organization = $1 ORDER BY name, sub`,
      [organization],
    );
    return rows.map(personView);
  }
}
