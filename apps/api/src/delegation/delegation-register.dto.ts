import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsIsoDate } from '../common/params';

/** GET /organizations/{org}/delegation-decisions */
export class DelegationRegisterQuery {
  @ApiProperty({ example: '2026-11-01', format: 'date', description: 'First day (Sweden) of the period' })
  @IsIsoDate()
  from!: string;

  @ApiProperty({
    example: '2026-11-30',
    format: 'date',
    description: 'Last day (Sweden) of the period, on or after from',
  })
  @IsIsoDate()
  to!: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv', 'pdf'],
    description: 'Default json; csv for a spreadsheet (semicolons, UTF-8); pdf in Swedish for the board’s meeting',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'pdf'])
  format?: 'json' | 'csv' | 'pdf';
}

/** POST /organizations/{org}/delegation-decisions/reported */
export class ReportDelegationDecisionsDto {
  @ApiProperty({ example: '2026-11-01', format: 'date' })
  @IsIsoDate()
  from!: string;

  @ApiProperty({ example: '2026-11-30', format: 'date' })
  @IsIsoDate()
  to!: string;

  @ApiProperty({
    example: 'Regionstyrelsen 2026-12-10 § 5',
    description: 'The board’s meeting the decisions are reported to',
  })
  @IsString()
  @Length(1, 300)
  meeting!: string;
}
