import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { TenderIdParam } from '../common/params';
import { TendersService } from '../tenders/tenders.service';
import { NotificationsService } from './notifications.service';

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders/:id/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly tenders: TendersService,
  ) {}

  /** For the tender's officers: every message, whom it reached, and each delivery's state (queued, sent, failed with the server's answer). */
  @Get()
  @Roles('procurement_officer')
  @ApiOkResponse({
    description: "The tender's messages, oldest first, each with its deliveries per recipient; and its escalated gates",
  })
  @ApiForbiddenResponse({ description: "Not a procurement officer (or administrator) of the tender's organisation" })
  async list(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    await this.tenders.assertReadAccess(actor, id);
    return this.notifications.ofTender(id);
  }
}
