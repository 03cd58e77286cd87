import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * Rate limit per caller: the token's subject when there is one, then a calendar feed token (a
 * public route, where no subject is known yet when the limit is counted), else the client address.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as { sub?: string } | undefined;
    if (actor?.sub) return `sub:${actor.sub}`;
    const feed = (req.query as { token?: unknown } | undefined)?.token;
    if (typeof feed === 'string' && feed.length > 0) return `feed:${createHash('sha256').update(feed).digest('hex').slice(0, 32)}`;
    return `ip:${String(req.ip ?? 'unknown')}`;
  }
}
