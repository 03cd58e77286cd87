import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenderEntity } from '@tenderflow/db';
import { ReferenceModule } from '../reference/reference.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AuditController } from './audit.controller';
import { TenderCommandsController } from './tender-commands.controller';
import { TenderCommandsService } from './tender-commands.service';
import { DirectAwardsService } from './direct-awards.service';
import { TenderIdsService } from './tender-ids.service';
import { TenderAccessGuard, TenderAccessService } from './tender-access';
import { TendersController } from './tenders.controller';
import { TenderStateReader } from './tender-state.reader';
import { TendersService } from './tenders.service';

@Module({
  imports: [TypeOrmModule.forFeature([TenderEntity]), ReferenceModule, OrganizationsModule],
  controllers: [TendersController, TenderCommandsController, AuditController],
  providers: [
    TendersService,
    TenderIdsService,
    DirectAwardsService,
    TenderCommandsService,
    TenderAccessService,
    TenderAccessGuard,
    TenderStateReader,
  ],
  exports: [TendersService, TenderAccessService, TenderStateReader],
})
export class TendersModule {}
