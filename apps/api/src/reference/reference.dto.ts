import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DEADLINE_KINDS } from '@tenderflow/domain/deadlines';
import {
  CONTRACT_TYPES,
  ContractType,
  NOTICE_CHANNELS,
  type NoticeChannel,
  Procedure,
  PROCEDURES,
  Regime,
  REGIMES,
} from '@tenderflow/domain/types';
import { ISO_DATE } from '../common/params';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `tender_period` is the name the HTTP contract uses for the earliest lawful tender deadline. */
export const HTTP_DEADLINE_KINDS = ['tender_period', ...DEADLINE_KINDS] as const;

export class ClassificationQuery {
  @ApiProperty({ enum: CONTRACT_TYPES })
  @IsIn(CONTRACT_TYPES)
  contractType!: ContractType;

  @ApiProperty({ example: 2_500_000, description: 'Whole SEK over the whole term including options' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  valueSek!: number;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Defaults to today (Sweden)' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  frameworkCallOff?: boolean;
}

export class ThresholdsQuery {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'Defaults to today (Sweden)' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

export class DeadlineQuery {
  @ApiProperty({ enum: HTTP_DEADLINE_KINDS })
  @IsIn(HTTP_DEADLINE_KINDS)
  kind!: (typeof HTTP_DEADLINE_KINDS)[number];

  @ApiProperty({
    example: '2026-06-10',
    description:
      'The day the period counts from (the day of sending, signing or ruling), or the tender deadline for question_cutoff/latest_answer',
  })
  @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiPropertyOptional({ enum: NOTICE_CHANNELS, description: 'standstill: how the award notice was sent' })
  @IsOptional()
  @IsIn(NOTICE_CHANNELS)
  notice?: NoticeChannel;

  @ApiPropertyOptional({ enum: REGIMES })
  @IsOptional()
  @IsIn(REGIMES)
  regime?: Regime;

  @ApiPropertyOptional({ enum: PROCEDURES })
  @IsOptional()
  @IsIn(PROCEDURES)
  procedure?: Procedure;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  electronic?: boolean;

  @ApiPropertyOptional({ default: false, description: 'A prior information notice was published' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  pin?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Urgency (11 kap. 10 § LOU): shorter minimums; latest_answer four days before the deadline',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  urgent?: boolean;

  @ApiPropertyOptional({
    description: 'Restricted procedure of a region: tender period agreed with all candidates, in days (11 kap. 7 §)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  agreedWithCandidates?: number;

  @ApiPropertyOptional({
    enum: CONTRACT_TYPES,
    description:
      'Bilaga 2 services (social_services, welfare_services) have "skälig tid" (19 kap. 11 § LOU) at any value',
  })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  contractType?: ContractType;

  @ApiPropertyOptional({
    default: true,
    description: 'false: the documents are not available electronically (five more days)',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  documentsAvailableElectronically?: boolean;

  @ApiPropertyOptional({ description: 'kind=period: length in days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  days?: number;

  @ApiPropertyOptional({ description: 'kind=invalidity: the day a notice of the concluded contract was published' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'noticeDate must be YYYY-MM-DD' })
  noticeDate?: string;
}

export class ThresholdOverrideDto {
  @ApiProperty({ example: 2_299_502, description: 'The official SEK figure' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  sek!: number;

  @ApiProperty({ example: 'Upphandlingsmyndigheten, tröskelvärden 2026–2027' })
  @IsString()
  @Length(5, 500)
  source!: string;
}
