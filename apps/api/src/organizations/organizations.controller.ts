import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiIdempotencyKey, CommandCtx, type CommandContext } from '../common/idempotency';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { AuditQuery } from '../audit/audit.query';
import { AuditService } from '../audit/audit.service';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ORGANIZATION_CODE, OrganizationParam, PathPattern } from '../common/params';
import { CATEGORY_CODE, SaveCategoryDto, SaveOrganizationDto } from './organization.dto';
import { POLICY_SCHEMA_NAMES } from './policy-schema';
import { PolicyService } from './policy.service';

const CategoryParam = new PathPattern('code', CATEGORY_CODE, 'a lower-case code of 2–64 characters');
// The patterns the pipes enforce, published with the parameters.
const ORG_PARAM = {
  name: 'org',
  example: 'REGION',
  description: 'Organisation code',
  schema: { type: 'string' as const, pattern: ORGANIZATION_CODE.source },
};
const CODE_PARAM = {
  name: 'code',
  example: 'lab-supplies',
  description: 'Category code',
  schema: { type: 'string' as const, pattern: CATEGORY_CODE.source },
};

/**
 * The organisations (reference data: the group and its wholly-owned companies), each one's
 * procurement policy as versioned data, and its categories with their category managers
 * (ARCHITECTURE §4 and 5a).
 */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(
    private readonly policies: PolicyService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The registered organisations and the group each belongs to (parent)' })
  @ApiOkResponse({ description: '{ items: [{ code, name, parent }] }' })
  list() {
    return this.policies.organisations();
  }

  @Get(':org')
  @ApiParam(ORG_PARAM)
  @ApiOperation({ summary: 'An organisation: its group (the top of its chain) and its wholly-owned companies' })
  @ApiOkResponse({ description: '{ code, name, parent, group, companies }' })
  @ApiNotFoundResponse({ description: 'Not registered' })
  get(@Param('org', OrganizationParam) org: string) {
    return this.policies.organisation(org);
  }

  @Put(':org')
  @Roles('admin')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary: 'Register an organisation or change its name or group (administrator; audited in its policy chain)',
  })
  @ApiOkResponse({ description: 'The organisation as registered' })
  @ApiBadRequestResponse({ description: 'Malformed; the fields are named in `errors`' })
  @ApiForbiddenResponse({ description: 'Not an administrator' })
  @ApiUnprocessableEntityResponse({
    description:
      'The parent is not registered (`unknown_organisation`), or belongs below the organisation itself (`ownership_cycle`)',
  })
  save(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string, @Body() dto: SaveOrganizationDto) {
    return this.policies.saveOrganisation(actor, org, dto);
  }

  @Get(':org/policy')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      "The organisation's procurement policy in force: { organization, version, validFrom, decidedBy, reference, rules, … }",
  })
  @ApiOkResponse({
    description:
      '`rules`: every rule in force (inherited ones included), `overrides`: what this version sets, `sources`: where each rule comes from, `policyVersion`: what a tender created now pins',
  })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  policy(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.policies.get(actor, org);
  }

  @Put(':org/policy')
  @ApiConflictResponse({ description: 'The Idempotency-Key adopted another body (idempotency_key_reuse)' })
  @Roles('policy_admin')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      "Adopt version n+1 of the organisation's policy: { rules, categoryRules?, reference } (policy_admin of the organisation, or admin)",
  })
  @ApiBody({ schema: { $ref: `#/components/schemas/${POLICY_SCHEMA_NAMES.update}` } })
  @ApiOkResponse({ description: 'The policy in force after the change (as GET)' })
  @ApiBadRequestResponse({
    description:
      'A rule breaks the published schema (components.schemas.PolicyUpdate, PolicyRules); the fields are named in `errors`',
  })
  @ApiForbiddenResponse({ description: 'Not a policy_admin of the organisation' })
  @ApiUnprocessableEntityResponse({
    description:
      'Well-formed, but names a category the organisation has not registered (`unknown_category`) or makes the rules in force contradict each other (`policy_consistency`); the fields are named in `errors`',
  })
  @ApiIdempotencyKey(
    'A retry with the same key and body answers the version it adopted; another body with the key: 409',
  )
  adopt(
    @CurrentActor() actor: Actor,
    @CommandCtx() ctx: CommandContext,
    @Param('org', OrganizationParam) org: string,
    @Body() body: unknown,
  ) {
    return this.policies.put(actor, org, body, ctx.idempotencyKey);
  }

  @Get(':org/policy/versions')
  @ApiParam(ORG_PARAM)
  @ApiOperation({ summary: "Every version of the organisation's own policy, newest first" })
  @ApiOkResponse({
    description: '{ organization, items: [{ version, validFrom, decidedBy, reference, rules, categoryRules }] }',
  })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  versions(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.policies.versions(actor, org);
  }

  @Get(':org/policy/audit')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary:
      "The organisation's policy chain: versions adopted, categories and the group relation changed, oldest first",
  })
  @ApiOkResponse({ description: 'Audit events, 100 a page' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  policyAudit(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string, @Query() q: AuditQuery) {
    return this.policies.auditEvents(actor, org, this.audit.parseCursor(q.cursor));
  }

  @Get(':org/policy/audit/verify')
  @ApiParam(ORG_PARAM)
  @ApiOperation({ summary: "Verifies the policy chain's hashes" })
  @ApiOkResponse({ description: '{ valid, events, head }' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  verifyPolicyAudit(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.policies.verify(actor, org);
  }

  @Get(':org/categories')
  @ApiParam(ORG_PARAM)
  @ApiOperation({
    summary: "The organisation's categories, each with its category manager and the rules in force for it",
  })
  @ApiOkResponse({ description: '{ organization, items: [{ code, name, manager, overrides, rules, sources }] }' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  categories(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.policies.categories(actor, org);
  }

  @Get(':org/categories/:code')
  @ApiParam(ORG_PARAM)
  @ApiParam(CODE_PARAM)
  @ApiOkResponse({ description: '{ code, name, manager, overrides, rules, sources }' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation or of one of its companies' })
  @ApiNotFoundResponse({ description: 'No such category' })
  category(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('code', CategoryParam) code: string,
  ) {
    return this.policies.category(actor, org, code);
  }

  @Put(':org/categories/:code')
  @Roles('policy_admin')
  @ApiParam(ORG_PARAM)
  @ApiParam(CODE_PARAM)
  @ApiOperation({
    summary:
      'Register a category or change its name or category manager (policy_admin of the organisation, or admin; audited)',
  })
  @ApiOkResponse({ description: 'The category' })
  @ApiForbiddenResponse({ description: 'Not a policy_admin of the organisation' })
  saveCategory(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('code', CategoryParam) code: string,
    @Body() dto: SaveCategoryDto,
  ) {
    return this.policies.saveCategory(actor, org, code, dto);
  }
}
