import { Module } from '@nestjs/common';
import { TendersModule } from '../tenders/tenders.module';
import { OcdsController } from './ocds.controller';

@Module({ imports: [TendersModule], controllers: [OcdsController] })
export class OcdsModule {}
