import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { SelectCandidatesPayload } from '@tenderflow/temporal-common/tender-types';
import { IsIsoDate } from '../../common/params';

export class SupplierRefDto {
  @ApiProperty({ example: 'Lab AB' })
  @IsString()
  @Length(1, 300)
  supplier!: string;

  @ApiPropertyOptional({ example: '556000-0000' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  orgNumber?: string;
}

export class SelectCandidatesDto implements SelectCandidatesPayload {
  @ApiProperty({ type: [SupplierRefDto], description: 'None selected: the tender ends unsuccessful' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SupplierRefDto)
  candidates!: SupplierRefDto[];

  @ApiPropertyOptional({
    description: 'The tender period agreed with all selected candidates, in days (11 kap. 7 § LOU)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  agreedTenderPeriodDays?: number;

  @ApiPropertyOptional({ example: '2026-10-15', description: 'A later last day for tenders than the minimum' })
  @IsOptional()
  @IsIsoDate()
  deadline?: string;
}
