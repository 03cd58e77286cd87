import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { ExtendDeadlinePayload } from '../../../../../workflows/tender/tender.messages';
import { IsIsoDate } from './params';

export class ExtendDeadlineDto implements ExtendDeadlinePayload {
  @ApiProperty({ example: '2026-10-31', description: 'The new last day; later than the current one (never shortened)' })
  @IsIsoDate()
  deadline!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
