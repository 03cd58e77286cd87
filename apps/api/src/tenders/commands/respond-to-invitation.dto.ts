import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { INVITATION_ANSWERS, type InvitationAnswer } from '@tenderflow/domain/types';
import type { RespondToInvitationPayload } from '@tenderflow/temporal-common/tender-types';

/** The answering organisation comes from the path (`organization` of RespondToInvitationPayload). */
export class RespondToInvitationDto implements Omit<RespondToInvitationPayload, 'organization'> {
  @ApiProperty({ enum: INVITATION_ANSWERS })
  @IsIn(INVITATION_ANSWERS)
  answer!: InvitationAnswer;

  @ApiPropertyOptional({ example: 'about 30 % of the volume', description: 'Required to join', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  estimatedVolume?: string;

  @ApiPropertyOptional({
    example: 'KF 2026-03-12 § 45',
    description: 'The mandate (fullmakt); required to join',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  mandateReference?: string;

  @ApiPropertyOptional({
    example: 'Our own agreement runs until 2029',
    description: 'Why the body declines; required to decline',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
