import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { GATE_DECISIONS, GateDecision, NOTICE_CHANNELS, type NoticeChannel } from '@tenderflow/domain/types';
import type { DecideGatePayload } from '@tenderflow/temporal-common/tender-types';

/** The gate comes from the path (`gate` of DecideGatePayload). */
export class DecideGateDto implements Omit<DecideGatePayload, 'gate'> {
  @ApiProperty({ enum: GATE_DECISIONS })
  @IsIn(GATE_DECISIONS)
  decision!: GateDecision;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Required for reject and request_changes' })
  @ValidateIf(
    (o: DecideGateDto) => o.comment !== undefined || o.decision === 'reject' || o.decision === 'request_changes',
  )
  @IsString()
  @Length(1, 5000)
  comment?: string;

  @ApiPropertyOptional({
    enum: NOTICE_CHANNELS,
    default: 'electronic',
    description: 'award_decision: how the award notice is sent (standstill 10 or 15 days, 20 kap. 1 § LOU)',
  })
  @IsOptional()
  @IsIn(NOTICE_CHANNELS)
  noticeChannel?: NoticeChannel;

  @ApiPropertyOptional({
    maxLength: 5000,
    description:
      'award_decision: why the award is approved although red flags are raised on it (required then: 422 red_flag_justification)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  justification?: string;
}
