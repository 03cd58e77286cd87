import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '../../common/params';
import type { RecordOpeningPayload, TenderPrice } from '@tenderflow/temporal-common/tender-types';

/** A price read out at the opening: for one lot, or for the whole procurement when it has no lots. */
export class TenderPriceDto implements TenderPrice {
  @ApiPropertyOptional({ description: 'The lot (by title); none when the procurement has no lots' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  lot?: string;

  @ApiProperty({ example: 1_250_000, description: 'The tendered price in whole SEK (the evaluated price, excl. VAT)' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  priceSek!: number;
}

export class TenderReceivedDto {
  @ApiProperty({ example: 'Lab AB' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ example: '556000-0000' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  orgNumber?: string;

  @ApiPropertyOptional({
    example: 'anbud@lab.se',
    description: "The tenderer's contact address: the award decision notice (12 kap. 12 § LOU) is e-mailed there",
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @ApiProperty({
    example: '2026-09-30T14:03:00Z',
    description: 'When the tender arrived (ISO 8601 instant); later than the deadline: recorded as late',
  })
  @IsInstant()
  receivedAt!: string;

  @ApiPropertyOptional({ type: [String], description: 'Titles of the lots tendered for' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  lots?: string[];

  @ApiPropertyOptional({ type: [TenderPriceDto], description: 'The prices read out, one per lot tendered for' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TenderPriceDto)
  prices?: TenderPriceDto[];
}

/** The opening record (anbudsöppning). Fewer than two distinct openers is refused by 12 kap. 10 § LOU (422). */
export class RecordOpeningDto implements RecordOpeningPayload {
  @ApiProperty({
    type: [String],
    example: ['anna', 'bertil'],
    description: 'Subs of at least two distinct people appointed by the authority',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  openers!: string[];

  @ApiProperty({ type: [TenderReceivedDto], description: 'Every tender received; none: the tender ends unsuccessful' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => TenderReceivedDto)
  tenders!: TenderReceivedDto[];
}
