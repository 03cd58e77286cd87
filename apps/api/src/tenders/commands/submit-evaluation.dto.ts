import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import type { Proposal, SubmitEvaluationPayload } from '@tenderflow/workflows/tender/tender.messages';

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
}
