import { Global, Module } from '@nestjs/common';
import { CommandGateway } from './command-gateway';
import { TemporalService } from './temporal.service';

@Global()
@Module({ providers: [TemporalService, CommandGateway], exports: [TemporalService, CommandGateway] })
export class TemporalModule {}
