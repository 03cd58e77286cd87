import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TendersModule } from '../tenders/tenders.module';
import { AwardNoticesController } from './award-notices.controller';
import { DecisionDocumentsController } from './decision-documents.controller';
import { ReportsController } from './reports.controller';

/**
 * GET /tenders/{id}/report: the individual report (12 kap. 15–16 §§ LOU) or a direct award's documentation, from state, audit chain and register;
 * GET /tenders/{id}/award-notices: the award decision notices the workflow issued (12 kap. 12 § LOU);
 * GET /tenders/{id}/decision-documents: those, the opening protocol and the evaluation report.
 */
@Module({
  imports: [TendersModule, OrganizationsModule],
  controllers: [ReportsController, AwardNoticesController, DecisionDocumentsController],
})
export class ReportsModule {}
