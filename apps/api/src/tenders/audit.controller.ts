import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor } from '../auth/auth.decorators';
import { TendersService } from '../tenders/tenders.service';
import { AuditService } from './audit.service';
import { TenderIdParam } from '../common/params';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,9}$/, { message: 'cursor must be the nextCursor of the previous page (a whole number)' })
  cursor?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('tenders/:id/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly tenders: TendersService,
  ) {}

  @Get()
  @ApiOkResponse({ description: "The tender's audit events, oldest first, 100 a page" })
  async list(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string, @Query() q: AuditQuery) {
    await this.tenders.assertReadAccess(actor, id);
    return this.audit.list(id, this.audit.parseCursor(q.cursor));
  }

  @Get('verify')
  @ApiOkResponse({ description: '{ valid, events, head }; when invalid, the first row that does not match' })
  async verify(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    await this.tenders.assertReadAccess(actor, id);
    return this.audit.verify(id);
  }
}
