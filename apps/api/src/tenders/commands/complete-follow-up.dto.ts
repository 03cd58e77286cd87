import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { CompleteFollowUpPayload } from '../../../../../workflows/tender/tender.messages';

export class CompleteFollowUpDto implements CompleteFollowUpPayload {
  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}
