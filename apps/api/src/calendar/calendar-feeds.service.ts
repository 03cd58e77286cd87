import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { PersonRow } from '@tenderflow/db/directory';
import { ROLES, type Actor, type Role } from '@tenderflow/domain/types';

/** `tfcal_` and 32 random bytes (256 bits), base64url: unguessable, and recognisable in a leak scan. */
const FEED_TOKEN = /^tfcal_[A-Za-z0-9_-]{43}$/;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssuedFeedToken {
  id: string;
  token: string;
  createdAt: string;
}

/** A feed of a person known only from tokens stops this many days after their last sign-in. */
export const FEED_FRESH_DAYS = 30;

/**
 * Per-person calendar feed tokens. Only the token's SHA-256 is stored; a person has one active
 * token, and issuing a new one revokes the old. A token stands for its person as the directory
 * knows them now (organisation, roles): a person made inactive, or moved to another organisation,
 * gets that answer through the feed too — never the view of the moment the token was issued.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(private readonly dataSource: DataSource) {}

  async issue(actor: Actor): Promise<IssuedFeedToken> {
    const token = `tfcal_${randomBytes(32).toString('base64url')}`;
    const id = randomBytes(9).toString('base64url');
    return this.dataSource.transaction(async (m) => {
      // One issue at a time per person (the sign-in has just written the person's row).
      await m.query(`SELECT 1 FROM people WHERE sub = $1 FOR UPDATE`, [actor.sub]);
      await m.query(`UPDATE calendar_feed_tokens SET revoked_at = now() WHERE sub = $1 AND revoked_at IS NULL`, [
        actor.sub,
      ]);
      const [row]: { created_at: Date }[] = await m.query(
        `INSERT INTO calendar_feed_tokens (id, sub, token_sha256) VALUES ($1, $2, $3) RETURNING created_at`,
        [id, actor.sub, sha256(token)],
      );
      return { id, token, createdAt: row.created_at.toISOString() };
    });
  }

  /** Revokes the caller's active token; how many were revoked (0 or 1). */
  async revoke(actor: Actor): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH revoked AS (UPDATE calendar_feed_tokens SET revoked_at = now() WHERE sub = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [actor.sub],
    );
    return rows.length;
  }

  /** The person an active token stands for, as the directory knows them; undefined for any other token. */
  async resolve(token: string): Promise<Actor | undefined> {
    if (!FEED_TOKEN.test(token)) return undefined;
    const [p]: PersonRow[] = await this.dataSource.query(
      `WITH used AS (
         UPDATE calendar_feed_tokens SET last_used_at = now() WHERE token_sha256 = $1 AND revoked_at IS NULL RETURNING sub
       )
       SELECT p.* FROM people p JOIN used ON used.sub = p.sub
        WHERE p.active
          -- Whom only tokens describe is described as of their last sign-in: a feed does not outlive
          -- ${FEED_FRESH_DAYS} days without one (an import keeps its own people current).
          AND (p.source = 'import' OR p.last_signed_in_at > now() - interval '${FEED_FRESH_DAYS} days')`,
      [sha256(token)],
    );
    if (!p) return undefined;
    return {
      sub: p.sub,
      name: p.name,
      org: p.organization,
      roles: p.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      approvalLimitSek: p.approval_limit_sek === null ? undefined : Number(p.approval_limit_sek),
      categories: p.categories,
    };
  }
}
