import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { databaseUrl, loadConfig } from '@tenderflow/config';
import { buildDataSourceOptions } from '@tenderflow/db';
import { loggerParams } from '@tenderflow/logging';
import { TracingShutdown } from '@tenderflow/telemetry/tracing-shutdown';
import { LogDelivery, NotificationDelivery, SmtpDelivery } from './outbox/delivery';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { WorkerConfigService } from './worker-config';
import { WorkerService } from './worker.service';

const config = new WorkerConfigService(loadConfig());

@Module({
  imports: [
    LoggerModule.forRoot(loggerParams(config.values, 'worker')),
    TypeOrmModule.forRoot(
      buildDataSourceOptions(databaseUrl(config.values), { applicationName: 'tenderflow-worker', poolSize: 10 }),
    ),
  ],
  providers: [
    { provide: WorkerConfigService, useValue: config },
    WorkerService,
    TracingShutdown,
    {
      provide: NotificationDelivery,
      useFactory: () => {
        const { smtpUrl, from } = config.values.notifications;
        return smtpUrl ? new SmtpDelivery(smtpUrl, from) : new LogDelivery();
      },
    },
    {
      provide: OutboxDispatcher,
      inject: [DataSource, NotificationDelivery],
      useFactory: (ds: DataSource, delivery: NotificationDelivery) => {
        const n = config.values.notifications;
        return new OutboxDispatcher(ds, delivery, {
          pollMs: n.pollMs,
          maxAttempts: n.maxAttempts,
          retryBaseSeconds: n.retryBaseSeconds,
          publicBaseUrl: config.values.http.publicBaseUrl,
          from: n.from,
        });
      },
    },
  ],
})
export class WorkerModule {}
