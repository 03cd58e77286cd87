import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenderEntity } from '../../../../libs/db/src';
import { ReferenceModule } from '../reference/reference.module';
import { TenderIdsService } from './tender-ids.service';
import { TendersController } from './tenders.controller';
import { TendersService } from './tenders.service';

@Module({
  imports: [TypeOrmModule.forFeature([TenderEntity]), ReferenceModule],
  controllers: [TendersController],
  providers: [TendersService, TenderIdsService],
  exports: [TendersService],
})
export class TendersModule {}
