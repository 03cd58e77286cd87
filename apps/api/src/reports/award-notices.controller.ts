import { Controller, Get, Headers, NotFoundException, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { AwardNoticeDocument } from '@tenderflow/domain/award-notice';
import type { Actor } from '@tenderflow/domain/types';
import type { AwardNoticeRecord } from '@tenderflow/temporal-common/tender-types';
import { CurrentActor } from '../auth/auth.decorators';
import { NOTICE_NUMBER, NoticeNumberParam, TenderIdParam } from '../common/params';
import { TenderStateReader } from '../tenders/tender-state.reader';
import { TendersService } from '../tenders/tenders.service';
import { renderDecisionDocumentPdf } from './decision-document.pdf';
import { readIssued, type IssuedDocument } from './decision-documents.controller';
import { ReportQuery, wantsPdf } from './reports.controller';

export class AwardNoticeItemDto implements AwardNoticeRecord {
  @ApiProperty({ example: 1, description: "The tenderer's place in the opening's list; the notice's number" })
  n!: number;
  @ApiProperty({ example: 'Lab AB' })
  supplier!: string;
  @ApiPropertyOptional({ example: '556000-0000' })
  orgNumber?: string;
  @ApiProperty({ enum: ['awarded', 'not_awarded', 'rejected', 'late'] })
  outcome!: AwardNoticeRecord['outcome'];
  @ApiProperty({ description: 'Where the document is kept in the read model' })
  ref!: string;
  @ApiProperty({
    description: "SHA-256 (hex) of the notice's canonical JSON, as the chain's award.notice_issued holds it",
  })
  sha256!: string;
  @ApiProperty({
    example: 'email:anbud@lab.se',
    description: 'Where it was sent (supplier:<id>: no contact address, it waits in the outbox)',
  })
  recipient!: string;
}

export class AwardNoticesDto {
  @ApiPropertyOptional({ description: 'When the award was decided; none before' })
  decidedAt?: string;
  @ApiProperty({ type: [AwardNoticeItemDto] })
  items!: AwardNoticeItemDto[];
}

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders/:id/award-notices')
export class AwardNoticesController {
  constructor(
    private readonly tenders: TendersService,
    private readonly reader: TenderStateReader,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The award decision notices (tilldelningsbeslut, 12 kap. 12 § LOU), one to each tenderer',
    description:
      'Issued by the workflow when the award is decided, from the recorded facts only: each with its outcome for the tenderer, where it was sent, ' +
      'and the SHA-256 the chain holds (`award.notice_issued`). Empty before the award, and for an award decided before the notices were documents.',
  })
  @ApiOkResponse({ type: AwardNoticesDto })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  async list(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string): Promise<AwardNoticesDto> {
    await this.tenders.assertReadAccess(actor, id, 'The award decision notices');
    const award = (await this.tenders.state(id)).award;
    return { ...(award ? { decidedAt: award.decidedAt } : {}), items: award?.notices ?? [] };
  }

  @Get(':n')
  @ApiOperation({
    summary: 'One award decision notice, as JSON or as a PDF in Swedish',
    description:
      'The document as issued, with its SHA-256 and whether the stored document still has the digest the chain recorded (`verified`). ' +
      'The digest is over the canonical JSON of `document` (keys sorted, no spaces), so that the tenderer’s copy can be checked too.',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiParam({
    name: 'n',
    description: "The notice's number (the list's `n`)",
    schema: { type: 'string', pattern: NOTICE_NUMBER.source },
  })
  @ApiOkResponse({ description: 'The notice' })
  @ApiNotFoundResponse({ description: 'No such notice, tender, or another organisation’s tender' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', TenderIdParam) id: string,
    @Param('n', NoticeNumberParam) number: string,
    @Query() q: ReportQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<IssuedDocument<AwardNoticeDocument> | StreamableFile> {
    await this.tenders.assertReadAccess(actor, id, 'The award decision notices');
    const n = Number(number);
    const record = (await this.tenders.state(id)).award?.notices?.find((x) => x.n === n);
    if (!record) throw new NotFoundException(`${id} has no award decision notice ${n}.`);
    const answer = await readIssued<AwardNoticeDocument>(this.reader, id, record, `award decision notice ${n}`);
    if (!wantsPdf(q, accept)) return answer;
    const notice = answer.document;
    const about = [
      `Till: ${notice.addressee.supplier}${notice.addressee.orgNumber ? ` (${notice.addressee.orgNumber})` : ''}`,
      `Beslutat: ${notice.decidedAt.slice(0, 10)} av ${notice.decidedBy} · ${notice.paragraph}`,
    ];
    return new StreamableFile(
      await renderDecisionDocumentPdf({ ...notice, about, sha256: answer.sha256, verified: answer.verified }),
      {
        type: 'application/pdf',
        disposition: `inline; filename="tilldelningsbeslut-${id}-${n}.pdf"`,
      },
    );
  }
}
