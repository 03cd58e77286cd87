import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import type { InviteToNegotiatePayload, RecordExAnteNoticePayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';
import { SupplierRefDto } from './select-candidates.dto';

/** An award without prior notice: the suppliers the authority turns to, and the last day for their tenders. */
export class InviteToNegotiateDto implements InviteToNegotiatePayload {
  @ApiProperty({ type: [SupplierRefDto], description: 'The chosen suppliers (1–50), each named once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SupplierRefDto)
  suppliers!: SupplierRefDto[];

  @ApiProperty({
    example: '2026-12-18',
    description:
      "The last day for tenders: the authority's own (no statutory time limit without prior notice); not in the past nor more than two years ahead (422)",
  })
  @IsIsoDate()
  deadline!: string;
}

/** A voluntary ex-ante transparency notice (10 kap. 5 § or 19 a kap. 9 § LOU) as published. */
export class RecordExAnteNoticeDto implements RecordExAnteNoticePayload {
  @ApiProperty({
    example: '2026-12-01',
    description:
      'The day the notice was published; the contract waits 10 days after it (20 kap. 3 § LOU); not after today (422)',
  })
  @IsIsoDate()
  publishedOn!: string;

  @ApiProperty({
    example: 'TED',
    description: 'Where: TED above the threshold, a registered advertising database below it',
  })
  @IsString()
  @Length(1, 200)
  advertisingDatabase!: string;

  @ApiPropertyOptional({ example: '2026/S 231-123456' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  noticeReference?: string;

  @ApiProperty({ example: 'Lab AB', description: 'The supplier the authority intends to award the contract to' })
  @IsString()
  @Length(1, 300)
  supplier!: string;
}
