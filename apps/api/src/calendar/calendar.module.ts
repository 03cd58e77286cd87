import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TendersModule } from '../tenders/tenders.module';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({
  imports: [AuthModule, TendersModule],
  controllers: [CalendarController],
  providers: [CalendarService, CalendarFeedsService],
})
export class CalendarModule {}
