import { Global, Module } from '@nestjs/common';
import { commandSignerFromConfig, CommandSigner } from '@tenderflow/temporal-common/command-signer';
import { AppConfigService } from '../config/config.module';
import { CommandGateway } from './command-gateway';
import { CommandKeyRotation } from './command-key-rotation';
import { TemporalService } from './temporal.service';

@Global()
@Module({
  providers: [
    TemporalService,
    CommandGateway,
    CommandKeyRotation,
    // The only process that holds the command signing key (ARCHITECTURE §4).
    {
      provide: CommandSigner,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => commandSignerFromConfig(config.values),
    },
  ],
  exports: [TemporalService, CommandGateway, CommandSigner, CommandKeyRotation],
})
export class TemporalModule {}
