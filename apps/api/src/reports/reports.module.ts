import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TendersModule } from '../tenders/tenders.module';
import { ReportsController } from './reports.controller';

/** GET /tenders/{id}/report: the individual report (12 kap. 15–16 §§ LOU) or a direct award's documentation, from state, audit chain and register. */
@Module({ imports: [TendersModule, OrganizationsModule], controllers: [ReportsController] })
export class ReportsModule {}
