import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { FUNCTION_CODE } from '@tenderflow/domain/absences';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { OrganizationParam, PathPattern } from '../common/params';
import { AbsencesService } from './absences.service';
import { FunctionsService } from './functions.service';
import { AbsencesOnQuery, SaveFunctionDto } from './people.dto';

const FunctionParam = new PathPattern(
  'code',
  FUNCTION_CODE,
  'a function code (a-z first, then 1–63 of a-z, 0-9, _ or -)',
);

/**
 * The functions of an organisation's delegation order with who holds them now, and who of the
 * organisation is away on a day with their substitutes (issue 29).
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('organizations/:org')
export class FunctionsController {
  constructor(
    private readonly functions: FunctionsService,
    private readonly absences: AbsencesService,
  ) {}

  @Get('functions')
  @ApiOperation({ summary: "The organisation's functions, each with the people who hold it today (members)" })
  @ApiOkResponse({
    description:
      '{ organization, on, items: [{ code, name, superior, holders: [{ sub, name, validFrom, validTo, absent }] }] }',
  })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation' })
  list(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string) {
    return this.functions.list(actor, org);
  }

  @Put('functions/:code')
  @Roles('policy_admin')
  @ApiOperation({
    summary: 'Register a function or change its name or superior (policy_admin or admin of the organisation; audited)',
  })
  @ApiOkResponse({ description: 'The function with its holders' })
  @ApiForbiddenResponse({ description: 'Not a policy_admin or admin of the organisation' })
  @ApiUnprocessableEntityResponse({ description: 'The superior is not registered, or is the function or below it' })
  save(
    @CurrentActor() actor: Actor,
    @Param('org', OrganizationParam) org: string,
    @Param('code', FunctionParam) code: string,
    @Body() dto: SaveFunctionDto,
  ) {
    return this.functions.save(actor, org, code, dto);
  }

  @Get('absences')
  @ApiOperation({ summary: 'Who of the organisation is away on a day, with their substitutes (members)' })
  @ApiOkResponse({ description: '{ organization, on, items: [absence], substitutes: [{ absent, substitute }] }' })
  @ApiForbiddenResponse({ description: 'Not a member of the organisation' })
  absentOn(@CurrentActor() actor: Actor, @Param('org', OrganizationParam) org: string, @Query() q: AbsencesOnQuery) {
    return this.absences.on(actor, org, q.on);
  }
}
