import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * Rate limit per caller: the token's subject when there is one, then a calendar feed token that
 * exists and is not revoked (a public route, where no subject is known yet when the limit is
 * counted), else the client address. A made-up feed token counts against its sender's address: one
 * bucket per guess would never throttle anyone guessing.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as { sub?: string } | undefined;
    if (actor?.sub) return `sub:${actor.sub}`;
    const feed = (req.query as { token?: unknown } | undefined)?.token;
    if (typeof feed === 'string' && feed.length > 0 && feed.length <= 200) {
      const digest = createHash('sha256').update(feed).digest('hex');
      if (await this.isFeedToken(digest)) return `feed:${digest.slice(0, 32)}`;
    }
    return `ip:${String(req.ip ?? 'unknown')}`;
  }

  private async isFeedToken(digest: string): Promise<boolean> {
    try {
      const rows: unknown[] = await this.dataSource.query(
        `SELECT 1 FROM calendar_feed_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL`,
        [digest],
      );
      return rows.length > 0;
    } catch {
      // PostgreSQL unreachable: the address's bucket (the feed itself will answer 503).
      return false;
    }
  }
}
