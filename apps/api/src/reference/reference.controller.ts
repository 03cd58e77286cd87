import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { swedishToday } from '../common/today';
import { ClassificationQuery, DeadlineQuery, ThresholdOverrideDto, ThresholdsQuery } from './reference.dto';
import { ReferenceService } from './reference.service';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('classification')
  @ApiOkResponse({ description: 'Regime, allowed procedures and the threshold row used, with its provenance' })
  classification(@Query() q: ClassificationQuery) {
    return this.reference.classification(q, swedishToday());
  }

  @Get('thresholds')
  @ApiOkResponse({ description: 'Threshold and direct-award rows in force at the date' })
  thresholds(@Query() q: ThresholdsQuery) {
    return this.reference.thresholds(q.date ?? swedishToday());
  }

  @Get('deadlines')
  @ApiOkResponse({
    description: '{ kind, from, days, lastDay, basis }: the last day of the period after the working-day rule',
  })
  deadlines(@Query() q: DeadlineQuery) {
    return this.reference.deadline(q);
  }

  @Put('thresholds/:id')
  @Roles('admin')
  @ApiOkResponse({ description: 'The row with the official SEK figure an administrator recorded' })
  setThreshold(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ThresholdOverrideDto) {
    return this.reference.setOverride(actor, id, dto.sek, dto.source);
  }
}
