import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LIST_CURSOR } from './list-cursor';
import { PHASES, Phase } from '@tenderflow/domain/types';

export class ListTendersQuery {
  @ApiPropertyOptional({ enum: PHASES })
  @IsOptional()
  @IsIn(PHASES)
  phase?: Phase;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  organization?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({ description: 'Only tenders whose next deadline has passed' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'Only running tenders that wait for the caller: a gate they may decide, their conflict declaration, their body’s answer to an invitation, or a procurement officer’s next step (GET /tenders/{id}/actions)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  waitingForMe?: boolean;

  @ApiPropertyOptional({ description: 'Words in the title' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (`<instant>~<tender id>`)' })
  @IsOptional()
  @IsString()
  @Matches(LIST_CURSOR, { message: 'cursor must be the nextCursor of the previous page' })
  cursor?: string;
}
