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
import type { EvaluationReportDocument, OpeningProtocolDocument } from '@tenderflow/domain/decision-documents';
import type { Actor } from '@tenderflow/domain/types';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import type { DecisionDocumentRecord } from '@tenderflow/temporal-common/tender-types';
import { CurrentActor } from '../auth/auth.decorators';
import { PathOneOf, TenderIdParam } from '../common/params';
import { TenderStateReader } from '../tenders/tender-state.reader';
import { TendersService } from '../tenders/tenders.service';
import { renderDecisionDocumentPdf } from './decision-document.pdf';
import { ReportQuery, wantsPdf } from './reports.controller';

const KINDS = { 'opening-protocol': 'opening_protocol', 'evaluation-report': 'evaluation_report' } as const;
type KindPath = keyof typeof KINDS;
export const KindParam = new PathOneOf<KindPath>('kind', Object.keys(KINDS) as KindPath[]);

export class DecisionDocumentItemDto {
  @ApiProperty({ enum: ['opening_protocol', 'evaluation_report', 'award_notice'] })
  kind!: DecisionDocumentRecord['kind'] | 'award_notice';
  @ApiProperty({ example: 'Protokoll från anbudsöppning' })
  title!: string;
  @ApiPropertyOptional({ description: 'An award decision notice: its number and addressee' })
  n?: number;
  @ApiPropertyOptional()
  supplier?: string;
  @ApiProperty({ description: "SHA-256 (hex) of the document's canonical JSON, as the chain holds it" })
  sha256!: string;
  @ApiProperty()
  issuedAt!: string;
  @ApiProperty({
    example: '/tenders/HSN-2026-00042/decision-documents/opening-protocol',
    description: 'Where to read it (JSON, or ?format=pdf)',
  })
  path!: string;
}

export class DecisionDocumentsDto {
  @ApiProperty({ type: [DecisionDocumentItemDto] })
  items!: DecisionDocumentItemDto[];
}

type Issued = OpeningProtocolDocument | EvaluationReportDocument;

/** A document as issued, its recorded digest, and whether the stored document still has it. */
export interface IssuedDocument<T> {
  document: T;
  sha256: string;
  verified: boolean;
}

/** The document a record names, from the read model; a 404 naming `what` when it is not there yet. */
export async function readIssued<T extends object>(
  reader: TenderStateReader,
  id: string,
  record: { ref: string; sha256: string },
  what: string,
): Promise<IssuedDocument<T>> {
  const document = (await reader.textsOf(id, [record.ref])).get(record.ref) as T | undefined;
  if (!document) throw new NotFoundException(`The ${what} of ${id} is not in the read model yet.`);
  return { document, sha256: record.sha256, verified: documentSha256(document) === record.sha256 };
}

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders/:id/decision-documents')
export class DecisionDocumentsController {
  constructor(
    private readonly tenders: TendersService,
    private readonly reader: TenderStateReader,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "The tender's decision documents: the opening protocol, the evaluation report and the award decision notices",
    description:
      'Each issued by the workflow from the recorded facts when its step was taken (the opening; the award decision), with the SHA-256 the chain holds ' +
      '(`document.issued`, `award.notice_issued`). A document appears once issued; a tender from before they were documents has none.',
  })
  @ApiOkResponse({ type: DecisionDocumentsDto })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  async list(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string): Promise<DecisionDocumentsDto> {
    await this.tenders.assertReadAccess(actor, id, 'The decision documents');
    const s = await this.tenders.state(id);
    const titles = { opening_protocol: 'Protokoll från anbudsöppning', evaluation_report: 'Utvärderingsrapport' };
    const paths = { opening_protocol: 'opening-protocol', evaluation_report: 'evaluation-report' };
    return {
      items: [
        ...(s.decisionDocuments ?? []).map((d) => ({
          kind: d.kind,
          title: titles[d.kind],
          sha256: d.sha256,
          issuedAt: d.issuedAt,
          path: `/tenders/${id}/decision-documents/${paths[d.kind]}`,
        })),
        ...(s.award?.notices ?? []).map((n) => ({
          kind: 'award_notice' as const,
          title: `Underrättelse om tilldelningsbeslut till ${n.supplier}`,
          n: n.n,
          supplier: n.supplier,
          sha256: n.sha256,
          issuedAt: s.award!.decidedAt,
          path: `/tenders/${id}/award-notices/${n.n}`,
        })),
      ],
    };
  }

  @Get(':kind')
  @ApiOperation({
    summary: 'The opening protocol or the evaluation report, as JSON or as a PDF in Swedish',
    description:
      'The document as issued, its SHA-256 and whether the stored document still has the digest the chain recorded (`verified`); ' +
      'the digest is over the canonical JSON of `document` (keys sorted, no spaces).',
  })
  @ApiParam({ name: 'kind', enum: Object.keys(KINDS) })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({ description: 'The document' })
  @ApiNotFoundResponse({ description: 'Not issued (yet), no such tender, or another organisation’s tender' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', TenderIdParam) id: string,
    @Param('kind', KindParam) kind: KindPath,
    @Query() q: ReportQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<IssuedDocument<Issued> | StreamableFile> {
    await this.tenders.assertReadAccess(actor, id, 'The decision documents');
    const record = (await this.tenders.state(id)).decisionDocuments?.find((d) => d.kind === KINDS[kind]);
    if (!record) throw new NotFoundException(`${id} has no ${kind.replace('-', ' ')} issued.`);
    const answer = await readIssued<Issued>(this.reader, id, record, kind.replace('-', ' '));
    if (!wantsPdf(q, accept)) return answer;
    const { document } = answer;
    const about =
      document.kind === 'opening_protocol'
        ? [`Öppnad: ${document.openedAt.slice(0, 10)} · ${document.paragraph}`]
        : [`Tilldelning beslutad: ${document.decidedAt.slice(0, 10)} av ${document.decidedBy} · ${document.paragraph}`];
    return new StreamableFile(
      await renderDecisionDocumentPdf({ ...document, about, sha256: answer.sha256, verified: answer.verified }),
      { type: 'application/pdf', disposition: `inline; filename="${kind}-${id}.pdf"` },
    );
  }
}
