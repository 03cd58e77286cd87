import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from '@tenderflow/logging';
import { TracingShutdown } from '@tenderflow/telemetry/tracing-shutdown';
import { ApprovalsModule } from './approvals/approvals.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { CallerThrottlerGuard } from './common/throttle';
import { TraceRouteInterceptor } from './common/trace-route.interceptor';
import { ContractsModule } from './contracts/contracts.module';
import { AppConfigModule, AppConfigService } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { CalendarModule } from './calendar/calendar.module';
import { redactUrl } from '@tenderflow/logging/redact';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OcdsModule } from './ocds/ocds.module';
import { PeopleModule } from './people/people.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { DelegationModule } from './delegation/delegation.module';
import { ReferenceModule } from './reference/reference.module';
import { ReportsModule } from './reports/reports.module';
import { TemporalModule } from './temporal/temporal.module';
import { TendersModule } from './tenders/tenders.module';

/** The request as its log line shows it: a calendar feed token in the address is `[Redacted]`. */
function redactFeedToken<T extends { url?: string }>(req: T): T {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  return req;
}

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        loggerParams(config.values, 'api', {
          // Tokens never reach the logs.
          redact: ['req.headers.authorization', 'req.query.token'],
          // ...nor does a calendar feed token in the address (GET /calendar.ics?token=…).
          serializers: { req: redactFeedToken },
          customProps: (req) => ({ actor: (req as { actor?: { sub: string } }).actor?.sub }),
        }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => [{ ttl: 60_000, limit: config.values.http.rateLimitPerMinute }],
    }),
    DatabaseModule,
    TemporalModule,
    AuditModule,
    AuthModule,
    ReferenceModule,
    OrganizationsModule,
    DelegationModule,
    TendersModule,
    ContractsModule,
    ApprovalsModule,
    PeopleModule,
    NotificationsModule,
    OcdsModule,
    ReportsModule,
    MetricsModule,
    CalendarModule,
  ],
  controllers: [HealthController],
  // Global guards run in this order: authenticate first, so the rate limit counts per caller.
  providers: [
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_GUARD, useClass: CallerThrottlerGuard },
    { provide: APP_INTERCEPTOR, useClass: TraceRouteInterceptor },
    TracingShutdown,
  ],
})
export class AppModule {}
