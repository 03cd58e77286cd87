import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Actor } from '@tenderflow/domain/types';
import { AuditService } from '../audit/audit.service';
import { CurrentActor } from '../auth/auth.decorators';
import { TendersService } from '../tenders/tenders.service';
import {
  AuditItem,
  AuthorityIdentity,
  buildIndividualReport,
  IndividualReport,
  REPORT_EVIDENCE,
} from './individual-report';
import { PolicyService } from '../organizations/policy.service';
import { renderIndividualReportPdf } from './individual-report.pdf';

export class ReportQuery {
  @ApiPropertyOptional({
    enum: ['json', 'pdf'],
    description: 'Default: json, or pdf when the Accept header asks for application/pdf',
  })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}

/** `format=pdf`, or no format and an Accept header that asks for a PDF. */
export function wantsPdf(q: ReportQuery, accept: string | undefined): boolean {
  return q.format === 'pdf' || (q.format === undefined && /application\/pdf/.test(accept ?? ''));
}

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders/:id/report')
export class ReportsController {
  constructor(
    private readonly tenders: TendersService,
    private readonly audit: AuditService,
    private readonly organisations: PolicyService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The individual report (individuell rapport, 12 kap. 15–16 §§ LOU) or, for a direct award, its documentation (19 a kap. 11 § LOU), as JSON or as a PDF in Swedish',
    description:
      'Built from the tender state, the audit events it cites (the rest of the chain is not read) and the organisation register; every statement names ' +
      'the audit events (index, type, time, hash) it rests on, and a fact the tender did not record is said to be not recorded. `kind` says which document it is.',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({ description: 'The report' })
  @ApiNotFoundResponse()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() q: ReportQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<IndividualReport | StreamableFile> {
    // The report is the authority's: its own organisation's view (an invited body gets a 404, as for the audit).
    await this.tenders.assertReadAccess(actor, id);
    const state = await this.tenders.state(id);
    const [events, authority]: [AuditItem[], AuthorityIdentity | null] = await Promise.all([
      this.audit.cited(id, REPORT_EVIDENCE),
      this.organisations.identity(state.organization),
    ]);
    const report = buildIndividualReport(state, events, new Date().toISOString(), authority);
    if (!wantsPdf(q, accept)) return report;
    return new StreamableFile(await renderIndividualReportPdf(report), {
      type: 'application/pdf',
      disposition: `inline; filename="individuell-rapport-${id}.pdf"`,
    });
  }
}
