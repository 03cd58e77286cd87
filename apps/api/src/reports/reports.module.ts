import { Module } from '@nestjs/common';
import { TendersModule } from '../tenders/tenders.module';
import { ReportsController } from './reports.controller';

/** GET /tenders/{id}/report: the individual report (12 kap. 15 § LOU) from state and audit chain. */
@Module({ imports: [TendersModule], controllers: [ReportsController] })
export class ReportsModule {}
