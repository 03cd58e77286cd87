import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** Rate limit per caller: the token's subject when there is one, else the client address. */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as { sub?: string } | undefined;
    return actor?.sub ? `sub:${actor.sub}` : `ip:${String(req.ip ?? 'unknown')}`;
  }
}
