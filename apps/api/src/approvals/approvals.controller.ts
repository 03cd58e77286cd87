import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApprovalsQuery } from './approvals.query';
import { ApprovalsService } from './approvals.service';

/** The approver's inbox (ApprovalsService): the gates the caller may decide, escalated gates, or the caller's decisions. */
@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @Roles('approver', 'category_manager')
  @ApiOkResponse({
    description:
      'Gates waiting for the caller, oldest first; or the gates the caller decided. An award decision with red flags raised on it carries `redFlags` ([{ code, value }], the OCP indicators R003…R058): approving it takes a `justification`.',
  })
  inbox(@CurrentActor() actor: Actor, @Query() q: ApprovalsQuery) {
    return this.approvals.inbox(actor, q.status ?? 'pending');
  }
}
