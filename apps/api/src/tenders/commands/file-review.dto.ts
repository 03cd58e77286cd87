import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { FileReviewPayload } from '@tenderflow/temporal-common/tender-types';
import { LOCAL_ID } from '../../common/params';

/** A review application (överprövning) filed with the administrative court. */
export class FileReviewDto implements FileReviewPayload {
  @ApiPropertyOptional({ example: 'R1', description: 'Default: R<n>' })
  @IsOptional()
  @IsString()
  @Matches(LOCAL_ID, { message: 'id must be 1–64 characters of A–Z, a–z, 0–9, _ or -' })
  id?: string;

  @ApiProperty({ example: 'Other Lab AB' })
  @IsString()
  @Length(1, 300)
  applicant!: string;

  @ApiProperty({ example: 'Förvaltningsrätten i Göteborg' })
  @IsString()
  @Length(1, 300)
  court!: string;

  @ApiPropertyOptional({ example: 'Mål nr 1234-26' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  reference?: string;
}
