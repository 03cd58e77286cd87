import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({
  imports: [AuthModule],
  controllers: [CalendarController],
  providers: [CalendarService, CalendarFeedsService],
})
export class CalendarModule {}
