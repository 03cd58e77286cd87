import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { databaseUrl, loadConfig } from '../../../libs/config/src';
import { buildDataSourceOptions } from '../../../libs/db/src';
import { WorkerConfigService } from './worker-config';
import { WorkerService } from './worker.service';

const config = new WorkerConfigService(loadConfig());

@Module({
  imports: [
    LoggerModule.forRoot({ pinoHttp: { level: config.values.logLevel } }),
    TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl(config.values), { applicationName: 'tenderflow-worker', poolSize: 10 })),
  ],
  providers: [{ provide: WorkerConfigService, useValue: config }, WorkerService],
})
export class WorkerModule {}
