import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule, AppConfigService } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { ReferenceModule } from './reference/reference.module';
import { TemporalModule } from './temporal/temporal.module';
import { TendersModule } from './tenders/tenders.module';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        pinoHttp: {
          level: config.values.logLevel,
          // Tokens never reach the logs.
          redact: ['req.headers.authorization'],
          customProps: (req) => ({ actor: (req as { actor?: { sub: string } }).actor?.sub }),
        },
      }),
    }),
    DatabaseModule,
    TemporalModule,
    AuthModule,
    ReferenceModule,
    TendersModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
