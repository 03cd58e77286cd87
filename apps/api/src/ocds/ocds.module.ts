import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { ReferenceModule } from '../reference/reference.module';
import { TendersModule } from '../tenders/tenders.module';
import { OcdsController } from './ocds.controller';

@Module({ imports: [TendersModule, ContractsModule, ReferenceModule], controllers: [OcdsController] })
export class OcdsModule {}
