import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { badRequest } from '../common/problem';
import { CreateTenderDto } from './create-tender.dto';
import { ListTendersQuery } from './list-tenders.query';
import { TendersService } from './tenders.service';
import { TenderIdParam } from './commands/params';

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders')
export class TendersController {
  constructor(private readonly tenders: TendersService) {}

  @Post()
  @HttpCode(201)
  @Roles('procurement_officer')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat with the same key returns the same tender' })
  @ApiCreatedResponse({ description: 'The tender workflow is started and waits in needs_analysis' })
  @ApiForbiddenResponse({ description: 'Not a procurement officer of the organisation' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used with another body' })
  @ApiUnprocessableEntityResponse({ description: 'Refused by a procurement rule, which is named' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTenderDto, @Headers('idempotency-key') idempotencyKey: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw badRequest('Idempotency-Key must be 1–200 visible ASCII characters', [{ field: 'Idempotency-Key', rule: 'format', message: '1–200 visible ASCII characters' }]);
    }
    const { tender, replay } = await this.tenders.create(actor, dto, idempotencyKey);
    res.setHeader('Location', `/tenders/${tender.id}`);
    if (replay) res.setHeader('Idempotent-Replayed', 'true');
    return tender;
  }

  @Get()
  @ApiOkResponse({ description: 'Tenders from the read model, newest first, keyset-paginated; externalAction names an operator action outside the API' })
  list(@CurrentActor() actor: Actor, @Query() query: ListTendersQuery) {
    return this.tenders.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      "The tender's current state, from its workflow; an invited body gets its own view (`view: 'partner'`); externalAction when an operator terminated, cancelled or reset it outside the API",
  })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  get(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.get(actor, id);
  }
}
