import { Controller, Get, HttpCode } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ProblemException } from '../common/problem';
import { TemporalService } from '../temporal/temporal.service';

@ApiTags('operations')
@Controller('health')
@Public()
@SkipThrottle()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ description: 'PostgreSQL and Temporal are reachable' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is unreachable' })
  async ready(): Promise<{ status: 'ready'; checks: Record<string, 'up'> }> {
    const checks: Record<string, string> = {};
    await Promise.all([
      this.dataSource.query('SELECT 1').then(
        () => (checks.database = 'up'),
        (e: Error) => (checks.database = `down: ${e.message}`),
      ),
      this.temporal.ping().then(
        () => (checks.temporal = 'up'),
        (e: Error) => (checks.temporal = `down: ${e.message}`),
      ),
    ]);
    const down = Object.entries(checks).filter(([, v]) => v !== 'up');
    if (down.length > 0) {
      throw new ProblemException(503, `Not ready: ${down.map(([k, v]) => `${k} ${v}`).join('; ')}`, {
        type: 'not-ready',
        checks,
      });
    }
    return { status: 'ready', checks: checks as Record<string, 'up'> };
  }
}
