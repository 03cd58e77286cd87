import { Controller, Get, Query, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Response } from 'express';
import type { Actor } from '@tenderflow/domain/types';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { LeadTimesReport } from './lead-times';
import { MetricsService } from './metrics.service';

export class LeadTimesQuery {
  @ApiPropertyOptional({
    description:
      "A category; without it, every category the caller may see (a category manager's own, an administrator's all)",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  category?: string;
}

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Public()
  @SkipThrottle()
  @ApiOperation({
    summary: 'Prometheus metrics (operator scrape endpoint)',
    description:
      'Text exposition format. No token, so that a Prometheus server can scrape it; it carries no tender data, only counts and ' +
      'latencies. Expose it to the monitoring network only (restrict /metrics at the ingress).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'http_request_duration_seconds, tenderflow_workflow_starts_total, tenderflow_gate_pending_wait_seconds, process metrics',
  })
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.scrape();
    res.status(200).type(this.metrics.contentType).send(body);
  }

  @Get('lead-times')
  @ApiBearerAuth()
  @Roles('category_manager')
  @ApiOperation({
    summary: 'Median and 90th percentile lead time per phase and waiting time per gate, per category (days)',
    description:
      "A category manager's figures count their own organisation's tenders only (`organization` in the answer); an administrator's count every organisation's (`organization: null`).",
  })
  @ApiOkResponse({ description: 'The report, with the basis of each figure' })
  @ApiForbiddenResponse({
    description: "Not a category manager or administrator, or a category outside the caller's `categories` claim",
  })
  leadTimes(
    @CurrentActor() actor: Actor,
    @Query() q: LeadTimesQuery,
  ): Promise<LeadTimesReport & { organization: string | null }> {
    return this.metrics.leadTimes(actor, q.category);
  }
}
