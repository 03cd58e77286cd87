import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseUrl } from '@tenderflow/config';
import { buildDataSourceOptions } from '@tenderflow/db';
import { AppConfigService } from '../config/config.module';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        buildDataSourceOptions(databaseUrl(config.values), { applicationName: 'tenderflow-api', poolSize: 20 }),
    }),
  ],
})
export class DatabaseModule {}
