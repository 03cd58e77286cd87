import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ORGANIZATION_CODE, OrganizationParam } from '../common/params';
import { registerCsv } from './delegation-register';
import { DelegationRegisterQuery, ReportDelegationDecisionsDto } from './delegation-register.dto';
import { renderRegisterPdf } from './delegation-register.pdf';
import { DelegationRegisterService } from './delegation-register.service';

const ORG_PARAM = {
  name: 'org',
  example: 'REGION',
  description: 'Organisation code',
  schema: { type: 'string' as const, pattern: ORGANIZATION_CODE.source },
};
const ENTRY_FIELDS =
  '{ ref, date, at, item, version, function, via, gate, decision, firstOfTwo, tenderId, title, valueSek, decidedBy, asSubstituteFor, passedOver, comment, reportToBoard, reported, evidence }';

/**
 * The register of delegation decisions (anmälan av delegationsbeslut, issue 29 part 4): what was
 * decided under the delegation order in a period, as JSON, CSV or a Swedish PDF, and the batches
 * reported to the board.
 */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class DelegationRegisterController {
  constructor(private readonly register: DelegationRegisterService) {}

  @Get(':org/delegation-decisions')
  @Roles('approver', 'policy_admin')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      'Every decision taken under the delegation order in the period (Swedish days, both included): date, item, decision, tender, value, decided by, as substitute for, whether and when it was reported to the board; each names its audit event',
  })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ description: `{ organization, from, to, truncated, items: [${ENTRY_FIELDS}] }, or the CSV or PDF` })
  @ApiBadRequestResponse({ description: 'A date that is not a calendar date' })
  @ApiUnprocessableEntityResponse({ description: 'to before from (rule period, naming the field to)' })
  @ApiForbiddenResponse({ description: 'Not an approver or administrator of the organisation' })
  async list(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Query() q: DelegationRegisterQuery,
  ) {
    const answer = await this.register.list(actor, org, q.from, q.to);
    const name = `delegationsbeslut-${org}-${q.from}-${q.to}`;
    if (q.format === 'csv') {
      return new StreamableFile(Buffer.from(registerCsv(answer.items), 'utf8'), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="${name}.csv"`,
      });
    }
    if (q.format === 'pdf') {
      const pdf = await renderRegisterPdf({ ...answer, generatedAt: new Date().toISOString() });
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${name}.pdf"` });
    }
    return answer;
  }

  @Post(':org/delegation-decisions/reported')
  @HttpCode(200)
  @Roles('policy_admin')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      "Report the period's decisions that the order reports to the board, and that no batch has reported yet, to the board's meeting: one event in the organisation's policy chain naming each decision's audit event",
  })
  @ApiOkResponse({ description: '{ organization, meeting, reported, decisions, digest }' })
  @ApiBadRequestResponse({ description: 'A date that is not a calendar date, or no meeting' })
  @ApiUnprocessableEntityResponse({ description: 'to before from (rule period, naming the field to)' })
  @ApiConflictResponse({ description: 'Nothing in the period waits to be reported (nothing_to_report)' })
  @ApiForbiddenResponse({ description: 'Not a policy_admin or administrator of the organisation' })
  report(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Body() body: ReportDelegationDecisionsDto,
  ) {
    return this.register.report(actor, org, body);
  }
}
