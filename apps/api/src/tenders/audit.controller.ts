import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor } from '../auth/auth.decorators';
import { AuditQuery } from '../audit/audit.query';
import { AuditService } from '../audit/audit.service';
import { TenderIdParam } from '../common/params';
import { TendersService } from './tenders.service';
import { TenderStateReader } from './tender-state.reader';
import { withholdOthersScores } from './scores.view';

/** A tender's audit trail and the check of its chain: it lives with the tenders (TendersModule). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('tenders/:id/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly tenders: TendersService,
    private readonly reader: TenderStateReader,
  ) {}

  @Get()
  @ApiOkResponse({ description: "The tender's audit events, oldest first, 100 a page" })
  async list(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string, @Query() q: AuditQuery) {
    await this.tenders.assertReadAccess(actor, id);
    const page = await this.audit.list(id, this.audit.parseCursor(q.cursor));
    if (!page.items.some((e) => e.type === 'tender.scored')) return page;
    // Evaluators score on their own: another's scores are withheld until the consensus (scores.view.ts).
    return { ...page, items: withholdOthersScores(actor, await this.reader.read(id), page.items) };
  }

  @Get('verify')
  @ApiOkResponse({ description: '{ valid, events, head }; when invalid, the first row that does not match' })
  async verify(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    await this.tenders.assertReadAccess(actor, id);
    return this.audit.verify(id);
  }
}
