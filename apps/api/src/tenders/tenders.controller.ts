import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { badRequest } from '../common/problem';
import { CreateTenderDto } from './create-tender.dto';
import { ListQuestionsQuery, QuestionsPageDto } from './list-questions.query';
import { RequirementsDto } from './commands/register-requirement.dto';
import { RankingsDto, ScoresDto } from './scores.dto';
import { ListTendersQuery } from './list-tenders.query';
import { TenderActionsDto } from './tender-actions.dto';
import { TendersService } from './tenders.service';
import { TenderIdParam } from '../common/params';

@ApiTags('tenders')
@ApiBearerAuth()
@Controller('tenders')
export class TendersController {
  constructor(private readonly tenders: TendersService) {}

  @Post()
  @HttpCode(201)
  @Roles('procurement_officer')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat with the same key returns the same tender',
  })
  @ApiCreatedResponse({ description: 'The tender workflow is started and waits in needs_analysis' })
  @ApiForbiddenResponse({ description: 'Not a procurement officer of the organisation' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used with another body' })
  @ApiUnprocessableEntityResponse({ description: 'Refused by a procurement rule, which is named' })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateTenderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw badRequest('Idempotency-Key must be 1–200 visible ASCII characters', [
        { field: 'Idempotency-Key', rule: 'format', message: '1–200 visible ASCII characters' },
      ]);
    }
    const { tender, replay } = await this.tenders.create(actor, dto, idempotencyKey);
    res.setHeader('Location', `/tenders/${tender.id}`);
    if (replay) res.setHeader('Idempotent-Replayed', 'true');
    return tender;
  }

  @Get()
  @ApiOkResponse({
    description:
      'Tenders from the read model, newest first, keyset-paginated; externalAction names an operator action outside the API',
  })
  list(@CurrentActor() actor: Actor, @Query() query: ListTendersQuery) {
    return this.tenders.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      "The tender's current state, from the read model; an invited body gets its own view (`view: 'partner'`); externalAction when an operator terminated, cancelled or reset it outside the API. " +
      '`questions` lists every question without its texts: id, receivedAt, registeredBy, and once answered answeredAt, answeredBy, forcedExtension ' +
      '(`question`, `askedBy` and `answer` are read from GET /tenders/{id}/questions, a page at a time). Every command answers with the tender in this shape.',
  })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  get(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.get(actor, id);
  }

  @Get(':id/actions')
  @ApiOperation({
    summary: 'What the caller may do now, and by when',
    description:
      "The commands the caller may send to the tender now (authority and phase as the workflow's validators decide them, narrowed by what the state shows would be refused), " +
      'each with its route and the running deadline it is due by; and the tender’s next deadline with its basis. The workflow still decides each command.',
  })
  @ApiOkResponse({ type: TenderActionsDto })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  actions(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.actions(actor, id);
  }

  @Get(':id/questions')
  @ApiOperation({
    summary: 'The Q&A log with its texts, a page at a time',
    description:
      "The tender's questions in registration order, each with its text, who asked, and its answer once given. The tender's own organisation and administrators read it; " +
      'an invited body is refused (403: its view of the tender has no Q&A log), anyone else gets the 404 of a missing tender. A page holds `limit` questions (default 50, at most 200); ' +
      '`nextCursor` continues after it, null on the last page.',
  })
  @ApiOkResponse({ type: QuestionsPageDto, description: 'One page of the Q&A log' })
  @ApiForbiddenResponse({ description: 'An invited body: it does not read the Q&A log' })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  questions(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string, @Query() query: ListQuestionsQuery) {
    return this.tenders.questions(actor, id, query);
  }

  @Get(':id/requirements')
  @ApiOperation({
    summary: 'The requirements register with its texts',
    description:
      'Every requirement of the tender in registration order (K1, K2, …), withdrawn ones included with the reason: its kind, text, reference in the documents, lot, ' +
      "sustainability criterion, how it is followed up and how it is scored. The tender's own organisation and administrators read it; an invited body is refused (403), " +
      'anyone else gets the 404 of a missing tender.',
  })
  @ApiOkResponse({ type: RequirementsDto })
  @ApiForbiddenResponse({ description: 'An invited body' })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  requirements(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.requirements(actor, id);
  }

  @Get(':id/scores')
  @ApiOperation({
    summary: "The evaluators' score sheets and the consensus",
    description:
      "Each evaluator scores on their own: the tender's procurement officers and administrators read every sheet; anyone else of the organisation reads their own, " +
      'and the others only for a tender whose consensus is recorded. The consensus with its reason. An invited body is refused (403), anyone else gets the 404 of a missing tender.',
  })
  @ApiOkResponse({ type: ScoresDto })
  @ApiForbiddenResponse({ description: 'An invited body' })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  scores(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.scores(actor, id);
  }

  @Get(':id/ranking')
  @ApiOperation({
    summary: 'Each lot’s ranking from the evaluation model, and what would change the winner',
    description:
      "The model from the register's award criteria (the lowest price, weighted with relative price scoring, or a value deduction), each admitted tender's price " +
      'from the opening and its consensus scores: the ranking and the tie rule, as the evaluation computes it. Until every admitted tender of a lot has both, ' +
      '`missing` says what the lot waits for. The simulation: the price each other tender needed to win, the quality it lacked, the winner with each weight moved by ±10 points.',
  })
  @ApiOkResponse({ type: RankingsDto })
  @ApiForbiddenResponse({ description: 'An invited body' })
  @ApiNotFoundResponse({ description: 'No such tender, or another organisation’s (the same answer)' })
  ranking(@CurrentActor() actor: Actor, @Param('id', TenderIdParam) id: string) {
    return this.tenders.ranking(actor, id);
  }
}
