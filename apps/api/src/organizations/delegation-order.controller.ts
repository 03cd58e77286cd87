import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiIdempotencyKey, CommandCtx, type CommandContext } from '../common/idempotency';
import { ORGANIZATION_CODE, OrganizationParam } from '../common/params';
import { DelegationOrderService } from './delegation-order.service';
import { POLICY_SCHEMA_NAMES } from './policy-schema';

const ORG_PARAM = {
  name: 'org',
  example: 'REGION',
  description: 'Organisation code',
  schema: { type: 'string' as const, pattern: ORGANIZATION_CODE.source },
};
const VERSION_FIELDS = '{ organization, version, validFrom, decidedBy, reference, items }';

/**
 * Each organisation's delegation order (delegationsordning) as versioned data: which function
 * takes which decision up to which limit, who stands in, what is reported to the board (issue 29;
 * ARCHITECTURE §4). Adoptions are audited in the organisation's policy chain
 * (`GET /organizations/{org}/policy/audit`).
 */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class DelegationOrderController {
  constructor(private readonly orders: DelegationOrderService) {}

  @Get(':org/delegation-order')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary: `The organisation's delegation order in force: ${VERSION_FIELDS} (version 0 and no items before the first adoption)`,
  })
  @ApiOkResponse({ description: VERSION_FIELDS })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  get(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.orders.get(actor, org);
  }

  @Put(':org/delegation-order')
  @ApiConflictResponse({ description: 'The Idempotency-Key adopted another body (idempotency_key_reuse)' })
  @Roles('policy_admin')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      "Adopt version n+1 of the organisation's delegation order: { items, reference } (policy_admin of the organisation, or admin; audited in its policy chain)",
  })
  @ApiBody({ schema: { $ref: `#/components/schemas/${POLICY_SCHEMA_NAMES.delegationOrder}` } })
  @ApiOkResponse({ description: `The delegation order in force after the change (as GET): ${VERSION_FIELDS}` })
  @ApiBadRequestResponse({
    description:
      'The body breaks the published schema (components.schemas.DelegationOrderUpdate), or its items do not hold together (ids once each, a positive limit, a substitute, further delegation naming its targets, no two functions at one level); the fields are named in `errors`',
  })
  @ApiForbiddenResponse({ description: 'Not a policy_admin of the organisation' })
  @ApiIdempotencyKey(
    'A retry with the same key and body answers the version it adopted; another body with the key: 409',
  )
  adopt(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('org', OrganizationParam) org: string,
    @Body() body: unknown,
  ) {
    return this.orders.put(actor, org, body, ctx.idempotencyKey);
  }

  @Get(':org/delegation-order/versions')
  @ApiParam(ORG_PARAM)
  @ApiOperation({ summary: "Every version of the organisation's delegation order, newest first" })
  @ApiOkResponse({ description: '{ organization, items: [{ version, validFrom, decidedBy, reference, items }] }' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  versions(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.orders.versions(actor, org);
  }
}
