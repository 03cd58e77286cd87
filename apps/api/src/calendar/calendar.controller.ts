import { Controller, Delete, ExecutionContext, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Public } from '../auth/auth.decorators';
import { AuthGuard, unauthorized } from '../auth/auth.guard';
import { AppConfigService } from '../config/config.module';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarService } from './calendar.service';

/** The name of the feed token's security scheme in the OpenAPI document (app.setup.ts). */
export const CALENDAR_FEED_SECURITY = 'calendarFeedToken';

export class CalendarFeedQuery {
  @ApiPropertyOptional({
    description:
      'A calendar feed token (POST /calendar/feed-token), for a calendar program that cannot send a bearer token',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  token?: string;
}

export class CalendarFeedTokenDto {
  @ApiProperty({ description: 'Identifies the token (not the secret)' })
  id!: string;

  @ApiProperty({ description: 'The feed address to subscribe to; it holds the secret token: treat it as a password' })
  url!: string;

  @ApiProperty({ description: 'The secret token itself; shown once, stored only as its SHA-256' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** Requests per minute one feed token may make (a calendar program reads a feed a few times an hour). */
const FEED_REQUESTS_PER_MINUTE = 20;
/** The API's own limit (RATE_LIMIT_PER_MINUTE), for the requests of this route that carry no feed token. */
let apiLimitPerMinute = 600;
const feedLimit = (ctx: ExecutionContext): number =>
  typeof ctx.switchToHttp().getRequest<Request>().query.token === 'string'
    ? Math.min(FEED_REQUESTS_PER_MINUTE, apiLimitPerMinute)
    : apiLimitPerMinute;

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly feeds: CalendarFeedsService,
    private readonly auth: AuthGuard,
    private readonly config: AppConfigService,
  ) {
    apiLimitPerMinute = config.values.http.rateLimitPerMinute;
  }

  @Get('calendar.ics')
  // Each request queries up to 300 workflows: a feed token gets a few requests a minute, not hundreds.
  @Throttle({ default: { limit: feedLimit, ttl: 60_000 } })
  // The global guard is skipped so that a feed token may stand in for the bearer token; this route authenticates either way.
  @Public()
  @ApiBearerAuth()
  @ApiSecurity(CALENDAR_FEED_SECURITY)
  @ApiOperation({
    summary:
      "The deadlines of the caller's running tenders as iCalendar (RFC 5545), for Outlook and other calendar programs",
    description:
      "The tenders GET /tenders lists for the caller (their organisation's; an administrator's: every one), at most 300 running ones, " +
      'each current deadline as an all-day event on its last day, with its basis in law or policy. The UID is stable per tender and ' +
      'deadline kind, so a moved deadline moves the entry. With a bearer token, or `?token=` from POST /calendar/feed-token (which then says whose ' +
      'calendar it is); every credential sent must be valid.',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'text/calendar; charset=utf-8',
    content: { 'text/calendar': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({
    description: 'No bearer token and no feed token, or one that is invalid, revoked or of a person no longer active',
  })
  async feed(@Req() req: Request, @Query() q: CalendarFeedQuery, @Res() res: Response): Promise<void> {
    // Every credential sent is checked: a bad bearer token beside a good feed token is still a 401.
    const bearer = req.headers.authorization !== undefined ? await this.auth.authenticateBearer(req) : undefined;
    let actor: Actor;
    if (q.token !== undefined) {
      // The feed token, when given, says whose calendar this is.
      const person = await this.feeds.resolve(q.token);
      if (!person) throw unauthorized('The calendar feed token is not valid: it was revoked, replaced or never issued');
      actor = person;
    } else if (bearer) {
      actor = bearer;
    } else {
      throw unauthorized(
        'A bearer token (Authorization: Bearer <token>) or a calendar feed token (?token=) is required',
      );
    }
    (req as Request & { actor?: Actor }).actor = actor;
    const body = await this.calendar.ics(actor);
    res
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="tenderflow.ics"',
        'Cache-Control': 'private, no-store',
      })
      .send(Buffer.from(body, 'utf8'));
  }

  @Post('calendar/feed-token')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A new calendar feed address for the caller; the previous one stops working',
    description:
      'The address carries a secret token that stands for the caller in GET /calendar.ics. It shows the tenders the caller sees as the directory of people knows them at each fetch.',
  })
  @ApiCreatedResponse({
    type: CalendarFeedTokenDto,
    description: 'The new feed address; the token in it is shown this once',
  })
  async issue(@CurrentActor() actor: Actor): Promise<CalendarFeedTokenDto> {
    const t = await this.feeds.issue(actor);
    const base = this.config.values.http.publicBaseUrl.replace(/\/+$/, '');
    return { id: t.id, url: `${base}/calendar.ics?token=${t.token}`, token: t.token, createdAt: t.createdAt };
  }

  @Delete('calendar/feed-token')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revokes the caller's calendar feed address (nothing to revoke is not an error)" })
  @ApiNoContentResponse({ description: 'No feed address of the caller works any more' })
  async revoke(@CurrentActor() actor: Actor): Promise<void> {
    await this.feeds.revoke(actor);
  }
}
