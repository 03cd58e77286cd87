import { Global, Module } from '@nestjs/common';
import { loadApiConfig } from '@tenderflow/config';

/**
 * The validated configuration as an injectable value. `AppConfigService` is a class token so that
 * injection is typed and no string token is needed.
 */
export class AppConfigService {
  constructor(readonly values: ReturnType<typeof loadApiConfig>) {}
}

@Global()
@Module({
  providers: [{ provide: AppConfigService, useFactory: () => new AppConfigService(loadApiConfig()) }],
  exports: [AppConfigService],
})
export class AppConfigModule {}
