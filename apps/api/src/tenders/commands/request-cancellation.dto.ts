import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { RequestCancellationPayload } from '@tenderflow/temporal-common/tender-types';

/** Asks an approver to cancel the tender (avbrytande); the cancellation gate decides. */
export class RequestCancellationDto implements RequestCancellationPayload {
  @ApiProperty({ maxLength: 2000, example: 'The need has disappeared after the reorganisation' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
