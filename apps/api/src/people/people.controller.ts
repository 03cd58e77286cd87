import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { AuditQuery } from '../audit/audit.query';
import { AuditService } from '../audit/audit.service';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ABSENCE_ID, OrganizationParam, PathPattern, PERSON_SUB } from '../common/params';
import { DirectoryService } from '../auth/directory.service';
import { AbsencesService } from './absences.service';
import { FunctionsService } from './functions.service';
import { PeopleImportDto, PersonFunctionsDto, RecordAbsenceDto } from './people.dto';
import { directoryChain, PeopleService } from './people.service';

/** A person's `sub` as their tokens carry it (the import's userName): 1–200 characters, no spaces or slashes. */
const SubParam = new PathPattern('sub', PERSON_SUB, "a person's sub (1–200 characters, no spaces or slashes)");
// Exported only because no-useless-assignment misreads its one use, in the last handler's parameter decorator.
export const AbsenceIdParam = new PathPattern('id', ABSENCE_ID, 'an absence id (a UUID)');

/**
 * The directory of people of an organisation, for its administrators. People are also recorded
 * from the claims of their signed-in tokens; notifications resolve `user:` and `role:` recipients
 * against it.
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('organizations/:org/people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly directory: DirectoryService,
    private readonly audit: AuditService,
    private readonly functions: FunctionsService,
    private readonly absences: AbsencesService,
  ) {}

  @Put()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ description: '{ organization, received, created, updated, unchanged, deactivated }' })
  @ApiForbiddenResponse({ description: 'Not an administrator of the organisation' })
  replace(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string, @Body() dto: PeopleImportDto) {
    return this.people.replace(actor, org, dto);
  }

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: "The organisation's people, by name" })
  async list(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    this.people.assertAdmin(actor, org);
    return { items: await this.directory.list(org) };
  }

  @Get('audit')
  @Roles('admin')
  @ApiOkResponse({ description: "The directory's audit events (imports), oldest first, hash-chained" })
  async auditTrail(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string, @Query() q: AuditQuery) {
    this.people.assertAdmin(actor, org);
    return this.audit.list(directoryChain(org), this.audit.parseCursor(q.cursor));
  }

  @Get('audit/verify')
  @Roles('admin')
  @ApiOperation({ summary: "Verifies the directory chain's hashes (imports, functions, absences)" })
  @ApiOkResponse({ description: '{ valid, events, head }' })
  async verifyAudit(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    this.people.assertAdmin(actor, org);
    return this.audit.verify(directoryChain(org));
  }

  @Put(':sub/functions')
  @Roles('policy_admin')
  @ApiOperation({
    summary: 'Replace the functions a person holds (admin or policy_admin of the organisation; audited)',
  })
  @ApiOkResponse({ description: '{ organization, sub, functions: [{ code, validFrom, validTo }] }' })
  @ApiBadRequestResponse({ description: 'A field is malformed, or a period ends before it starts (named)' })
  @ApiForbiddenResponse({ description: 'Not an admin or policy_admin of the organisation' })
  @ApiNotFoundResponse({ description: 'No such person in the organisation' })
  @ApiUnprocessableEntityResponse({ description: 'unknown_function: a code the organisation has not registered' })
  setFunctions(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('sub', SubParam) sub: string,
    @Body() dto: PersonFunctionsDto,
  ) {
    return this.functions.setHoldings(actor, org, sub, dto);
  }

  @Post(':sub/absences')
  @ApiOperation({
    summary: 'Record an absence with its substitute: one’s own, or anyone’s for an admin or policy_admin (audited)',
  })
  @ApiCreatedResponse({ description: 'The absence: { id, sub, from, to, substitute, reason, … }' })
  @ApiBadRequestResponse({ description: 'A field is malformed, or to is before from (named)' })
  @ApiForbiddenResponse({
    description: "Another person's absence, and not an admin or policy_admin of the organisation",
  })
  @ApiConflictResponse({ description: 'absence_overlap: the person is already away on one of the days' })
  @ApiUnprocessableEntityResponse({
    description: 'The substitute is not an active person of the organisation, or is the absent person',
  })
  recordAbsence(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('sub', SubParam) sub: string,
    @Body() dto: RecordAbsenceDto,
  ) {
    return this.absences.record(actor, org, sub, dto);
  }

  @Get(':sub/absences')
  @ApiOperation({ summary: "A person's absences, latest first (their own, or anyone's for an admin or policy_admin)" })
  @ApiOkResponse({ description: '{ organization, sub, items: [absence] }' })
  @ApiForbiddenResponse({
    description: "Another person's absences, and not an admin or policy_admin of the organisation",
  })
  absencesOf(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('sub', SubParam) sub: string,
  ) {
    return this.absences.ofPerson(actor, org, sub);
  }

  @Delete(':sub/absences/:id')
  @ApiOperation({ summary: 'Cancel an absence not yet started (its person, or an admin or policy_admin; audited)' })
  @ApiOkResponse({ description: 'The cancelled absence' })
  @ApiNotFoundResponse({ description: 'No such absence' })
  @ApiConflictResponse({ description: 'absence_started: its first day has come' })
  cancelAbsence(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('sub', SubParam) sub: string,
    @Param('id', AbsenceIdParam) id: string,
  ) {
    return this.absences.cancel(actor, org, sub, id);
  }
}
