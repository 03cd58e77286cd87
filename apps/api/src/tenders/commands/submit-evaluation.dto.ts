import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { AbnormallyLowTender, Proposal, SubmitEvaluationPayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

export class ProposalDto implements Proposal {
  @ApiPropertyOptional({ description: 'The lot title, when the tender has lots' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  lot?: string;

  @ApiProperty({ example: 'Lab AB', description: 'A tenderer that submitted in time' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ example: 87.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  score?: number;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @Length(1, 10000)
  reasons!: string;
}

/** A tender checked as abnormally low (onormalt lågt anbud, 16 kap. 7–8 §§ LOU): the explanation asked for and the outcome. */
export class AbnormallyLowTenderDto implements AbnormallyLowTender {
  @ApiProperty({ example: 'Billig AB', description: 'A tenderer that submitted in time' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ description: 'The lot title, when the tender has lots' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  lot?: string;

  @ApiProperty({
    example: '2026-11-20',
    description: 'The day the tenderer was asked to explain the price; not after today (422 date_in_future)',
  })
  @IsIsoDate()
  explanationRequestedOn!: string;

  @ApiPropertyOptional({ example: '2026-11-25', description: 'The day the explanation came in; absent when none came' })
  @IsOptional()
  @IsIsoDate()
  explanationReceivedOn?: string;

  @ApiPropertyOptional({ maxLength: 10000, description: "The tenderer's explanation, in short" })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  explanation?: string;

  @ApiProperty({
    enum: ['accepted', 'rejected'],
    description:
      'rejected: the tender is rejected as abnormally low and cannot be awarded (422 abnormally_low_rejected)',
  })
  @IsIn(['accepted', 'rejected'])
  outcome!: 'accepted' | 'rejected';

  @ApiProperty({ maxLength: 10000, description: 'Why the explanation was accepted, or why the tender was rejected' })
  @IsString()
  @Length(1, 10000)
  reason!: string;
}

export class SubmitEvaluationDto implements SubmitEvaluationPayload {
  @ApiProperty({ type: [ProposalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProposalDto)
  proposals!: ProposalDto[];

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  summary?: string;

  @ApiPropertyOptional({
    type: [AbnormallyLowTenderDto],
    description: 'Tenders checked as abnormally low; the individual report lists them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AbnormallyLowTenderDto)
  abnormallyLow?: AbnormallyLowTenderDto[];
}
