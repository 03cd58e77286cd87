import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { AuditQuery } from '../audit/audit.query';
import { AuditService } from '../audit/audit.service';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ORGANIZATION_CODE, PathPattern } from '../common/params';
import { DirectoryService } from '../auth/directory.service';
import { PeopleImportDto } from './people.dto';
import { directoryChain, PeopleService } from './people.service';

const OrgParam = new PathPattern('org', ORGANIZATION_CODE, 'an organisation code (A–Z, 0–9, _ and -, 2–32 characters)');

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
  ) {}

  @Put()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ description: '{ organization, received, created, updated, unchanged, deactivated }' })
  @ApiForbiddenResponse({ description: 'Not an administrator of the organisation' })
  replace(@CurrentActor() actor: Actor, @Param('org', OrgParam) org: string, @Body() dto: PeopleImportDto) {
    return this.people.replace(actor, org, dto);
  }

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: "The organisation's people, by name" })
  async list(@CurrentActor() actor: Actor, @Param('org', OrgParam) org: string) {
    this.people.assertAdmin(actor, org);
    return { items: await this.directory.list(org) };
  }

  @Get('audit')
  @Roles('admin')
  @ApiOkResponse({ description: "The directory's audit events (imports), oldest first, hash-chained" })
  async auditTrail(@CurrentActor() actor: Actor, @Param('org', OrgParam) org: string, @Query() q: AuditQuery) {
    this.people.assertAdmin(actor, org);
    return this.audit.list(directoryChain(org), this.audit.parseCursor(q.cursor));
  }
}
